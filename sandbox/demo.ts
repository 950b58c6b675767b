/**
 * `npm run demo`: the whole GitHub Action flow on this machine, no AWS account needed.
 * Starts the sandbox (OIDC issuer + GitHub token service + STS), runs the built main step
 * as the runner would, uses the exported credentials with the AWS SDK, then runs the post step.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startSandbox } from "./index.js";
import { runStep, type StepResult } from "./runner.js";

const ROLE = "arn:aws:iam::123456789012:role/demo-deploy";
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function showStep(title: string, step: StepResult): void {
  console.log(bold(`\n── ${title} (exit ${step.code}) ──`));
  console.log(step.log.trimEnd().replace(/^/gm, "  │ "));
  if (step.stderr.trim()) console.log(step.stderr.trimEnd().replace(/^/gm, "  ! "));
}

async function demo(): Promise<number> {
  const sandbox = await startSandbox({
    roles: { [ROLE]: { aud: "sts.amazonaws.com", sub: "repo:octo-org/octo-repo:*" } },
  });
  try {
    console.log(bold("aws-oidc demo"));
    console.log(`  OIDC issuer + GitHub token service: ${sandbox.issuer.url}`);
    console.log(`  STS (AWS_ENDPOINT_URL_STS):         ${sandbox.sts.url}`);
    console.log(`  role-to-assume: ${ROLE}, trusted for repo:octo-org/octo-repo:*`);

    const job = { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url };
    const main = await runStep("dist/main/index.js", {
      inputs: { "role-to-assume": ROLE, "aws-region": "us-east-1" },
      env: job,
    });
    showStep("main step: node dist/main/index.js", main);
    if (main.code !== 0) return 1;

    console.log(bold("\n── what the next steps get ──"));
    for (const [name, value] of Object.entries(main.env)) {
      const shown = main.masks.some((m) => value.includes(m)) ? "*** (masked)" : value;
      console.log(`  env    ${name}=${shown}`);
    }
    for (const [name, value] of Object.entries(main.outputs)) console.log(`  output ${name}=${value}`);
    console.log(`  secrets masked in the log: ${main.masks.length} values`);

    // A later step: the SDK picks the exported variables up, as any AWS tool would.
    const next: Record<string, string> = { ...job, ...main.env };
    const client = new STSClient({
      region: next.AWS_REGION ?? "us-east-1",
      endpoint: sandbox.sts.url,
      credentials: {
        accessKeyId: next.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: next.AWS_SECRET_ACCESS_KEY ?? "",
        sessionToken: next.AWS_SESSION_TOKEN ?? "",
      },
    });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    console.log(bold("\n── a later step: sts get-caller-identity with the exported credentials ──"));
    console.log(`  Account ${identity.Account}, Arn ${identity.Arn}`);

    const post = await runStep("dist/post/index.js", { env: next, state: main.state });
    showStep("post step: node dist/post/index.js", post);
    const leftover = Object.entries(post.env).filter(([name, value]) => name.startsWith("AWS_") && value !== "");
    if (post.code !== 0 || leftover.length) return 1;
    console.log(bold("\nDemo passed: token → STS → masked, exported, used, and cleared."));
    return 0;
  } finally {
    await sandbox.stop();
  }
}

demo().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
