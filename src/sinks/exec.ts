import { spawn } from "node:child_process";
import { SinkError } from "../errors.js";

/** Runs a command with extra variables in its environment only; reports how it ended. */
export interface ChildEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: "inherit" });
    // Signals sent to us (Ctrl-C, a CI cancelling the job) go to the child; it decides how to end.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      done();
      reject(
        new SinkError(
          `Could not run '${command}': ${error.code === "ENOENT" ? "command not found" : error.message}.`,
          error.code === "ENOENT" ? "Check the command's name and PATH." : "Check that the command is executable.",
        ),
      );
    });
    child.on("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}
