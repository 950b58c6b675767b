import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { node24, ROOT } from "../sandbox/runner.js";

/**
 * The GitLab CI/CD component, run for real by gitlab-ci-local on a pipeline that includes it
 * locally, and the packed CircleCI orb's command, run the way CircleCI runs a step.
 * In both, a later line uses the credentials with the AWS CLI against the sandbox STS.
 */

const run = promisify(execFile);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    roles: {
      "arn:aws:iam::123456789012:role/ci": { sub: "project_path:acme/app:*" },
      "arn:aws:iam::123456789012:role/orb": {},
    },
  });
});
afterAll(() => sandbox.stop());

function pipeline(ci: string): string {
  const dir = mkdtempSync(join(tmpdir(), "glci-"));
  mkdirSync(join(dir, "templates"));
  writeFileSync(join(dir, "templates", "aws-oidc.yml"), readFileSync(join(ROOT, "templates", "aws-oidc.yml")));
  writeFileSync(join(dir, ".gitlab-ci.yml"), ci);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("remote", "add", "origin", "git@gitlab.example.test:acme/app.git");
  git("add", "-A");
  git("-c", "user.email=ci@example.test", "-c", "user.name=ci", "commit", "-qm", "pipeline");
  return dir;
}

async function gitlabCiLocal(dir: string, job: string, variables: Record<string, string>) {
  const args = [
    join(ROOT, "node_modules/gitlab-ci-local/dist/index.js"),
    ...Object.entries(variables).flatMap(([k, v]) => ["--variable", `${k}=${v}`]),
    job,
  ];
  return run(node24(), args, { cwd: dir, env: { ...process.env, HOME: dir }, maxBuffer: 10 * 1024 * 1024 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
}

describe("GitLab CI/CD component (gitlab-ci-local)", () => {
  const INCLUDE = `include:
  - local: templates/aws-oidc.yml
    inputs:
      role_arn: arn:aws:iam::123456789012:role/ci
      region: eu-west-1
      stage: test
`;
  const identity = `aws sts get-caller-identity --endpoint-url "$AWS_OIDC_ENDPOINT" --query Arn --output text`;

  it("a job that extends the hidden job gets credentials for its later script lines", async () => {
    const dir = pipeline(`${INCLUDE}
deploy:
  extends: .aws-oidc
  script:
    - ${identity}
`);
    const token = sandbox.issuer.mint({
      aud: "sts.amazonaws.com",
      sub: "project_path:acme/app:ref_type:branch:ref:main",
    });
    const result = await gitlabCiLocal(dir, "deploy", { AWS_OIDC_TOKEN: token, AWS_OIDC_ENDPOINT: sandbox.sts.url });
    expect(result.stdout).toMatch(/deploy > arn:aws:sts::123456789012:assumed-role\/ci\/gitlab-/);
    expect(result.stdout).toContain("PASS  deploy");
    expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  });

  it("the script can be referenced in a job's own before_script, and a refusal fails the job", async () => {
    const dir = pipeline(`${INCLUDE}
own:
  stage: test
  variables:
    AWS_OIDC_ROLE_ARN: arn:aws:iam::123456789012:role/ci
    AWS_OIDC_REGION: eu-west-1
  before_script:
    - !reference [.aws-oidc-script, script]
  script:
    - ${identity}
`);
    const denied = sandbox.issuer.mint({
      aud: "sts.amazonaws.com",
      sub: "project_path:other/app:ref_type:branch:ref:main",
    });
    const result = await gitlabCiLocal(dir, "own", { AWS_OIDC_TOKEN: denied, AWS_OIDC_ENDPOINT: sandbox.sts.url });
    const log = readFileSync(join(dir, ".gitlab-ci-local", "output", "own.log"), "utf8");
    expect(log).toContain("aws-oidc: error: STS denied AssumeRoleWithWebIdentity on arn:aws:iam::123456789012:role/ci");
    expect(log).toContain("  sub: project_path:other/app:ref_type:branch:ref:main");
    expect(result.stdout).toContain("FAIL  own");
    // The job stopped at the failed line: the script line that would use credentials never ran.
    expect(log).not.toMatch(/assumed-role/);
    expect(log).not.toContain(denied);
  });

  it("declares typed, validated inputs and inlines the current script", () => {
    const text = readFileSync(join(ROOT, "templates", "aws-oidc.yml"), "utf8");
    const [header] = text.split("\n---\n");
    const spec = parse(header ?? "") as {
      spec: { inputs: Record<string, { description: string; type?: string; regex?: string; default?: unknown }> };
    };
    expect(Object.keys(spec.spec.inputs)).toEqual([
      "role_arn",
      "region",
      "audience",
      "session_name",
      "duration",
      "token_variable",
      "stage",
      "job_prefix",
    ]);
    for (const input of Object.values(spec.spec.inputs)) expect(input.description).toBeTruthy();
    expect(new RegExp(spec.spec.inputs.role_arn!.regex!).test("arn:aws:iam::123456789012:role/ci")).toBe(true);
    expect(new RegExp(spec.spec.inputs.role_arn!.regex!).test("ci")).toBe(false);
    const script = readFileSync(join(ROOT, "scripts", "aws-oidc.sh"), "utf8");
    expect(text.replace(/^ {6}/gm, "")).toContain(script.trimEnd());
  });
});

describe("CircleCI orb", () => {
  const orb = parse(readFileSync(join(ROOT, "orb", "orb.yml"), "utf8")) as {
    version: number;
    commands: Record<
      string,
      {
        parameters: Record<string, { type: string; default?: unknown }>;
        steps: { run: { environment: Record<string, string>; command: string } }[];
      }
    >;
    jobs: Record<string, { steps: unknown[] }>;
    examples: Record<string, { usage: unknown }>;
  };

  it("packs the sources: the script inlined, every parameter declared, examples and job present", () => {
    expect(orb.version).toBe(2.1);
    const command = orb.commands["assume-role"]!;
    const run = command.steps[0]!.run;
    expect(run.command).toBe(readFileSync(join(ROOT, "scripts", "aws-oidc.sh"), "utf8"));
    const used = [...JSON.stringify(orb.commands).matchAll(/<<parameters\.([a-z_]+)>>/g)].map((m) => m[1]);
    for (const name of used) expect(Object.keys(command.parameters)).toContain(name);
    expect(command.parameters.token_variable).toMatchObject({ type: "env_var_name", default: "CIRCLE_OIDC_TOKEN_V2" });
    expect(Object.keys(orb.jobs)).toEqual(["with-role"]);
    expect(Object.keys(orb.examples)).toEqual(["assume-role"]);
  });

  it("its step, run as CircleCI runs it, leaves the credentials in $BASH_ENV for the next step only", async () => {
    const command = orb.commands["assume-role"]!;
    const dir = mkdtempSync(join(tmpdir(), "circle-"));
    const bashEnv = join(dir, "bash_env");
    writeFileSync(bashEnv, "");
    // CircleCI fills the parameters into the step's environment, then runs the command with bash -eo pipefail.
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(command.steps[0]!.run.environment)) {
      environment[name] = String(value).replace(/<<parameters\.([a-z_]+)>>/g, (_, p: string) =>
        p === "role_arn"
          ? "arn:aws:iam::123456789012:role/orb"
          : p === "endpoint"
            ? sandbox.sts.url
            : String(command.parameters[p]?.default ?? ""),
      );
    }
    const token = sandbox.issuer.mint({ aud: "sts.amazonaws.com", sub: "org/x/project/y/user/z" });
    const base = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      BASH_ENV: bashEnv,
      CIRCLECI: "true",
      CIRCLE_BUILD_NUM: "7",
      CIRCLE_PROJECT_REPONAME: "app",
    };
    const step = await run("bash", ["-eo", "pipefail", "-c", command.steps[0]!.run.command], {
      env: { ...base, ...environment, CIRCLE_OIDC_TOKEN_V2: token },
    });
    expect(step.stderr).toContain("aws-oidc: assumed arn:aws:sts::123456789012:assumed-role/orb/circleci-app-7");
    expect(step.stdout).toBe("");
    const next = await run(
      "bash",
      ["-c", `aws sts get-caller-identity --endpoint-url ${sandbox.sts.url} --query Arn --output text`],
      { env: base },
    );
    expect(next.stdout.trim()).toMatch(/^arn:aws:sts::123456789012:assumed-role\/orb\/circleci-app-7$/);
    expect(readFileSync(bashEnv, "utf8")).not.toContain(token);
  });
});
