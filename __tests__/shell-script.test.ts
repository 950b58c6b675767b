import { spawn } from "node:child_process";
import { startMoto, type Moto } from "../sandbox/moto.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { ROOT } from "../sandbox/runner.js";
import { join } from "node:path";

/**
 * Runs the bats suite of scripts/aws-oidc.sh under dash, bash and BusyBox ash, against this
 * process's sandbox STS and a moto server. A failing bats case fails here with its TAP output.
 */

let sandbox: Sandbox;
let moto: Moto;
beforeAll(async () => {
  [sandbox, moto] = await Promise.all([
    startSandbox({
      roles: { "arn:aws:iam::123456789012:role/ci": {}, "arn:aws:iam::123456789012:role/denied": { sub: "nobody" } },
    }),
    startMoto(),
  ]);
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), moto?.stop()]);
});

function bats(shell: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      join(ROOT, "node_modules/bats/bin/bats"),
      ["--tap", join(ROOT, "__tests__/shell/aws-oidc.bats")],
      {
        env: {
          ...process.env,
          SHELL_UNDER_TEST: shell,
          SANDBOX_STS_URL: sandbox.sts.url,
          SANDBOX_ISSUER_URL: sandbox.issuer.url,
          MOTO_URL: moto.url,
        },
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

it.each(["dash", "bash", "busybox sh"])(
  "the shell script passes its bats suite under %s",
  async (shell) => {
    const { code, output } = await bats(shell);
    const failed = output.split("\n").filter((line) => line.startsWith("not ok") || line.startsWith("#"));
    expect({ code, failed }).toEqual({ code: 0, failed: [] });
    expect(output).toMatch(/^1\.\.\d+/m);
  },
  180_000,
);
