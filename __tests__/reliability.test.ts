import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Fault } from "../sandbox/faults.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { ROOT, runStep, type StepResult } from "../sandbox/runner.js";
import { cliWorkspace, runCli } from "./helpers/cli.js";
import { findLeaks } from "./helpers/leak-scan.js";

/**
 * The reliability suite: leaks in every scenario, injection through inputs, and concurrent
 * runs sharing one ~/.aws.
 */

const ROLE = "arn:aws:iam::123456789012:role/ci";
const DENIED = "arn:aws:iam::123456789012:role/denied";
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({
    roles: { [ROLE]: {}, [DENIED]: { sub: "nobody" }, "arn:aws:iam::123456789012:role/next": {} },
  });
});
afterEach(() => sandbox.stop());

/** Every secret the sandbox handed out in this run: tokens, access key ids, secret keys, session tokens. */
function secretsOfRun(): string[] {
  return [
    ...sandbox.issuer.issued,
    ...[...sandbox.sts.sessions.values()].flatMap((s) => [
      s.accessKeyId,
      s.secretAccessKey,
      ...(s.sessionToken ? [s.sessionToken] : []),
    ]),
  ];
}

const job = () => ({ ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url });
const stepEvidence = (step: StepResult) => ({
  texts: { stdout: step.stdout, stderr: step.stderr },
  files: [step.files.state],
});

describe("leak scan: the action", () => {
  const scenarios: [string, Record<string, string>, Fault | undefined, number][] = [
    ["success", {}, undefined, 0],
    ["success with output-credentials", { "output-credentials": "true" }, undefined, 0],
    ["chained roles", { "chain-roles": "arn:aws:iam::123456789012:role/next" }, undefined, 0],
    ["AccessDenied", { "role-to-assume": DENIED }, undefined, 1],
    ["an audience not registered", { audience: "nope" }, undefined, 1],
    ["persistent throttling", { "retry-max-attempts": "2" }, { kind: "error", code: "Throttling" }, 1],
    ["a truncated answer", { "retry-max-attempts": "2" }, { kind: "truncated" }, 1],
    ["a hung STS", { "action-timeout-s": "1" }, { kind: "hang" }, 1],
    ["a bad input", { "role-duration-seconds": "1" }, undefined, 1],
  ];
  it.each(scenarios)("%s", async (_name, inputs, fault, code) => {
    if (fault) sandbox.sts.faults.add(fault, 100);
    const main = await runStep("dist/main/index.js", {
      inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", ...inputs },
      env: job(),
    });
    expect(main.code).toBe(code);
    const post = await runStep("dist/post/index.js", { env: { ...job(), ...main.env }, state: main.state });
    expect(
      findLeaks(
        {
          texts: { ...stepEvidence(main).texts, postStdout: post.stdout, postStderr: post.stderr },
          files: [main.files.state, post.files.env],
        },
        secretsOfRun(),
      ),
    ).toEqual([]);
    if (code !== 0) expect(main.env).toEqual({});
  });

  it("role-profiles: the profile files are the only place, and they are 0600", async () => {
    const home = mkdtempSync(join(tmpdir(), "leak-home-"));
    const main = await runStep("dist/main/index.js", {
      inputs: { "role-profiles": `a=${ROLE}\nb=${ROLE}`, "aws-region": "us-east-1" },
      env: { ...job(), HOME: home },
    });
    expect(main.code).toBe(0);
    const evidence = { ...stepEvidence(main), destinations: [join(home, ".aws", "credentials")] };
    expect(findLeaks(evidence, secretsOfRun())).toEqual([]);
  });
});

describe("leak scan: the CLI and the shell script", () => {
  it("CLI env, credential-process, profile and failures print secrets only where asked", async () => {
    const w = cliWorkspace(sandbox);
    const env = await runCli(["env", "--role-arn", ROLE], w.env);
    const denied = await runCli(["env", "--role-arn", DENIED, "--verbose"], w.env);
    const process = await runCli(["credential-process", "--role-arn", ROLE], w.env);
    const profile = await runCli(["profile", "--profile", "p", "--role-arn", ROLE, "--verbose"], w.env);
    expect([env.code, denied.code, process.code, profile.code]).toEqual([0, 1, 0, 0]);
    const cache = join(w.home, ".aws", "aws-oidc", "cache");
    const cacheFile = join(cache, (await promisify(execFile)("ls", [cache])).stdout.trim());
    const leaks = findLeaks(
      {
        texts: {
          envStderr: env.stderr,
          denied: denied.stdout + denied.stderr,
          processStderr: process.stderr,
          profile: profile.stdout + profile.stderr,
        },
        destinations: [cacheFile, join(w.home, ".aws", "credentials")],
      },
      secretsOfRun(),
    );
    expect(leaks).toEqual([]);
    // The token never reaches stdout, even where credentials do.
    expect(
      findLeaks({ texts: { envStdout: env.stdout, processStdout: process.stdout } }, sandbox.issuer.issued),
    ).toEqual([]);
  });

  it("the shell script prints no secret on success or failure, even under set -x", async () => {
    const token = sandbox.issuer.mint({ aud: "sts.amazonaws.com", sub: "x" });
    const run = (role: string) =>
      promisify(execFile)("dash", ["-c", `set -x; . ${join(ROOT, "scripts/aws-oidc.sh")}; echo done`], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: tmpdir(),
          AWS_OIDC_TOKEN: token,
          AWS_OIDC_ROLE_ARN: role,
          AWS_OIDC_REGION: "us-east-1",
          AWS_OIDC_ENDPOINT: sandbox.sts.url,
        },
      }).catch((error: { stdout: string; stderr: string }) => error);
    const ok = await run(ROLE);
    const bad = await run(DENIED);
    expect(findLeaks({ texts: { ok: ok.stdout + ok.stderr, bad: bad.stdout + bad.stderr } }, secretsOfRun())).toEqual(
      [],
    );
  });
});

describe("injection through inputs", () => {
  const PAYLOADS = [
    "x\n::set-env name=AWS_ACCESS_KEY_ID::AKIAINJECTED",
    "x\n::set-output name=aws-account-id::999999999999",
    "x\r\n::add-path::/tmp/evil",
    "ghadelimiter_00000000\nAWS_REGION=evil",
    "x\u2028::set-env name=EVIL::1",
    "x\u2029::stop-commands::token",
    "$(touch /tmp/aws-oidc-injected)`id`;|&<>",
    "::error::fake failure",
  ];
  const INPUTS = [
    "audience",
    "role-session-name",
    "custom-tags",
    "inline-session-policy",
    "token-variable",
    "aws-region",
    "role-to-assume",
    "http-proxy",
    "allowed-account-ids",
  ];

  it.each(INPUTS)("no payload in %s adds or changes a variable, an output or a command", async (input) => {
    for (const payload of PAYLOADS) {
      const value =
        input === "custom-tags"
          ? JSON.stringify({ Team: payload })
          : input === "inline-session-policy"
            ? JSON.stringify({ Statement: [], Sid: payload })
            : payload;
      const step = await runStep("dist/main/index.js", {
        inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1", [input]: value },
        env: job(),
      });
      const extraEnv = Object.keys(step.env).filter(
        (k) =>
          ![
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
          ].includes(k),
      );
      expect({ input, payload, extraEnv }).toEqual({ input, payload, extraEnv: [] });
      if (step.code === 0) {
        expect(step.env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
        expect(step.env.AWS_REGION).toBe("us-east-1");
        expect(step.outputs["aws-account-id"]).toBe("123456789012");
      }
      // Every workflow command in the log is one of ours, at the start of its own line.
      const commands = step.stdout.split(/\r?\n/).filter((line) => line.startsWith("::"));
      for (const line of commands) expect(line).toMatch(/^::(add-mask|error|warning|debug)::/);
      expect(step.stdout).not.toMatch(/[\r\n\u2028\u2029]::(set-env|set-output|add-path|stop-commands)/);
      expect(commands.filter((line) => line.startsWith("::error::")).length).toBeLessThanOrEqual(1);
    }
  });
});

describe("concurrency", () => {
  it("parallel action runs sharing one ~/.aws lose no profile, and their post steps remove exactly theirs", async () => {
    const home = mkdtempSync(join(tmpdir(), "shared-home-"));
    mkdirSync(join(home, ".aws"), { mode: 0o700 });
    const mine = "[mine]\naws_access_key_id = AKIAMINE000000000000\naws_secret_access_key = keep\n";
    writeFileSync(join(home, ".aws", "credentials"), mine, { mode: 0o600 });
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        runStep("dist/main/index.js", {
          inputs: { "role-profiles": `r${i}a=${ROLE}\nr${i}b=${ROLE}`, "aws-region": "us-east-1" },
          env: { ...job(), HOME: home },
        }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(6).fill(0));
    const credentials = readFileSync(join(home, ".aws", "credentials"), "utf8");
    for (let i = 0; i < 6; i++) for (const suffix of ["a", "b"]) expect(credentials).toContain(`[r${i}${suffix}]\n`);
    const posts = await Promise.all(
      runs.map((r) => runStep("dist/post/index.js", { env: { ...job(), HOME: home }, state: r.state })),
    );
    expect(posts.map((p) => p.code)).toEqual(Array(6).fill(0));
    expect(readFileSync(join(home, ".aws", "credentials"), "utf8")).toBe(mine);
    expect(readFileSync(join(home, ".aws", "config"), "utf8")).toBe("");
  });
});
