import { execFileSync } from "node:child_process";
import { startMoto, type Moto } from "../sandbox/moto.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { awsClis } from "./helpers/aws-cli.js";

/**
 * The action against moto's STS (not ours), then the real AWS CLI using the exported
 * variables in a later step. Every AWS CLI on PATH is tried (the image's v1, Debian's v2);
 * CI sets AWS_OIDC_REQUIRE_AWSCLI_V2=1 so a missing v2 fails instead of passing on v1 alone.
 */

const ROLE = "arn:aws:iam::210987654321:role/moto-deploy";

let moto: Moto;
let sandbox: Sandbox;
beforeAll(async () => {
  [moto, sandbox] = await Promise.all([startMoto(), startSandbox()]);
});
afterAll(async () => {
  await Promise.all([moto?.stop(), sandbox?.stop()]);
});

it("exports credentials from moto's STS that the real AWS CLI accepts in the next step", async () => {
  const clis = awsClis();
  expect(clis.length).toBeGreaterThan(0);
  if (process.env.AWS_OIDC_REQUIRE_AWSCLI_V2 === "1")
    expect(clis.some((c) => c.version.startsWith("aws-cli/2."))).toBe(true);

  const main = await runStep("dist/main/index.js", {
    inputs: { "role-to-assume": ROLE, "aws-region": "eu-central-1" },
    env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: moto.url },
  });
  expect(main.stderr).toBe("");
  expect(main.code).toBe(0);
  expect(main.outputs["aws-account-id"]).toBe("210987654321");
  expect(main.env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);

  for (const cli of clis) {
    // Only what a later step would have: PATH, a clean HOME, and the exported variables.
    const identity = JSON.parse(
      execFileSync(cli.path, ["sts", "get-caller-identity", "--endpoint-url", moto.url, "--output", "json"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: main.workDir, ...main.env },
      }),
    ) as { Arn: string; Account: string };
    expect({ cli: cli.version.split(" ")[0], ...identity }).toMatchObject({
      Account: "210987654321",
      Arn: main.outputs["authenticated-arn"],
    });
  }
});
