import { decodePayload } from "../diagnose/claims.js";
import { TokenError } from "../errors.js";
import type { Env, RunMetadata } from "./source.js";

/** Pieces the token sources share: reading variables, checking audiences, running commands. */

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A JWT from a variable; the value is never echoed, whatever it holds. */
export function tokenFromVariable(env: Env, variable: string, where: string, hint: string): string {
  const value = env[variable]?.trim();
  if (!value) throw new TokenError(`${where}: ${variable} is not set.`, hint);
  if (!JWT.test(value)) throw new TokenError(`${where}: ${variable} does not hold a JWT.`, hint);
  return value;
}

/** Sources whose audience is fixed elsewhere (a CI's YAML, a workspace setting) say when it differs from the one asked for. */
export function noteAudience(
  token: string,
  requested: string,
  where: string,
  howToChange: string,
  warn?: (line: string) => void,
): void {
  const aud = decodePayload(token)?.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
  if (audiences.length && !audiences.includes(requested)) {
    warn?.(
      `${where} gave a token for audience '${audiences.join(", ")}', not the '${requested}' asked for: ${howToChange} The exchange goes on with the token's audience.`,
    );
  }
}

export interface MetadataSpec {
  readonly ci: string;
  readonly project?: string;
  readonly runId?: string;
  readonly attempt?: string;
  /** Tag key → variable name. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Run metadata from CI variables; unset variables are left out. */
export function metadataFrom(env: Env, spec: MetadataSpec): RunMetadata {
  const pick = (name?: string) => (name ? env[name] || undefined : undefined);
  const tags: Record<string, string> = {};
  for (const [tag, variable] of Object.entries(spec.tags)) {
    const value = pick(variable);
    if (value) tags[tag] = value;
  }
  const project = pick(spec.project);
  const runId = pick(spec.runId);
  const attempt = pick(spec.attempt);
  return {
    ci: spec.ci,
    ...(project ? { project } : {}),
    ...(runId ? { runId } : {}),
    ...(attempt ? { attempt } : {}),
    tags,
  };
}

export interface CommandRun {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Each line the command writes to stderr is shown (it never holds the token). */
  readonly stderrLine?: (line: string) => void;
}

/** Runs a command that prints a token on stdout; bounded in time and output. */
export async function tokenFromCommand(run: CommandRun, where: string, hint: string): Promise<string> {
  // Loaded here, not at start-up: most runs (GitHub, GitLab, files) never start a process.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends the command and everything it started.
    const child = spawn(run.file, [...run.args], {
      env: run.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      child.stdout.destroy();
      child.stderr.destroy();
    };
    let stdout = "";
    let stderr = "";
    let done = false;
    const finish = (error?: TokenError, token?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(token ?? "");
    };
    const timer = setTimeout(() => {
      kill();
      finish(new TokenError(`${where} did not finish within ${run.timeoutMs} ms.`, hint).transient());
    }, run.timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.length > 64 * 1024) {
        kill();
        finish(new TokenError(`${where} printed more than 64 KiB; a token is far smaller.`, hint));
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const lines = stderr.split("\n");
      stderr = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) run.stderrLine?.(`${where}: ${line}`);
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      finish(
        new TokenError(
          `${where} could not be started (${error.code === "ENOENT" ? "not found on PATH" : error.message}).`,
          hint,
        ),
      ),
    );
    child.on("close", (code, signal) => {
      if (stderr.trim()) run.stderrLine?.(`${where}: ${stderr}`);
      if (code !== 0)
        return finish(new TokenError(`${where} failed (${signal ? `signal ${signal}` : `exit code ${code}`}).`, hint));
      const token = stdout.trim();
      if (!JWT.test(token)) return finish(new TokenError(`${where} did not print a JWT.`, hint));
      finish(undefined, token);
    });
  });
}
