import * as core from "@actions/core";
import { readActionPlan } from "./config/action-plan.js";
import { readTokenChoice } from "./config/source.js";
import { AwsOidcError, describeError } from "./errors.js";
import { applyProxySettings } from "./net/proxy.js";
import {
  exportCredentials,
  maskSecret,
  saveProfileState,
  setCredentialOutputs,
  unsetCredentials,
} from "./sinks/github.js";
import { selectTokenSource } from "./tokens/select.js";

// The tunnel library behind @actions/http-client's proxy support calls the deprecated
// Buffer(); Node's warning about it would only confuse readers of the step log.
process.noDeprecation = true;

/** The action's main step: token → STS → checks → step env, outputs and profiles. */
async function main(): Promise<void> {
  const started = Date.now();
  const before = { ...process.env };
  const input = (name: string) => core.getInput(name);
  // The token source's run metadata names the session and tags it: find the source first.
  const source = selectTokenSource(readTokenChoice(input), before, process.cwd());
  const plan = readActionPlan(input, before, source.metadata());
  const { shared, primary } = plan;
  // Secrets first, before any log line or network call.
  for (const secret of shared.secrets) maskSecret(secret);
  if (shared.maskAccountId) {
    for (const config of [primary, ...plan.profiles.map((p) => p.config)]) {
      const role = config?.plan.steps[0]?.role;
      if (role?.kind === "arn") maskSecret(role.accountId);
    }
  }
  for (const warning of shared.warnings) core.warning(warning);
  applyProxySettings(shared.proxy);

  if (primary?.useExistingCredentials && plan.profiles.length === 0) {
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
      const value = before[name];
      if (value) maskSecret(value);
    }
    const { reuseExistingCredentials } = await import("./sts/existing.js");
    const existing = await reuseExistingCredentials(before, primary.plan, core.info);
    if (existing) {
      if (primary.maskAccountId) maskSecret(existing.accountId);
      const { checkAllowedAccount } = await import("./sts/allowed-accounts.js");
      checkAllowedAccount(existing.accountId, primary.allowedAccountIds, primary.maskAccountId);
      setCredentialOutputs(existing, { outputCredentials: false });
      core.info(`The credentials already in the environment are valid (${existing.assumedRoleArn}); nothing to do.`);
      return;
    }
  }

  // Credentials that are kept (above) are not unset; from here on they are being replaced.
  if (shared.unsetCurrentCredentials) unsetCredentials(before);

  // Ask for the token first, then load the exchange (the AWS SDK): the request is in flight
  // while the SDK's code is compiled, instead of one after the other.
  const announce = (audience: string) =>
    core.info(
      source.name === "github"
        ? `Requesting an OIDC token from GitHub for audience '${audience}'.`
        : `Reading the OIDC token (${source.name}).`,
    );
  const prefetched = new Map<string, Promise<string>>();
  if (shared.plan.source.kind === "web-identity") {
    const { audience } = shared.plan.source;
    announce(audience);
    const early = source.getToken(audience, { timeoutMs: shared.plan.retry.requestTimeoutMs, warn: core.warning });
    early.catch(() => undefined); // Handled where it is awaited; a failure is retried there.
    prefetched.set(audience, early);
    // Let the request reach the wire (connect, then write) before the SDK's code blocks the loop.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  }
  const { exchangeAll } = await import("./sts/exchange-all.js");
  const configs = [...(primary ? [primary] : []), ...plan.profiles.map((p) => p.config)];
  const hooks = {
    onSecret: maskSecret,
    log: core.info,
    warn: core.warning,
    explain: (lines: readonly string[]) => lines.forEach((line) => core.info(line)),
    onTokenRequest: announce,
  };
  const results = await exchangeAll(configs, source, hooks, started, prefetched);

  if (plan.profiles.length) {
    const { checkProfilesFree, profileFiles, writeProfiles } = await import("./sinks/profiles.js");
    const files = profileFiles(before);
    const names = plan.profiles.map((p) => p.name);
    // A profile that is not ours is refused before the post step is told to remove it;
    // then the state is recorded first, so the post step removes whatever part was written.
    checkProfilesFree(files, names, { overwrite: plan.overwriteProfiles });
    saveProfileState({ files, names });
    const offset = primary ? 1 : 0;
    await writeProfiles(
      files,
      plan.profiles.map((p, i) => ({ name: p.name, credentials: results[i + offset]!, region: p.config.region })),
      { overwrite: plan.overwriteProfiles },
    );
    for (const [i, profile] of plan.profiles.entries())
      core.info(`Wrote profile '${profile.name}' (${results[i + offset]!.assumedRoleArn}) to ${files.credentials}.`);
    core.setOutput("aws-profiles", names.join(","));
  }
  if (primary) {
    const credentials = results[0]!;
    exportCredentials(credentials, primary.region, before, primary.outputEnvCredentials);
    setCredentialOutputs(credentials, primary);
    const until = credentials.expiration ? `; they expire at ${credentials.expiration.toISOString()}` : "";
    core.info(`Authenticated as ${credentials.assumedRoleArn}${until}.`);
  } else {
    exportCredentials(results[0]!, shared.region, before, false);
  }
}

main().catch((error: unknown) => {
  core.setFailed(describeError(error));
  if (!(error instanceof AwsOidcError) && error instanceof Error && error.stack) core.debug(error.stack);
});
