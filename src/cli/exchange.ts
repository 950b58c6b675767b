import { readActionConfig, type ActionConfig } from "../config/action.js";
import { readTokenChoice } from "../config/source.js";
import { InputError } from "../errors.js";
import { applyProxySettings } from "../net/proxy.js";
import type { AssumedCredentials } from "../sts/credentials.js";
import { exchangeAll } from "../sts/exchange-all.js";
import { selectTokenSource } from "../tokens/select.js";
import type { Env, TokenSource } from "../tokens/source.js";
import { asOptionError, inputReader, type ParsedValues } from "./options.js";

/** The exchange as the CLI runs it: same configuration rules and pipeline as the action. */

export interface CliContext {
  readonly env: Env;
  readonly cwd: string;
  readonly verbose: boolean;
  readonly log: (line: string) => void;
}

/** Validated configuration from the options; `overrides` replace inputs (e.g. one role of several). */
export function readCliConfig(
  values: ParsedValues,
  ctx: CliContext,
  overrides: Record<string, string> = {},
): { config: ActionConfig; source: TokenSource } {
  const reader = inputReader(values, ctx.env, overrides);
  try {
    // The token source's run metadata feeds the default session name and the session tags.
    const source = selectTokenSource(readTokenChoice(reader), ctx.env, ctx.cwd);
    return { config: readActionConfig(reader, ctx.env, source.metadata()), source };
  } catch (error) {
    throw error instanceof InputError ? asOptionError(error) : error;
  }
}

/** Runs one exchange per configuration, in parallel, with one token per audience. */
export async function exchangeAllCli(
  jobs: readonly { config: ActionConfig; source: TokenSource }[],
  ctx: CliContext,
): Promise<AssumedCredentials[]> {
  const first = jobs[0];
  if (!first) return [];
  applyProxySettings(first.config.proxy, process.env);
  for (const warning of new Set(jobs.flatMap((j) => j.config.warnings))) ctx.log(`aws-oidc: warning: ${warning}`);
  try {
    return await exchangeAll(
      jobs.map((j) => j.config),
      first.source,
      {
        onSecret: () => undefined,
        log: (line) => ctx.verbose && ctx.log(`aws-oidc: ${line}`),
        warn: (line) => ctx.log(`aws-oidc: warning: ${line}`),
        explain: (lines) => lines.forEach((line) => ctx.log(line)),
      },
    );
  } catch (error) {
    throw error instanceof InputError ? asOptionError(error) : error;
  }
}
