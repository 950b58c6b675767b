import { STSClient } from "@aws-sdk/client-sts";
import type { EndpointChoice } from "../config/partition.js";
import { stsEndpointUrl } from "../config/partition.js";
import type { StaticCredentials } from "../config/request.js";
import { sdkRequestHandler } from "../net/proxy.js";

/**
 * An STS client with everything explicit: Region, endpoint, FIPS/dual-stack, credentials
 * (none for AssumeRoleWithWebIdentity, which is unsigned), the proxy-aware agent, timeouts.
 * The SDK's own retries are off: ours is the only retry layer.
 */
export function createStsClient(
  endpoint: EndpointChoice,
  requestTimeoutMs: number,
  credentials?: StaticCredentials,
): STSClient {
  return new STSClient({
    region: endpoint.region,
    maxAttempts: 1,
    useFipsEndpoint: endpoint.useFips,
    useDualstackEndpoint: endpoint.useDualstack,
    ...(endpoint.override ? { endpoint: endpoint.override } : {}),
    ...(credentials
      ? {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
          },
        }
      : {}),
    requestHandler: sdkRequestHandler(stsEndpointUrl(endpoint), requestTimeoutMs),
  });
}
