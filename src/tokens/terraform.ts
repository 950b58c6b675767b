import { TokenError } from "../errors.js";
import { metadataFrom, noteAudience, tokenFromVariable } from "./common.js";
import type { Env, TokenSource, TokenSourceOptions } from "./source.js";

/**
 * HCP Terraform / Terraform Enterprise: TFC_WORKLOAD_IDENTITY_TOKEN, or a tagged
 * TFC_WORKLOAD_IDENTITY_TOKEN_<TAG> when the workspace asks for several audiences.
 */
export function terraformTokenSource(env: Env, options: TokenSourceOptions): TokenSource {
  const tagged = () => Object.keys(env).filter((name) => name.startsWith("TFC_WORKLOAD_IDENTITY_TOKEN_") && env[name]);
  return {
    name: "terraform",
    detect: () => Boolean(env.TFC_WORKLOAD_IDENTITY_TOKEN || tagged().length),
    getToken: async (audience, { warn }) => {
      const names = tagged();
      const variable =
        options.variable ??
        (env.TFC_WORKLOAD_IDENTITY_TOKEN ? "TFC_WORKLOAD_IDENTITY_TOKEN" : names.length === 1 ? names[0] : undefined);
      const hint = `Set TFC_WORKLOAD_IDENTITY_AUDIENCE (or TFC_WORKLOAD_IDENTITY_AUDIENCE_<TAG>) in the workspace${names.length > 1 ? `, and pick one of ${names.join(", ")} with token-variable / --token-variable` : ""}.`;
      if (!variable) throw new TokenError("HCP Terraform: several tagged tokens and none chosen.", hint);
      const token = tokenFromVariable(env, variable, "HCP Terraform", hint);
      noteAudience(
        token,
        audience,
        `HCP Terraform's ${variable}`,
        "the workspace's TFC_WORKLOAD_IDENTITY_AUDIENCE decides the audience.",
        warn,
      );
      return token;
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "tfc",
        project: "TFC_WORKSPACE_NAME",
        runId: "TFC_RUN_ID",
        tags: {
          Terraform: "TFC_RUN_ID",
          Workspace: "TFC_WORKSPACE_NAME",
          Project: "TFC_PROJECT_NAME",
          Run: "TFC_RUN_ID",
          Commit: "TFC_CONFIGURATION_VERSION_GIT_COMMIT_SHA",
          Branch: "TFC_CONFIGURATION_VERSION_GIT_BRANCH",
        },
      }),
    diagnosticClaims: [
      "terraform_organization_name",
      "terraform_project_name",
      "terraform_workspace_name",
      "terraform_run_phase",
      "terraform_full_workspace",
    ],
  };
}
