import { metadataFrom, noteAudience, tokenFromVariable } from "./common.js";
import type { Env, TokenSource } from "./source.js";

/** Bitbucket Pipelines: BITBUCKET_STEP_OIDC_TOKEN, on steps with `oidc: true`; its audience is the workspace's. */
export function bitbucketTokenSource(env: Env): TokenSource {
  return {
    name: "bitbucket",
    detect: () => Boolean(env.BITBUCKET_BUILD_NUMBER && env.BITBUCKET_WORKSPACE),
    getToken: async (audience, { warn }) => {
      const token = tokenFromVariable(
        env,
        "BITBUCKET_STEP_OIDC_TOKEN",
        "Bitbucket Pipelines",
        "Add `oidc: true` to the step in bitbucket-pipelines.yml.",
      );
      noteAudience(
        token,
        audience,
        "Bitbucket",
        "Bitbucket's audience is the workspace's (ari:cloud:bitbucket::workspace/…); use it as the audience and as the IAM provider's client id.",
        warn,
      );
      return token;
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "bitbucket",
        project: "BITBUCKET_REPO_FULL_NAME",
        runId: "BITBUCKET_BUILD_NUMBER",
        tags: {
          Bitbucket: "BITBUCKET_WORKSPACE",
          Repository: "BITBUCKET_REPO_FULL_NAME",
          Build: "BITBUCKET_BUILD_NUMBER",
          Commit: "BITBUCKET_COMMIT",
          Branch: "BITBUCKET_BRANCH",
          Step: "BITBUCKET_STEP_UUID",
        },
      }),
    diagnosticClaims: ["repositoryUuid", "stepUuid", "branchName", "deploymentEnvironmentUuid", "workspaceUuid"],
  };
}
