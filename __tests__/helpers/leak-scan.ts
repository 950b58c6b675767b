import { readFileSync, statSync } from "node:fs";

/**
 * Looks for every secret of a run — raw, base64, base64url and URL-encoded — in everything
 * the run printed or wrote. A secret may appear only where it is meant to go: GitHub's
 * `::add-mask::` lines, and intended destinations (which, when they are files, must be 0600).
 */

export interface Evidence {
  /** Printed text (stdout, stderr, logs), each searched whole. */
  readonly texts: Readonly<Record<string, string>>;
  /** Files that must not hold a secret (runner state, caches that are not destinations). */
  readonly files?: readonly string[];
  /** Files that are meant to hold secrets: they must be mode 0600. */
  readonly destinations?: readonly string[];
}

export function encodings(secret: string): string[] {
  const forms = new Set([
    secret,
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"),
    encodeURIComponent(secret),
  ]);
  // A token's signature alone is as good as the token: look for it too.
  const parts = secret.split(".");
  if (parts.length === 3 && parts[2]) forms.add(parts[2]);
  return [...forms].filter((f) => f.length >= 8);
}

/** Returns a description of each leak; empty when there is none. */
export function findLeaks(evidence: Evidence, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  const search = (where: string, text: string) => {
    // GitHub's runner hides ::add-mask:: lines and masks what they name.
    const visible = text
      .split("\n")
      .filter((line) => !line.startsWith("::add-mask::"))
      .join("\n");
    for (const secret of secrets) {
      for (const form of encodings(secret)) {
        if (visible.includes(form))
          leaks.push(`${where} holds a secret (${form === secret ? "raw" : "encoded"}, ${secret.slice(0, 4)}…)`);
      }
    }
  };
  for (const [name, text] of Object.entries(evidence.texts)) search(name, text);
  for (const file of evidence.files ?? []) search(file, readFileSync(file, "utf8"));
  for (const file of evidence.destinations ?? []) {
    const mode = statSync(file).mode & 0o777;
    if (mode !== 0o600) leaks.push(`${file} holds secrets with mode ${mode.toString(8)}, not 600`);
  }
  return leaks;
}
