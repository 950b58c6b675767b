import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AssumedCredentials } from "../sts/credentials.js";
import { readIfExists, writeFileAtomic } from "./files.js";

/**
 * `credential_process` output (Version 1 JSON), and a cache so that the many processes an
 * AWS tool may start reuse one set of credentials until shortly before it expires.
 */

export function credentialProcessJson(credentials: AssumedCredentials): string {
  return `${JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { SessionToken: credentials.sessionToken } : {}),
    ...(credentials.expiration ? { Expiration: credentials.expiration.toISOString() } : {}),
  })}\n`;
}

/** A cache file name from what decides the credentials (role, Region, endpoint, token source…), never from secrets. */
export function cachePath(dir: string, identity: unknown): string {
  return join(dir, `${createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 40)}.json`);
}

interface CacheEntry {
  credentials: Omit<AssumedCredentials, "expiration"> & { expiration: string };
}

/** Cached credentials that stay valid for more than `refreshBeforeMs`; otherwise undefined. */
export function readCache(path: string, refreshBeforeMs: number, now = Date.now()): AssumedCredentials | undefined {
  const text = readIfExists(path);
  if (!text) return undefined;
  try {
    const { credentials } = JSON.parse(text) as CacheEntry;
    const expiration = new Date(credentials.expiration);
    if (!credentials.accessKeyId || !credentials.secretAccessKey || Number.isNaN(expiration.getTime()))
      return undefined;
    if (expiration.getTime() - now <= refreshBeforeMs) return undefined;
    return { ...credentials, expiration };
  } catch {
    return undefined;
  }
}

export function writeCache(path: string, credentials: AssumedCredentials): void {
  if (!credentials.expiration) return;
  const entry: CacheEntry = { credentials: { ...credentials, expiration: credentials.expiration.toISOString() } };
  writeFileAtomic(path, JSON.stringify(entry));
}
