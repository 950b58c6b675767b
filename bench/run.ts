/**
 * `npm run bench`: start-up, bundle size, the shell path against the AWS CLI, ten roles
 * against one, and time to failure — measured side by side on loopback against the sandbox,
 * interleaved so the ratios hold on a noisy machine. Prints a table and writes
 * .bench/results.json. Options: --runs N (default 15), --quick (skip the hung-STS case).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { node24, ROOT } from "../sandbox/runner.js";

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1] ?? 0) || 15;
const QUICK = args.includes("--quick");

interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function timed(
  command: string,
  argv: string[],
  env: Record<string, string>,
  cwd = tmpdir(),
): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { env: { PATH: process.env.PATH ?? "", ...env }, cwd, stdio: "ignore" });
    child.on("close", (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code }));
  });
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Runs each case once per round, in turn, for `runs` rounds; every run must exit as expected. */
async function sideBySide(
  cases: Record<string, { run: () => Promise<{ ms: number; code: number | null }>; expect: number }>,
  runs = RUNS,
): Promise<Record<string, Stats>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < runs; round++) {
    for (const [name, c] of Object.entries(cases)) {
      const { ms, code } = await c.run();
      if (code !== c.expect) throw new Error(`${name} exited ${code}, expected ${c.expect}`);
      samples[name]!.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)]));
}

function stepEnv(sandbox: Sandbox, dir: string, inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    ...sandbox.issuer.githubEnv(),
    AWS_ENDPOINT_URL_STS: sandbox.sts.url,
    HOME: dir,
    RUNNER_TEMP: dir,
  };
  for (const f of ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE"]) {
    env[f] = join(dir, f.toLowerCase());
    writeFileSync(env[f]!, "");
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

async function main(): Promise<void> {
  const node = node24();
  const ROLE = "arn:aws:iam::123456789012:role/bench";
  const DENIED = "arn:aws:iam::123456789012:role/denied";
  const roles = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [ROLE.replace("bench", `bench${i}`), {}]));
  const sandbox = await startSandbox({ roles: { ...roles, [ROLE]: {}, [DENIED]: { sub: "nobody" } } });
  const dir = mkdtempSync(join(tmpdir(), "aws-oidc-bench-"));
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  const row = (name: string, s: Stats) =>
    lines.push(`| ${name} | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} | ${s.runs} |`);
  try {
    // 1. The action's steps as the runner starts them, against a bare Node start.
    const inputs = { "role-to-assume": ROLE, "aws-region": "us-east-1" };
    const state = JSON.stringify({
      env: {
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_SESSION_TOKEN: "",
        AWS_REGION: "",
        AWS_DEFAULT_REGION: "",
      },
    });
    const startup = await sideBySide({
      "node -e 0": { run: () => timed(node, ["-e", "0"], {}), expect: 0 },
      "main step (token + STS + export)": {
        run: () => timed(node, [join(ROOT, "dist/main/index.js")], stepEnv(sandbox, dir, inputs)),
        expect: 0,
      },
      // Informational: a second role by AssumeRole, the path that loads the AWS SDK to sign.
      "main step, chained to a second role (AWS SDK)": {
        run: () =>
          timed(
            node,
            [join(ROOT, "dist/main/index.js")],
            stepEnv(sandbox, dir, { ...inputs, "chain-roles": ROLE.replace("bench", "bench0") }),
          ),
        expect: 0,
      },
      "post step": {
        run: () =>
          timed(node, [join(ROOT, "dist/post/index.js")], { ...stepEnv(sandbox, dir, {}), STATE_cleanup: state }),
        expect: 0,
      },
    });
    results.startup = startup;

    // 3. The shell path against the AWS CLI doing the same exchange.
    const token = sandbox.issuer.mint({ aud: "sts.amazonaws.com", sub: "bench" }, 3600);
    const awsCli = statSync("/usr/bin/aws", { throwIfNoEntry: false }) ? "/usr/bin/aws" : "aws";
    const shell = await sideBySide({
      "scripts/aws-oidc.sh (dash + curl)": {
        run: () =>
          timed("dash", ["-c", `. ${join(ROOT, "scripts/aws-oidc.sh")}`], {
            HOME: dir,
            AWS_OIDC_TOKEN: token,
            AWS_OIDC_ROLE_ARN: ROLE,
            AWS_OIDC_REGION: "us-east-1",
            AWS_OIDC_ENDPOINT: sandbox.sts.url,
          }),
        expect: 0,
      },
      [`${awsCli} sts assume-role-with-web-identity`]: {
        run: () =>
          timed(
            awsCli,
            [
              "sts",
              "assume-role-with-web-identity",
              "--endpoint-url",
              sandbox.sts.url,
              "--region",
              "us-east-1",
              "--role-arn",
              ROLE,
              "--role-session-name",
              "bench",
              "--web-identity-token",
              token,
            ],
            { HOME: dir },
          ),
        expect: 0,
      },
    });
    results.shell = shell;

    // 4. Ten roles into ten profiles, against one role into one.
    const cli = join(ROOT, "dist/cli/index.js");
    const cliEnv = () => {
      const home = mkdtempSync(join(dir, "home-"));
      const tokenFile = join(home, "token");
      writeFileSync(tokenFile, token);
      return {
        HOME: home,
        AWS_REGION: "us-east-1",
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ENDPOINT_URL_STS: sandbox.sts.url,
      };
    };
    const ten = Array.from({ length: 10 }, (_, i) => ["--role", `p${i}=${ROLE.replace("bench", `bench${i}`)}`]).flat();
    const profiles = await sideBySide({
      "one role -> one profile": {
        run: () => timed(node, [cli, "profile", "--profile", "p", "--role-arn", ROLE], cliEnv()),
        expect: 0,
      },
      "ten roles -> ten profiles": { run: () => timed(node, [cli, "profile", ...ten], cliEnv()), expect: 0 },
    });
    results.profiles = profiles;

    // 5. Time until failure with default settings.
    const failures: Record<string, Stats> = await sideBySide({
      AccessDenied: {
        run: () =>
          timed(
            node,
            [join(ROOT, "dist/main/index.js")],
            stepEnv(sandbox, dir, { ...inputs, "role-to-assume": DENIED }),
          ),
        expect: 1,
      },
    });
    const throttled = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      sandbox.sts.faults.clear();
      sandbox.sts.faults.add({ kind: "error", code: "Throttling", message: "Rate exceeded" }, 1000);
      throttled.push((await timed(node, [join(ROOT, "dist/main/index.js")], stepEnv(sandbox, dir, inputs))).ms);
    }
    failures["persistent Throttling (5 attempts)"] = stats(throttled);
    if (!QUICK) {
      sandbox.sts.faults.clear();
      sandbox.sts.faults.add({ kind: "hang" }, 1000);
      failures["hung STS (10 s per attempt, 5 attempts)"] = stats([
        (await timed(node, [join(ROOT, "dist/main/index.js")], stepEnv(sandbox, dir, inputs))).ms,
      ]);
    }
    sandbox.sts.faults.clear();
    results.failures = failures;

    // 2. Bundle sizes.
    const sizes: Record<string, number> = {};
    for (const bundle of readdirSync(join(ROOT, "dist"))) {
      for (const file of readdirSync(join(ROOT, "dist", bundle))) {
        if (file.endsWith(".js")) sizes[`dist/${bundle}/${file}`] = statSync(join(ROOT, "dist", bundle, file)).size;
      }
    }
    results.sizes = sizes;

    lines.push("| case | median ms | min | max | runs |", "| --- | --- | --- | --- | --- |");
    for (const group of [startup, shell, profiles, failures])
      for (const [name, s] of Object.entries(group)) row(name, s);
    lines.push("", "| bundle | bytes |", "| --- | --- |", ...Object.entries(sizes).map(([f, b]) => `| ${f} | ${b} |`));

    const mainOver = startup["main step (token + STS + export)"]!.median - startup["node -e 0"]!.median;
    const postOver = startup["post step"]!.median - startup["node -e 0"]!.median;
    const [shellStats, cliStats] = Object.values(shell) as [Stats, Stats];
    const [one, tenStats] = Object.values(profiles) as [Stats, Stats];
    const budgets = [
      [`main step within 60 ms of node -e 0 (median): +${mainOver.toFixed(1)} ms`, mainOver <= 60],
      [`post step over node -e 0 (median): +${postOver.toFixed(1)} ms`, true],
      [
        `shell path <= 1/10 of the AWS CLI: ${(shellStats.median / cliStats.median).toFixed(3)}`,
        shellStats.median <= cliStats.median / 10,
      ],
      [
        `ten roles <= 1.5x one role: ${(tenStats.median / one.median).toFixed(2)}x`,
        tenStats.median <= one.median * 1.5,
      ],
      [
        `AccessDenied reported in under 1 s: ${failures.AccessDenied!.median.toFixed(0)} ms`,
        failures.AccessDenied!.median < 1000,
      ],
    ] as const;
    lines.push("", ...budgets.map(([text, ok]) => `${ok ? "PASS" : "FAIL"} ${text}`));
    results.budgets = Object.fromEntries(budgets.map(([text, ok]) => [text, ok]));
    mkdirSync(join(ROOT, ".bench"), { recursive: true });
    writeFileSync(
      join(ROOT, ".bench", "results.json"),
      `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, ...results }, null, 2)}\n`,
    );
    console.log(lines.join("\n"));
    console.log(`\nWrote .bench/results.json`);
    if (budgets.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
