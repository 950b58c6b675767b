import type { CredentialSource } from "../config/request.js";
import { TokenError } from "../errors.js";
import { fileTokenSource } from "./file.js";
import { githubTokenSource } from "./github.js";
import type { Env, TokenSource } from "./source.js";

/**
 * Picks the token source: a token file when one is named, else the first source whose CI
 * is detected. When nothing is found, the error lists what was looked for.
 */
export function selectTokenSource(source: CredentialSource, env: Env, cwd: string): TokenSource {
  if (source.kind === "web-identity" && source.tokenFile) return fileTokenSource(source.tokenFile, cwd);
  const candidates = [githubTokenSource(env)];
  const found = candidates.find((candidate) => candidate.detect());
  if (found) return found;
  return {
    name: "none",
    detect: () => false,
    metadata: () => ({ ci: "aws-oidc", tags: {} }),
    diagnosticClaims: [],
    getToken: () =>
      Promise.reject(
        new TokenError(
          "No OIDC token source found: not in GitHub Actions (GITHUB_ACTIONS), and no token file (--token-file or AWS_WEB_IDENTITY_TOKEN_FILE).",
          "Run inside a supported CI, or point --token-file / AWS_WEB_IDENTITY_TOKEN_FILE at a file holding the token.",
        ),
      ),
  };
}
