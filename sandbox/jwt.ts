import {
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";

/** RS256 JWTs with node:crypto: enough for an issuer and a verifier that follow RFC 7515/7519. */

export type Claims = Record<string, unknown>;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function signJwt(key: SigningKey, claims: Claims): string {
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

export interface DecodedJwt {
  header: { alg?: string; kid?: string };
  claims: Claims;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWT; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h = "", p = "", s = ""] = parts;
  try {
    return {
      header: JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as DecodedJwt["header"],
      claims: JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Claims,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, "base64url"),
    };
  } catch {
    return undefined;
  }
}

/** Verifies an RS256 signature against a JWKS key set. */
export function verifySignature(jwt: DecodedJwt, keys: readonly JsonWebKey[]): boolean {
  if (jwt.header.alg !== "RS256") return false;
  const jwk = keys.find((k) => (k as { kid?: string }).kid === jwt.header.kid);
  if (!jwk) return false;
  return verify("sha256", Buffer.from(jwt.signingInput), createPublicKey({ key: jwk, format: "jwk" }), jwt.signature);
}
