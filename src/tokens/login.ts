import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { decodePayload } from "../diagnose/claims.js";
import { InputError, TokenError } from "../errors.js";
import { readIfExists, writeFileAtomic } from "../sinks/files.js";
import type { Env, TokenSource } from "./source.js";

/**
 * Tokens from `aws-oidc login` (the OAuth 2.0 device flow against any OpenID provider): kept
 * per login name in a 0600 cache, refreshed with the refresh token when the ID token is near
 * its expiry, so credential_process keeps working for days without a browser.
 */

export interface LoginRecord {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly audience?: string;
  readonly idToken: string;
  readonly refreshToken?: string;
}

/** ID tokens this close to their expiry are refreshed first. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

export function parseLoginName(input: string, raw: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw))
    throw new InputError(input, `'${raw}' is not a login name.`, "Use 1-64 letters, digits and _.-.");
  return raw;
}

export function loginCachePath(env: Env, name: string): string {
  return join(env.HOME || homedir(), ".aws", "aws-oidc", "login", `${name}.json`);
}

export function defaultLoginName(issuer: string, clientId: string): string {
  return createHash("sha256").update(`${issuer}|${clientId}`).digest("hex").slice(0, 16);
}

export function saveLogin(path: string, record: LoginRecord): void {
  writeFileAtomic(path, JSON.stringify(record));
}

export function readLogin(path: string, name: string): LoginRecord {
  const text = readIfExists(path);
  if (!text)
    throw new TokenError(
      `There is no login named '${name}'.`,
      `Run \`aws-oidc login --name ${name} --issuer … --client-id …\` first.`,
    );
  try {
    return JSON.parse(text) as LoginRecord;
  } catch {
    throw new TokenError(`The login cache ${path} is not readable.`, `Run \`aws-oidc login --name ${name}\` again.`);
  }
}

/** Loads openid-client's discovery for an issuer; plain http only on loopback (local providers). */
export async function discover(issuer: string, clientId: string) {
  const client = await import("openid-client");
  const url = new URL(issuer);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new InputError(
      "--issuer",
      `'${issuer}' is not an https URL.`,
      "OpenID providers are reached over https (plain http only on this machine's loopback).",
    );
  }
  const config = await client.discovery(
    url,
    clientId,
    undefined,
    client.None(),
    url.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  return { client, config };
}

export function loginTokenSource(env: Env, name: string): TokenSource {
  return {
    name: "login",
    detect: () => true,
    metadata: () => ({ ci: "aws-oidc", runId: String(Math.floor(Date.now() / 1000)), tags: {} }),
    diagnosticClaims: ["email", "name", "groups"],
    getToken: async (_audience, { warn }) => {
      const path = loginCachePath(env, name);
      const record = readLogin(path, name);
      const exp = Number(decodePayload(record.idToken)?.exp ?? 0) * 1000;
      if (exp - Date.now() > REFRESH_BEFORE_MS) return record.idToken;
      if (!record.refreshToken)
        throw new TokenError(
          `The login '${name}' has expired and has no refresh token.`,
          `Run \`aws-oidc login --name ${name}\` again (ask for the offline_access scope to stay signed in).`,
        );
      try {
        const { client, config } = await discover(record.issuer, record.clientId);
        const tokens = await client.refreshTokenGrant(config, record.refreshToken);
        if (!tokens.id_token) throw new Error("the provider answered without an ID token");
        saveLogin(path, {
          ...record,
          idToken: tokens.id_token,
          ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
        });
        return tokens.id_token;
      } catch (error) {
        warn?.(`refreshing the login '${name}' failed: ${(error as Error).message}`);
        throw new TokenError(
          `The login '${name}' could not be refreshed.`,
          `Run \`aws-oidc login --name ${name}\` again.`,
        );
      }
    },
  };
}
