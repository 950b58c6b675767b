import * as core from "@actions/core";
import { readActionConfig } from "./config/action.js";
import { describeError } from "./errors.js";
import { exportCredentials, maskCredentials, maskSecret, setCredentialOutputs } from "./sinks/github.js";
import { assumeRoleWithWebIdentity } from "./sts/web-identity.js";
import { githubTokenSource } from "./tokens/github.js";

/** The action's main step: GitHub token → STS → step env and outputs. */
async function main(): Promise<void> {
  const before = { ...process.env };
  const source = githubTokenSource(before);
  const config = readActionConfig((name) => core.getInput(name), before, source.metadata());
  const { exchange } = config;
  // The role ARN names the account: mask it before the first log line that shows the ARN.
  if (config.maskAccountId) maskSecret(exchange.role.accountId);

  core.info(`Requesting an OIDC token from GitHub for audience '${exchange.audience}'.`);
  const token = await source.getToken(exchange.audience, { timeoutMs: exchange.requestTimeoutMs });
  maskSecret(token);

  core.info(`Assuming ${exchange.role.arn} as session '${exchange.sessionName}' in ${exchange.region}.`);
  const credentials = await assumeRoleWithWebIdentity(exchange, token);
  maskCredentials(credentials, config.maskAccountId);

  exportCredentials(credentials, exchange.region, before);
  setCredentialOutputs(credentials, config);
  core.info(
    `Authenticated as ${credentials.assumedRoleArn}; credentials expire at ${credentials.expiration.toISOString()}.`,
  );
}

main().catch((error: unknown) => core.setFailed(describeError(error)));
