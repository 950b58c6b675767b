import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join, basename } from "node:path";
import { SinkError } from "../errors.js";

/**
 * Files that hold secrets: written whole to a 0600 temp file beside the target and renamed
 * over it (so a reader never sees half a file), in a directory created 0700, under a lock so
 * concurrent writers of the same file do not lose each other's changes.
 */

export function writeFileAtomic(path: string, content: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o600);
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created.
    }
    throw new SinkError(
      `Could not write ${path}: ${(error as Error).message}`,
      "Check that the directory exists and is writable.",
    );
  }
}

export function readIfExists(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw new SinkError(`Could not read ${path}: ${(error as Error).message}`);
  }
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** Runs `change` on the file's text under an exclusive lock (a `<file>.lock` directory), then writes the result atomically. */
export async function updateFile(path: string, change: (text: string) => string): Promise<void> {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        throw new SinkError(`Could not lock ${path}: ${(error as Error).message}`);
      if (isStale(lock)) {
        try {
          rmdirSync(lock);
        } catch {
          // Another writer removed it first.
        }
        continue;
      }
      if (Date.now() > deadline)
        throw new SinkError(
          `${path} stayed locked for ${LOCK_WAIT_MS / 1000} s.`,
          `If no other aws-oidc is running, remove ${lock}.`,
        );
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
  try {
    const before = readIfExists(path);
    const after = change(before);
    if (after !== before) writeFileAtomic(path, after);
  } finally {
    rmdirSync(lock);
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}
