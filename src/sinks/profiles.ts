import { homedir } from "node:os";
import { join } from "node:path";
import type { AssumedCredentials } from "../sts/credentials.js";
import { SinkError } from "../errors.js";
import { readIfExists, updateFile } from "./files.js";
import { hasSection, putSection, removeSection, sectionName } from "./ini.js";

/** Named profiles in the AWS shared credentials and config files. */

export interface ProfileFiles {
  readonly credentials: string;
  readonly config: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The files the AWS CLI and SDKs read: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws/. */
export function profileFiles(env: Env, home = env.HOME || homedir()): ProfileFiles {
  return {
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"),
    config: env.AWS_CONFIG_FILE || join(home, ".aws", "config"),
  };
}

export interface WriteOptions {
  readonly overwrite: boolean;
}

export interface ProfileEntry {
  readonly name: string;
  readonly credentials: AssumedCredentials;
  readonly region: string;
}

/**
 * Writes each entry's credentials to `[name]` and its Region to `[profile name]`: one locked,
 * atomic rewrite per file for all of them, so either every profile is checked and written or
 * (an existing one without `overwrite`) none of that file is changed.
 */
/** Refuses, before anything is written, profiles that exist already (unless `overwrite`). */
export function checkProfilesFree(files: ProfileFiles, names: readonly string[], options: WriteOptions): void {
  if (options.overwrite) return;
  for (const [file, kind] of [
    [files.config, "config"],
    [files.credentials, "credentials"],
  ] as const) {
    const text = readIfExists(file);
    const taken = names.find((name) => hasSection(text, sectionName(kind, name)));
    if (taken) {
      throw new SinkError(
        `The profile '${taken}' already exists in ${file}.`,
        "Pass --overwrite (overwrite-profiles: true in the action) to replace it, or choose another profile name.",
      );
    }
  }
}

export async function writeProfiles(
  files: ProfileFiles,
  entries: readonly ProfileEntry[],
  options: WriteOptions,
): Promise<void> {
  const keys = (c: AssumedCredentials): [string, string][] => [
    ["aws_access_key_id", c.accessKeyId],
    ["aws_secret_access_key", c.secretAccessKey],
    ...(c.sessionToken ? [["aws_session_token", c.sessionToken] as [string, string]] : []),
  ];
  await updateFile(files.config, (text) =>
    entries.reduce(
      (t, e) => putSection(t, sectionName("config", e.name), [["region", e.region]], options.overwrite),
      text,
    ),
  );
  await updateFile(files.credentials, (text) =>
    entries.reduce(
      (t, e) => putSection(t, sectionName("credentials", e.name), keys(e.credentials), options.overwrite),
      text,
    ),
  );
}

/** Removes exactly these profiles from both files; everything else stays as it was. */
export async function removeProfiles(files: ProfileFiles, names: readonly string[]): Promise<void> {
  await updateFile(files.credentials, (text) =>
    names.reduce((t, n) => removeSection(t, sectionName("credentials", n)), text),
  );
  await updateFile(files.config, (text) => names.reduce((t, n) => removeSection(t, sectionName("config", n)), text));
}
