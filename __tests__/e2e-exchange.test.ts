import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { expectMaskedBeforeUse, expectNoneOf } from "./helpers/secrets.js";

/** Every exchange option, end to end through the bundle against the sandbox STS. */

const ACCOUNT = "123456789012";
const ENTRY = `arn:aws:iam::${ACCOUNT}:role/entry`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/target`;
const PARTNER = `arn:aws:iam::${ACCOUNT}:role/partner`;
let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({
    roles: { [ENTRY]: {}, [TARGET]: {}, [PARTNER]: { externalId: "partner-shared-id" } },
  });
});
afterEach(() => sandbox.stop());

const job = () => ({ ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url });
const main = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runStep("dist/main/index.js", { inputs: { "aws-region": "us-east-1", ...inputs }, env: { ...job(), ...env } });
const calls = (action: string) => sandbox.sts.requests.filter((r) => r.action === action);

describe("chaining and session tags", () => {
  it("sends the run's session tags, custom tags and transitive keys with AssumeRole, signed by the first role", async () => {
    const step = await main({
      "role-to-assume": ENTRY,
      "chain-roles": TARGET,
      "custom-tags": '{"Team": "payments"}',
      "transitive-tag-keys": "Team\nRepository",
    });
    expect(step.code).toBe(0);
    const [assume] = calls("AssumeRole");
    const firstSession = [...sandbox.sts.sessions.values()].find((s) => s.arn.includes("/entry/"))!;
    expect(assume?.caller).toBe(firstSession.arn);
    const tags = Object.fromEntries(Object.entries(assume!.params).filter(([k]) => k.startsWith("Tags.member.")));
    const pairs: Record<string, string> = {};
    for (let i = 1; tags[`Tags.member.${i}.Key`]; i++)
      pairs[tags[`Tags.member.${i}.Key`]!] = tags[`Tags.member.${i}.Value`]!;
    expect(pairs).toMatchObject({
      Team: "payments",
      GitHub: "Actions",
      Repository: "octo-org/octo-repo",
      Actor: "octocat",
      Branch: "refs/heads/main",
      RunId: "4242424242",
    });
    expect([assume!.params["TransitiveTagKeys.member.1"], assume!.params["TransitiveTagKeys.member.2"]]).toEqual([
      "Team",
      "Repository",
    ]);
    // The intermediate credentials never left the step, but they are masked all the same.
    expectMaskedBeforeUse(step.stdout, step.stderr, [firstSession.secretAccessKey, firstSession.sessionToken!]);
  });

  it("drops the run tags and tries once more when STS answers PackedPolicyTooLarge", async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ maxPackedTags: 2 });
    const step = await main({ "role-to-assume": ENTRY, "chain-roles": TARGET, "custom-tags": '{"Team": "payments"}' });
    expect(step.code).toBe(0);
    expect(step.stdout).toMatch(
      /::warning::STS found the session tags too large \(PackedPolicyTooLarge\); assuming again without the run tags GitHub, Repository/,
    );
    const attempts = calls("AssumeRole");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.params["Tags.member.1.Key"]).toBe("Team");
    expect(attempts[1]!.params["Tags.member.2.Key"]).toBeUndefined();
  });

  it("sends no run tags with role-skip-session-tagging", async () => {
    const step = await main({ "role-to-assume": ENTRY, "chain-roles": TARGET, "role-skip-session-tagging": "true" });
    expect(step.code).toBe(0);
    expect(Object.keys(calls("AssumeRole")[0]!.params).some((k) => k.startsWith("Tags."))).toBe(false);
  });

  it("passes the inline and managed session policies with the first call", async () => {
    const policy =
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}';
    const step = await main({
      "role-to-assume": ENTRY,
      "inline-session-policy": policy,
      "managed-session-policies": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });
    expect(step.code).toBe(0);
    expect(calls("AssumeRoleWithWebIdentity")[0]!.params).toMatchObject({
      Policy: JSON.stringify(JSON.parse(policy)),
      "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });
  });

  it("warns that an external id is ignored with a web identity exchange", async () => {
    const step = await main({ "role-to-assume": ENTRY, "role-external-id": "partner-shared-id" });
    expect(step.code).toBe(0);
    expect(step.stdout).toMatch(/::warning::role-external-id is ignored/);
    expect(step.log).not.toContain("partner-shared-id");
  });
});

describe("source credentials", () => {
  it("assumes a role with access keys, masking the keys and the external id", async () => {
    const user = sandbox.sts.addUser(`arn:aws:iam::${ACCOUNT}:user/ci`);
    const step = await main({
      "aws-access-key-id": user.accessKeyId,
      "aws-secret-access-key": user.secretAccessKey,
      "role-to-assume": PARTNER,
      "role-external-id": "partner-shared-id",
    });
    expect(step.code).toBe(0);
    expect(calls("AssumeRole")[0]).toMatchObject({ caller: user.arn, params: { ExternalId: "partner-shared-id" } });
    expectMaskedBeforeUse(step.stdout, step.stderr, [user.accessKeyId, user.secretAccessKey, "partner-shared-id"]);
    expect(sandbox.issuer.tokenRequests).toHaveLength(0);
  });

  it("is refused without the partner's external id", async () => {
    const user = sandbox.sts.addUser(`arn:aws:iam::${ACCOUNT}:user/ci`);
    const step = await main({
      "aws-access-key-id": user.accessKeyId,
      "aws-secret-access-key": user.secretAccessKey,
      "role-to-assume": PARTNER,
    });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error::STS denied AssumeRole on arn:aws:iam::123456789012:role\/partner: User: arn:aws:iam::123456789012:user\/ci is not authorized/,
    );
  });

  it("expands a bare role name with the source credentials' account", async () => {
    const user = sandbox.sts.addUser(`arn:aws:iam::${ACCOUNT}:user/ci`);
    const step = await main({
      "aws-access-key-id": user.accessKeyId,
      "aws-secret-access-key": user.secretAccessKey,
      "role-to-assume": "target",
    });
    expect(step.code).toBe(0);
    expect(calls("GetCallerIdentity")).toHaveLength(1);
    expect(calls("AssumeRole")[0]!.params.RoleArn).toBe(TARGET);
  });

  it("uses access keys as they are when no role is given, without a session token", async () => {
    const user = sandbox.sts.addUser(`arn:aws:iam::${ACCOUNT}:user/ci`);
    const step = await main({ "aws-access-key-id": user.accessKeyId, "aws-secret-access-key": user.secretAccessKey });
    expect(step.code).toBe(0);
    expect(step.outputs).toEqual({ "aws-account-id": ACCOUNT, "authenticated-arn": user.arn });
    expect(step.env).toEqual({
      AWS_ACCESS_KEY_ID: user.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
  });

  it("keeps valid credentials already in the environment with use-existing-credentials", async () => {
    const first = await main({ "role-to-assume": ENTRY });
    const again = await main({ "role-to-assume": TARGET, "use-existing-credentials": "true" }, first.env);
    expect(again.code).toBe(0);
    expect(again.log).toMatch(
      /The credentials already in the environment are valid \(arn:aws:sts::123456789012:assumed-role\/entry\//,
    );
    expect(calls("AssumeRoleWithWebIdentity")).toHaveLength(1);
    expect(again.env).toEqual({});
  });

  it("does not unset credentials it keeps (use-existing-credentials with unset-current-credentials)", async () => {
    const first = await main({ "role-to-assume": ENTRY });
    const again = await main(
      { "role-to-assume": TARGET, "use-existing-credentials": "true", "unset-current-credentials": "true" },
      first.env,
    );
    expect(again.code).toBe(0);
    expect(again.env).toEqual({});
  });

  it("assumes the role when the existing credentials do not work", async () => {
    const step = await main(
      { "role-to-assume": ENTRY, "use-existing-credentials": "true" },
      { AWS_ACCESS_KEY_ID: "ASIAAAAAAAAAAAAAAAAA", AWS_SECRET_ACCESS_KEY: "nope", AWS_SESSION_TOKEN: "stale" },
    );
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/use-existing-credentials: the credentials in the environment do not work/);
    expect(step.env.AWS_ACCESS_KEY_ID).not.toBe("ASIAAAAAAAAAAAAAAAAA");
  });
});

describe("what the step hands on", () => {
  it("refuses credentials of an account outside allowed-account-ids, exporting nothing", async () => {
    const user = sandbox.sts.addUser("arn:aws:iam::999988887777:user/ci");
    const step = await main({
      "aws-access-key-id": user.accessKeyId,
      "aws-secret-access-key": user.secretAccessKey,
      "allowed-account-ids": ACCOUNT,
    });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error::Input 'allowed-account-ids': the credentials are for account 999988887777, which is not in the list; nothing was exported/,
    );
    expect(step.env).toEqual({});
    expect(step.outputs).toEqual({});
  });

  it("exports only the Region with output-env-credentials: false", async () => {
    const step = await main({
      "role-to-assume": ENTRY,
      "output-env-credentials": "false",
      "output-credentials": "true",
    });
    expect(step.code).toBe(0);
    expect(step.env).toEqual({ AWS_REGION: "us-east-1", AWS_DEFAULT_REGION: "us-east-1" });
    expect(step.outputs["aws-secret-access-key"]).toBeTruthy();
  });

  it("empties stale credentials first with unset-current-credentials, even when the exchange then fails", async () => {
    const step = await main(
      { "role-to-assume": `arn:aws:iam::${ACCOUNT}:role/unknown`, "unset-current-credentials": "true" },
      { AWS_ACCESS_KEY_ID: "AKIAOLDOLDOLDOLDOLD1", AWS_SECRET_ACCESS_KEY: "old" },
    );
    expect(step.code).toBe(1);
    expect(step.env).toEqual({ AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
  });

  it("assumes again until the secret key is letters and digits with special-characters-workaround", async () => {
    const step = await main({ "role-to-assume": ENTRY, "special-characters-workaround": "true" });
    expect(step.code).toBe(0);
    expect(step.env.AWS_SECRET_ACCESS_KEY).toMatch(/^[A-Za-z0-9]+$/);
    const tries = calls("AssumeRoleWithWebIdentity").length;
    expect(step.stdout.match(/assuming again \(special-characters-workaround/g)?.length ?? 0).toBe(tries - 1);
    expect(tries).toBeLessThanOrEqual(30);
  });
});

describe("web-identity-token-file", () => {
  const tokenDir = () => mkdtempSync(join(tmpdir(), "token-"));

  it("reads the token from a file (through a symlink too), trimmed and masked, without asking GitHub", async () => {
    const dir = tokenDir();
    const token = sandbox.issuer.mint(sandbox.issuer.githubClaims("sts.amazonaws.com"));
    writeFileSync(join(dir, "real-token"), `\n${token}\n`);
    symlinkSync(join(dir, "real-token"), join(dir, "token"));
    const step = await main({ "role-to-assume": ENTRY, "web-identity-token-file": join(dir, "token") });
    expect(step.code).toBe(0);
    expect(sandbox.issuer.tokenRequests).toHaveLength(0);
    expect(calls("AssumeRoleWithWebIdentity")[0]!.params.WebIdentityToken).toBe(token);
    expectMaskedBeforeUse(step.stdout, step.stderr, [token]);
  });

  it("refuses a FIFO without hanging, a missing file, and a file that holds no JWT, never echoing the content", async () => {
    const dir = tokenDir();
    execFileSync("mkfifo", [join(dir, "fifo")]);
    writeFileSync(join(dir, "not-a-token"), "SECRET-CONTENT-THAT-IS-NOT-A-JWT");
    const fifo = await main({ "role-to-assume": ENTRY, "web-identity-token-file": join(dir, "fifo") });
    expect(fifo.stdout).toMatch(/::error::The web identity token file .*fifo is not a regular file/);
    const missing = await main({ "role-to-assume": ENTRY, "web-identity-token-file": join(dir, "missing") });
    expect(missing.stdout).toMatch(/::error::Cannot open the web identity token file .*missing \(ENOENT\)/);
    const junk = await main({ "role-to-assume": ENTRY, "web-identity-token-file": join(dir, "not-a-token") });
    expect(junk.stdout).toMatch(/::error::The web identity token file .*not-a-token does not hold a JWT/);
    expectNoneOf([junk.stdout, junk.stderr], ["SECRET-CONTENT"]);
    expect(sandbox.sts.requests).toHaveLength(0);
  });
});
