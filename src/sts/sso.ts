import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { InputError, StsError } from "../errors.js";
import { sdkRequestHandler } from "../net/proxy.js";
import { readIfExists } from "../sinks/files.js";
import { readSection, sectionName } from "../sinks/ini.js";
import type { AssumedCredentials } from "./credentials.js";

/**
 * AWS IAM Identity Center (SSO) export: the AWS CLI's cached SSO token for a profile →
 * GetRoleCredentials → the same sinks, for tools that cannot read SSO profiles. The SSO client
 * is loaded only when this is used. The token is never printed.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface SsoProfile {
  readonly startUrl: string;
  readonly region: string;
  readonly accountId: string;
  readonly roleName: string;
  /** The file of the CLI's token cache for this profile. */
  readonly cacheFile: string;
  /** The profile's own Region (for AWS_REGION), else the SSO Region. */
  readonly profileRegion: string;
}

const LOGIN_HINT = (profile: string) => `Run \`aws sso login --profile ${profile}\`, then try again.`;

export function readSsoProfile(profile: string, env: Env): SsoProfile {
  const home = env.HOME || homedir();
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const text = readIfExists(configFile);
  const section = readSection(text, sectionName("config", profile));
  if (!section)
    throw new InputError(
      "--sso-profile",
      `there is no profile '${profile}' in ${configFile}.`,
      "Name a profile configured with `aws configure sso`.",
    );
  const sessionName = section.sso_session;
  const session = sessionName ? readSection(text, `sso-session ${sessionName}`) : undefined;
  if (sessionName && !session)
    throw new InputError(
      "--sso-profile",
      `the profile names sso_session '${sessionName}', which ${configFile} does not define.`,
      "Run `aws configure sso` again.",
    );
  const startUrl = session?.sso_start_url ?? section.sso_start_url;
  const region = session?.sso_region ?? section.sso_region;
  const accountId = section.sso_account_id;
  const roleName = section.sso_role_name;
  const missing = [
    !startUrl && "sso_start_url",
    !region && "sso_region",
    !accountId && "sso_account_id",
    !roleName && "sso_role_name",
  ].filter(Boolean);
  if (missing.length || !startUrl || !region || !accountId || !roleName) {
    throw new InputError(
      "--sso-profile",
      `the profile '${profile}' has no ${missing.join(", ")}.`,
      "Use a profile that names an account and a role (aws configure sso).",
    );
  }
  // The CLI keys its cache by the session's name (sso-session profiles) or by the start URL (legacy ones).
  const key = createHash("sha1")
    .update(sessionName ?? startUrl)
    .digest("hex");
  return {
    startUrl,
    region,
    accountId,
    roleName,
    cacheFile: join(home, ".aws", "sso", "cache", `${key}.json`),
    profileRegion: section.region ?? region,
  };
}

export async function ssoRoleCredentials(
  profileName: string,
  profile: SsoProfile,
  options: { endpoint?: string; timeoutMs: number },
): Promise<AssumedCredentials> {
  const cached = readIfExists(profile.cacheFile);
  let accessToken: unknown;
  let expiresAt: unknown;
  try {
    ({ accessToken, expiresAt } = JSON.parse(cached || "{}") as { accessToken?: unknown; expiresAt?: unknown });
  } catch {
    throw new StsError(
      `The SSO token cache ${profile.cacheFile} is not JSON.`,
      "SsoTokenUnreadable",
      LOGIN_HINT(profileName),
    );
  }
  if (typeof accessToken !== "string" || !accessToken)
    throw new StsError(
      `No SSO login is cached for profile '${profileName}'.`,
      "SsoNotLoggedIn",
      LOGIN_HINT(profileName),
    );
  if (typeof expiresAt !== "string" || Date.parse(expiresAt) <= Date.now())
    throw new StsError(
      `The SSO login for profile '${profileName}' has expired.`,
      "SsoTokenExpired",
      LOGIN_HINT(profileName),
    );

  const { SSOClient, GetRoleCredentialsCommand } = await import("@aws-sdk/client-sso");
  const where = options.endpoint ?? `https://portal.sso.${profile.region}.amazonaws.com`;
  const client = new SSOClient({
    region: profile.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    requestHandler: sdkRequestHandler(where, options.timeoutMs),
  });
  try {
    const { roleCredentials: c } = await client.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: profile.accountId, roleName: profile.roleName }),
    );
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration)
      throw new StsError("IAM Identity Center answered without complete credentials.", "MalformedResponse");
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration),
      assumedRoleArn: `arn:aws:sts::${profile.accountId}:assumed-role/${profile.roleName}`,
      accountId: profile.accountId,
    };
  } catch (error) {
    if (error instanceof StsError) throw error;
    const name = (error as { name?: string }).name ?? "Error";
    if (name === "UnauthorizedException")
      throw new StsError(
        `IAM Identity Center refused the cached SSO login for '${profileName}'.`,
        name,
        LOGIN_HINT(profileName),
      );
    if (name === "ForbiddenException")
      throw new StsError(
        `The SSO user may not use role ${profile.roleName} in account ${profile.accountId}.`,
        name,
        "Check the permission set assignment in IAM Identity Center.",
      );
    throw new StsError(
      `GetRoleCredentials at ${where} failed: ${(error as Error).message}`,
      name,
      "Check network access and the SSO Region.",
    );
  } finally {
    client.destroy();
  }
}
