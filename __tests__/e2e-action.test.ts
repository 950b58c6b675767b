import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { readFileSync } from "node:fs";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { expectMaskedBeforeUse, expectNoneOf } from "./helpers/secrets.js";

const ROLE = "arn:aws:iam::123456789012:role/deploy";
const UNTRUSTED = "arn:aws:iam::123456789012:role/someone-elses";
const MAIN = "dist/main/index.js";
const POST = "dist/post/index.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({
    audiences: ["sts.amazonaws.com", "custom-aud"],
    roles: { [ROLE]: { sub: "repo:octo-org/octo-repo:*" }, [UNTRUSTED]: { sub: "repo:other/*" } },
  });
});
afterEach(() => sandbox.stop());

const job = () => ({ ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url });
const basicInputs = { "role-to-assume": ROLE, "aws-region": "us-east-1" };

describe("main step, end to end against the sandbox", () => {
  it("exchanges the runner's token, exports working credentials, masks every secret first, and the post step clears them", async () => {
    const main = await runStep(MAIN, { inputs: basicInputs, env: job() });
    expect(main.stderr).toBe("");
    expect(main.code).toBe(0);

    expect(sandbox.issuer.tokenRequests).toEqual([{ audience: "sts.amazonaws.com", authorized: true }]);
    expect(sandbox.sts.requests).toHaveLength(1);
    const sent = sandbox.sts.requests[0]!.params;
    expect(sent).toMatchObject({
      Action: "AssumeRoleWithWebIdentity",
      RoleArn: ROLE,
      RoleSessionName: "gha-octo-org.octo-repo-4242424242-1",
      DurationSeconds: "3600",
    });

    const session = sandbox.sts.sessions.get(main.env.AWS_ACCESS_KEY_ID ?? "");
    expect(session).toBeDefined();
    expect(main.env).toEqual({
      AWS_ACCESS_KEY_ID: session!.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session!.secretAccessKey,
      AWS_SESSION_TOKEN: session!.sessionToken,
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
    expect(main.outputs).toEqual({ "aws-account-id": "123456789012", "authenticated-arn": session!.arn });

    const token = sandbox.issuer.issued[0]!;
    const secrets = [token, session!.accessKeyId, session!.secretAccessKey, session!.sessionToken!];
    expectMaskedBeforeUse(main.stdout, main.stderr, secrets);
    expectNoneOf([main.log, readFileSync(main.files.state, "utf8")], secrets);
    expect(main.log).toContain(`Authenticated as ${session!.arn}`);

    // A later step uses them: the SDK signs a real request with the exported variables.
    const client = new STSClient({
      region: "us-east-1",
      endpoint: sandbox.sts.url,
      credentials: {
        accessKeyId: main.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: main.env.AWS_SECRET_ACCESS_KEY!,
        sessionToken: main.env.AWS_SESSION_TOKEN!,
      },
    });
    await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: session!.arn,
      Account: "123456789012",
    });
    client.destroy();

    const post = await runStep(POST, { env: { ...job(), ...main.env }, state: main.state });
    expect(post.code).toBe(0);
    expect(post.env).toEqual({
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_REGION: "",
      AWS_DEFAULT_REGION: "",
    });
    expect(post.log).toContain("Cleared AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN");
  });

  it("passes every foundation input through, and outputs credentials and a masked account id when asked", async () => {
    const main = await runStep(MAIN, {
      inputs: {
        ...basicInputs,
        "aws-region": "eu-west-1",
        audience: "custom-aud",
        "role-session-name": "release-42",
        "role-duration-seconds": "7200",
        "output-credentials": "true",
        "mask-aws-account-id": "true",
        "sts-endpoint": sandbox.sts.url,
      },
      env: sandbox.issuer.githubEnv(),
    });
    expect(main.code).toBe(0);
    expect(sandbox.issuer.tokenRequests[0]?.audience).toBe("custom-aud");
    expect(sandbox.sts.requests[0]?.params).toMatchObject({ RoleSessionName: "release-42", DurationSeconds: "7200" });
    const session = sandbox.sts.sessions.get(main.env.AWS_ACCESS_KEY_ID ?? "")!;
    expect(main.outputs).toEqual({
      "aws-account-id": "123456789012",
      "authenticated-arn": session.arn,
      "aws-access-key-id": session.accessKeyId,
      "aws-secret-access-key": session.secretAccessKey,
      "aws-session-token": session.sessionToken,
      "aws-expiration": session.expiration.toISOString(),
    });
    // The account id is in the role ARN logged before the exchange: it is masked before that line.
    expectMaskedBeforeUse(main.stdout, main.stderr, ["123456789012"]);
    expect(main.log).not.toContain("123456789012");
    expect(main.log).toContain("Assuming arn:aws:iam::***:role/deploy");
  });

  it("tells the user to grant id-token: write when the runner gave no token service, before any request", async () => {
    const env: Record<string, string> = job();
    delete env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    const main = await runStep(MAIN, { inputs: basicInputs, env });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /::error::GitHub did not give this job an OIDC token \(ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN not set\)/,
    );
    expect(main.stdout).toContain("permissions: id-token: write");
    expect(main.stdout).toContain("forks");
    expect(main.env).toEqual({});
    expect(sandbox.sts.requests).toHaveLength(0);
  });

  it("reports a refused bearer from the token service", async () => {
    const main = await runStep(MAIN, {
      inputs: basicInputs,
      env: { ...job(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" },
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/::error::GitHub's token service refused the request \(HTTP 401\)/);
    expect(sandbox.sts.requests).toHaveLength(0);
  });

  it.each([
    [{ "role-to-assume": "deploy" }, /Input 'role-to-assume': 'deploy' is a bare role name/],
    [{ "aws-region": "Europe" }, /Input 'aws-region': 'Europe' is not an AWS Region code/],
    [{ "role-duration-seconds": "99999" }, /Input 'role-duration-seconds': 99999 is out of range/],
    [{ "output-credentials": "yes" }, /Input 'output-credentials': 'yes' is not a boolean/],
    [{ "role-session-name": "has space" }, /Input 'role-session-name': 'has space' has characters STS does not allow/],
  ])("rejects %j before any network call", async (bad, message) => {
    const main = await runStep(MAIN, { inputs: { ...basicInputs, ...bad }, env: job() });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(message);
    expect(sandbox.issuer.tokenRequests).toHaveLength(0);
    expect(sandbox.sts.requests).toHaveLength(0);
    expect(main.env).toEqual({});
  });

  it("fails on AccessDenied with a hint, exports nothing, and leaves the post step nothing to do", async () => {
    const main = await runStep(MAIN, { inputs: { ...basicInputs, "role-to-assume": UNTRUSTED }, env: job() });
    expect(main.code).toBe(1);
    expect(main.stdout).toContain(
      `::error::STS denied AssumeRoleWithWebIdentity on ${UNTRUSTED}: Not authorized to perform sts:AssumeRoleWithWebIdentity`,
    );
    expect(main.stdout).toMatch(/trust policy/);
    expect(sandbox.sts.requests).toHaveLength(1);
    expect(main.env).toEqual({});
    expect(main.outputs).toEqual({});
    expectNoneOf([main.log, main.stderr], sandbox.issuer.issued);

    const post = await runStep(POST, { env: job(), state: main.state });
    expect(post.code).toBe(0);
    expect(post.log).toContain("Nothing to clean up");
    expect(post.env).toEqual({});
  });

  it("explains an audience the account's OIDC provider does not accept", async () => {
    const main = await runStep(MAIN, { inputs: { ...basicInputs, audience: "not-registered" }, env: job() });
    expect(main.code).toBe(1);
    expect(main.stdout).toContain("::error::STS rejected the OIDC token: Incorrect token audience");
    expect(main.stdout).toMatch(/audience list must contain the audience/);
  });

  it("reports an unreachable STS endpoint by its URL", async () => {
    const main = await runStep(MAIN, {
      inputs: { ...basicInputs, "sts-endpoint": "http://127.0.0.1:9" },
      env: sandbox.issuer.githubEnv(),
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/::error::Could not reach STS at http:\/\/127\.0\.0\.1:9/);
    expect(main.env).toEqual({});
  });

  it("post step puts back a region the job had before", async () => {
    const main = await runStep(MAIN, { inputs: basicInputs, env: { ...job(), AWS_REGION: "ap-south-1" } });
    expect(main.code).toBe(0);
    const post = await runStep(POST, { env: { ...job(), ...main.env }, state: main.state });
    expect(post.env.AWS_REGION).toBe("ap-south-1");
    expect(post.env.AWS_SECRET_ACCESS_KEY).toBe("");
  });
});
