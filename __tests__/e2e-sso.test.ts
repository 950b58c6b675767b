import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { cliWorkspace, runCli } from "./helpers/cli.js";

/** AWS SSO export: the AWS CLI's cached login for a profile → GetRoleCredentials (sandbox portal) → the sinks. */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

function ssoHome(
  config: string,
  cacheKey: string,
  cache: Record<string, unknown>,
): { env: Record<string, string>; home: string } {
  const w = cliWorkspace(sandbox);
  mkdirSync(join(w.home, ".aws", "sso", "cache"), { recursive: true });
  writeFileSync(join(w.home, ".aws", "config"), config);
  writeFileSync(
    join(w.home, ".aws", "sso", "cache", `${createHash("sha1").update(cacheKey).digest("hex")}.json`),
    JSON.stringify(cache),
  );
  return { env: { HOME: w.home, AWS_ENDPOINT_URL_SSO: sandbox.sts.url }, home: w.home };
}

const SESSION_CONFIG =
  "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-north-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
const later = () => new Date(Date.now() + 3600_000).toISOString();

it("exports the role of an sso-session profile from the CLI's cached login", async () => {
  const token = sandbox.sts.addSsoLogin("111122223333", ["Developer"]);
  const { env } = ssoHome(SESSION_CONFIG, "corp", {
    accessToken: token,
    expiresAt: later(),
    region: "us-east-1",
    startUrl: "https://corp.awsapps.com/start",
  });
  const r = await runCli(["env", "--format", "json", "--sso-profile", "dev"], env);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const vars = JSON.parse(r.stdout) as Record<string, string>;
  expect(sandbox.sts.sessions.get(vars.AWS_ACCESS_KEY_ID ?? "")?.arn).toBe(
    "arn:aws:sts::111122223333:assumed-role/Developer/sso-user",
  );
  expect(vars.AWS_REGION).toBe("eu-north-1");
  expect(r.stdout).not.toContain(token);
});

it("reads legacy profiles (start URL in the profile, cache keyed by it)", async () => {
  const token = sandbox.sts.addSsoLogin("111122223333", ["Ops"]);
  const config =
    "[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Ops\n";
  const { env } = ssoHome(config, "https://corp.awsapps.com/start", { accessToken: token, expiresAt: later() });
  const r = await runCli(["credential-process", "--sso-profile", "legacy", "--no-cache"], env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1 });
});

it("says to log in again when the cached login is missing, expired or refused, and names a role it may not use", async () => {
  const expired = ssoHome(SESSION_CONFIG, "corp", {
    accessToken: "x",
    expiresAt: new Date(Date.now() - 1000).toISOString(),
  });
  const r1 = await runCli(["env", "--sso-profile", "dev"], expired.env);
  expect(r1.code).toBe(1);
  expect(r1.stderr).toMatch(
    /The SSO login for profile 'dev' has expired\.\n {2}hint: Run `aws sso login --profile dev`/,
  );
  const refused = ssoHome(SESSION_CONFIG, "corp", { accessToken: "unknown-token", expiresAt: later() });
  expect((await runCli(["env", "--sso-profile", "dev"], refused.env)).stderr).toMatch(
    /IAM Identity Center refused the cached SSO login for 'dev'/,
  );
  const forbidden = ssoHome(SESSION_CONFIG, "corp", {
    accessToken: sandbox.sts.addSsoLogin("111122223333", ["Other"]),
    expiresAt: later(),
  });
  expect((await runCli(["env", "--sso-profile", "dev"], forbidden.env)).stderr).toMatch(
    /may not use role Developer in account 111122223333/,
  );
  const missing = await runCli(["env", "--sso-profile", "nope"], expired.env);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/there is no profile 'nope'/);
});
