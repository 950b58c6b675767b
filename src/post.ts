import * as core from "@actions/core";
import { describeError } from "./errors.js";
import { readCleanupState, undoExports } from "./sinks/github.js";

// The tunnel library behind @actions/http-client's proxy support calls the deprecated
// Buffer(); Node's warning about it would only confuse readers of the step log.
process.noDeprecation = true;

/** The action's post step: undo exactly what the main step exported. */
function post(): void {
  const state = readCleanupState();
  if (!state) {
    core.info("Nothing to clean up: the main step exported no credentials.");
    return;
  }
  const names = undoExports(state);
  core.info(`Cleared ${names.join(", ")} for the rest of the job.`);
}

try {
  post();
} catch (error) {
  // A failed cleanup must not hide the job's real result: warn, do not fail.
  core.warning(`Cleanup failed: ${describeError(error)}`);
}
