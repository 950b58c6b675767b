import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { callerIdentityWithEveryCli } from "./helpers/aws-cli.js";
import { cliWorkspace, runCli } from "./helpers/cli.js";
import { fromIni } from "@aws-sdk/credential-provider-ini";
import { fromProcess } from "@aws-sdk/credential-provider-process";
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";

/** The built CLI, end to end against the sandbox STS, read back by the tools users have. */

const ROLE = "arn:aws:iam::123456789012:role/ci";
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

const calls = (action: string) => sandbox.sts.requests.filter((r) => r.action === action);

// Asynchronous on purpose: the sandbox answers from this process, so a synchronous child would deadlock.
const run = promisify(execFile);

/** Every AWS CLI (v1 and v2) with only a clean HOME and the given variables; the sandbox checks their SigV4 signatures. */
async function awsCli(env: Record<string, string>, args: string[] = []): Promise<{ Arn: string }> {
  const answers = await callerIdentityWithEveryCli(sandbox.sts.url, env, args);
  expect(new Set(answers.map((a) => a.Arn)).size).toBe(1);
  return answers[0]!;
}

describe("usage", () => {
  it("prints help for the tool and each command, its version, and exits 2 on bad usage", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Commands:\n {2}env .*\n {2}exec .*\n {2}credential-process .*\n {2}profile .*\n {2}console .*\n {2}login .*\n {2}claims /,
    );
    expect(help.stdout).toContain("Exit codes:");
    for (const command of ["env", "exec", "credential-process", "profile", "console", "login", "claims"]) {
      const r = await runCli([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: aws-oidc ${command}`);
      expect(r.stdout).toContain("--role-arn VALUE");
    }
    expect((await runCli(["--version"])).stdout).toBe(`${JSON.parse(readFileSync("package.json", "utf8")).version}\n`);
    const unknown = await runCli(["frobnicate"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badOption = await runCli(["env", "--rol-arn", "x"]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--rol-arn'/);
  });

  it("names the option (and its variable) in a configuration error, before any request", async () => {
    const w = cliWorkspace(sandbox);
    const r = await runCli(["env", "--role-arn", "ci"], w.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^aws-oidc: error: Option --role-arn \/ AWS_ROLE_ARN: 'ci' is a bare role name, not a role ARN\.\n {2}hint: /,
    );
    const format = await runCli(["env", "--role-arn", ROLE, "--format", "csh"], w.env);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/Input '--format': 'csh' is not a format/);
    expect(sandbox.sts.requests).toHaveLength(0);
  });

  it("exits 1 with the diagnosis on stderr when STS refuses", async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ roles: {} });
    const w = cliWorkspace(sandbox);
    const r = await runCli(["env", "--role-arn", ROLE], w.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Diagnosis: STS refused the token (AccessDenied)");
    expect(r.stderr).toContain("  sub: system:serviceaccount:ci:deployer");
    expect(r.stderr).not.toContain(readFileSync(w.tokenFile, "utf8"));
  });
});

describe("env", () => {
  it("prints sh exports that eval into working credentials (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE from the environment)", async () => {
    const w = cliWorkspace(sandbox);
    const r = await runCli(["env"], { ...w.env, AWS_ROLE_ARN: ROLE });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const script = `eval "$(cat)"; aws sts get-caller-identity --endpoint-url ${sandbox.sts.url} --output text --query Arn`;
    const child = run("sh", ["-c", script], { env: { PATH: process.env.PATH ?? "", HOME: w.home } });
    child.child.stdin?.end(r.stdout);
    const arn = (await child).stdout.trim();
    expect(arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/ci\/aws-oidc-\d+$/);
  });

  it("prints json, dotenv and fish that their readers parse to the same values", async () => {
    const w = cliWorkspace(sandbox);
    const json = JSON.parse((await runCli(["env", "--role-arn", ROLE, "--format", "json"], w.env)).stdout) as Record<
      string,
      string
    >;
    expect(Object.keys(json)).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_CREDENTIAL_EXPIRATION",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ]);
    const dotenv = parseDotenv((await runCli(["env", "--role-arn", ROLE, "--format", "dotenv"], w.env)).stdout);
    expect(Object.keys(dotenv)).toEqual(Object.keys(json));
    expect(dotenv.AWS_SECRET_ACCESS_KEY).toMatch(/^[A-Za-z0-9+/=]{40}$/);
    const fish = (await runCli(["env", "--role-arn", ROLE, "--format", "fish"], w.env)).stdout;
    const seen = execFileSync("fish", ["-c", `${fish}; printf '%s' $AWS_SESSION_TOKEN`], { encoding: "utf8" });
    expect(sandbox.sts.sessions.has(fish.match(/AWS_ACCESS_KEY_ID '([^']+)'/)?.[1] ?? "")).toBe(true);
    expect(seen).toBe(sandbox.sts.sessions.get(fish.match(/AWS_ACCESS_KEY_ID '([^']+)'/)?.[1] ?? "")?.sessionToken);
  });
});

describe("exec", () => {
  it("gives the credentials to the child only, and passes its exit code on", async () => {
    const w = cliWorkspace(sandbox);
    const r = await runCli(
      [
        "exec",
        "--role-arn",
        ROLE,
        "--",
        "sh",
        "-c",
        'test -z "$AWS_PROFILE" && printf %s "$AWS_ACCESS_KEY_ID"; exit 7',
      ],
      { ...w.env, AWS_PROFILE: "other" },
    );
    expect(r.code).toBe(7);
    expect(sandbox.sts.sessions.has(r.stdout)).toBe(true);
  });

  it("ends with the child's signal, and exits 127 for a missing command", async () => {
    const w = cliWorkspace(sandbox);
    const killed = await runCli(["exec", "--role-arn", ROLE, "--", "sh", "-c", "kill -TERM $$"], w.env);
    expect(killed.signal).toBe("SIGTERM");
    const missing = await runCli(["exec", "--role-arn", ROLE, "--", "no-such-command-here"], w.env);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/Could not run 'no-such-command-here': command not found/);
  });
});

describe("credential-process", () => {
  it("prints Version 1 JSON, caches it 0600 in a 0700 directory, and reuses it until shortly before expiry", async () => {
    const w = cliWorkspace(sandbox);
    const args = ["credential-process", "--role-arn", ROLE, "--duration", "900"];
    const first = JSON.parse((await runCli(args, w.env)).stdout) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]);
    expect(first.Version).toBe(1);
    const cacheDir = join(w.home, ".aws", "aws-oidc", "cache");
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const again = JSON.parse((await runCli(args, w.env)).stdout) as Record<string, unknown>;
    expect(again.AccessKeyId).toBe(first.AccessKeyId);
    expect(calls("AssumeRoleWithWebIdentity")).toHaveLength(1);
    // 900 s credentials, refreshed when fewer than 1000 s remain: a new exchange.
    const refreshed = JSON.parse((await runCli([...args, "--refresh-before", "1000"], w.env)).stdout) as Record<
      string,
      unknown
    >;
    expect(refreshed.AccessKeyId).not.toBe(first.AccessKeyId);
    const fresh = JSON.parse((await runCli([...args, "--no-cache"], w.env)).stdout) as Record<string, unknown>;
    expect(fresh.AccessKeyId).not.toBe(refreshed.AccessKeyId);
    expect(calls("AssumeRoleWithWebIdentity")).toHaveLength(3);
    const files = execFileSync("find", [cacheDir, "-type", "f", "-printf", "%m\n"], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(files).toEqual(["600"]);
  });

  it("works as a credential_process profile for the AWS CLI", async () => {
    const w = cliWorkspace(sandbox);
    mkdirSync(join(w.home, ".aws"), { recursive: true });
    const command = `${process.execPath} ${join(process.cwd(), "dist/cli/index.js")} credential-process --role-arn ${ROLE} --token-file ${w.tokenFile} --sts-endpoint ${sandbox.sts.url} --region eu-west-1`;
    writeFileSync(
      join(w.home, ".aws", "config"),
      `[profile oidc]\nregion = eu-west-1\ncredential_process = ${command}\n`,
    );
    const identity = await awsCli({ HOME: w.home }, ["--profile", "oidc"]);
    expect(identity.Arn).toMatch(/assumed-role\/ci\//);
  });
});

describe("profile", () => {
  it("writes several roles from one token, in parallel, keeping other profiles and comments, 0600 in 0700", async () => {
    const w = cliWorkspace(sandbox);
    const aws = join(w.home, ".aws");
    mkdirSync(aws, { mode: 0o700 });
    const before = "# my keys\n[personal]\naws_access_key_id = AKIAPERSONAL0000000\naws_secret_access_key = keep-me\n";
    writeFileSync(join(aws, "credentials"), before, { mode: 0o644 });
    writeFileSync(join(aws, "config"), "[default]\nregion = us-east-1 ; mine\n");
    const r = await runCli(
      ["profile", "--role", `dev=${ROLE}`, "--role", "prod=arn:aws:iam::210987654321:role/deploy"],
      w.env,
    );
    expect(r.stderr).toMatch(/wrote profile 'dev'/);
    expect(r.code).toBe(0);
    expect(calls("AssumeRoleWithWebIdentity")).toHaveLength(2);
    const credentials = readFileSync(join(aws, "credentials"), "utf8");
    expect(credentials.startsWith(before)).toBe(true);
    expect(credentials).toMatch(
      /\[dev\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = .+\naws_session_token = .+\n/,
    );
    expect(readFileSync(join(aws, "config"), "utf8")).toBe(
      "[default]\nregion = us-east-1 ; mine\n\n[profile dev]\nregion = eu-west-1\n\n[profile prod]\nregion = eu-west-1\n",
    );
    expect(statSync(join(aws, "credentials")).mode & 0o777).toBe(0o600);
    expect((await awsCli({ HOME: w.home }, ["--profile", "prod"])).Arn).toMatch(
      /^arn:aws:sts::210987654321:assumed-role\/deploy\//,
    );
  });

  it("refuses to replace an existing profile unless --overwrite, leaving the files untouched", async () => {
    const w = cliWorkspace(sandbox);
    const args = ["profile", "--profile", "dev", "--role-arn", ROLE];
    expect((await runCli(args, w.env)).code).toBe(0);
    const credentials = readFileSync(join(w.home, ".aws", "credentials"), "utf8");
    const refused = await runCli(args, w.env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/The profile 'dev' already exists in .*config\.\n {2}hint: Pass --overwrite/);
    expect(readFileSync(join(w.home, ".aws", "credentials"), "utf8")).toBe(credentials);
    expect((await runCli([...args, "--overwrite"], w.env)).code).toBe(0);
    expect(readFileSync(join(w.home, ".aws", "credentials"), "utf8")).not.toBe(credentials);
  });

  it("loses no profile when 10 writers update the same files at once", async () => {
    const w = cliWorkspace(sandbox);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => runCli(["profile", "--profile", `p${i}`, "--role-arn", ROLE], w.env)),
    );
    expect(results.map((r) => r.code)).toEqual(Array(10).fill(0));
    const credentials = readFileSync(join(w.home, ".aws", "credentials"), "utf8");
    const config = readFileSync(join(w.home, ".aws", "config"), "utf8");
    for (let i = 0; i < 10; i++) {
      expect(credentials).toContain(`[p${i}]\n`);
      expect(config).toContain(`[profile p${i}]\n`);
    }
    // No lock or temporary file is left behind.
    expect(
      spawnSync("ls", ["-A", join(w.home, ".aws")], { encoding: "utf8" })
        .stdout.split("\n")
        .filter(Boolean)
        .sort(),
    ).toEqual(["config", "credentials"]);
  });
});

describe("the AWS SDK for JavaScript reads what we write", () => {
  const whoAmI = async (credentials: NonNullable<STSClientConfig["credentials"]>) => {
    const client = new STSClient({ region: "eu-west-1", endpoint: sandbox.sts.url, credentials });
    try {
      return (await client.send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
      client.destroy();
    }
  };

  it("fromIni reads a profile written by `profile`", async () => {
    const w = cliWorkspace(sandbox);
    expect((await runCli(["profile", "--profile", "sdk", "--role-arn", ROLE], w.env)).code).toBe(0);
    const files = { filepath: join(w.home, ".aws", "credentials"), configFilepath: join(w.home, ".aws", "config") };
    expect(await whoAmI(fromIni({ profile: "sdk", ...files }))).toMatch(/assumed-role\/ci\//);
  });

  it("fromProcess runs `credential-process` from a config profile", async () => {
    const w = cliWorkspace(sandbox);
    mkdirSync(join(w.home, ".aws"), { recursive: true });
    const config = join(w.home, ".aws", "config");
    const command = `${process.execPath} ${join(process.cwd(), "dist/cli/index.js")} credential-process --role-arn ${ROLE} --token-file ${w.tokenFile} --sts-endpoint ${sandbox.sts.url} --region eu-west-1`;
    writeFileSync(config, `[profile proc]\ncredential_process = ${command}\n`);
    expect(
      await whoAmI(
        fromProcess({ profile: "proc", configFilepath: config, filepath: join(w.home, ".aws", "credentials") }),
      ),
    ).toMatch(/assumed-role\/ci\//);
  });
});

describe("claims", () => {
  it("prints the token's claims, not the token, unless --raw", async () => {
    const w = cliWorkspace(sandbox);
    const r = await runCli(["claims"], w.env);
    expect(r.code).toBe(0);
    const token = readFileSync(w.tokenFile, "utf8");
    expect(r.stdout).not.toContain(token.split(".")[2]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: "file",
      claims: { sub: "system:serviceaccount:ci:deployer", aud: "sts.amazonaws.com", iss: sandbox.issuer.url },
    });
    expect((await runCli(["claims", "--raw"], w.env)).stdout).toBe(`${token}\n`);
    expect(sandbox.sts.requests).toHaveLength(0);
  });

  it("asks GitHub for the token in GitHub Actions", async () => {
    const r = await runCli(["claims", "--audience", "sts.amazonaws.com"], {
      HOME: "/nonexistent",
      ...sandbox.issuer.githubEnv(),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "github", claims: { repository: "octo-org/octo-repo" } });
  });

  it("lists what it looked for when there is no token source", async () => {
    const r = await runCli(["claims"], { HOME: "/nonexistent" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /No OIDC token source found\. Looked for: GITHUB_ACTIONS, GITLAB_CI, .*; a token file \(--token-file, AWS_WEB_IDENTITY_TOKEN_FILE\)/,
    );
  });
});

describe("console", () => {
  it("turns the assumed role into a sign-in URL through the federation endpoint, partition-aware", async () => {
    const w = cliWorkspace(sandbox);
    const federation = `${sandbox.sts.url}/federation`;
    const r = await runCli(["console", "--role-arn", ROLE, "--federation-endpoint", federation], w.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("this URL signs in whoever holds it, for 15 minutes");
    const url = new URL(r.stdout.trim());
    expect(url.searchParams.get("Action")).toBe("login");
    expect(url.searchParams.get("Issuer")).toBe("aws-oidc");
    expect(url.searchParams.get("Destination")).toBe("https://console.aws.amazon.com/");
    expect(sandbox.sts.signinTokens.has(url.searchParams.get("SigninToken") ?? "")).toBe(true);
    // The URL carries the sign-in token, never the credentials.
    const session = [...sandbox.sts.sessions.values()][0]!;
    expect(r.stdout).not.toContain(session.secretAccessKey);
    const followed = await fetch(url, { redirect: "manual" });
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe("https://console.aws.amazon.com/");

    const china = await runCli(
      [
        "console",
        "--role-arn",
        "arn:aws-cn:iam::123456789012:role/ci",
        "--region",
        "cn-north-1",
        "--audience",
        "sts.amazonaws.com",
        "--federation-endpoint",
        federation,
      ],
      w.env,
    );
    expect(new URL(china.stdout.trim()).searchParams.get("Destination")).toBe("https://console.amazonaws.cn/");
  });

  it("refuses long-term keys, and a bad destination before any request", async () => {
    const w = cliWorkspace(sandbox);
    const keys = await runCli(["console", "--from-env", "--federation-endpoint", `${sandbox.sts.url}/federation`], {
      ...w.env,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "x",
    });
    expect(keys.code).toBe(3);
    expect(keys.stderr).toMatch(/long-term access keys are refused/);
    const bad = await runCli(["console", "--role-arn", ROLE, "--destination", "javascript:alert(1)"], w.env);
    expect(bad.code).toBe(2);
    expect(sandbox.sts.requests).toHaveLength(0);
  });
});
