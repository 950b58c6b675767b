import type { TokenChoice } from "../config/source.js";
import { TokenError } from "../errors.js";
import { azureDevopsTokenSource } from "./azure-devops.js";
import { bitbucketTokenSource } from "./bitbucket.js";
import { buildkiteTokenSource } from "./buildkite.js";
import { circleciTokenSource } from "./circleci.js";
import { commandTokenSource } from "./command.js";
import { envTokenSource } from "./env.js";
import { fileTokenSource } from "./file.js";
import { githubTokenSource } from "./github.js";
import { gitlabTokenSource } from "./gitlab.js";
import { loginTokenSource } from "./login.js";
import type { Env, TokenSource, TokenSourceOptions } from "./source.js";
import { spaceliftTokenSource } from "./spacelift.js";
import { terraformTokenSource } from "./terraform.js";

/** The CI sources, in the order auto-detection tries them, with the markers it looks for. */
const CI_SOURCES: { markers: string; make: (env: Env, options: TokenSourceOptions) => TokenSource }[] = [
  { markers: "GITHUB_ACTIONS", make: (env) => githubTokenSource(env) },
  { markers: "GITLAB_CI", make: gitlabTokenSource },
  { markers: "CIRCLECI", make: circleciTokenSource },
  { markers: "BUILDKITE", make: (env) => buildkiteTokenSource(env) },
  { markers: "BITBUCKET_BUILD_NUMBER", make: (env) => bitbucketTokenSource(env) },
  { markers: "TF_BUILD (Azure DevOps)", make: azureDevopsTokenSource },
  { markers: "TFC_WORKLOAD_IDENTITY_TOKEN*", make: terraformTokenSource },
  { markers: "SPACELIFT_OIDC_TOKEN", make: (env) => spaceliftTokenSource(env) },
];

/**
 * Picks the token source: the one the user named (token-source), a token file or command
 * when given, else the first CI whose markers are present. When nothing is found, the
 * error lists what was looked for.
 */
export function selectTokenSource(source: TokenChoice, env: Env, cwd: string): TokenSource {
  const options: TokenSourceOptions = {
    cwd,
    ...(source.tokenVariable ? { variable: source.tokenVariable } : {}),
    ...(source.tokenCommand ? { command: source.tokenCommand } : {}),
    ...(source.tokenFile ? { file: source.tokenFile } : {}),
    ...(source.serviceConnectionId ? { serviceConnectionId: source.serviceConnectionId } : {}),
  };
  const named = source.tokenSource;
  if (named === "file" || (!named && source.tokenFile)) return fileTokenSource(source.tokenFile ?? "", cwd);
  if (named === "command" || (!named && source.tokenCommand)) return commandTokenSource(source.tokenCommand ?? "");
  if (named === "env") return envTokenSource(env, source.tokenVariable ?? "");
  if (named === "login" || (!named && source.tokenLogin)) return loginTokenSource(env, source.tokenLogin ?? "");
  const ci = CI_SOURCES.map((c) => c.make(env, options));
  if (named) return ci.find((c) => c.name === named) ?? unavailable(`unknown source ${named}`);
  const detected = ci.find((c) => c.detect());
  if (detected) return detected;
  if (source.tokenVariable) return envTokenSource(env, source.tokenVariable);
  return unavailable(
    `No OIDC token source found. Looked for: ${CI_SOURCES.map((c) => c.markers).join(", ")}; a token file (--token-file, AWS_WEB_IDENTITY_TOKEN_FILE); a token command; a token variable.`,
  );
}

function unavailable(message: string): TokenSource {
  return {
    name: "none",
    detect: () => false,
    metadata: () => ({ ci: "aws-oidc", runId: String(Math.floor(Date.now() / 1000)), tags: {} }),
    diagnosticClaims: [],
    getToken: () =>
      Promise.reject(
        new TokenError(
          message,
          "Run inside a supported CI, or name the token's place: token-source with token-variable, token-command or a token file.",
        ),
      ),
  };
}
