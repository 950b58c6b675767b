import { execFile, execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { promisify } from "node:util";

/**
 * Every distinct AWS CLI on PATH (the machine image's v1, Debian's v2). CI sets
 * AWS_OIDC_REQUIRE_AWSCLI_V2=1 so that a missing v2 fails instead of passing on v1 alone.
 */
export function awsClis(): { path: string; version: string }[] {
  let paths: string[] = [];
  try {
    paths = execFileSync("which", ["-a", "aws"], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    throw new Error("No AWS CLI on PATH: install Debian's awscli (apt-get install awscli).");
  }
  const seen = new Map<string, { path: string; version: string }>();
  for (const path of paths) {
    const version = execFileSync(path, ["--version"], { encoding: "utf8" }).trim();
    seen.set(`${realpathSync(path)}|${version}`, { path, version });
  }
  const clis = [...seen.values()];
  if (clis.length === 0) throw new Error("No AWS CLI found.");
  if (process.env.AWS_OIDC_REQUIRE_AWSCLI_V2 === "1" && !clis.some((c) => c.version.startsWith("aws-cli/2."))) {
    throw new Error("AWS CLI v2 (Debian's awscli) is required here but not installed.");
  }
  return clis;
}

// Asynchronous on purpose: a sandbox in the test's own process must keep answering.
const run = promisify(execFile);

/** `aws sts get-caller-identity` with each CLI, given only PATH and `env`; returns each CLI's answer. */
export async function callerIdentityWithEveryCli(
  endpoint: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ cli: string; Arn: string; Account: string }[]> {
  const answers = [];
  for (const cli of awsClis()) {
    const { stdout } = await run(
      cli.path,
      ["sts", "get-caller-identity", "--endpoint-url", endpoint, "--output", "json", ...args],
      {
        env: { PATH: process.env.PATH ?? "", ...env },
      },
    );
    answers.push({
      cli: cli.version.split(" ")[0] ?? cli.path,
      ...(JSON.parse(stdout) as { Arn: string; Account: string }),
    });
  }
  return answers;
}
