import { HttpClient } from "@actions/http-client";
import { TokenError } from "../errors.js";
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

  // One retry layer only (ours): the client's own retries stay off.
  const client = new HttpClient("aws-oidc", [], {
    allowRetries: false,
    socketTimeout: options.timeoutMs,
    keepAlive: false,
  });
  const timer = timeout(options.timeoutMs);
  try {
    const response = await Promise.race([
      client.get(url.toString(), { authorization: `Bearer ${bearer}`, accept: "application/json" }),
      timer.expired,
    ]);
    const status = response.message.statusCode ?? 0;
    const body = await Promise.race([response.readBody(), timer.expired]);
    if (status === 401 || status === 403) {
      throw new TokenError(`GitHub's token service refused the request (HTTP ${status}).`, PERMISSION_HINT);
    }
    if (status !== 200) {
      const error = new TokenError(
        `GitHub's token service answered HTTP ${status}.`,
        "This is usually temporary; re-run the job.",
      );
      throw status >= 500 || status === 429 ? error.transient() : error;
    }
    return tokenFromBody(body);
  } catch (error) {
    if (error instanceof TokenError) throw error;
    const reason = error instanceof Error ? error.message.replace(/:\s*\/\S*/, "") : String(error);
    const failure = new TokenError(
      `Could not reach GitHub's token service: ${reason}.`,
      "Re-run the job; check any proxy settings.",
    );
    // A name that does not resolve or a port that refuses is configuration, not a blip.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw code === "ENOTFOUND" || code === "ECONNREFUSED" ? failure : failure.transient();
  } finally {
    timer.cancel();
    client.dispose();
  }
}

/** A promise that rejects after `ms`, for a whole request (the client's timeout only covers idle sockets). */
function timeout(ms: number): { expired: Promise<never>; cancel: () => void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  expired.catch(() => undefined);
  return { expired, cancel: () => clearTimeout(handle) };
}

function tokenFromBody(body: string): string {
  let value: unknown;
  try {
    value = (JSON.parse(body) as { value?: unknown }).value;
  } catch {
    // The body is not echoed: it might hold a token.
    throw new TokenError(
      "GitHub's token service answered with a body that is not JSON.",
      "Re-run the job.",
    ).transient();
  }
  if (typeof value !== "string" || value.split(".").length !== 3) {
    throw new TokenError("GitHub's token service answered without a JWT in `value`.", "Re-run the job.").transient();
  }
  return value;
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
