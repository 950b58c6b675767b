import { InputError } from "../errors.js";
import type { Env } from "../tokens/source.js";
import type { InputReader } from "./action.js";
import type { EndpointChoice } from "./partition.js";
import type { RetrySettings } from "./request.js";
import { parseBoolean, parseEndpointUrl, parseInteger } from "./values.js";

/** The STS endpoint and the retry settings. Pure. */

export const REQUEST_TIMEOUT_MS = 10_000;

/** FIPS / dual-stack from the inputs or the SDK's variables; an explicit endpoint overrides both. */
export function readEndpoint(input: InputReader, env: Env, region: string): EndpointChoice {
  const useFips = parseBoolean(
    "use-fips-endpoint",
    input("use-fips-endpoint"),
    parseBoolean("AWS_USE_FIPS_ENDPOINT", env.AWS_USE_FIPS_ENDPOINT ?? "", false),
  );
  const useDualstack = parseBoolean(
    "use-dualstack-endpoint",
    input("use-dualstack-endpoint"),
    parseBoolean("AWS_USE_DUALSTACK_ENDPOINT", env.AWS_USE_DUALSTACK_ENDPOINT ?? "", false),
  );
  const fromInput = parseEndpointUrl("sts-endpoint", input("sts-endpoint"));
  if (fromInput && (input("use-fips-endpoint") === "true" || input("use-dualstack-endpoint") === "true")) {
    throw new InputError(
      "sts-endpoint",
      "cannot be combined with use-fips-endpoint or use-dualstack-endpoint.",
      "Give the FIPS or dual-stack URL as sts-endpoint, or drop sts-endpoint.",
    );
  }
  const override =
    fromInput ??
    parseEndpointUrl("AWS_ENDPOINT_URL_STS", env.AWS_ENDPOINT_URL_STS ?? "") ??
    parseEndpointUrl("AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL ?? "");
  return { region, useFips, useDualstack, ...(override ? { override } : {}) };
}

export function readRetry(input: InputReader): RetrySettings {
  const disabled = parseBoolean("disable-retry", input("disable-retry"), false);
  if (disabled && input("retry-max-attempts")) {
    throw new InputError(
      "retry-max-attempts",
      "cannot be set together with disable-retry: true.",
      "Drop one of the two.",
    );
  }
  const maxAttempts = disabled
    ? 1
    : parseInteger("retry-max-attempts", input("retry-max-attempts"), {
        min: 1,
        max: 20,
        fallback: 5,
        unit: "attempts (the first one included)",
      });
  const totalSeconds = parseInteger("action-timeout-s", input("action-timeout-s"), {
    min: 1,
    max: 3600,
    fallback: 120,
    unit: "seconds",
  });
  return {
    maxAttempts,
    requestTimeoutMs: Math.min(REQUEST_TIMEOUT_MS, totalSeconds * 1000),
    totalTimeoutMs: totalSeconds * 1000,
    baseDelayMs: 500,
    maxDelayMs: 8000,
    alphanumericSecret: parseBoolean("special-characters-workaround", input("special-characters-workaround"), false),
  };
}
