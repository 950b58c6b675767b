import { InputError } from "../errors.js";
import type { Env, RunMetadata } from "../tokens/source.js";
import { parseRegion, parseRoleArn, parseSessionName } from "./aws-names.js";
import { checkSamePartition, partitionOf, type EndpointChoice } from "./partition.js";
import { parseInlinePolicy, parseManagedPolicies } from "./policies.js";
import { readProxySettings, type ProxySettings } from "./proxy.js";
import type { CredentialSource, ExchangePlan, RetrySettings, RoleRef, RoleStep, StaticCredentials } from "./request.js";
import { defaultSessionName } from "./session-name.js";
import { parseCustomTags, planSessionTags, runTags } from "./session-tags.js";
import { parseAccountIds, parseBoolean, parseEndpointUrl, parseInteger, parseList } from "./values.js";

/** Reads one action input: its trimmed text, or '' when it is not set. */
export type InputReader = (name: string) => string;

export interface ActionConfig {
  readonly plan: ExchangePlan;
  readonly region: string;
  readonly outputCredentials: boolean;
  readonly outputEnvCredentials: boolean;
  readonly maskAccountId: boolean;
  readonly unsetCurrentCredentials: boolean;
  readonly useExistingCredentials: boolean;
  readonly allowedAccountIds: readonly string[];
  readonly proxy: ProxySettings;
  /** Secret input values (keys, external id, proxy credentials): masked before anything else. */
  readonly secrets: readonly string[];
  /** Inputs that are set but have no effect in this configuration. */
  readonly warnings: readonly string[];
}

export const DEFAULT_AUDIENCE = "sts.amazonaws.com";
export const REQUEST_TIMEOUT_MS = 10_000;
const CHAINED_MAX_DURATION = 3600;

/**
 * Turns the action's inputs into one validated configuration. Pure: no network, no
 * files; every problem is an InputError naming the input, before anything runs.
 */
export function readActionConfig(input: InputReader, env: Env, meta: RunMetadata): ActionConfig {
  const bool = (name: string, fallback: boolean) => parseBoolean(name, input(name), fallback);
  const warnings: string[] = [];
  const region = readRegion(input, env);
  const source = readSource(input, env, region);
  const allowedAccountIds = parseAccountIds("allowed-account-ids", input("allowed-account-ids"));

  const roles = readRoles(input, region, source);
  const chained =
    source.kind === "static" ? source.credentials.sessionToken !== undefined || roles.length > 1 : roles.length > 1;
  const durationSeconds = parseInteger("role-duration-seconds", input("role-duration-seconds"), {
    min: 900,
    max: 43200,
    fallback: chained ? CHAINED_MAX_DURATION : 3600,
    unit: "seconds (15 minutes to 12 hours; the role's maximum session duration must allow it)",
  });
  if (chained && durationSeconds > CHAINED_MAX_DURATION) {
    throw new InputError(
      "role-duration-seconds",
      `${durationSeconds} is longer than the 1 hour AWS allows for a role assumed with temporary credentials (role chaining).`,
      "Use 3600 or less.",
    );
  }
  const rawSession = input("role-session-name");
  const sessionName = rawSession ? parseSessionName("role-session-name", rawSession) : defaultSessionName(meta);
  const externalId = readExternalId(input("role-external-id"));
  const policy = parseInlinePolicy("inline-session-policy", input("inline-session-policy"));
  const policyArns = parseManagedPolicies("managed-session-policies", input("managed-session-policies"));
  const skipRunTags = bool("role-skip-session-tagging", false);
  const tags = planSessionTags(
    parseCustomTags("custom-tags", input("custom-tags")),
    runTags(meta.tags),
    input("transitive-tag-keys"),
    skipRunTags,
  );

  const steps: RoleStep[] = roles.map((role, index) => {
    const first = index === 0;
    const assumeRole = !(first && source.kind === "web-identity");
    return {
      role,
      sessionName,
      durationSeconds,
      ...(first && externalId !== undefined && assumeRole ? { externalId } : {}),
      ...(first && policy !== undefined ? { policy } : {}),
      policyArns: first ? policyArns : [],
      ...(assumeRole ? { tags } : {}),
    };
  });
  const anyAssumeRole = steps.some((s) => s.tags);
  if (externalId !== undefined && !steps[0]?.externalId) {
    warnings.push(
      "role-external-id is ignored: the external id is only sent with AssumeRole, and this step assumes its role with a web identity token.",
    );
  }
  if (!anyAssumeRole && (input("custom-tags") || input("transitive-tag-keys"))) {
    warnings.push(
      "custom-tags and transitive-tag-keys are ignored: AssumeRoleWithWebIdentity takes session tags from the token, not from the request.",
    );
  }

  const endpoint = readEndpoint(input, env, region);
  const retry = readRetry(input);
  const maskAccountId = bool("mask-aws-account-id", false);
  const firstArn = roles[0]?.kind === "arn" ? roles[0] : undefined;
  if (firstArn && allowedAccountIds.length && !allowedAccountIds.includes(firstArn.accountId)) {
    throw new InputError(
      "allowed-account-ids",
      `the role-to-assume is in account ${maskAccountId ? "***" : firstArn.accountId}, which is not allowed.`,
      "Use a role in one of the allowed accounts, or add the account to allowed-account-ids.",
    );
  }
  const proxy = readProxySettings(input("http-proxy"), input("no-proxy"), env);
  const secrets = [
    ...(source.kind === "static" ? staticSecrets(source.credentials) : []),
    ...(externalId !== undefined ? [externalId] : []),
    ...proxy.secrets,
  ];
  return {
    plan: { source, steps, endpoint, retry },
    region,
    outputCredentials: bool("output-credentials", false),
    outputEnvCredentials: bool("output-env-credentials", true),
    maskAccountId,
    unsetCurrentCredentials: bool("unset-current-credentials", false),
    useExistingCredentials: bool("use-existing-credentials", false),
    allowedAccountIds,
    proxy,
    secrets,
    warnings,
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

/** Where the first credentials come from: keys given as inputs, the environment (role-chaining), or an OIDC token. */
function readSource(input: InputReader, env: Env, region: string): CredentialSource {
  const keyId = input("aws-access-key-id");
  const secret = input("aws-secret-access-key");
  const token = input("aws-session-token");
  const chaining = parseBoolean("role-chaining", input("role-chaining"), false);
  const tokenFile = input("web-identity-token-file");
  if (keyId || secret || token) {
    if (!keyId || !secret) {
      throw new InputError(
        keyId ? "aws-secret-access-key" : "aws-access-key-id",
        "is required when the other access key input is set.",
        "Give both aws-access-key-id and aws-secret-access-key (and aws-session-token for temporary keys), or none.",
      );
    }
    if (chaining)
      throw conflict(
        "role-chaining",
        "aws-access-key-id",
        "role-chaining uses the credentials already in the environment",
      );
    if (tokenFile)
      throw conflict("web-identity-token-file", "aws-access-key-id", "a token file means a web identity exchange");
    checkKeyId("aws-access-key-id", keyId);
    return {
      kind: "static",
      origin: "inputs",
      credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) },
    };
  }
  if (chaining) {
    if (tokenFile)
      throw conflict("web-identity-token-file", "role-chaining", "a token file means a web identity exchange");
    const accessKeyId = env.AWS_ACCESS_KEY_ID ?? "";
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? "";
    if (!accessKeyId || !secretAccessKey) {
      throw new InputError(
        "role-chaining",
        "is true but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in the environment.",
        "Run a step that exports credentials first (e.g. this action without role-chaining), then chain from it.",
      );
    }
    checkKeyId("AWS_ACCESS_KEY_ID", accessKeyId);
    const sessionToken = env.AWS_SESSION_TOKEN;
    return {
      kind: "static",
      origin: "environment",
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    };
  }
  const audience = input("audience") || partitionOf(region).audience;
  if (/\s/.test(audience)) {
    throw new InputError(
      "audience",
      `'${audience}' contains whitespace.`,
      `Use one audience, e.g. ${DEFAULT_AUDIENCE}.`,
    );
  }
  return { kind: "web-identity", audience, ...(tokenFile ? { tokenFile } : {}) };
}

/** role-to-assume, then each of chain-roles, in order. */
function readRoles(input: InputReader, region: string, source: CredentialSource): RoleRef[] {
  const raw = input("role-to-assume");
  const chain = parseList(input("chain-roles"));
  if (!raw) {
    if (source.kind === "web-identity") {
      throw new InputError(
        "role-to-assume",
        "is required.",
        "Set it to the ARN of the IAM role to assume, e.g. arn:aws:iam::123456789012:role/my-role (or give aws-access-key-id and aws-secret-access-key to use keys as they are).",
      );
    }
    if (source.origin === "environment")
      throw new InputError("role-to-assume", "is required with role-chaining.", "Set the ARN of the role to chain to.");
    if (chain.length)
      throw new InputError(
        "role-to-assume",
        "is required with chain-roles.",
        "Set the first role; chain-roles are assumed after it.",
      );
    return [];
  }
  const first = readRole("role-to-assume", raw, region, source.kind === "static");
  return [first, ...chain.map((arn) => readRole("chain-roles", arn, region, false))];
}

function readRole(name: string, raw: string, region: string, bareAllowed: boolean): RoleRef {
  const partition = partitionOf(region).id;
  if (!raw.startsWith("arn:") && /^[\w+=,.@-]{1,64}$/.test(raw)) {
    if (bareAllowed) return { kind: "bare", name: raw, partition };
    throw new InputError(
      name,
      `'${raw}' is a bare role name, not a role ARN.`,
      `Give the full ARN, e.g. arn:${partition}:iam::123456789012:role/${raw}. A bare name works only with source credentials (aws-access-key-id or role-chaining), whose account it is taken from.`,
    );
  }
  const arn = parseRoleArn(name, raw);
  checkSamePartition(name, arn.partition, region);
  return { kind: "arn", ...arn };
}

function readExternalId(raw: string): string | undefined {
  if (raw === "") return undefined;
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(raw)) {
    // The external id is a shared secret: describe it, never echo it.
    throw new InputError(
      "role-external-id",
      `is ${raw.length} characters long or has characters STS does not allow.`,
      "Use 2 to 1224 characters of letters, digits and +=,.@:/-_.",
    );
  }
  return raw;
}

function readEndpoint(input: InputReader, env: Env, region: string): EndpointChoice {
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

function readRetry(input: InputReader): RetrySettings {
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

function checkKeyId(name: string, value: string): void {
  if (!/^[A-Z0-9]{16,128}$/.test(value)) {
    throw new InputError(
      name,
      "does not look like an access key id.",
      "Access key ids are 16-128 upper-case letters and digits, e.g. AKIA… or ASIA….",
    );
  }
}

function staticSecrets(credentials: StaticCredentials): string[] {
  return [
    credentials.accessKeyId,
    credentials.secretAccessKey,
    ...(credentials.sessionToken ? [credentials.sessionToken] : []),
  ];
}

function conflict(input: string, other: string, why: string): InputError {
  return new InputError(input, `cannot be combined with ${other}: ${why}.`, `Remove one of ${input} and ${other}.`);
}
