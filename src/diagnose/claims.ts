/**
 * Reads a JWT's payload without verifying it, to explain a refusal. Only the claims named
 * here ever leave this module: never the token, its signature, or other claims.
 */

export type TokenClaims = Readonly<Record<string, string>>;

const STANDARD = ["iss", "sub", "aud", "exp", "iat", "nbf"];

export function readClaims(token: string, extra: readonly string[]): TokenClaims | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const claims: Record<string, string> = {};
  for (const name of [...STANDARD, ...extra]) {
    const value = (parsed as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === "") continue;
    claims[name] = Array.isArray(value) ? value.map(String).join(", ") : String(value);
  }
  return claims;
}
