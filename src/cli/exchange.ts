import { readActionConfig, type ActionConfig } from "../config/action.js";
import { parseRegion, parseRoleArn } from "../config/aws-names.js";
import { REQUEST_TIMEOUT_MS } from "../config/network.js";
import { DEFAULT_AUDIENCE, readTokenChoice } from "../config/source.js";
import { parseEndpointUrl } from "../config/values.js";
import { decodePayload } from "../diagnose/claims.js";
import { InputError } from "../errors.js";
import { applyProxySettings } from "../net/proxy.js";
import type { AssumedCredentials } from "../sts/credentials.js";
import { exchangeAll } from "../sts/exchange-all.js";
import { selectTokenSource } from "../tokens/select.js";
import type { Env, TokenSource } from "../tokens/source.js";
import { asOptionError, inputReader, type ParsedValues } from "./options.js";

/** The exchange as the CLI runs it: same configuration rules and pipeline as the action. */

export interface CliContext {
  readonly env: Env;
  readonly cwd: string;
  readonly verbose: boolean;
  readonly log: (line: string) => void;
}

/** Validated configuration from the options; `overrides` replace inputs (e.g. one role of several). */
export function readCliConfig(
  values: ParsedValues,
  ctx: CliContext,
  overrides: Record<string, string> = {},
): { config: ActionConfig; source: TokenSource } {
  const reader = inputReader(values, ctx.env, overrides);
  try {
    // The token source's run metadata feeds the default session name and the session tags.
    const source = selectTokenSource(readTokenChoice(reader), ctx.env, ctx.cwd);
    return { config: readActionConfig(reader, ctx.env, source.metadata()), source };
  } catch (error) {
    throw error instanceof InputError ? asOptionError(error) : error;
  }
}

/** Runs one exchange per configuration, in parallel, with one token per audience. */
export async function exchangeAllCli(
  jobs: readonly { config: ActionConfig; source: TokenSource }[],
  ctx: CliContext,
): Promise<AssumedCredentials[]> {
  const first = jobs[0];
  if (!first) return [];
  applyProxySettings(first.config.proxy, process.env);
  for (const warning of new Set(jobs.flatMap((j) => j.config.warnings))) ctx.log(`aws-oidc: warning: ${warning}`);
  try {
    return await exchangeAll(
      jobs.map((j) => j.config),
      first.source,
      {
        onSecret: () => undefined,
        log: (line) => ctx.verbose && ctx.log(`aws-oidc: ${line}`),
        warn: (line) => ctx.log(`aws-oidc: warning: ${line}`),
        explain: (lines) => lines.forEach((line) => ctx.log(line)),
      },
    );
  } catch (error) {
    throw error instanceof InputError ? asOptionError(error) : error;
  }
}

/** Credentials for the one-role commands, from STS or, with --cognito-identity-pool-id, from Cognito. */
export interface Obtained {
  readonly credentials: AssumedCredentials;
  readonly region: string;
  /** What decides these credentials (for the credential-process cache key); never a secret. */
  readonly identity: unknown;
}

export async function obtainOne(values: ParsedValues, ctx: CliContext): Promise<Obtained> {
  const reader = inputReader(values, ctx.env);
  const ssoProfile = reader("sso-profile");
  if (ssoProfile) {
    if (reader("cognito-identity-pool-id"))
      throw new InputError("--sso-profile", "cannot be combined with --cognito-identity-pool-id.", "Use one of them.");
    const { readSsoProfile, ssoRoleCredentials } = await import("../sts/sso.js");
    const profile = readSsoProfile(ssoProfile, ctx.env);
    const endpoint = parseEndpointUrl("--sso-endpoint / AWS_ENDPOINT_URL_SSO", reader("sso-endpoint"));
    const credentials = await ssoRoleCredentials(ssoProfile, profile, {
      timeoutMs: REQUEST_TIMEOUT_MS,
      ...(endpoint ? { endpoint } : {}),
    });
    const region = reader("aws-region") || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || profile.profileRegion;
    return { credentials, region: parseRegion("--region / AWS_REGION", region), identity: { sso: ssoProfile } };
  }
  const poolId = reader("cognito-identity-pool-id");
  if (!poolId) {
    const job = readCliConfig(values, ctx);
    const [credentials] = await exchangeAllCli([job], ctx);
    const { plan } = job.config;
    return {
      credentials: credentials!,
      region: job.config.region,
      identity: { steps: plan.steps, endpoint: plan.endpoint, source: plan.source },
    };
  }
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9a-f-]{36}$/.test(poolId)) {
    throw new InputError(
      "--cognito-identity-pool-id",
      `'${poolId}' is not an identity pool id.`,
      "Use region:uuid, e.g. us-east-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.",
    );
  }
  const endpoint = parseEndpointUrl(
    "--cognito-endpoint / AWS_ENDPOINT_URL_COGNITO_IDENTITY",
    reader("cognito-endpoint"),
  );
  const roleArn = reader("role-to-assume");
  if (roleArn) parseRoleArn("--role-arn", roleArn);
  const source = selectTokenSource(readTokenChoice(reader), ctx.env, ctx.cwd);
  const token = await source.getToken(reader("audience") || DEFAULT_AUDIENCE, {
    timeoutMs: REQUEST_TIMEOUT_MS,
    warn: (line) => ctx.log(`aws-oidc: warning: ${line}`),
  });
  const iss = String(decodePayload(token)?.iss ?? "");
  const provider = reader("cognito-login-provider") || iss.replace(/^https:\/\//, "");
  if (!provider)
    throw new InputError(
      "--cognito-login-provider",
      "is needed: the token has no iss.",
      "Name the provider as the identity pool knows it.",
    );
  const { cognitoCredentials, poolRegion } = await import("../sts/cognito.js");
  const credentials = await cognitoCredentials(token, {
    identityPoolId: poolId,
    provider,
    ...(roleArn ? { customRoleArn: roleArn } : {}),
    ...(endpoint ? { endpoint } : {}),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000, deadline: Date.now() + 120_000 },
    log: (line) => ctx.verbose && ctx.log(`aws-oidc: ${line}`),
  });
  const region = reader("aws-region") || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || poolRegion(poolId);
  return {
    credentials,
    region: parseRegion("--region / AWS_REGION", region),
    identity: { cognito: poolId, provider, roleArn },
  };
}
