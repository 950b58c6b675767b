import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  type Credentials,
  type AssumedRoleUser,
} from "@aws-sdk/client-sts";
import type { EndpointChoice } from "../config/partition.js";
import { stsEndpointUrl } from "../config/partition.js";
import type { RoleStep, StaticCredentials } from "../config/request.js";
import type { SessionTag } from "../config/session-tags.js";
import { StsError } from "../errors.js";
import { createStsClient } from "./client.js";
import { accountIdFromArn, type AssumedCredentials } from "./credentials.js";
import { toStsError, type CallContext } from "./errors.js";

/** One STS request each: no retries here (see pipeline.ts), every request bounded in time. */

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
  const command = new AssumeRoleWithWebIdentityCommand({
    RoleArn: step.roleArn,
    RoleSessionName: step.sessionName,
    WebIdentityToken: token,
    DurationSeconds: step.durationSeconds,
    ...(step.policy ? { Policy: step.policy } : {}),
    ...(step.policyArns.length ? { PolicyArns: step.policyArns.map((arn) => ({ arn })) } : {}),
  });
  const ctx = {
    operation: "AssumeRoleWithWebIdentity",
    roleArn: step.roleArn,
    endpoint: stsEndpointUrl(options.endpoint),
  };
  const response = await send(ctx, options, undefined, (client, abortSignal) => client.send(command, { abortSignal }));
  return toAssumed(response.Credentials, response.AssumedRoleUser, ctx);
}

export async function assumeRole(
  step: ResolvedStep,
  tags: readonly SessionTag[],
  transitiveKeys: readonly string[],
  source: StaticCredentials,
  options: CallOptions,
): Promise<AssumedCredentials> {
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
  return toAssumed(response.Credentials, response.AssumedRoleUser, ctx);
}

export async function getCallerIdentity(
  credentials: StaticCredentials,
  options: CallOptions,
): Promise<{ arn: string; accountId: string }> {
  const ctx = { operation: "GetCallerIdentity", endpoint: stsEndpointUrl(options.endpoint) };
  const response = await send(ctx, options, credentials, (client, abortSignal) =>
    client.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  if (!response.Arn || !response.Account) throw malformed(ctx);
  return { arn: response.Arn, accountId: response.Account };
}

type Client = ReturnType<typeof createStsClient>;

async function send<T>(
  ctx: CallContext,
  options: CallOptions,
  credentials: StaticCredentials | undefined,
  call: (client: Client, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const remaining = options.deadline - Date.now();
  if (remaining <= 0) throw deadlinePassed(ctx);
  const timeout = Math.min(options.requestTimeoutMs, remaining);
  const client = createStsClient(options.endpoint, timeout, credentials);
  const signal = AbortSignal.timeout(timeout);
  try {
    return await call(client, signal);
  } catch (error) {
    if (signal.aborted) {
      if (Date.now() >= options.deadline) throw deadlinePassed(ctx);
      throw toStsError({ name: "TimeoutError", message: `no answer in ${timeout} ms` }, ctx);
    }
    throw toStsError(error, ctx);
  } finally {
    client.destroy();
  }
}

function toAssumed(
  c: Credentials | undefined,
  user: AssumedRoleUser | undefined,
  ctx: CallContext,
): AssumedCredentials {
  const arn = user?.Arn;
  const accountId = arn ? accountIdFromArn(arn) : undefined;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !arn || !accountId)
    throw malformed(ctx);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
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
