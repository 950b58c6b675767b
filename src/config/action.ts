import { InputError } from "../errors.js";
import type { Env, RunMetadata } from "../tokens/source.js";
import { parseRegion, parseRoleArn, parseSessionName, type RoleArn } from "./aws-names.js";
import { defaultSessionName } from "./session-name.js";
import { parseBoolean, parseEndpointUrl, parseInteger } from "./values.js";

/** Reads one action input: its trimmed text, or '' when it is not set. */
export type InputReader = (name: string) => string;

/** What one exchange needs, validated. */
export interface ExchangeRequest {
  readonly role: RoleArn;
  readonly region: string;
  readonly audience: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** Explicit STS endpoint (a local emulator, a VPC endpoint); otherwise the regional one. */
  readonly endpoint?: string;
  /** Upper bound for each network request. */
  readonly requestTimeoutMs: number;
}

export interface ActionConfig {
  readonly exchange: ExchangeRequest;
  readonly outputCredentials: boolean;
  readonly maskAccountId: boolean;
}

export const DEFAULT_AUDIENCE = "sts.amazonaws.com";
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Turns the action's inputs into one validated configuration. Pure: no network, no
 * files; every problem is an InputError naming the input, before anything runs.
 */
export function readActionConfig(input: InputReader, env: Env, meta: RunMetadata): ActionConfig {
  const role = parseRoleArn("role-to-assume", input("role-to-assume"));
  const region = readRegion(input, env);
  const audience = input("audience") || DEFAULT_AUDIENCE;
  if (/\s/.test(audience)) {
    throw new InputError(
      "audience",
      `'${audience}' contains whitespace.`,
      `Use one audience, e.g. ${DEFAULT_AUDIENCE}.`,
    );
  }
  const rawSession = input("role-session-name");
  const sessionName = rawSession ? parseSessionName("role-session-name", rawSession) : defaultSessionName(meta);
  const durationSeconds = parseInteger("role-duration-seconds", input("role-duration-seconds"), {
    min: 900,
    max: 43200,
    fallback: 3600,
    unit: "seconds (15 minutes to 12 hours; the role's maximum session duration must allow it)",
  });
  const endpoint =
    parseEndpointUrl("sts-endpoint", input("sts-endpoint")) ??
    parseEndpointUrl("AWS_ENDPOINT_URL_STS", env.AWS_ENDPOINT_URL_STS ?? "") ??
    parseEndpointUrl("AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL ?? "");
  return {
    exchange: {
      role,
      region,
      audience,
      sessionName,
      durationSeconds,
      ...(endpoint ? { endpoint } : {}),
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
    outputCredentials: parseBoolean("output-credentials", input("output-credentials"), false),
    maskAccountId: parseBoolean("mask-aws-account-id", input("mask-aws-account-id"), false),
  };
}

/** `aws-region`, else the job's AWS_REGION / AWS_DEFAULT_REGION. */
function readRegion(input: InputReader, env: Env): string {
  const raw = input("aws-region");
  if (raw) return parseRegion("aws-region", raw);
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return parseRegion(env.AWS_REGION ? "AWS_REGION" : "AWS_DEFAULT_REGION", fromEnv);
  throw new InputError(
    "aws-region",
    "is required.",
    "Set `aws-region: <region>` (e.g. us-east-1), or AWS_REGION in the job's env.",
  );
}
