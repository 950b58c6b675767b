import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { callerIdentityWithEveryCli } from "./helpers/aws-cli.js";
import { expectMaskedBeforeUse } from "./helpers/secrets.js";

/** role-profiles: several roles from one token into named profiles, removed exactly by the post step. */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

const PROFILES = [
  "dev=arn:aws:iam::111111111111:role/ci",
  "staging=arn:aws:iam::222222222222:role/ci",
  "prod=arn:aws:iam::333333333333:role/deploy",
].join("\n");
const BEFORE_CREDENTIALS =
  "; my own keys\n[default]\naws_access_key_id = AKIAMINE000000000000\naws_secret_access_key = mine\n\n# keep this comment\n[other]\naws_access_key_id = AKIAOTHER00000000000\naws_secret_access_key = other\n";
const BEFORE_CONFIG = "[default]\nregion = us-east-1\n\n[profile other]\nregion = ap-south-1\noutput = json\n";

it("writes each role to its profile from one token, the AWS CLI uses them, and the post step leaves the files as they were", async () => {
  const home = (await runStep("dist/post/index.js")).workDir;
  mkdirSync(join(home, ".aws"), { mode: 0o700 });
  writeFileSync(join(home, ".aws", "credentials"), BEFORE_CREDENTIALS, { mode: 0o600 });
  writeFileSync(join(home, ".aws", "config"), BEFORE_CONFIG, { mode: 0o600 });
  const env = { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url, HOME: home };

  const main = await runStep("dist/main/index.js", {
    inputs: { "role-profiles": PROFILES, "aws-region": "eu-central-1" },
    env,
    workDir: home,
  });
  expect(main.stderr).toBe("");
  expect(main.code).toBe(0);
  expect(sandbox.issuer.tokenRequests).toHaveLength(1);
  expect(sandbox.sts.requests.filter((r) => r.action === "AssumeRoleWithWebIdentity")).toHaveLength(3);
  expect(main.outputs["aws-profiles"]).toBe("dev,staging,prod");
  // No credentials in the step's environment: only the Region.
  expect(main.env).toEqual({ AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-central-1" });
  const secrets = [...sandbox.sts.sessions.values()].flatMap((s) => [s.secretAccessKey, s.sessionToken!]);
  expectMaskedBeforeUse(main.stdout, main.stderr, secrets);

  for (const [profile, account] of [
    ["dev", "111111111111"],
    ["prod", "333333333333"],
  ]) {
    const answers = await callerIdentityWithEveryCli(sandbox.sts.url, { HOME: home }, ["--profile", profile!]);
    for (const answer of answers) expect(answer.Account).toBe(account);
  }

  const post = await runStep("dist/post/index.js", { env: { ...env, ...main.env }, state: main.state, workDir: home });
  expect(post.code).toBe(0);
  expect(post.log).toContain("Removed the profiles dev, staging, prod");
  expect(readFileSync(join(home, ".aws", "credentials"), "utf8")).toBe(BEFORE_CREDENTIALS);
  expect(readFileSync(join(home, ".aws", "config"), "utf8")).toBe(BEFORE_CONFIG);
});

it("refuses to overwrite an existing profile unless overwrite-profiles, writing nothing over it", async () => {
  const home = (await runStep("dist/post/index.js")).workDir;
  mkdirSync(join(home, ".aws"), { mode: 0o700 });
  writeFileSync(join(home, ".aws", "credentials"), BEFORE_CREDENTIALS, { mode: 0o600 });
  writeFileSync(join(home, ".aws", "config"), BEFORE_CONFIG, { mode: 0o600 });
  const env = { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url, HOME: home };
  const inputs = { "role-profiles": "other=arn:aws:iam::111111111111:role/ci", "aws-region": "eu-central-1" };
  const refused = await runStep("dist/main/index.js", { inputs, env, workDir: home });
  expect(refused.code).toBe(1);
  expect(refused.stdout).toMatch(/::error::The profile 'other' already exists in .*config/);
  expect(readFileSync(join(home, ".aws", "credentials"), "utf8")).toBe(BEFORE_CREDENTIALS);
  // The post step of the refused run must not remove the profile that was there before.
  const post = await runStep("dist/post/index.js", { env, state: refused.state, workDir: home });
  expect(post.code).toBe(0);
  expect(readFileSync(join(home, ".aws", "credentials"), "utf8")).toBe(BEFORE_CREDENTIALS);
  expect(readFileSync(join(home, ".aws", "config"), "utf8")).toBe(BEFORE_CONFIG);
  const replaced = await runStep("dist/main/index.js", {
    inputs: { ...inputs, "overwrite-profiles": "true" },
    env,
    workDir: home,
  });
  expect(replaced.code).toBe(0);
  expect(readFileSync(join(home, ".aws", "credentials"), "utf8")).toMatch(/\[other\]\naws_access_key_id = ASIA/);
});

it("reports a bad line of role-profiles by its profile, before any request", async () => {
  const step = await runStep("dist/main/index.js", {
    inputs: { "role-profiles": "dev=arn:aws:iam::111111111111:role/ci\nprod=deploy", "aws-region": "eu-central-1" },
    env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url },
  });
  expect(step.code).toBe(1);
  expect(step.stdout).toMatch(/::error::Input 'role-profiles \(prod\)': 'deploy' is a bare role name/);
  expect(sandbox.issuer.tokenRequests).toHaveLength(0);
});
