import { HttpClient } from "@actions/http-client";
import { TokenError } from "../errors.js";
import { metadataFrom, noteAudience } from "./common.js";
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
      const client = new HttpClient("aws-oidc", [], {
        allowRetries: false,
        socketTimeout: timeoutMs,
        keepAlive: false,
      });
      try {
        const response = await client.post(url.toString(), "{}", {
          authorization: `Bearer ${accessToken}`,
          "content-type": "application/json",
          accept: "application/json",
        });
        const status = response.message.statusCode ?? 0;
        const body = await response.readBody();
        if (status === 401 || status === 403)
          throw new TokenError(`Azure DevOps refused the token request (HTTP ${status}).`, HINT);
        if (status !== 200) {
          const error = new TokenError(`Azure DevOps' token service answered HTTP ${status}.`, "Re-run the pipeline.");
          throw status >= 500 || status === 429 ? error.transient() : error;
        }
        let token: unknown;
        try {
          token = (JSON.parse(body) as { oidcToken?: unknown }).oidcToken;
        } catch {
          throw new TokenError(
            "Azure DevOps' token service answered with a body that is not JSON.",
            "Re-run the pipeline.",
          ).transient();
        }
        if (typeof token !== "string" || token.split(".").length !== 3)
          throw new TokenError("Azure DevOps' token service answered without an oidcToken.", HINT);
        noteAudience(
          token,
          audience,
          "Azure DevOps",
          "its audience is fixed (api://AzureADTokenExchange); use it as the audience and as the IAM provider's client id.",
          warn,
        );
        return token;
      } catch (error) {
        if (error instanceof TokenError) throw error;
        throw new TokenError(
          `Could not reach Azure DevOps' token service: ${(error as Error).message}.`,
          "Re-run the pipeline; check any proxy settings.",
        ).transient();
      } finally {
        client.dispose();
      }
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
