import { metadataFrom, noteAudience, tokenFromVariable } from "./common.js";
import type { Env, TokenSource, TokenSourceOptions } from "./source.js";

export const GITLAB_DEFAULT_VARIABLE = "AWS_OIDC_TOKEN";

/**
 * GitLab CI: the job's `id_tokens` variable. Its audience is fixed in .gitlab-ci.yml, so a
 * different audience asked for here is reported, not requested. The removed CI_JOB_JWT* are never used.
 */
export function gitlabTokenSource(env: Env, options: TokenSourceOptions): TokenSource {
  const variable = options.variable ?? GITLAB_DEFAULT_VARIABLE;
  const hint = `Declare it in the job:\n    id_tokens:\n      ${variable}:\n        aud: sts.amazonaws.com\n  (or name your id_tokens variable with token-variable / --token-variable).`;
  return {
    name: "gitlab",
    detect: () => env.GITLAB_CI === "true",
    getToken: async (audience, { warn }) => {
      const token = tokenFromVariable(env, variable, "GitLab CI", hint);
      noteAudience(
        token,
        audience,
        `GitLab's id_tokens variable ${variable}`,
        `set its aud in .gitlab-ci.yml to '${audience}', or set the audience to match.`,
        warn,
      );
      return token;
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "gitlab",
        project: "CI_PROJECT_PATH",
        runId: "CI_PIPELINE_ID",
        attempt: "CI_JOB_ID",
        tags: {
          GitLab: "GITLAB_CI",
          Project: "CI_PROJECT_PATH",
          Pipeline: "CI_PIPELINE_ID",
          Job: "CI_JOB_ID",
          Commit: "CI_COMMIT_SHA",
          Ref: "CI_COMMIT_REF_NAME",
          User: "GITLAB_USER_LOGIN",
        },
      }),
    diagnosticClaims: [
      "project_path",
      "project_id",
      "namespace_path",
      "ref",
      "ref_type",
      "ref_protected",
      "environment",
      "pipeline_source",
      "ci_config_ref_uri",
      "runner_environment",
    ],
  };
}
