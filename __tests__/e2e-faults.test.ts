import type { Fault } from "../sandbox/faults.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { expectNoneOf } from "./helpers/secrets.js";

/** The fault matrix: the sandbox's fault knobs against the built action. */

const ROLE = "arn:aws:iam::123456789012:role/deploy";
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({
    roles: { [ROLE]: { sub: "repo:octo-org/*" }, "arn:aws:iam::123456789012:role/nobody": { sub: "repo:other/*" } },
  });
});
afterEach(() => sandbox.stop());

const run = (inputs: Record<string, string> = {}) =>
  runStep("dist/main/index.js", {
    inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", ...inputs },
    env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url },
  });

const awrwi = () => sandbox.sts.requests.filter((r) => r.action === "AssumeRoleWithWebIdentity").length;

describe("recoverable faults are retried and the step succeeds", () => {
  it.each<[string, Fault, number, RegExp]>([
    [
      "STS throttling",
      { kind: "error", code: "Throttling", message: "Rate exceeded" },
      2,
      /attempt 1\/5 failed \(Throttling\); retrying in \d+ ms/,
    ],
    ["STS HTTP 503", { kind: "status", status: 503 }, 2, /attempt 2\/5 failed/],
    [
      "STS IDPCommunicationError",
      { kind: "error", code: "IDPCommunicationError", message: "could not reach the IdP" },
      1,
      /IDPCommunicationError/,
    ],
    ["STS InternalFailure", { kind: "error", code: "InternalFailure", status: 500 }, 1, /InternalFailure/],
    [
      "provider keys not fetched",
      {
        kind: "error",
        code: "InvalidIdentityToken",
        message: "Couldn't retrieve verification key from your identity provider",
      },
      1,
      /InvalidIdentityToken/,
    ],
    ["a reset connection", { kind: "drop" }, 2, /attempt 2\/5 failed/],
    ["a truncated XML body", { kind: "truncated" }, 1, /MalformedResponse/],
  ])("%s", async (_name, fault, times, logLine) => {
    sandbox.sts.faults.add(fault, times);
    const step = await run();
    expect(step.stdout).toMatch(logLine);
    expect(step.code).toBe(0);
    expect(awrwi()).toBe(times + 1);
    expect(step.env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
  });

  it.each<[string, Fault]>([
    ["token service HTTP 503", { kind: "status", status: 503 }],
    ["token service reset", { kind: "drop" }],
    ["token service truncated body", { kind: "truncated" }],
  ])("%s", async (_name, fault) => {
    sandbox.issuer.faults.add(fault, 1);
    const step = await run();
    expect(step.stdout).toMatch(/OIDC token request attempt 1\/5 failed/);
    expect(step.code).toBe(0);
    expect(sandbox.issuer.tokenRequests).toHaveLength(2);
  });
});

describe("persistent faults fail clearly, in time, and export nothing", () => {
  it("AccessDenied fails after exactly one attempt", async () => {
    const step = await run({ "role-to-assume": "arn:aws:iam::123456789012:role/nobody" });
    expect(step.code).toBe(1);
    expect(awrwi()).toBe(1);
    expect(step.stdout).not.toMatch(/retrying/);
    expect(step.env).toEqual({});
  });

  it("persistent throttling stops at retry-max-attempts with STS's message", async () => {
    sandbox.sts.faults.add({ kind: "error", code: "Throttling", message: "Rate exceeded" }, 100);
    const step = await run({ "retry-max-attempts": "3" });
    expect(step.code).toBe(1);
    expect(awrwi()).toBe(3);
    expect(step.stdout).toContain(
      "::error::STS AssumeRoleWithWebIdentity failed (HTTP 400) with Throttling: Rate exceeded",
    );
    expect(step.env).toEqual({});
    expect(step.outputs).toEqual({});
  });

  it("persistent throttling stops at the action-timeout-s deadline", async () => {
    sandbox.sts.faults.add({ kind: "error", code: "Throttling", message: "Rate exceeded" }, 100);
    const started = Date.now();
    const step = await run({ "retry-max-attempts": "20", "action-timeout-s": "2" });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error::Gave up on STS AssumeRoleWithWebIdentity after \d+ attempts?: the next one would start after the overall deadline \(action-timeout-s\)\. Last error: .*Throttling/,
    );
    expect(step.env).toEqual({});
  });

  it("disable-retry makes one attempt", async () => {
    sandbox.sts.faults.add({ kind: "status", status: 503 }, 1);
    const step = await run({ "disable-retry": "true" });
    expect(step.code).toBe(1);
    expect(awrwi()).toBe(1);
    expect(step.stdout).toMatch(
      /::error::STS AssumeRoleWithWebIdentity failed: http:\/\/127\.0\.0\.1:\d+ answered HTTP 503 without an STS error document/,
    );
  });

  it("a hung STS is cut by the deadline", async () => {
    sandbox.sts.faults.add({ kind: "hang" }, 100);
    const started = Date.now();
    const step = await run({ "action-timeout-s": "2" });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(1500);
    expect(elapsed).toBeLessThan(5000);
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error::(Gave up on AssumeRoleWithWebIdentity: the overall deadline|STS at .* did not answer in time)/,
    );
    expect(step.env).toEqual({});
  });

  it("a hung token service is cut by the deadline", async () => {
    sandbox.issuer.faults.add({ kind: "hang" }, 100);
    const started = Date.now();
    const step = await run({ "action-timeout-s": "2" });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error::(Could not reach GitHub's token service: no answer in \d+ ms|Gave up on OIDC token request)/,
    );
    expect(sandbox.sts.requests).toHaveLength(0);
  });

  it("never leaks the token in any failure", async () => {
    sandbox.sts.faults.add({ kind: "error", code: "ValidationError", message: "bad" }, 1);
    const step = await run();
    expect(step.code).toBe(1);
    expectNoneOf([step.log, step.stderr], sandbox.issuer.issued);
  });
});
