import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { startProxy, type SandboxProxy } from "../sandbox/proxy.js";
import { runStep } from "../sandbox/runner.js";

/**
 * Which STS endpoint the action really calls for each Region and option, seen from a proxy
 * that records the CONNECT target and refuses it (nothing leaves the machine). Our own
 * messages must name the same endpoint. (config-parts.test.ts holds the rules to the AWS
 * SDK's own endpoint resolver.)
 */

let sandbox: Sandbox;
let proxy: SandboxProxy;
beforeAll(async () => {
  [sandbox, proxy] = await Promise.all([
    startSandbox({ audiences: ["sts.amazonaws.com", "sts.amazonaws.com.cn"] }),
    startProxy(),
  ]);
});
afterAll(async () => {
  await Promise.all([sandbox.stop(), proxy.stop()]);
});

it.each([
  ["us-east-1", "aws", {}, "sts.us-east-1.amazonaws.com", "sts.amazonaws.com"],
  ["eu-west-3", "aws", { "use-fips-endpoint": "true" }, "sts-fips.eu-west-3.amazonaws.com", "sts.amazonaws.com"],
  ["us-east-2", "aws", { "use-dualstack-endpoint": "true" }, "sts.us-east-2.api.aws", "sts.amazonaws.com"],
  ["us-gov-west-1", "aws-us-gov", {}, "sts.us-gov-west-1.amazonaws.com", "sts.amazonaws.com"],
  // GovCloud's regular endpoints are its FIPS endpoints: there is no sts-fips host there.
  [
    "us-gov-east-1",
    "aws-us-gov",
    { "use-fips-endpoint": "true" },
    "sts.us-gov-east-1.amazonaws.com",
    "sts.amazonaws.com",
  ],
  ["cn-north-1", "aws-cn", {}, "sts.cn-north-1.amazonaws.com.cn", "sts.amazonaws.com.cn"],
])("%s (%s) %j calls %s and asks for audience %s", async (region, partition, options, host, audience) => {
  const seenBefore = proxy.seen.length;
  const tokensBefore = sandbox.issuer.tokenRequests.length;
  const step = await runStep("dist/main/index.js", {
    inputs: {
      "role-to-assume": `arn:${partition}:iam::123456789012:role/deploy`,
      "aws-region": region,
      "http-proxy": proxy.url,
      "disable-retry": "true",
      ...options,
    },
    env: sandbox.issuer.githubEnv(),
  });
  expect(step.code).toBe(1);
  expect(proxy.seen.slice(seenBefore).map((s) => s.target)).toEqual([`${host}:443`]);
  expect(sandbox.issuer.tokenRequests[tokensBefore]?.audience).toBe(audience);
  expect(step.stdout).toContain(`https://${host}`);
});

it("honours AWS_USE_FIPS_ENDPOINT from the job's environment", async () => {
  const seenBefore = proxy.seen.length;
  await runStep("dist/main/index.js", {
    inputs: {
      "role-to-assume": "arn:aws:iam::123456789012:role/deploy",
      "aws-region": "us-west-2",
      "http-proxy": proxy.url,
      "disable-retry": "true",
    },
    env: { ...sandbox.issuer.githubEnv(), AWS_USE_FIPS_ENDPOINT: "true" },
  });
  expect(proxy.seen.slice(seenBefore).map((s) => s.target)).toEqual(["sts-fips.us-west-2.amazonaws.com:443"]);
});
