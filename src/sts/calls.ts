import type { STSClient } from "@aws-sdk/client-sts";
import type { EndpointChoice } from "../config/partition.js";
import { stsEndpointUrl } from "../config/partition.js";
import type { RoleStep, StaticCredentials } from "../config/request.js";
import type { SessionTag } from "../config/session-tags.js";
import { StsError } from "../errors.js";
import { accountIdFromArn, type AssumedCredentials } from "./credentials.js";
import { toStsError, type CallContext } from "./errors.js";
import { parseQueryError, parseWebIdentityResult, postQuery, type StsAnswer } from "./query.js";

/**
 * One STS request each: no retries here (see pipeline.ts), every request bounded in time.
 * AssumeRoleWithWebIdentity is unsigned and goes out as a plain Query API POST (query.ts);
 * the signed calls load the AWS SDK when they are made.
 */

export interface CallOptions {
  readonly endpoint: EndpointChoice;
  readonly requestTimeoutMs: number;
  /** Epoch ms: the request is cut when the overall deadline passes. */
  readonly deadline: number;
}

/** A role step whose role has been resolved to an ARN. */
export type ResolvedStep = RoleStep & { readonly roleArn: string };

export async function assumeRoleWithWebIdentity(
  step: ResolvedStep,
  token: string,
  options: CallOptions,
): Promise<AssumedCredentials> {
  const params: Record<string, string> = {
    RoleArn: step.roleArn,
    RoleSessionName: step.sessionName,
    WebIdentityToken: token,
    DurationSeconds: String(step.durationSeconds),
  };
  if (step.policy) params.Policy = step.policy;
  step.policyArns.forEach((arn, i) => (params[`PolicyArns.member.${i + 1}.arn`] = arn));
  const ctx = {
    operation: "AssumeRoleWithWebIdentity",
    roleArn: step.roleArn,
    endpoint: stsEndpointUrl(options.endpoint),
  };
  const result = await bounded(ctx, options, async (signal) => {
    const answer = await postQuery(ctx.endpoint, ctx.operation, params, signal);
    if (answer.status !== 200) throw parseQueryError(answer.status, answer.body);
    try {
      return parseWebIdentityResult(answer.body);
    } catch (error) {
      throw Object.assign(error as Error, { $metadata: { httpStatusCode: answer.status } });
    }
  });
  return toAssumed(result, ctx);
}

export async function assumeRole(
  step: ResolvedStep,
  tags: readonly SessionTag[],
  transitiveKeys: readonly string[],
  source: StaticCredentials,
  options: CallOptions,
): Promise<AssumedCredentials> {
  const { AssumeRoleCommand } = await import("@aws-sdk/client-sts");
  const command = new AssumeRoleCommand({
    RoleArn: step.roleArn,
    RoleSessionName: step.sessionName,
    DurationSeconds: step.durationSeconds,
    ...(step.externalId ? { ExternalId: step.externalId } : {}),
    ...(step.policy ? { Policy: step.policy } : {}),
    ...(step.policyArns.length ? { PolicyArns: step.policyArns.map((arn) => ({ arn })) } : {}),
    ...(tags.length ? { Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
    ...(transitiveKeys.length ? { TransitiveTagKeys: [...transitiveKeys] } : {}),
  });
  const ctx = { operation: "AssumeRole", roleArn: step.roleArn, endpoint: stsEndpointUrl(options.endpoint) };
  const response = await send(ctx, options, source, (client, abortSignal) => client.send(command, { abortSignal }));
  const c = response.Credentials;
  return toAssumed(
    {
      ...(c?.AccessKeyId ? { accessKeyId: c.AccessKeyId } : {}),
      ...(c?.SecretAccessKey ? { secretAccessKey: c.SecretAccessKey } : {}),
      ...(c?.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c?.Expiration ? { expiration: c.Expiration } : {}),
      ...(response.AssumedRoleUser?.Arn ? { assumedRoleArn: response.AssumedRoleUser.Arn } : {}),
    },
    ctx,
  );
}

export async function getCallerIdentity(
  credentials: StaticCredentials,
  options: CallOptions,
): Promise<{ arn: string; accountId: string }> {
  const ctx = { operation: "GetCallerIdentity", endpoint: stsEndpointUrl(options.endpoint) };
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const response = await send(ctx, options, credentials, (client, abortSignal) =>
    client.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  if (!response.Arn || !response.Account) throw malformed(ctx);
  return { arn: response.Arn, accountId: response.Account };
}

/** A signed call through the SDK's STS client, bounded like every request. */
async function send<T>(
  ctx: CallContext,
  options: CallOptions,
  credentials: StaticCredentials,
  call: (client: STSClient, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { createStsClient } = await import("./client.js");
  return bounded(ctx, options, async (signal, timeout) => {
    const client = createStsClient(options.endpoint, timeout, credentials);
    try {
      return await call(client, signal);
    } finally {
      client.destroy();
    }
  });
}

/**
 * Runs one request under the smaller of its own timeout and what is left of the overall
 * deadline; whatever fails comes out as an StsError.
 */
async function bounded<T>(
  ctx: CallContext,
  options: CallOptions,
  request: (signal: AbortSignal, timeoutMs: number) => Promise<T>,
): Promise<T> {
  const remaining = options.deadline - Date.now();
  if (remaining <= 0) throw deadlinePassed(ctx);
  const timeout = Math.min(options.requestTimeoutMs, remaining);
  const signal = AbortSignal.timeout(timeout);
  try {
    return await request(signal, timeout);
  } catch (error) {
    if (signal.aborted) {
      if (Date.now() >= options.deadline) throw deadlinePassed(ctx);
      throw toStsError({ name: "TimeoutError", message: `no answer in ${timeout} ms` }, ctx);
    }
    throw toStsError(error, ctx);
  }
}

function toAssumed(r: StsAnswer, ctx: CallContext): AssumedCredentials {
  const arn = r.assumedRoleArn;
  const accountId = arn ? accountIdFromArn(arn) : undefined;
  if (!r.accessKeyId || !r.secretAccessKey || !r.sessionToken || !r.expiration || !arn || !accountId)
    throw malformed(ctx);
  return {
    accessKeyId: r.accessKeyId,
    secretAccessKey: r.secretAccessKey,
    sessionToken: r.sessionToken,
    expiration: r.expiration,
    assumedRoleArn: arn,
    accountId,
  };
}

function malformed(ctx: CallContext): StsError {
  return new StsError(
    `STS at ${ctx.endpoint} answered ${ctx.operation} without complete credentials.`,
    "MalformedResponse",
    "Check that the endpoint is STS.",
  ).transient();
}

function deadlinePassed(ctx: CallContext): StsError {
  return new StsError(
    `Gave up on ${ctx.operation}: the overall deadline (action-timeout-s) passed.`,
    "DeadlineExceeded",
    "Raise action-timeout-s, or check why STS is slow to answer (network, proxy, endpoint).",
  );
}
