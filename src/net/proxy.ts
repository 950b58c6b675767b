import { HttpClient } from "@actions/http-client";
import type { Agent } from "node:http";
import type { ProxySettings } from "../config/proxy.js";

/**
 * Proxy support comes from @actions/http-client, which reads HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY and tunnels through the proxy. The `http-proxy` / `no-proxy` inputs are applied by
 * setting those variables for this process, so the token request and STS agree.
 */
export function applyProxySettings(settings: ProxySettings, env: NodeJS.ProcessEnv = process.env): void {
  if (settings.proxyUrl) {
    for (const name of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) env[name] = settings.proxyUrl;
  }
  if (settings.noProxy) {
    const merged = [env.no_proxy || env.NO_PROXY, settings.noProxy].filter(Boolean).join(",");
    env.no_proxy = merged;
    env.NO_PROXY = merged;
  }
}

/** The agent @actions/http-client would use for `url`: a proxy tunnel, or a direct agent. */
export function agentFor(url: string): Agent {
  const agent = new HttpClient("aws-oidc").getAgent(url) as Agent & { sockets?: unknown };
  // The SDK only uses an agent it recognises (an http.Agent, or anything with destroy());
  // otherwise it silently builds a direct one. The tunnel agent has no destroy(): give it one.
  if (typeof agent.destroy !== "function") {
    Object.assign(agent, {
      destroy: () => {
        for (const socket of Array.isArray(agent.sockets) ? (agent.sockets as { destroy(): void }[]) : [])
          socket.destroy();
      },
    });
  }
  return agent;
}

/**
 * The request handler settings every AWS SDK client here gets: the proxy-aware agent for
 * `url`, and a timeout on connecting and on the whole request (the SDK's are off by default).
 */
export function sdkRequestHandler(url: string, timeoutMs: number) {
  const agent = agentFor(url);
  return {
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: agent,
    httpsAgent: agent,
  };
}
