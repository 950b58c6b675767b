import { existsSync } from "node:fs";
import { metadataFrom, noteAudience, tokenFromVariable } from "./common.js";
import { readTokenFile } from "./file.js";
import type { Env, TokenSource } from "./source.js";

const SPACELIFT_TOKEN_FILE = "/mnt/workspace/spacelift.oidc";

/** Spacelift: SPACELIFT_OIDC_TOKEN, else the token file Spacelift mounts into the run. */
export function spaceliftTokenSource(env: Env): TokenSource {
  return {
    name: "spacelift",
    detect: () => Boolean(env.SPACELIFT_OIDC_TOKEN || env.TF_VAR_spacelift_run_id),
    getToken: async (audience, { warn }) => {
      const hint = "Spacelift provides the token on every run of a stack; check that the run is not local preview.";
      const token =
        env.SPACELIFT_OIDC_TOKEN || !existsSync(SPACELIFT_TOKEN_FILE)
          ? tokenFromVariable(env, "SPACELIFT_OIDC_TOKEN", "Spacelift", hint)
          : readTokenFile(SPACELIFT_TOKEN_FILE);
      noteAudience(
        token,
        audience,
        "Spacelift",
        "its audience is your Spacelift account's hostname (<account>.app.spacelift.io).",
        warn,
      );
      return token;
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "spacelift",
        project: "TF_VAR_spacelift_stack_id",
        runId: "TF_VAR_spacelift_run_id",
        tags: {
          Spacelift: "TF_VAR_spacelift_run_id",
          Stack: "TF_VAR_spacelift_stack_id",
          Run: "TF_VAR_spacelift_run_id",
          Commit: "TF_VAR_spacelift_commit_sha",
          Branch: "TF_VAR_spacelift_commit_branch",
        },
      }),
    diagnosticClaims: ["spaceId", "callerType", "callerId", "runType", "runId", "scope"],
  };
}
