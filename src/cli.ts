#!/usr/bin/env node
import { constants } from "node:os";
import { parseArgs } from "node:util";
import { AwsOidcError, describeError, InputError, SinkError } from "./errors.js";
import { COMMAND_HANDLERS } from "./cli/commands.js";
import { commandHelp, mainHelp } from "./cli/help.js";
import { EXCHANGE_OPTIONS } from "./cli/options.js";
import { VERSION } from "./version.js";

/** The aws-oidc CLI: parse, dispatch, and map errors to exit codes. The only place that exits. */
async function main(argv: string[]): Promise<number | { signal: NodeJS.Signals }> {
  const out = (text: string) => process.stdout.write(text);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    out(mainHelp());
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-V") {
    out(`${VERSION}\n`);
    return 0;
  }
  const handler = COMMAND_HANDLERS[command];
  if (!handler) {
    log(`aws-oidc: error: unknown command '${command}'. Commands: ${Object.keys(COMMAND_HANDLERS).join(", ")}.`);
    return 2;
  }
  const options = {
    ...Object.fromEntries(Object.entries(EXCHANGE_OPTIONS).map(([name, o]) => [name, o.spec])),
    ...handler.options,
    help: { type: "boolean" as const, short: "h" },
    verbose: { type: "boolean" as const, short: "v" },
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: handler.positionals === true, strict: true });
  } catch (error) {
    log(`aws-oidc: error: ${(error as Error).message}\n  Run 'aws-oidc ${command} --help' for the options.`);
    return 2;
  }
  if (parsed.values.help) {
    out(commandHelp(command));
    return 0;
  }
  return handler.run(parsed.values, parsed.positionals, {
    env: process.env,
    cwd: process.cwd(),
    verbose: parsed.values.verbose === true,
    log,
    out,
  });
}

function exitCode(error: unknown): number {
  if (error instanceof InputError) return 2;
  if (error instanceof SinkError) return error.message.startsWith("Could not run") ? 127 : 3;
  return 1;
}

main(process.argv.slice(2)).then(
  (result) => {
    if (typeof result === "number") {
      process.exitCode = result;
      return;
    }
    // exec's command was killed by a signal: end the same way, so a caller sees that signal.
    process.exitCode = 128 + (constants.signals[result.signal] ?? 0);
    process.kill(process.pid, result.signal);
  },
  (error: unknown) => {
    process.stderr.write(`aws-oidc: error: ${describeError(error).replace(/\n {2}Hint: /, "\n  hint: ")}\n`);
    if (!(error instanceof AwsOidcError) && error instanceof Error && process.env.AWS_OIDC_DEBUG)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode(error);
  },
);
