import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { node24, ROOT } from "../../sandbox/runner.js";
import type { Sandbox } from "../../sandbox/index.js";

export const CLI = join(ROOT, "dist", "cli", "index.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI under Node 24 with only the given environment (plus PATH). */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(node24(), [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      cwd: cwd ?? tmpdir(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A home directory and a token file for a CLI run against the sandbox. */
export function cliWorkspace(
  sandbox: Sandbox,
  audience = "sts.amazonaws.com",
): { home: string; tokenFile: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "aws-oidc-home-"));
  const tokenFile = join(home, "token");
  writeFileSync(tokenFile, sandbox.issuer.mint({ sub: "system:serviceaccount:ci:deployer", aud: audience }));
  return {
    home,
    tokenFile,
    env: {
      HOME: home,
      AWS_REGION: "eu-west-1",
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ENDPOINT_URL_STS: sandbox.sts.url,
    },
  };
}
