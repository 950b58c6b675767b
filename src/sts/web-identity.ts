import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { ExchangeRequest } from "../config/action.js";
import { StsError } from "../errors.js";
import { accountIdFromArn, type AssumedCredentials } from "./credentials.js";
import { toStsError } from "./errors.js";

/** The endpoint STS is reached at, for messages: the override, or the regional default. */
export function describeEndpoint(request: ExchangeRequest): string {
  const suffix = request.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return request.endpoint ?? `https://sts.${request.region}.${suffix}`;
}

/**
 * AssumeRoleWithWebIdentity through the SDK. The call is unsigned, so the client gets no
 * credentials and never walks the default provider chain; its own retries are off.
 */
export async function assumeRoleWithWebIdentity(request: ExchangeRequest, token: string): Promise<AssumedCredentials> {
  const client = new STSClient({
    region: request.region,
    maxAttempts: 1,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    ...(request.endpoint ? { endpoint: request.endpoint } : {}),
    requestHandler: {
      connectionTimeout: request.requestTimeoutMs,
      requestTimeout: request.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const endpoint = describeEndpoint(request);
  try {
    const response = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: request.role.arn,
        RoleSessionName: request.sessionName,
        WebIdentityToken: token,
        DurationSeconds: request.durationSeconds,
      }),
      { abortSignal: AbortSignal.timeout(request.requestTimeoutMs + 1000) },
    );
    const c = response.Credentials;
    const arn = response.AssumedRoleUser?.Arn;
    const accountId = arn ? accountIdFromArn(arn) : undefined;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !arn || !accountId) {
      throw new StsError(
        `STS at ${endpoint} answered without complete credentials.`,
        "MalformedResponse",
        "Check that the endpoint is STS.",
      );
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
      assumedRoleArn: arn,
      accountId,
    };
  } catch (error) {
    throw toStsError(error, request.role.arn, endpoint);
  } finally {
    client.destroy();
  }
}
