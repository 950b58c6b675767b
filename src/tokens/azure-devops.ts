import { TokenError } from "../errors.js";
import { metadataFrom, noteAudience } from "./common.js";
import { requestServiceToken } from "./http-token.js";
import type { Env, TokenSource, TokenSourceOptions } from "./source.js";

const HINT =
  "Give the pipeline step SYSTEM_ACCESSTOKEN (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)) and the id of a service " +
  "connection that uses workload identity federation (azure-service-connection-id / --azure-service-connection-id, or AZURESUBSCRIPTION_SERVICE_CONNECTION_ID).";

/** Azure DevOps: a POST to SYSTEM_OIDCREQUESTURI for a service connection, authorized by SYSTEM_ACCESSTOKEN. */
export function azureDevopsTokenSource(env: Env, options: TokenSourceOptions): TokenSource {
  return {
    name: "azure-devops",
    detect: () => env.TF_BUILD === "True" || env.TF_BUILD === "true",
    getToken: async (audience, { timeoutMs, warn }) => {
      const requestUri = env.SYSTEM_OIDCREQUESTURI;
      const accessToken = env.SYSTEM_ACCESSTOKEN;
      const connection = options.serviceConnectionId ?? env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID;
      const missing = [
        !requestUri && "SYSTEM_OIDCREQUESTURI",
        !accessToken && "SYSTEM_ACCESSTOKEN",
        !connection && "the service connection id",
      ].filter(Boolean);
      if (missing.length) throw new TokenError(`Azure DevOps: ${missing.join(", ")} not set.`, HINT);
      const url = new URL(requestUri!);
      url.searchParams.set("api-version", "7.1");
      url.searchParams.set("serviceConnectionId", connection!);
      const token = await requestServiceToken({
        service: "Azure DevOps' token service",
        method: "POST",
        url: url.toString(),
        bearer: accessToken!,
        body: "{}",
        field: "oidcToken",
        timeoutMs,
        refusedHint: HINT,
        retryHint: "Re-run the pipeline.",
      });
      noteAudience(
        token,
        audience,
        "Azure DevOps",
        "its audience is fixed (api://AzureADTokenExchange); use it as the audience and as the IAM provider's client id.",
        warn,
      );
      return token;
    },
    metadata: () =>
      metadataFrom(env, {
        ci: "ado",
        project: "BUILD_REPOSITORY_NAME",
        runId: "BUILD_BUILDID",
        attempt: "SYSTEM_JOBATTEMPT",
        tags: {
          AzureDevOps: "SYSTEM_TEAMPROJECT",
          Project: "SYSTEM_TEAMPROJECT",
          Repository: "BUILD_REPOSITORY_NAME",
          Build: "BUILD_BUILDID",
          Commit: "BUILD_SOURCEVERSION",
          Branch: "BUILD_SOURCEBRANCH",
          Pipeline: "BUILD_DEFINITIONNAME",
        },
      }),
    diagnosticClaims: [],
  };
}
