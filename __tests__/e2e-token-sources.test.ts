import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CI_SHAPES } from "../sandbox/ci-claims.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";
import { runCli } from "./helpers/cli.js";
import { expectMaskedBeforeUse } from "./helpers/secrets.js";

/**
 * Each token source through its real interface (variables, a fake buildkite-agent / circleci
 * first on PATH, the Azure DevOps token endpoint, files), then a real exchange at the sandbox
 * STS, which checks the issuer, the audience and the CI's subject.
 */

const ROLE = "arn:aws:iam::123456789012:role/ci";
let sandbox: Sandbox;
let dir: string;

beforeEach(async () => {
  sandbox = await startSandbox({
    audiences: ["sts.amazonaws.com", ...Object.values(CI_SHAPES).map((s) => s.audience)],
  });
  dir = mkdtempSync(join(tmpdir(), "sources-"));
});
afterEach(() => sandbox.stop());

/** A fake CI tool that records its arguments, says something on stderr, and prints a token. */
function fakeTool(name: string, token: string): { argsFile: string; pathDir: string } {
  const pathDir = join(dir, "bin");
  mkdirSync(pathDir, { recursive: true });
  const argsFile = join(dir, `${name}.args`);
  writeFileSync(join(dir, `${name}.token`), token);
  writeFileSync(
    join(pathDir, name),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho "${name}: minted a token" >&2\ncat '${join(dir, `${name}.token`)}'\n`,
  );
  chmodSync(join(pathDir, name), 0o755);
  return { argsFile, pathDir };
}

const base = () => ({ HOME: dir, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_STS: sandbox.sts.url });
const assumed = () => sandbox.sts.requests.filter((r) => r.action === "AssumeRoleWithWebIdentity");

async function envJson(args: string[], env: Record<string, string>) {
  const r = await runCli(["env", "--format", "json", "--role-arn", ROLE, ...args], env);
  return { ...r, json: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, string>) : undefined };
}

describe("CI sources", () => {
  it("GitLab: the id_tokens variable, a project/pipeline session name, and the audience mismatch said", async () => {
    const env = { ...base(), ...CI_SHAPES.gitlab.env, AWS_OIDC_TOKEN: sandbox.issuer.mintFor("gitlab") };
    const r = await envJson([], env);
    expect(r.code).toBe(0);
    expect(assumed()[0]?.params.RoleSessionName).toBe("gitlab-platform.payments-987654-1234567");
    const renamed = await envJson(["--token-variable", "VAULT_ID_TOKEN"], {
      ...base(),
      ...CI_SHAPES.gitlab.env,
      VAULT_ID_TOKEN: sandbox.issuer.mintFor("gitlab"),
    });
    expect(renamed.code).toBe(0);
    const other = await envJson(["--audience", "custom-aud"], env);
    expect(other.stderr).toContain(
      "GitLab's id_tokens variable AWS_OIDC_TOKEN gave a token for audience 'sts.amazonaws.com', not the 'custom-aud' asked for",
    );
    const missing = await envJson([], { ...base(), ...CI_SHAPES.gitlab.env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /GitLab CI: AWS_OIDC_TOKEN is not set\.\n {2}hint: Declare it in the job:\n {4}id_tokens:\n {6}AWS_OIDC_TOKEN:/,
    );
  });

  it("CircleCI: the V2 variable when its audience fits, else `circleci run oidc get` for the audience", async () => {
    const tool = fakeTool("circleci", sandbox.issuer.mintFor("circleci", "sts.amazonaws.com"));
    const env = {
      ...base(),
      ...CI_SHAPES.circleci.env,
      CIRCLE_OIDC_TOKEN_V2: sandbox.issuer.mintFor("circleci"),
      PATH: `${tool.pathDir}:${process.env.PATH}`,
    };
    const custom = await envJson([], env);
    expect(custom.code).toBe(0);
    expect(readFileSync(tool.argsFile, "utf8")).toBe('run\noidc\nget\n--claims\n{"aud":"sts.amazonaws.com"}\n');
    expect(assumed()[0]?.params.RoleSessionName).toBe("circleci-app-512");
    const org = await envJson(["--audience", CI_SHAPES.circleci.audience], { ...env, PATH: process.env.PATH ?? "" });
    expect(org.code).toBe(0);
  });

  it("Buildkite: buildkite-agent oidc request-token --audience, its stderr shown", async () => {
    const tool = fakeTool("buildkite-agent", sandbox.issuer.mintFor("buildkite"));
    const r = await envJson(["--verbose"], {
      ...base(),
      ...CI_SHAPES.buildkite.env,
      PATH: `${tool.pathDir}:${process.env.PATH}`,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(tool.argsFile, "utf8")).toBe("oidc\nrequest-token\n--audience\nsts.amazonaws.com\n");
    expect(r.stderr).toContain("buildkite-agent oidc request-token: buildkite-agent: minted a token");
    const absent = await envJson([], { ...base(), ...CI_SHAPES.buildkite.env, PATH: "/usr/bin:/bin" });
    expect(absent.stderr).toMatch(/buildkite-agent oidc request-token could not be started \(not found on PATH\)/);
  });

  it("Bitbucket: BITBUCKET_STEP_OIDC_TOKEN for the workspace's audience", async () => {
    const r = await envJson(["--audience", CI_SHAPES.bitbucket.audience], {
      ...base(),
      ...CI_SHAPES.bitbucket.env,
      BITBUCKET_STEP_OIDC_TOKEN: sandbox.issuer.mintFor("bitbucket"),
    });
    expect(r.code).toBe(0);
    const missing = await envJson([], { ...base(), ...CI_SHAPES.bitbucket.env });
    expect(missing.stderr).toMatch(
      /Bitbucket Pipelines: BITBUCKET_STEP_OIDC_TOKEN is not set\.\n {2}hint: Add `oidc: true` to the step/,
    );
  });

  it("Azure DevOps: POST to SYSTEM_OIDCREQUESTURI for the service connection", async () => {
    const env = {
      ...base(),
      ...CI_SHAPES["azure-devops"].env,
      SYSTEM_OIDCREQUESTURI: sandbox.issuer.azureRequestUri,
      SYSTEM_ACCESSTOKEN: sandbox.issuer.azureAccessToken,
    };
    const r = await envJson(
      ["--audience", "api://AzureADTokenExchange", "--azure-service-connection-id", "svc-123"],
      env,
    );
    expect(r.code).toBe(0);
    expect(sandbox.issuer.tokenRequests).toEqual([{ audience: "svc-123", authorized: true }]);
    expect(assumed()[0]?.params.RoleSessionName).toBe("ado-payments-api-2048-1");
    const refused = await envJson(["--azure-service-connection-id", "svc-123"], {
      ...env,
      SYSTEM_ACCESSTOKEN: "wrong",
    });
    expect(refused.stderr).toMatch(/Azure DevOps' token service refused the request \(HTTP 401\)/);
    const noConnection = await envJson([], env);
    expect(noConnection.stderr).toMatch(/Azure DevOps: the service connection id not set/);
  });

  it("HCP Terraform: TFC_WORKLOAD_IDENTITY_TOKEN, or the tagged one named", async () => {
    const token = sandbox.issuer.mintFor("terraform");
    const plain = await envJson(["--audience", "aws.workload.identity"], {
      ...base(),
      ...CI_SHAPES.terraform.env,
      TFC_WORKLOAD_IDENTITY_TOKEN: token,
    });
    expect(plain.code).toBe(0);
    const tagged = {
      ...base(),
      ...CI_SHAPES.terraform.env,
      TFC_WORKLOAD_IDENTITY_TOKEN_AWS: token,
      TFC_WORKLOAD_IDENTITY_TOKEN_VAULT: token,
    };
    const ambiguous = await envJson([], tagged);
    expect(ambiguous.stderr).toMatch(
      /several tagged tokens and none chosen[\s\S]*TFC_WORKLOAD_IDENTITY_TOKEN_AWS, TFC_WORKLOAD_IDENTITY_TOKEN_VAULT/,
    );
    const chosen = await envJson(
      ["--token-variable", "TFC_WORKLOAD_IDENTITY_TOKEN_AWS", "--audience", "aws.workload.identity"],
      tagged,
    );
    expect(chosen.code).toBe(0);
  });

  it("Spacelift: SPACELIFT_OIDC_TOKEN", async () => {
    const r = await envJson(["--audience", "acme.app.spacelift.io"], {
      ...base(),
      ...CI_SHAPES.spacelift.env,
      SPACELIFT_OIDC_TOKEN: sandbox.issuer.mintFor("spacelift"),
    });
    expect(r.code).toBe(0);
    expect(assumed()[0]?.params.RoleSessionName).toBe("spacelift-network-01HXYZ");
  });

  it("lists what it looked for when no CI is detected", async () => {
    const r = await envJson([], base());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "No OIDC token source found. Looked for: GITHUB_ACTIONS, GITLAB_CI, CIRCLECI, BUILDKITE, BITBUCKET_BUILD_NUMBER, TF_BUILD (Azure DevOps), TFC_WORKLOAD_IDENTITY_TOKEN*, SPACELIFT_OIDC_TOKEN",
    );
  });

  it("token-source overrides detection", async () => {
    const env = { ...base(), ...CI_SHAPES.gitlab.env, MY_TOKEN: sandbox.issuer.mintFor("gitlab") };
    const r = await envJson(["--token-source", "env", "--token-variable", "MY_TOKEN"], env);
    expect(r.code).toBe(0);
    const bad = await envJson(["--token-source", "jenkins"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Option --token-source \/ AWS_OIDC_TOKEN_SOURCE: 'jenkins' is not a token source/);
  });
});

describe("command and file sources", () => {
  it("runs a token command with the audience, shows its stderr, and cuts it at the timeout", async () => {
    const tokenFile = join(dir, "t");
    writeFileSync(tokenFile, sandbox.issuer.mint({ sub: "jenkins:job", aud: "sts.amazonaws.com" }));
    const ok = await envJson(["--token-command", `echo "asking for $AWS_OIDC_AUDIENCE" >&2; cat ${tokenFile}`], base());
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain("token-command: asking for sts.amazonaws.com");
    const started = Date.now();
    const slow = await envJson(["--token-command", "sleep 30", "--timeout", "2", "--retry-max-attempts", "1"], base());
    expect(Date.now() - started).toBeLessThan(8000);
    expect(slow.stderr).toMatch(/token-command did not finish within \d+ ms/);
    const failing = await envJson(["--token-command", "echo nope >&2; exit 3"], base());
    expect(failing.stderr).toMatch(/token-command failed \(exit code 3\)/);
  });

  it("masks a command's token in the GitHub step log", async () => {
    const tokenFile = join(dir, "t");
    const token = sandbox.issuer.mint({ sub: "x", aud: "sts.amazonaws.com" });
    writeFileSync(tokenFile, token);
    const step = await runStep("dist/main/index.js", {
      inputs: {
        "role-to-assume": ROLE,
        "aws-region": "us-east-1",
        "token-source": "command",
        "token-command": `cat ${tokenFile}`,
      },
      env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url },
    });
    expect(step.code).toBe(0);
    expect(sandbox.issuer.tokenRequests).toHaveLength(0);
    expectMaskedBeforeUse(step.stdout, step.stderr, [token]);
  });

  it("refuses token files that are devices, FIFOs or directories behind symlinks, and re-reads a rotated file", async () => {
    execFileSync("mkfifo", [join(dir, "fifo")]);
    mkdirSync(join(dir, "adir"));
    for (const [target, problem] of [
      ["/dev/zero", "is not a regular file"],
      [join(dir, "fifo"), "is not a regular file"],
      [join(dir, "adir"), "is not a regular file"],
    ] as const) {
      const link = join(dir, `link-${Math.random()}`);
      symlinkSync(target, link);
      const r = await envJson(["--token-file", link], base());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(problem);
    }
    const file = join(dir, "rotating");
    writeFileSync(file, sandbox.issuer.mint({ sub: "first", aud: "sts.amazonaws.com" }));
    expect((await envJson(["--token-file", file], base())).code).toBe(0);
    writeFileSync(file, sandbox.issuer.mint({ sub: "second", aud: "sts.amazonaws.com" }));
    expect((await envJson(["--token-file", file], base())).code).toBe(0);
    expect(
      assumed().map(
        (r) => JSON.parse(Buffer.from(r.params.WebIdentityToken!.split(".")[1]!, "base64url").toString()).sub,
      ),
    ).toEqual(["first", "second"]);
  });
});
