import * as core from "@actions/core";
import { readActionConfig } from "./config/action.js";
import { AwsOidcError, describeError, StsError } from "./errors.js";
import { applyProxySettings } from "./net/proxy.js";
import { exportCredentials, maskSecret, setCredentialOutputs, unsetCredentials } from "./sinks/github.js";
import { checkAllowedAccount } from "./sts/allowed-accounts.js";
import { runExchange } from "./sts/pipeline.js";
import { fileTokenSource } from "./tokens/file.js";
import { githubTokenSource } from "./tokens/github.js";
import { reuseExistingCredentials } from "./sts/existing.js";

// The tunnel library behind @actions/http-client's proxy support calls the deprecated
// Buffer(); Node's warning about it would only confuse readers of the step log.
process.noDeprecation = true;

/** The action's main step: token → STS → checks → step env and outputs. */
async function main(): Promise<void> {
  const started = Date.now();
  const before = { ...process.env };
  const github = githubTokenSource(before);
  const config = readActionConfig((name) => core.getInput(name), before, github.metadata());
  // Secrets first, before any log line or network call.
  for (const secret of config.secrets) maskSecret(secret);
  const firstRole = config.plan.steps[0]?.role;
  if (config.maskAccountId && firstRole?.kind === "arn") maskSecret(firstRole.accountId);
  for (const warning of config.warnings) core.warning(warning);
  applyProxySettings(config.proxy);
  if (config.unsetCurrentCredentials) unsetCredentials(before);

  if (config.useExistingCredentials) {
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
      const value = before[name];
      if (value) maskSecret(value);
    }
    const existing = await reuseExistingCredentials(before, config.plan, core.info);
    if (existing) {
      if (config.maskAccountId) maskSecret(existing.accountId);
      checkAllowedAccount(existing.accountId, config.allowedAccountIds, config.maskAccountId);
      setCredentialOutputs(existing, { outputCredentials: false });
      core.info(`The credentials already in the environment are valid (${existing.assumedRoleArn}); nothing to do.`);
      return;
    }
  }

  const source =
    config.plan.source.kind === "web-identity" && config.plan.source.tokenFile
      ? fileTokenSource(config.plan.source.tokenFile, process.cwd())
      : github;
  let token: string | undefined;
  try {
    const { credentials } = await runExchange(
      config.plan,
      {
        getToken: async (audience, timeoutMs) => {
          core.info(
            source.name === "github"
              ? `Requesting an OIDC token from GitHub for audience '${audience}'.`
              : "Reading the web identity token file.",
          );
          // Masked by runExchange (onSecret) as soon as this returns.
          token = await source.getToken(audience, { timeoutMs });
          return token;
        },
        onSecret: maskSecret,
        log: core.info,
        warn: core.warning,
      },
      started,
    );
    if (config.maskAccountId) maskSecret(credentials.accountId);
    checkAllowedAccount(credentials.accountId, config.allowedAccountIds, config.maskAccountId);
    exportCredentials(credentials, config.region, before, config.outputEnvCredentials);
    setCredentialOutputs(credentials, config);
    const until = credentials.expiration ? `; they expire at ${credentials.expiration.toISOString()}` : "";
    core.info(`Authenticated as ${credentials.assumedRoleArn}${until}.`);
  } catch (error) {
    if (error instanceof StsError && token) {
      const { explainRefusal } = await import("./diagnose/explain.js");
      for (const line of explainRefusal(error, token, config.plan, source.diagnosticClaims)) core.info(line);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  core.setFailed(describeError(error));
  if (!(error instanceof AwsOidcError) && error instanceof Error && error.stack) core.debug(error.stack);
});
