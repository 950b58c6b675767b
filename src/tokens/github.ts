import { TokenError } from "../errors.js";
import { requestServiceToken } from "./http-token.js";
import type { Env, RunMetadata, TokenRequestOptions, TokenSource } from "./source.js";

const PERMISSION_HINT =
  "Add `permissions: id-token: write` to the workflow or the job. Pull requests from forks " +
  "never get an OIDC token: run such jobs on `pull_request_target` with care, or skip AWS for them.";

/**
 * GitHub Actions' runtime token service: a GET on ACTIONS_ID_TOKEN_REQUEST_URL with the
 * audience as a query parameter, authorized by ACTIONS_ID_TOKEN_REQUEST_TOKEN.
 * The only module that reads GITHUB_* / ACTIONS_* variables.
 */
export function githubTokenSource(env: Env): TokenSource {
  return {
    name: "github",
    detect: () => env.GITHUB_ACTIONS === "true",
    getToken: (audience, options) => requestGithubToken(env, audience, options),
    metadata: () => githubMetadata(env),
    diagnosticClaims: [
      "repository",
      "repository_id",
      "repository_owner_id",
      "ref",
      "environment",
      "event_name",
      "job_workflow_ref",
      "workflow_ref",
      "runner_environment",
    ],
  };
}

async function requestGithubToken(env: Env, audience: string, options: TokenRequestOptions): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !bearer) {
    const missing = [!requestUrl && "ACTIONS_ID_TOKEN_REQUEST_URL", !bearer && "ACTIONS_ID_TOKEN_REQUEST_TOKEN"]
      .filter(Boolean)
      .join(" and ");
    throw new TokenError(`GitHub did not give this job an OIDC token (${missing} not set).`, PERMISSION_HINT);
  }
  const url = new URL(requestUrl);
  url.searchParams.set("audience", audience);
  return requestServiceToken({
    service: "GitHub's token service",
    method: "GET",
    url: url.toString(),
    bearer,
    field: "value",
    timeoutMs: options.timeoutMs,
    refusedHint: PERMISSION_HINT,
    retryHint: "This is usually temporary; re-run the job.",
  });
}

function githubMetadata(env: Env): RunMetadata {
  const tags: Record<string, string> = { GitHub: "Actions" };
  const pick = (tag: string, variable: string) => {
    const value = env[variable];
    if (value) tags[tag] = value;
  };
  pick("Repository", "GITHUB_REPOSITORY");
  pick("Workflow", "GITHUB_WORKFLOW");
  pick("Action", "GITHUB_ACTION");
  pick("Actor", "GITHUB_ACTOR");
  pick("Commit", "GITHUB_SHA");
  pick("Branch", "GITHUB_REF");
  pick("RunId", "GITHUB_RUN_ID");
  return {
    ci: "gha",
    ...(env.GITHUB_REPOSITORY ? { project: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...(env.GITHUB_RUN_ATTEMPT ? { attempt: env.GITHUB_RUN_ATTEMPT } : {}),
    tags,
  };
}
