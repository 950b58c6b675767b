import type { EndpointChoice } from "../config/partition.js";
import { StsError } from "../errors.js";
import { sdkRequestHandler } from "../net/proxy.js";
import type { AssumedCredentials } from "./credentials.js";
import { toStsError } from "./errors.js";
import { withRetries, type RetryPolicy } from "./retry.js";

/**
 * The Cognito identity pool alternative to AssumeRoleWithWebIdentity: the ID token (from a
 * Cognito user pool or any OIDC provider the pool trusts) → GetId → GetCredentialsForIdentity.
 * The Cognito SDK client is loaded only when this is used.
 */
export interface CognitoRequest {
  readonly identityPoolId: string;
  /** The Logins key: the token issuer as the pool knows it (its `iss` without https://). */
  readonly provider: string;
  readonly customRoleArn?: string;
  readonly accountId?: string;
  readonly endpoint?: string;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly log: (line: string) => void;
}

const RETRYABLE = new Set(["TooManyRequestsException", "InternalErrorException", "LimitExceededException"]);

export function poolRegion(identityPoolId: string): string {
  return identityPoolId.split(":")[0] ?? "";
}

export async function cognitoCredentials(token: string, r: CognitoRequest): Promise<AssumedCredentials> {
  const { CognitoIdentityClient, GetIdCommand, GetCredentialsForIdentityCommand } =
    await import("@aws-sdk/client-cognito-identity");
  const region = poolRegion(r.identityPoolId);
  const choice: EndpointChoice = {
    region,
    useFips: false,
    useDualstack: false,
    ...(r.endpoint ? { override: r.endpoint } : {}),
  };
  const where = r.endpoint ?? `https://cognito-identity.${region}.amazonaws.com`;
  const client = new CognitoIdentityClient({
    region: choice.region,
    maxAttempts: 1,
    ...(r.endpoint ? { endpoint: r.endpoint } : {}),
    requestHandler: sdkRequestHandler(where, r.requestTimeoutMs),
  });
  const logins = { [r.provider]: token };
  const call = async <T>(operation: string, send: () => Promise<T>): Promise<T> =>
    withRetries(
      `Cognito ${operation}`,
      async () => {
        try {
          return await send();
        } catch (error) {
          const e = error as { name?: string; message?: string };
          const mapped = toStsError(error, { operation, endpoint: where });
          if (e.name === "NotAuthorizedException") {
            throw new StsError(
              `Cognito refused the token for ${r.identityPoolId}: ${e.message ?? ""}`,
              e.name,
              `The identity pool must trust the provider '${r.provider}' (its Logins key is the token's iss without https://, or pass --cognito-login-provider).`,
            );
          }
          if (e.name === "ResourceNotFoundException")
            throw new StsError(
              `Cognito has no identity pool ${r.identityPoolId}: ${e.message ?? ""}`,
              e.name,
              "Check --cognito-identity-pool-id (region:uuid).",
            );
          if (RETRYABLE.has(e.name ?? "")) mapped.transient();
          throw mapped;
        }
      },
      r.retry,
      {
        classify: (error) => ({
          retry: error instanceof StsError && error.retryable,
          reason: error instanceof StsError ? error.code : String(error),
        }),
        log: r.log,
      },
    );
  try {
    const { IdentityId } = await call("GetId", () =>
      client.send(
        new GetIdCommand({
          IdentityPoolId: r.identityPoolId,
          Logins: logins,
          ...(r.accountId ? { AccountId: r.accountId } : {}),
        }),
      ),
    );
    if (!IdentityId) throw new StsError("Cognito GetId answered without an IdentityId.", "MalformedResponse");
    r.log(`Cognito identity ${IdentityId}; getting its credentials.`);
    const { Credentials: c } = await call("GetCredentialsForIdentity", () =>
      client.send(
        new GetCredentialsForIdentityCommand({
          IdentityId,
          Logins: logins,
          ...(r.customRoleArn ? { CustomRoleArn: r.customRoleArn } : {}),
        }),
      ),
    );
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration)
      throw new StsError("Cognito answered without complete credentials.", "MalformedResponse");
    const accountId = r.customRoleArn?.split(":")[4] ?? r.accountId ?? "";
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
      assumedRoleArn: `cognito-identity:${IdentityId}`,
      accountId,
    };
  } finally {
    client.destroy();
  }
}
