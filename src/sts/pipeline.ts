import type { ExchangePlan, RoleStep, StaticCredentials } from "../config/request.js";
import { AwsOidcError, StsError } from "../errors.js";
import {
  assumeRole,
  assumeRoleWithWebIdentity,
  getCallerIdentity,
  type CallOptions,
  type ResolvedStep,
} from "./calls.js";
import type { AssumedCredentials } from "./credentials.js";
import { DeadlineExceeded, withRetries, type RetryPolicy } from "./retry.js";

/**
 * The exchange: first credentials (a web identity token, or static keys), then each role
 * in order, every call retried by the one retry layer within one overall deadline.
 */

export interface ExchangeHooks {
  /** Gets the OIDC token (web-identity sources only); given a per-attempt timeout. */
  readonly getToken: (audience: string, timeoutMs: number) => Promise<string>;
  /** Called with every token and every set of credentials as soon as it exists: mask them here. */
  readonly onSecret: (value: string) => void;
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const SPECIAL_CHARACTERS_TRIES = 30;

export async function runExchange(
  plan: ExchangePlan,
  hooks: ExchangeHooks,
  started = Date.now(),
): Promise<AssumedCredentials> {
  const deadline = started + plan.retry.totalTimeoutMs;
  const policy: RetryPolicy = {
    maxAttempts: plan.retry.maxAttempts,
    baseDelayMs: plan.retry.baseDelayMs,
    maxDelayMs: plan.retry.maxDelayMs,
    deadline,
  };
  const options: CallOptions = { endpoint: plan.endpoint, requestTimeoutMs: plan.retry.requestTimeoutMs, deadline };
  const retried = <T>(call: string, run: () => Promise<T>) => retry(call, run, policy, hooks);

  let current: AssumedCredentials | undefined;
  let steps = plan.steps;
  const source = plan.source;
  if (source.kind === "web-identity") {
    const [first, ...rest] = steps;
    if (!first || first.role.kind !== "arn") throw new Error("a web identity exchange needs a role ARN first");
    const audience = source.audience;
    const got = await retried("OIDC token request", () =>
      hooks.getToken(audience, Math.min(plan.retry.requestTimeoutMs, Math.max(deadline - Date.now(), 1))),
    );
    hooks.onSecret(got);
    const step = { ...first, roleArn: first.role.arn };
    hooks.log(`Assuming ${step.roleArn} with a web identity token (session '${step.sessionName}').`);
    current = await untilAlphanumeric(plan, rest.length === 0, hooks, () =>
      retried("STS AssumeRoleWithWebIdentity", () => assumeRoleWithWebIdentity(step, got, options)),
    );
    steps = rest;
  } else {
    hooks.onSecret(source.credentials.accessKeyId);
    hooks.onSecret(source.credentials.secretAccessKey);
    if (source.credentials.sessionToken) hooks.onSecret(source.credentials.sessionToken);
    if (steps.length === 0) {
      const who = await retried("STS GetCallerIdentity", () => getCallerIdentity(source.credentials, options));
      hooks.log(`Using the given access keys as they are (${who.arn}).`);
      return { ...source.credentials, assumedRoleArn: who.arn, accountId: who.accountId };
    }
  }

  for (const [index, step] of steps.entries()) {
    const from: StaticCredentials = current ?? (source.kind === "static" ? source.credentials : unreachable());
    const roleArn = await resolveRole(step, from, options, retried);
    const resolved = { ...step, roleArn };
    hooks.log(`Assuming ${roleArn} with AssumeRole (session '${step.sessionName}').`);
    current = await untilAlphanumeric(plan, index === steps.length - 1, hooks, () =>
      assumeWithTags(resolved, from, options, hooks, retried),
    );
  }
  if (!current) throw new Error("no role to assume");
  return current;
}

type Retried = <T>(call: string, run: () => Promise<T>) => Promise<T>;

async function retry<T>(call: string, run: () => Promise<T>, policy: RetryPolicy, hooks: ExchangeHooks): Promise<T> {
  try {
    return await withRetries(call, run, policy, {
      classify: (error) => ({
        retry: error instanceof AwsOidcError && error.retryable,
        reason: error instanceof StsError ? error.code : error instanceof Error ? error.message : String(error),
      }),
      log: hooks.log,
      ...(hooks.sleep ? { sleep: hooks.sleep } : {}),
      ...(hooks.now ? { now: hooks.now } : {}),
    });
  } catch (error) {
    if (!(error instanceof DeadlineExceeded)) throw error;
    const last = error.lastError instanceof AwsOidcError ? error.lastError.message : String(error.lastError);
    throw new StsError(
      `Gave up on ${call} after ${error.attempts} attempt${error.attempts > 1 ? "s" : ""}: the next one would start after the overall deadline (action-timeout-s). Last error: ${last}`,
      "DeadlineExceeded",
      "Raise action-timeout-s, or re-run when the service recovers.",
    );
  }
}

/** A bare role name takes the account of the credentials that assume it. */
async function resolveRole(
  step: RoleStep,
  from: StaticCredentials,
  options: CallOptions,
  retried: Retried,
): Promise<string> {
  if (step.role.kind === "arn") return step.role.arn;
  const { name, partition } = step.role;
  const who = await retried("STS GetCallerIdentity", () => getCallerIdentity(from, options));
  return `arn:${partition}:iam::${who.accountId}:role/${name}`;
}

/** AssumeRole with the run's session tags; if STS finds them too large, once more with the custom tags only. */
async function assumeWithTags(
  step: ResolvedStep,
  from: StaticCredentials,
  options: CallOptions,
  hooks: ExchangeHooks,
  retried: Retried,
): Promise<AssumedCredentials> {
  const plan = step.tags ?? { custom: [], run: [], transitiveKeys: [] };
  const all = [...plan.custom, ...plan.run];
  try {
    return await retried("STS AssumeRole", () => assumeRole(step, all, plan.transitiveKeys, from, options));
  } catch (error) {
    if (!(error instanceof StsError && error.code === "PackedPolicyTooLarge" && plan.run.length)) throw error;
    const kept = new Set(plan.custom.map((t) => t.Key.toLowerCase()));
    const transitive = plan.transitiveKeys.filter((k) => kept.has(k.toLowerCase()));
    hooks.warn(
      `STS found the session tags too large (PackedPolicyTooLarge); assuming again without the run tags ${plan.run.map((t) => t.Key).join(", ")}.`,
    );
    return retried("STS AssumeRole", () => assumeRole(step, plan.custom, transitive, from, options));
  }
}

/** With special-characters-workaround, assumes the final role again until its secret key is letters and digits only. */
async function untilAlphanumeric(
  plan: ExchangePlan,
  final: boolean,
  hooks: ExchangeHooks,
  assume: () => Promise<AssumedCredentials>,
): Promise<AssumedCredentials> {
  for (let attempt = 1; ; attempt++) {
    const credentials = await assume();
    hooks.onSecret(credentials.accessKeyId);
    hooks.onSecret(credentials.secretAccessKey);
    if (credentials.sessionToken) hooks.onSecret(credentials.sessionToken);
    if (!final || !plan.retry.alphanumericSecret || /^[A-Za-z0-9]+$/.test(credentials.secretAccessKey))
      return credentials;
    if (attempt >= SPECIAL_CHARACTERS_TRIES) {
      throw new StsError(
        `special-characters-workaround: ${SPECIAL_CHARACTERS_TRIES} sessions in a row had a secret key with special characters.`,
        "SpecialCharacters",
        "Quote the credentials in the tool that rejects them instead, or re-run.",
      );
    }
    hooks.log(
      `The secret key has characters other than letters and digits; assuming again (special-characters-workaround, ${attempt}/${SPECIAL_CHARACTERS_TRIES}).`,
    );
  }
}

function unreachable(): never {
  throw new Error("AssumeRole without source credentials");
}
