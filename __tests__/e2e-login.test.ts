import { spawn } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startDeviceProvider, type DeviceProvider } from "../sandbox/device-provider.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { node24, ROOT } from "../sandbox/runner.js";
import { awsClis } from "./helpers/aws-cli.js";
import { runCli } from "./helpers/cli.js";

/**
 * `aws-oidc login` against a real, certified OpenID provider (oidc-provider) with the device
 * flow, the user's step done through its pages; then credential_process keeps working across
 * ID token refreshes, read by the real AWS CLI, with the sandbox STS verifying the provider's tokens.
 */

const ROLE = "arn:aws:iam::123456789012:role/dev";
let provider: DeviceProvider;
let sandbox: Sandbox;
let home: string;

async function start(options: { idTokenTtl?: number; deviceCodeTtl?: number } = {}) {
  provider = await startDeviceProvider(options);
  sandbox = await startSandbox({ extraProviders: [{ url: provider.issuer, audiences: [provider.clientId] }] });
  home = mkdtempSync(join(tmpdir(), "login-home-"));
}
afterEach(async () => {
  await Promise.all([provider?.stop(), sandbox?.stop()]);
});

/** Runs `aws-oidc login`, and once it shows the code, lets the scripted user act on it. */
function login(
  user: (code: string) => Promise<void>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      node24(),
      [
        join(ROOT, "dist/cli/index.js"),
        "login",
        "--issuer",
        provider.issuer,
        "--client-id",
        provider.clientId,
        "--name",
        "dev",
      ],
      {
        env: { PATH: process.env.PATH ?? "", HOME: home },
      },
    );
    let stdout = "";
    let stderr = "";
    let acted = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const code = /Code: ([A-Z0-9-]+)/.exec(stderr)?.[1];
      if (code && !acted) {
        acted = true;
        void user(code);
      }
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const cache = () =>
  JSON.parse(readFileSync(join(home, ".aws", "aws-oidc", "login", "dev.json"), "utf8")) as {
    idToken: string;
    refreshToken?: string;
  };

it("signs in with the device flow, then credential_process refreshes the ID token for the AWS CLI", async () => {
  await start({ idTokenTtl: 120 }); // under the 5-minute refresh window: every use refreshes
  const signedIn = await login((code) => provider.approve(code, "alice"));
  expect(signedIn.stderr).toContain(`Signed in as alice at ${provider.issuer}; saved as login 'dev'.`);
  expect(signedIn.code).toBe(0);
  expect(signedIn.stdout).toBe("");
  const file = join(home, ".aws", "aws-oidc", "login", "dev.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const first = cache();
  expect(first.refreshToken).toBeTruthy();
  expect(signedIn.stderr).not.toContain(first.idToken);

  // Tokens are stamped to the second: let one pass so a refreshed token differs.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1100));
  await tick();
  const env = { HOME: home, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_STS: sandbox.sts.url };
  const creds = await runCli(["credential-process", "--login", "dev", "--role-arn", ROLE, "--no-cache"], env);
  expect(creds.code).toBe(0);
  expect(JSON.parse(creds.stdout)).toMatchObject({ Version: 1 });
  expect(cache().idToken).not.toBe(first.idToken);

  // The AWS CLI runs it as its credential_process, across further refreshes.
  mkdirSync(join(home, ".aws"), { recursive: true });
  const command = `${node24()} ${join(ROOT, "dist/cli/index.js")} credential-process --login dev --role-arn ${ROLE} --sts-endpoint ${sandbox.sts.url} --region us-east-1 --no-cache`;
  writeFileSync(join(home, ".aws", "config"), `[profile dev]\nregion = us-east-1\ncredential_process = ${command}\n`);
  for (const cli of awsClis()) {
    await tick();
    const before = cache().idToken;
    const { stdout } = await promisify(execFile)(
      cli.path,
      [
        "sts",
        "get-caller-identity",
        "--profile",
        "dev",
        "--endpoint-url",
        sandbox.sts.url,
        "--query",
        "Arn",
        "--output",
        "text",
      ],
      {
        env: { PATH: process.env.PATH ?? "", HOME: home },
      },
    );
    expect(stdout.trim()).toMatch(/^arn:aws:sts::123456789012:assumed-role\/dev\/aws-oidc-\d+$/);
    expect(cache().idToken).not.toBe(before);
  }
});

it("reports a denied sign-in", async () => {
  await start();
  const denied = await login((code) => provider.approve(code, "alice", "deny"));
  expect(denied.code).toBe(1);
  expect(denied.stderr).toMatch(/The sign-in was denied\./);
});

it("reports a code that expires while pending", async () => {
  await start({ deviceCodeTtl: 2 });
  const expired = await login(async () => undefined);
  expect(expired.code).toBe(1);
  expect(expired.stderr).toMatch(/The code expired before the sign-in was completed\./);
}, 30_000);

it("asks to sign in again when the token has expired and there is no refresh token", async () => {
  await start();
  const dir = join(home, ".aws", "aws-oidc", "login");
  mkdirSync(dir, { recursive: true });
  const stale = sandbox.issuer.mint({ aud: "x", sub: "y" }, -60);
  writeFileSync(
    join(dir, "old.json"),
    JSON.stringify({ issuer: provider.issuer, clientId: provider.clientId, scope: "openid", idToken: stale }),
  );
  const r = await runCli(["env", "--login", "old", "--role-arn", ROLE], {
    HOME: home,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_STS: sandbox.sts.url,
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /The login 'old' has expired and has no refresh token\.\n {2}hint: Run `aws-oidc login --name old` again/,
  );
});

it("keeps polling through slow_down until the user approves", async () => {
  await start();
  provider.slowDown(1);
  const signedIn = await login(async (code) => {
    // Approve only after the slowed-down poll has been answered.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await provider.approve(code, "bob");
  });
  expect(signedIn.code).toBe(0);
  expect(signedIn.stderr).toContain("Signed in as bob");
}, 40_000);

it("shows a QR code of the URL when stderr is a terminal", async () => {
  await start();
  const command = `${node24()} ${join(ROOT, "dist/cli/index.js")} login --issuer ${provider.issuer} --client-id ${provider.clientId} --name tty`;
  // script(1) gives the CLI a pseudo-terminal; the scripted user approves once the code shows.
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, TERM: "dumb" },
  });
  let output = "";
  let acted = false;
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    const code = /Code: ([A-Z0-9-]+)/.exec(output)?.[1];
    if (code && !acted) {
      acted = true;
      void provider.approve(code);
    }
  });
  const status = await new Promise((resolve) => child.on("close", resolve));
  expect(output).toMatch(/[▀▄█]{10,}/);
  expect(status).toBe(0);
}, 40_000);
