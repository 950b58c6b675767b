import { readClaims } from "../src/diagnose/claims.js";
import { diagnoseRefusal, type Refusal } from "../src/diagnose/refusal.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";

const ROLE = "arn:aws:iam::123456789012:role/deploy";
const NOW = new Date("2026-11-22T10:00:00Z");
const exp = String(NOW.getTime() / 1000 + 300);
const base: Refusal = {
  code: "AccessDenied",
  detail: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
  roleArn: ROLE,
  now: NOW,
  claims: {
    iss: "https://token.actions.githubusercontent.com",
    sub: "repo:octo-org/octo-repo:ref:refs/heads/main",
    aud: "sts.amazonaws.com",
    exp,
  },
};
const text = (r: Partial<Refusal>) => diagnoseRefusal({ ...base, ...r }).join("\n");

describe("diagnoseRefusal names the usual mistake", () => {
  it("prints the claims and the condition that matches this token", () => {
    const out = text({});
    expect(out).toContain("  sub: repo:octo-org/octo-repo:ref:refs/heads/main");
    expect(out).toContain('"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"');
    expect(out).toContain('"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"');
    expect(out).toContain("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
  });

  it("audience mismatch", () => {
    expect(
      text({
        code: "InvalidIdentityToken",
        detail: "Incorrect token audience",
        claims: { ...base.claims, aud: "my-app" },
      }),
    ).toMatch(/Audience mismatch: the token's aud is 'my-app'/);
  });

  it("missing OIDC provider", () => {
    expect(
      text({
        code: "InvalidIdentityToken",
        detail: "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
      }),
    ).toMatch(
      /Missing OIDC provider: account 123456789012 has no IAM OIDC provider for https:\/\/token\.actions\.githubusercontent\.com\. Create it: aws iam create-open-id-connect-provider/,
    );
  });

  it("StringEquals with a wildcard", () => {
    expect(text({})).toMatch(/Wildcards: StringEquals compares '\*' literally\. Use StringLike/);
  });

  it("immutable-id sub format", () => {
    expect(
      text({ claims: { ...base.claims, sub: "repo:octo-org@5678901/octo-repo@123456789:ref:refs/heads/main" } }),
    ).toMatch(
      /Immutable subject: this repository's sub carries owner and repository ids \(octo-org@5678901\/octo-repo@123456789\)/,
    );
    expect(text({})).toMatch(
      /Subject format: this sub uses names only\. .*repo:octo-org@<owner id>\/octo-repo@<repo id>/,
    );
    expect(text({ claims: { ...base.claims, repository_owner_id: "5678901", repository_id: "123456789" } })).toContain(
      "the immutable form repo:octo-org@5678901/octo-repo@123456789:…",
    );
  });

  it("environment and pull-request subjects that a branch condition misses", () => {
    expect(text({ claims: { ...base.claims, sub: "repo:octo-org/octo-repo:environment:production" } })).toMatch(
      /Environment: the job runs in environment 'production'/,
    );
    expect(text({ claims: { ...base.claims, sub: "repo:octo-org/octo-repo:pull_request" } })).toMatch(
      /Pull request: the sub ends in :pull_request/,
    );
  });

  it("expired token", () => {
    expect(
      text({
        code: "ExpiredTokenException",
        detail: "Token expired",
        claims: { ...base.claims, exp: String(NOW.getTime() / 1000 - 60) },
      }),
    ).toMatch(/Expired token: it expired at 2026-11-22T09:59:00\.000Z/);
  });
});

describe("readClaims", () => {
  it("keeps only the named claims, never the signature", () => {
    const payload = Buffer.from(
      JSON.stringify({ iss: "i", sub: "s", aud: ["a", "b"], secret_claim: "x", environment: "prod" }),
    ).toString("base64url");
    expect(readClaims(`h.${payload}.SIGNATURE`, ["environment"])).toEqual({
      iss: "i",
      sub: "s",
      aud: "a, b",
      environment: "prod",
    });
    expect(readClaims("not-a-jwt", [])).toBeUndefined();
  });
});

describe("diagnosis in the action's log", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ roles: { [ROLE]: { sub: "repo:octo-org/octo-repo:ref:refs/heads/main" } } });
  });
  afterEach(() => sandbox.stop());

  it("explains an environment job refused by a branch-only trust policy, without printing the token", async () => {
    sandbox.issuer.github = { ...sandbox.issuer.github, environment: "production", immutableSub: true };
    const step = await runStep("dist/main/index.js", {
      inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1" },
      env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url },
    });
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      "Diagnosis: STS refused the token (AccessDenied) for arn:aws:iam::123456789012:role/deploy.",
    );
    expect(step.log).toContain("  sub: repo:octo-org@5678901/octo-repo@123456789:environment:production");
    expect(step.log).toContain("  job_workflow_ref: octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main");
    expect(step.log).toContain("  repository_id: 123456789");
    expect(step.log).toMatch(/Environment: the job runs in environment 'production'/);
    expect(step.log).toMatch(/Immutable subject/);
    for (const token of sandbox.issuer.issued) {
      const rest = step.stdout.replace(`::add-mask::${token}\n`, "");
      expect(rest).not.toContain(token.split(".")[1]);
      expect(rest).not.toContain(token.split(".")[2]);
    }
  });

  it("explains an audience the provider does not list", async () => {
    const step = await runStep("dist/main/index.js", {
      inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", audience: "my-app" },
      env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url },
    });
    expect(step.code).toBe(1);
    expect(step.log).toMatch(/Audience mismatch: the token's aud is 'my-app'/);
  });
});
