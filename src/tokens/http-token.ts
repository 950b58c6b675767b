import { HttpClient } from "@actions/http-client";
import { TokenError } from "../errors.js";

/**
 * One request to a CI's token service, as GitHub and Azure DevOps have them: bounded as a
 * whole (the client's own timeout only covers an idle socket), never retried here (the
 * exchange has the one retry layer), errors classified, the body never echoed.
 */
export interface TokenServiceRequest {
  /** "GitHub's token service", for messages. */
  readonly service: string;
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly bearer: string;
  readonly body?: string;
  /** The JSON field that holds the token: `value` (GitHub), `oidcToken` (Azure DevOps). */
  readonly field: string;
  readonly timeoutMs: number;
  /** What to tell the user when the service refuses (401/403) or gives no token. */
  readonly refusedHint: string;
  readonly retryHint: string;
}

export async function requestServiceToken(r: TokenServiceRequest): Promise<string> {
  const client = new HttpClient("aws-oidc", [], { allowRetries: false, socketTimeout: r.timeoutMs, keepAlive: false });
  const timer = deadline(r.timeoutMs);
  const headers = {
    authorization: `Bearer ${r.bearer}`,
    accept: "application/json",
    ...(r.body !== undefined ? { "content-type": "application/json" } : {}),
  };
  try {
    const response = await Promise.race([
      r.method === "GET" ? client.get(r.url, headers) : client.post(r.url, r.body ?? "", headers),
      timer.expired,
    ]);
    const status = response.message.statusCode ?? 0;
    const body = await Promise.race([response.readBody(), timer.expired]);
    if (status === 401 || status === 403)
      throw new TokenError(`${r.service} refused the request (HTTP ${status}).`, r.refusedHint);
    if (status !== 200) {
      const error = new TokenError(`${r.service} answered HTTP ${status}.`, r.retryHint);
      throw status >= 500 || status === 429 ? error.transient() : error;
    }
    return tokenField(body, r);
  } catch (error) {
    if (error instanceof TokenError) throw error;
    const reason = error instanceof Error ? error.message.replace(/:\s*\/\S*/, "") : String(error);
    const failure = new TokenError(
      `Could not reach ${r.service}: ${reason}.`,
      `${r.retryHint} Check any proxy settings.`,
    );
    // A name that does not resolve or a port that refuses is configuration, not a blip.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw code === "ENOTFOUND" || code === "ECONNREFUSED" ? failure : failure.transient();
  } finally {
    timer.cancel();
    client.dispose();
  }
}

function tokenField(body: string, r: TokenServiceRequest): string {
  let value: unknown;
  try {
    value = (JSON.parse(body) as Record<string, unknown>)[r.field];
  } catch {
    // The body is not echoed: it might hold a token.
    throw new TokenError(`${r.service} answered with a body that is not JSON.`, r.retryHint).transient();
  }
  if (typeof value !== "string" || value.split(".").length !== 3) {
    throw new TokenError(`${r.service} answered without a JWT in \`${r.field}\`.`, r.refusedHint).transient();
  }
  return value;
}

/** A promise that rejects after `ms`, for a whole request. */
function deadline(ms: number): { expired: Promise<never>; cancel: () => void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  expired.catch(() => undefined);
  return { expired, cancel: () => clearTimeout(handle) };
}
