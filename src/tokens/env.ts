import { noteAudience, tokenFromVariable } from "./common.js";
import type { Env, TokenSource } from "./source.js";

/** Any named variable that holds a token (its audience is whatever it was minted for). */
export function envTokenSource(env: Env, variable: string): TokenSource {
  return {
    name: "env",
    detect: () => Boolean(env[variable]),
    getToken: async (audience, { warn }) => {
      const token = tokenFromVariable(
        env,
        variable,
        "token-variable",
        `Set ${variable} to an OIDC ID token, or name another variable.`,
      );
      noteAudience(
        token,
        audience,
        `The token in ${variable}`,
        "mint it for that audience, or set the audience to match.",
        warn,
      );
      return token;
    },
    metadata: () => ({ ci: "aws-oidc", runId: String(Math.floor(Date.now() / 1000)), tags: {} }),
    diagnosticClaims: [],
  };
}
