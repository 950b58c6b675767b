import { visible } from "../errors.js";

/**
 * Reads a JWT's payload without verifying it, to explain a refusal. Only the claims named
 * here ever leave this module: never the token, its signature, or other claims.
 */

export type TokenClaims = Readonly<Record<string, string>>;

const STANDARD = ["iss", "sub", "aud", "exp", "iat", "nbf"];

/** The token's payload (all its claims), or undefined when it is not a JWT. */
export function decodePayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function readClaims(token: string, extra: readonly string[]): TokenClaims | undefined {
  const parsed = decodePayload(token);
  if (!parsed) return undefined;
  const claims: Record<string, string> = {};
  for (const name of [...STANDARD, ...extra]) {
    const value = (parsed as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === "") continue;
    // Claims are printed one per line: no value may break a line or start a workflow command.
    claims[name] = visible(Array.isArray(value) ? value.map(String).join(", ") : String(value)).replace(/\n/g, "\\n");
  }
  return claims;
}
