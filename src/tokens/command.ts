import { tokenFromCommand } from "./common.js";
import type { TokenSource } from "./source.js";

/**
 * Any command that prints a token on stdout (like aws-vault's web_identity_token_process),
 * run through `sh -c` with a timeout; its stderr is shown, its stdout (the token) never is.
 */
export function commandTokenSource(command: string): TokenSource {
  return {
    name: "command",
    detect: () => true,
    getToken: (audience, { timeoutMs, warn }) =>
      tokenFromCommand(
        {
          file: "sh",
          args: ["-c", command],
          timeoutMs,
          env: { ...process.env, AWS_OIDC_AUDIENCE: audience },
          ...(warn ? { stderrLine: warn } : {}),
        },
        "token-command",
        "The command must print one OIDC ID token on stdout and exit 0; it gets the audience in AWS_OIDC_AUDIENCE.",
      ),
    metadata: () => ({ ci: "aws-oidc", runId: String(Math.floor(Date.now() / 1000)), tags: {} }),
    diagnosticClaims: [],
  };
}
