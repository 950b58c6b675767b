import { homedir } from "node:os";
import { join } from "node:path";
import type { AssumedCredentials } from "../sts/credentials.js";
import { updateFile } from "./files.js";
import { putSection, removeSection, sectionName } from "./ini.js";

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

/** Writes the credentials to `[name]` and the Region to `[profile name]`. */
export async function writeProfile(
  files: ProfileFiles,
  name: string,
  credentials: AssumedCredentials,
  region: string,
  options: WriteOptions,
): Promise<void> {
  const keys: [string, string][] = [
    ["aws_access_key_id", credentials.accessKeyId],
    ["aws_secret_access_key", credentials.secretAccessKey],
    ...(credentials.sessionToken ? [["aws_session_token", credentials.sessionToken] as [string, string]] : []),
  ];
  await updateFile(files.config, (text) =>
    putSection(text, sectionName("config", name), [["region", region]], options.overwrite),
  );
  await updateFile(files.credentials, (text) =>
    putSection(text, sectionName("credentials", name), keys, options.overwrite),
  );
}

/** Removes exactly these profiles from both files; everything else stays as it was. */
export async function removeProfiles(files: ProfileFiles, names: readonly string[]): Promise<void> {
  await updateFile(files.credentials, (text) =>
    names.reduce((t, n) => removeSection(t, sectionName("credentials", n)), text),
  );
  await updateFile(files.config, (text) => names.reduce((t, n) => removeSection(t, sectionName("config", n)), text));
}
