import type { ExchangePlan } from "../config/request.js";
import { StsError } from "../errors.js";
import type { TokenSource } from "../tokens/source.js";
import { checkAllowedAccount } from "./allowed-accounts.js";
import type { AssumedCredentials } from "./credentials.js";
import { runExchange } from "./pipeline.js";

/**
 * Several exchanges at once (one per role or profile), sharing one OIDC token per audience,
 * each checked against allowed-account-ids. On a refusal, the diagnosis goes to `explain`.
 */

export interface ExchangeJob {
  readonly plan: ExchangePlan;
  readonly allowedAccountIds: readonly string[];
  readonly maskAccountId: boolean;
}

export interface ExchangeAllHooks {
  readonly onSecret: (value: string) => void;
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly explain: (lines: readonly string[]) => void;
  /** Called before each token request (for a progress line). */
  readonly onTokenRequest?: (audience: string) => void;
}

/** `prefetched`: token requests already started, per audience; used before asking again. */
export async function exchangeAll(
  jobs: readonly ExchangeJob[],
  source: TokenSource,
  hooks: ExchangeAllHooks,
  started = Date.now(),
  prefetched: ReadonlyMap<string, Promise<string>> = new Map(),
): Promise<AssumedCredentials[]> {
  const tokens = new Map<string, Promise<string>>();
  let lastToken: string | undefined;
  const remember = (audience: string, request: Promise<string>) => {
    const pending = request.then((token) => (lastToken = token));
    // A failed request may be retried: forget it so the retry asks again.
    pending.catch(() => tokens.delete(audience));
    tokens.set(audience, pending);
    return pending;
  };
  for (const [audience, request] of prefetched) remember(audience, request);
  const getToken = (audience: string, timeoutMs: number) => {
    const pending = tokens.get(audience);
    if (pending) return pending;
    hooks.onTokenRequest?.(audience);
    return remember(audience, source.getToken(audience, { timeoutMs, warn: hooks.warn }));
  };
  return Promise.all(
    jobs.map(async (job) => {
      try {
        const credentials = await runExchange(
          job.plan,
          { getToken, onSecret: hooks.onSecret, log: hooks.log, warn: hooks.warn },
          started,
        );
        if (job.maskAccountId) hooks.onSecret(credentials.accountId);
        checkAllowedAccount(credentials.accountId, job.allowedAccountIds, job.maskAccountId);
        return credentials;
      } catch (error) {
        if (error instanceof StsError && lastToken) {
          const { explainRefusal } = await import("../diagnose/explain.js");
          hooks.explain(explainRefusal(error, lastToken, job.plan, source.diagnosticClaims));
        }
        throw error;
      }
    }),
  );
}
