import * as core from "@actions/core";
import type { AssumedCredentials } from "../sts/credentials.js";

/** Marks a value as secret for the runner's log: each line separately, as the runner matches per line. */
export function maskSecret(value: string): void {
  for (const line of value.split(/\r?\n/)) {
    if (line.trim() !== "") core.setSecret(line);
  }
}

const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;
/** Non-secret variables whose previous value the post step puts back. */
const RESTORABLE = new Set(["AWS_REGION", "AWS_DEFAULT_REGION"]);

/** What the post step needs to undo the main step's exports: written to the step state. */
export interface CleanupState {
  /** Variable → value to restore ('' clears it). */
  readonly env: Record<string, string>;
}

const STATE_KEY = "cleanup";

type Environment = Readonly<Record<string, string | undefined>>;

/** unset-current-credentials: empties the credential variables for the following steps. */
export function unsetCredentials(previous: Environment): string[] {
  const present = CREDENTIAL_VARIABLES.filter((name) => previous[name]);
  for (const name of present) core.exportVariable(name, "");
  return present;
}

/**
 * Exports the credentials (unless `withCredentials` is false) and the Region to the following
 * steps, and records in the step state how to undo it. `previous` is the environment before this step.
 */
export function exportCredentials(
  credentials: AssumedCredentials,
  region: string,
  previous: Environment,
  withCredentials = true,
): void {
  const values: Record<string, string> = {};
  if (withCredentials) {
    values.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    values.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    // Long-term keys have no session token: clear one left by an earlier step.
    if (credentials.sessionToken || previous.AWS_SESSION_TOKEN) {
      values.AWS_SESSION_TOKEN = credentials.sessionToken ?? "";
    }
  }
  values.AWS_REGION = region;
  values.AWS_DEFAULT_REGION = region;
  const undo: Record<string, string> = {};
  for (const name of Object.keys(values)) undo[name] = RESTORABLE.has(name) ? (previous[name] ?? "") : "";
  // Saved first: if exporting fails half way, the post step still clears what was written.
  core.saveState(STATE_KEY, JSON.stringify({ env: undo } satisfies CleanupState));
  for (const [name, value] of Object.entries(values)) core.exportVariable(name, value);
}

export interface OutputOptions {
  readonly outputCredentials: boolean;
}

export function setCredentialOutputs(credentials: AssumedCredentials, options: OutputOptions): void {
  core.setOutput("aws-account-id", credentials.accountId);
  core.setOutput("authenticated-arn", credentials.assumedRoleArn);
  if (options.outputCredentials) {
    core.setOutput("aws-access-key-id", credentials.accessKeyId);
    core.setOutput("aws-secret-access-key", credentials.secretAccessKey);
    if (credentials.sessionToken) core.setOutput("aws-session-token", credentials.sessionToken);
    if (credentials.expiration) core.setOutput("aws-expiration", credentials.expiration.toISOString());
  }
}

/** Reads the main step's cleanup state; undefined when the main step exported nothing. */
export function readCleanupState(): CleanupState | undefined {
  const raw = core.getState(STATE_KEY);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as CleanupState;
  return parsed && typeof parsed.env === "object" ? parsed : undefined;
}

/** Undoes exactly the exports recorded in the state. Returns the names it reset. */
export function undoExports(state: CleanupState): string[] {
  for (const [name, value] of Object.entries(state.env)) core.exportVariable(name, value);
  return Object.keys(state.env);
}

/** The profiles the main step wrote, for the post step to remove. */
export interface ProfileState {
  readonly files: { readonly credentials: string; readonly config: string };
  readonly names: readonly string[];
}

const PROFILES_KEY = "profiles";

export function saveProfileState(state: ProfileState): void {
  core.saveState(PROFILES_KEY, JSON.stringify(state));
}

export function readProfileState(): ProfileState | undefined {
  const raw = core.getState(PROFILES_KEY);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as ProfileState;
  return parsed && Array.isArray(parsed.names) && parsed.files ? parsed : undefined;
}
