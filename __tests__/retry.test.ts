import { backoffDelay, DeadlineExceeded, withRetries, type RetryPolicy } from "../src/sts/retry.js";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  deadline: Number.MAX_SAFE_INTEGER,
  ...over,
});

class Transient extends Error {}

function harness(failures: number, random = () => 0.999) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  let clock = 0;
  let calls = 0;
  const hooks = {
    classify: (e: unknown) => ({ retry: e instanceof Transient, reason: (e as Error).message }),
    log: (line: string) => logs.push(line),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    random,
  };
  const run = async () => {
    calls++;
    if (calls <= failures) throw new Transient(`boom ${calls}`);
    return "ok";
  };
  return { hooks, run, sleeps, logs, calls: () => calls };
}

describe("withRetries", () => {
  it("retries transient errors with capped exponential waits and logs each retry", async () => {
    const h = harness(3);
    await expect(withRetries("STS AssumeRole", h.run, policy(), h.hooks)).resolves.toBe("ok");
    expect(h.calls()).toBe(4);
    expect(h.sleeps).toEqual([499, 999, 1998]);
    expect(h.logs[0]).toBe("STS AssumeRole attempt 1/4 failed (boom 1); retrying in 499 ms.");
  });

  it("never sleeps after the last attempt", async () => {
    const h = harness(10);
    await expect(withRetries("x", h.run, policy({ maxAttempts: 3 }), h.hooks)).rejects.toThrow("boom 3");
    expect(h.calls()).toBe(3);
    expect(h.sleeps).toHaveLength(2);
  });

  it("fails at once on an error that cannot succeed on a retry", async () => {
    const h = harness(0);
    const fatal = async () => {
      throw new Error("AccessDenied");
    };
    await expect(withRetries("x", fatal, policy(), h.hooks)).rejects.toThrow("AccessDenied");
    expect(h.sleeps).toEqual([]);
  });

  it("stops before a wait that would pass the deadline", async () => {
    const h = harness(10);
    const error = await withRetries("x", h.run, policy({ maxAttempts: 20, deadline: 1600 }), h.hooks).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect((error as DeadlineExceeded).attempts).toBe(3);
    expect(h.sleeps).toEqual([499, 999]);
  });

  it("uses full jitter under a cap", () => {
    const p = policy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(1, p, () => 0)).toBe(0);
    expect(backoffDelay(1, p, () => 0.5)).toBe(50);
    expect(backoffDelay(3, p, () => 0.5)).toBe(200);
    expect(backoffDelay(10, p, () => 0.999)).toBe(999);
  });
});
