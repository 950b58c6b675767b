import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { PROXY_ONLY_DOMAIN, startProxy, type SandboxProxy } from "../sandbox/proxy.js";
import { runStep } from "../sandbox/runner.js";
import { expectMaskedBeforeUse } from "./helpers/secrets.js";

/**
 * The token request and STS both go through the proxy: their hosts (*.sandbox.test) resolve
 * nowhere but inside the proxy, so success proves the traffic went through it.
 */

const ROLE = "arn:aws:iam::123456789012:role/deploy";
const AUTH = { user: "ci-user", password: "pr0xy-s3cret" };
let sandbox: Sandbox;
let proxy: SandboxProxy;

beforeEach(async () => {
  [sandbox, proxy] = await Promise.all([startSandbox(), startProxy(AUTH)]);
});
afterEach(async () => {
  await Promise.all([sandbox.stop(), proxy.stop()]);
});

/** The sandbox URLs with their host replaced by a name only the proxy resolves. */
function viaProxyOnly(url: string, name: string): string {
  const u = new URL(url);
  return `${u.protocol}//${name}.${PROXY_ONLY_DOMAIN}:${u.port}${u.pathname}${u.search}`;
}

function job(): Record<string, string> {
  const env = sandbox.issuer.githubEnv();
  return {
    ...env,
    ACTIONS_ID_TOKEN_REQUEST_URL: viaProxyOnly(env.ACTIONS_ID_TOKEN_REQUEST_URL!, "token"),
    AWS_ENDPOINT_URL_STS: viaProxyOnly(sandbox.sts.url, "sts"),
  };
}
const proxyWithAuth = () => proxy.url.replace("http://", `http://${AUTH.user}:${AUTH.password}@`);
const expectedAuth = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString("base64")}`;

it("sends the token request and STS through http-proxy, and masks the proxy's password", async () => {
  const step = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", "http-proxy": proxyWithAuth() },
    env: job(),
  });
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  expect(proxy.seen.map((s) => s.target.split(":")[0])).toEqual([
    `token.${PROXY_ONLY_DOMAIN}`,
    `sts.${PROXY_ONLY_DOMAIN}`,
  ]);
  expect(proxy.seen.every((s) => s.auth === expectedAuth)).toBe(true);
  expectMaskedBeforeUse(step.stdout, step.stderr, [AUTH.password]);
  expect(step.log).not.toContain(AUTH.password);
});

it("honours HTTPS_PROXY / HTTP_PROXY from the environment, masking their credentials too", async () => {
  const step = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1" },
    env: { ...job(), HTTP_PROXY: proxyWithAuth(), HTTPS_PROXY: proxyWithAuth() },
  });
  expect(step.code).toBe(0);
  expect(proxy.seen).toHaveLength(2);
  expect(step.masks).toContain(AUTH.password);
});

it("bypasses the proxy for no-proxy hosts", async () => {
  const step = await runStep("dist/main/index.js", {
    inputs: {
      "role-to-assume": ROLE,
      "aws-region": "us-east-1",
      "http-proxy": proxyWithAuth(),
      "no-proxy": `token.${PROXY_ONLY_DOMAIN}`,
    },
    env: job(),
  });
  // Without the proxy the name does not resolve: the token request fails at once, STS is never asked.
  expect(step.code).toBe(1);
  expect(step.stdout).toMatch(/::error::Could not reach GitHub's token service: .*ENOTFOUND/);
  expect(proxy.seen).toHaveLength(0);
  expect(sandbox.sts.requests).toHaveLength(0);
});

it("reports a proxy that refuses the credentials", async () => {
  const step = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", "http-proxy": proxy.url, "disable-retry": "true" },
    env: job(),
  });
  expect(step.code).toBe(1);
  expect(step.stdout).toMatch(/::error::Could not reach GitHub's token service/);
});
