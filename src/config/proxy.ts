import { InputError } from "../errors.js";
import type { Env } from "../tokens/source.js";
import { parseList } from "./values.js";

/**
 * Proxy settings. The matching itself (which URL goes through which proxy, NO_PROXY) is
 * left to @actions/http-client; here we only validate the inputs and find the parts of
 * proxy URLs that must be masked.
 */
export interface ProxySettings {
  /** `http-proxy` input: used for https and http requests alike. */
  readonly proxyUrl?: string;
  /** `no-proxy` input: comma-separated hosts, as NO_PROXY. */
  readonly noProxy?: string;
  /** Credentials found in any proxy URL (input or environment), to mask. */
  readonly secrets: readonly string[];
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

export function readProxySettings(proxyInput: string, noProxyInput: string, env: Env): ProxySettings {
  const secrets = new Set<string>();
  if (proxyInput !== "") {
    let url: URL;
    try {
      url = new URL(proxyInput);
    } catch {
      // The value may hold a password: never echo it.
      throw new InputError("http-proxy", "is not a URL.", "Use http://[user:password@]host:port.");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InputError(
        "http-proxy",
        `the scheme '${url.protocol}' is not supported.`,
        "Use an http:// or https:// proxy URL.",
      );
    }
  }
  for (const value of [proxyInput, ...PROXY_VARIABLES.map((name) => env[name] ?? "")]) {
    for (const secret of proxySecrets(value)) secrets.add(secret);
  }
  const noProxy = parseList(noProxyInput).join(",");
  return {
    ...(proxyInput ? { proxyUrl: proxyInput } : {}),
    ...(noProxy ? { noProxy } : {}),
    secrets: [...secrets],
  };
}

/** The password, `user:password`, and the whole URL, when a proxy URL carries credentials. */
function proxySecrets(value: string): string[] {
  if (value === "") return [];
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `http://${value}`);
  } catch {
    return [];
  }
  if (!url.password) return [];
  const password = decodeURIComponent(url.password);
  return [value, password, url.password, `${url.username}:${url.password}`];
}
