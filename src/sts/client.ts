import { STSClient } from "@aws-sdk/client-sts";
import type { EndpointChoice } from "../config/partition.js";
import { stsEndpointUrl } from "../config/partition.js";
import type { StaticCredentials } from "../config/request.js";
import { collectBody } from "../net/body.js";
import { sdkRequestHandler } from "../net/proxy.js";

/**
 * An STS client for the signed calls (AssumeRole, GetCallerIdentity), with everything
 * explicit: Region, endpoint, FIPS/dual-stack, the credentials that sign, the proxy-aware
 * agent, timeouts. The SDK's own retries are off: ours is the only retry layer.
 *
 * The settings the SDK would otherwise look up in ~/.aws/config (defaults mode, retry mode,
 * auth scheme preference, SigV4a Regions, app id) are given too: what this client does does
 * not depend on a profile left on the machine, and no config file is read on the way.
 */
export function createStsClient(
  endpoint: EndpointChoice,
  requestTimeoutMs: number,
  credentials: StaticCredentials,
): STSClient {
  return new STSClient({
    region: endpoint.region,
    maxAttempts: 1,
    retryMode: "standard",
    defaultsMode: "legacy",
    authSchemePreference: [],
    sigv4aSigningRegionSet: [],
    userAgentAppId: async () => undefined,
    // An explicit endpoint wins over FIPS/dual-stack (the SDK would refuse the combination).
    useFipsEndpoint: !endpoint.override && endpoint.useFips,
    useDualstackEndpoint: !endpoint.override && endpoint.useDualstack,
    ...(endpoint.override ? { endpoint: endpoint.override } : {}),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    requestHandler: sdkRequestHandler(stsEndpointUrl(endpoint), requestTimeoutMs),
    streamCollector: collectBody,
  });
}
