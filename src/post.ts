import * as core from "@actions/core";
import { describeError } from "./errors.js";
import { readCleanupState, readProfileState, undoExports } from "./sinks/github.js";
import { removeProfiles } from "./sinks/profiles.js";

// See main.ts: keep Node's deprecation notice about a dependency out of the step log.
process.noDeprecation = true;

/** The action's post step: undo exactly what the main step exported and wrote. */
async function post(): Promise<void> {
  const state = readCleanupState();
  const profiles = readProfileState();
  if (!state && !profiles) {
    core.info("Nothing to clean up: the main step exported no credentials.");
    return;
  }
  if (state) {
    const names = undoExports(state);
    core.info(`Cleared ${names.join(", ")} for the rest of the job.`);
  }
  if (profiles) {
    await removeProfiles(profiles.files, profiles.names);
    core.info(
      `Removed the profiles ${profiles.names.join(", ")} from ${profiles.files.credentials} and ${profiles.files.config}.`,
    );
  }
}

post().catch((error: unknown) => {
  // A failed cleanup must not hide the job's real result: warn, do not fail.
  core.warning(`Cleanup failed: ${describeError(error)}`);
});
