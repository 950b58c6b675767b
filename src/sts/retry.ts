/**
 * The one retry layer: capped exponential backoff with full jitter, a total deadline,
 * no sleep after the last attempt. Whether an error is worth another attempt is the
 * caller's `classify`; everything else fails at once.
 */

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Epoch milliseconds after which no attempt starts and no wait begins. */
  readonly deadline: number;
}

export interface Verdict {
  readonly retry: boolean;
  /** A short, non-secret reason for the log line, e.g. `Throttling: Rate exceeded`. */
  readonly reason: string;
}

export interface RetryHooks {
  readonly classify: (error: unknown) => Verdict;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Wraps the last error when the deadline, not the attempt count, ended the retries. */
export class DeadlineExceeded extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super("deadline exceeded");
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter: a uniform wait in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export async function withRetries<T>(
  call: string,
  run: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  const sleep = hooks.sleep ?? realSleep;
  const now = hooks.now ?? Date.now;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      const verdict = hooks.classify(error);
      if (!verdict.retry || attempt >= policy.maxAttempts) throw error;
      const delay = backoffDelay(attempt, policy, random);
      if (now() + delay >= policy.deadline) throw new DeadlineExceeded(error, attempt);
      hooks.log(
        `${call} attempt ${attempt}/${policy.maxAttempts} failed (${verdict.reason}); retrying in ${delay} ms.`,
      );
      await sleep(delay);
    }
  }
}
