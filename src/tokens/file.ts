import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { TokenError } from "../errors.js";
import type { TokenSource } from "./source.js";

/** Tokens are a few KB; anything much larger is not a token. */
const MAX_TOKEN_BYTES = 64 * 1024;

/**
 * A token in a file (web-identity-token-file, AWS_WEB_IDENTITY_TOKEN_FILE). Read through
 * one file descriptor, so what is checked is what is read: a regular file (not a FIFO or a
 * device that could hang or stream forever), of bounded size. Symlinks are followed, as
 * Kubernetes' projected token volumes are symlinks; what matters is where they lead.
 * Re-read on every call, so a rotated token is picked up.
 */
export function fileTokenSource(path: string, cwd: string): TokenSource {
  const absolute = resolve(cwd, path);
  return {
    name: "file",
    detect: () => true,
    getToken: async () => readTokenFile(absolute),
    metadata: () => ({ ci: "aws-oidc", runId: String(Math.floor(Date.now() / 1000)), tags: {} }),
    diagnosticClaims: [],
  };
}

export function readTokenFile(path: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new TokenError(
      `Cannot open the web identity token file ${path} (${code}).`,
      "Check web-identity-token-file: the path, relative to the workspace, must name a readable file.",
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new TokenError(
        `The web identity token file ${path} is not a regular file.`,
        "Point web-identity-token-file at the file that holds the token.",
      );
    if (stat.size > MAX_TOKEN_BYTES)
      throw new TokenError(
        `The web identity token file ${path} is ${stat.size} bytes; a token is at most ${MAX_TOKEN_BYTES}.`,
        "Point web-identity-token-file at the token itself.",
      );
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const token = buffer.subarray(0, read).toString("utf8").trim();
    // Never echo the content: it is, or is close to, a secret.
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
      throw new TokenError(
        `The web identity token file ${path} does not hold a JWT.`,
        "The file must contain one OIDC ID token (header.payload.signature) and nothing else.",
      );
    }
    return token;
  } finally {
    closeSync(fd);
  }
}
