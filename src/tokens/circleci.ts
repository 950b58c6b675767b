import { decodePayload } from "../diagnose/claims.js";
import { metadataFrom, tokenFromCommand, tokenFromVariable } from "./common.js";
import type { Env, TokenSource, TokenSourceOptions } from "./source.js";

/**
 * CircleCI: CIRCLE_OIDC_TOKEN_V2 (else CIRCLE_OIDC_TOKEN), whose audience is the organization
 * id. For another audience, `circleci run oidc get --claims '{"aud": …}'` mints one.
 */
export function circleciTokenSource(env: Env, options: TokenSourceOptions): TokenSource {
  const hint =
    "Run the job with a CircleCI context or project that has OIDC tokens (CIRCLE_OIDC_TOKEN_V2), and the circleci CLI on PATH for a custom audience.";
  return {
    name: "circleci",
    detect: () => env.CIRCLECI === "true",
    getToken: async (audience, { timeoutMs, warn }) => {
      const variable = options.variable ?? (env.CIRCLE_OIDC_TOKEN_V2 ? "CIRCLE_OIDC_TOKEN_V2" : "CIRCLE_OIDC_TOKEN");
      const token = tokenFromVariable(env, variable, "CircleCI", hint);
      const aud = decodePayload(token)?.aud;
      if (aud === audience || (Array.isArray(aud) && aud.includes(audience))) return token;
      // The variable's audience is the organization id: ask the CLI for the audience wanted.
      return tokenFromCommand(
        {
          file: "circleci",
          args: ["run", "oidc", "get", "--claims", JSON.stringify({ aud: audience })],
          timeoutMs,
          ...(warn ? { stderrLine: warn } : {}),
        },
        "circleci run oidc get",
        hint,
      );
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "circleci",
        project: "CIRCLE_PROJECT_REPONAME",
        runId: "CIRCLE_BUILD_NUM",
        tags: {
          CircleCI: "CIRCLECI",
          Project: "CIRCLE_PROJECT_REPONAME",
          Organization: "CIRCLE_PROJECT_USERNAME",
          Workflow: "CIRCLE_WORKFLOW_ID",
          Build: "CIRCLE_BUILD_NUM",
          Commit: "CIRCLE_SHA1",
          Branch: "CIRCLE_BRANCH",
          User: "CIRCLE_USERNAME",
        },
      }),
    diagnosticClaims: [
      "oidc.circleci.com/project-id",
      "oidc.circleci.com/context-ids",
      "oidc.circleci.com/vcs-origin",
      "oidc.circleci.com/vcs-ref",
    ],
  };
}
