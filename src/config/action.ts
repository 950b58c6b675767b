import { InputError } from "../errors.js";
import type { Env, RunMetadata } from "../tokens/source.js";
import { parseRegion, parseSessionName } from "./aws-names.js";
import { readEndpoint, readRetry } from "./network.js";
import { parseInlinePolicy, parseManagedPolicies } from "./policies.js";
import { readProxySettings, type ProxySettings } from "./proxy.js";
import type { ExchangePlan, RoleStep, StaticCredentials } from "./request.js";
import { defaultSessionName } from "./session-name.js";
import { parseCustomTags, planSessionTags, runTags } from "./session-tags.js";
import { readRoles, readSource } from "./source.js";
import { parseAccountIds, parseBoolean, parseInteger } from "./values.js";

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

export { DEFAULT_AUDIENCE } from "./source.js";
export { REQUEST_TIMEOUT_MS } from "./network.js";
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

function staticSecrets(credentials: StaticCredentials): string[] {
  return [
    credentials.accessKeyId,
    credentials.secretAccessKey,
    ...(credentials.sessionToken ? [credentials.sessionToken] : []),
  ];
}
