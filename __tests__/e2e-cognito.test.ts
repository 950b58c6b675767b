import { startMoto, type Moto } from "../sandbox/moto.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { cliWorkspace, runCli } from "./helpers/cli.js";

/** The Cognito identity pool exchange (GetId + GetCredentialsForIdentity) against moto, through the real SDK. */

let moto: Moto;
let sandbox: Sandbox;
let poolId: string;
beforeAll(async () => {
  [moto, sandbox] = await Promise.all([startMoto(), startSandbox()]);
  const created = await fetch(`${moto.url}/`, {
    method: "POST",
    headers: {
      "x-amz-target": "AWSCognitoIdentityService.CreateIdentityPool",
      "content-type": "application/x-amz-json-1.1",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/cognito-identity/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify({
      IdentityPoolName: "ci",
      AllowUnauthenticatedIdentities: false,
      OpenIdConnectProviderARNs: ["arn:aws:iam::123456789012:oidc-provider/issuer"],
    }),
  });
  poolId = ((await created.json()) as { IdentityPoolId: string }).IdentityPoolId;
});
afterAll(async () => {
  await Promise.all([moto?.stop(), sandbox?.stop()]);
});

it("exchanges the ID token at the identity pool and hands the credentials to the same sinks", async () => {
  const w = cliWorkspace(sandbox);
  const r = await runCli(
    ["env", "--format", "json", "--cognito-identity-pool-id", poolId, "--cognito-endpoint", moto.url, "--verbose"],
    w.env,
  );
  expect(r.stderr).toMatch(/aws-oidc: Cognito identity us-east-1:[0-9a-f-]+; getting its credentials\./);
  expect(r.code).toBe(0);
  const vars = JSON.parse(r.stdout) as Record<string, string>;
  expect(vars.AWS_ACCESS_KEY_ID).toBeTruthy();
  expect(vars.AWS_SESSION_TOKEN).toBeTruthy();
  expect(vars.AWS_REGION).toBe("eu-west-1");
  expect(sandbox.sts.requests).toHaveLength(0);
  const process = await runCli(
    ["credential-process", "--cognito-identity-pool-id", poolId, "--cognito-endpoint", moto.url],
    w.env,
  );
  expect(JSON.parse(process.stdout)).toMatchObject({ Version: 1 });
});

it("rejects a malformed pool id before any request", async () => {
  const w = cliWorkspace(sandbox);
  const r = await runCli(["env", "--cognito-identity-pool-id", "my-pool", "--cognito-endpoint", moto.url], w.env);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/'my-pool' is not an identity pool id/);
});

it("writes a Cognito identity's credentials to a named profile", async () => {
  const w = cliWorkspace(sandbox);
  const r = await runCli(
    ["profile", "--profile", "cognito", "--cognito-identity-pool-id", poolId, "--cognito-endpoint", moto.url],
    w.env,
  );
  expect(r.code).toBe(0);
  const { readFileSync } = await import("node:fs");
  expect(readFileSync(`${w.home}/.aws/credentials`, "utf8")).toMatch(
    /\[cognito\]\naws_access_key_id = .+\naws_secret_access_key = .+\naws_session_token = .+\n/,
  );
});
