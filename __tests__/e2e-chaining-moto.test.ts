import { execFileSync } from "node:child_process";
import { startMotoWithAuth, type Moto } from "../sandbox/moto.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";

/**
 * Role chaining against moto with its request-signature check on: AssumeRole must carry a
 * valid SigV4 signature made from the first role's credentials, or moto refuses it.
 */

const ACCOUNT = "123456789012";
const FIRST = `arn:aws:iam::${ACCOUNT}:role/ci-entry`;
const SECOND = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});
const mayAssume = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*" }],
});
const SETUP = [
  { Action: "CreateRole", Version: "2010-05-08", RoleName: "ci-entry", AssumeRolePolicyDocument: trust },
  {
    Action: "PutRolePolicy",
    Version: "2010-05-08",
    RoleName: "ci-entry",
    PolicyName: "may-assume",
    PolicyDocument: mayAssume,
  },
  { Action: "CreateRole", Version: "2010-05-08", RoleName: "deployer", AssumeRolePolicyDocument: trust },
];

let sandbox: Sandbox;
let moto: Moto | undefined;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
afterEach(async () => {
  await moto?.stop();
  moto = undefined;
});

const job = (endpoint: string) => ({ ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: endpoint });

it("assumes a web identity role, then chains to a second role in the same step with a valid signature", async () => {
  // One unauthenticated action left after the setup: the unsigned AssumeRoleWithWebIdentity.
  moto = await startMotoWithAuth(SETUP, 1);
  const step = await runStep("dist/main/index.js", {
    inputs: {
      "role-to-assume": FIRST,
      "chain-roles": SECOND,
      "aws-region": "us-east-1",
      "role-duration-seconds": "1800",
    },
    env: job(moto.url),
  });
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  expect(step.outputs["authenticated-arn"]).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/deployer/gha-`));
  expect(step.log).toContain(`Assuming ${SECOND} with AssumeRole`);
});

it("chains from the previous step's exported credentials with role-chaining, and the AWS CLI uses the result", async () => {
  moto = await startMotoWithAuth(SETUP, 1);
  const first = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": FIRST, "aws-region": "us-east-1" },
    env: job(moto.url),
  });
  expect(first.code).toBe(0);
  const second = await runStep("dist/main/index.js", {
    inputs: {
      "role-to-assume": SECOND,
      "role-chaining": "true",
      "aws-region": "us-east-1",
      "custom-tags": '{"Team": "payments"}',
      "transitive-tag-keys": "Team",
    },
    env: { ...job(moto.url), ...first.env },
  });
  expect(second.stderr).toBe("");
  expect(second.code).toBe(0);
  expect(second.outputs["authenticated-arn"]).toMatch(/assumed-role\/deployer\//);
  expect(second.env.AWS_ACCESS_KEY_ID).not.toBe(first.env.AWS_ACCESS_KEY_ID);
  // The source secret is masked in the chained step too.
  expect(second.masks).toContain(first.env.AWS_SECRET_ACCESS_KEY);

  const identity = JSON.parse(
    execFileSync("aws", ["sts", "get-caller-identity", "--endpoint-url", moto.url, "--output", "json"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: second.workDir, ...second.env },
    }),
  ) as { Arn: string };
  expect(identity.Arn).toBe(second.outputs["authenticated-arn"]);
});

it("is refused by moto when the chaining credentials do not sign correctly", async () => {
  moto = await startMotoWithAuth(SETUP, 1);
  const first = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": FIRST, "aws-region": "us-east-1" },
    env: job(moto.url),
  });
  expect(first.code).toBe(0);
  const tampered = { ...first.env, AWS_SECRET_ACCESS_KEY: `x${first.env.AWS_SECRET_ACCESS_KEY}` };
  const second = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": SECOND, "role-chaining": "true", "aws-region": "us-east-1" },
    env: { ...job(moto.url), ...tampered },
  });
  expect(second.code).toBe(1);
  expect(second.stdout).toMatch(/::error::STS rejected the source credentials \(SignatureDoesNotMatch\)/);
  expect(second.env).toEqual({});
});
