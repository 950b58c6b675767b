import { metadataFrom, tokenFromCommand } from "./common.js";
import type { Env, TokenSource } from "./source.js";

/** Buildkite: `buildkite-agent oidc request-token --audience …`. */
export function buildkiteTokenSource(env: Env): TokenSource {
  return {
    name: "buildkite",
    detect: () => env.BUILDKITE === "true",
    getToken: (audience, { timeoutMs, warn }) =>
      tokenFromCommand(
        {
          file: "buildkite-agent",
          args: ["oidc", "request-token", "--audience", audience],
          timeoutMs,
          ...(warn ? { stderrLine: warn } : {}),
        },
        "buildkite-agent oidc request-token",
        "Run inside a Buildkite job (the agent provides buildkite-agent and its job token).",
      ),
    metadata: () =>
      metadataFrom(env, {
        ci: "buildkite",
        project: "BUILDKITE_PIPELINE_SLUG",
        runId: "BUILDKITE_BUILD_NUMBER",
        attempt: "BUILDKITE_RETRY_COUNT",
        tags: {
          Buildkite: "BUILDKITE",
          Organization: "BUILDKITE_ORGANIZATION_SLUG",
          Pipeline: "BUILDKITE_PIPELINE_SLUG",
          Build: "BUILDKITE_BUILD_NUMBER",
          Job: "BUILDKITE_JOB_ID",
          Commit: "BUILDKITE_COMMIT",
          Branch: "BUILDKITE_BRANCH",
        },
      }),
    diagnosticClaims: [
      "organization_slug",
      "pipeline_slug",
      "build_number",
      "build_branch",
      "build_commit",
      "step_key",
    ],
  };
}
