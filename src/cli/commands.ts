import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { InputError, TokenError } from "../errors.js";
import { decodePayload } from "../diagnose/claims.js";
import { parseEndpointUrl } from "../config/values.js";
import { cachePath, credentialProcessJson, readCache, writeCache } from "../sinks/credential-process.js";
import { runCommand } from "../sinks/exec.js";
import { parseProfileName } from "../config/role-profiles.js";
import { checkProfilesFree, profileFiles, writeProfiles } from "../sinks/profiles.js";
import { credentialVariables, renderVariables, SHELL_FORMATS, type ShellFormat } from "../sinks/shell.js";
import type { AssumedCredentials } from "../sts/credentials.js";
import { exchangeAllCli, obtainOne, readCliConfig, type CliContext } from "./exchange.js";
import { inputReader, type OptionSpec, type ParsedValues } from "./options.js";
import { readTokenChoice } from "../config/source.js";

/** Each command: its own options, and what it does with the credentials. */

export interface Output {
  readonly out: (text: string) => void;
}

export interface Command {
  readonly options: Record<string, OptionSpec>;
  readonly positionals?: boolean;
  /** The exit code, or the signal to end by (exec passes on how its command ended). */
  run(
    values: ParsedValues,
    positionals: string[],
    ctx: CliContext & Output,
  ): Promise<number | { signal: NodeJS.Signals }>;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export const COMMAND_HANDLERS: Record<string, Command> = {
  env: {
    options: { format: { type: "string" } },
    async run(values, _positionals, ctx) {
      const format = (str(values.format) ?? "sh") as ShellFormat;
      if (!SHELL_FORMATS.includes(format))
        throw new InputError("--format", `'${format}' is not a format.`, `Use one of: ${SHELL_FORMATS.join(", ")}.`);
      const { credentials, region } = await obtainOne(values, ctx);
      ctx.out(renderVariables(credentialVariables(credentials, region), format));
      return 0;
    },
  },

  exec: {
    options: {},
    positionals: true,
    async run(values, positionals, ctx) {
      const [command, ...args] = positionals;
      if (!command)
        throw new InputError("exec", "needs a command after --.", "aws-oidc exec [options] -- COMMAND [ARGS...]");
      const { credentials, region } = await obtainOne(values, ctx);
      const env: NodeJS.ProcessEnv = { ...ctx.env };
      // A profile in the environment would compete with the credentials we hand over.
      delete env.AWS_PROFILE;
      delete env.AWS_DEFAULT_PROFILE;
      for (const [name, value] of credentialVariables(credentials, region)) env[name] = value;
      const end = await runCommand(command, args, env);
      return end.signal ? { signal: end.signal } : (end.code ?? 1);
    },
  },

  "credential-process": {
    options: { "cache-dir": { type: "string" }, "no-cache": { type: "boolean" }, "refresh-before": { type: "string" } },
    async run(values, _positionals, ctx) {
      const refreshRaw = str(values["refresh-before"]) ?? "300";
      if (!/^[0-9]{1,5}$/.test(refreshRaw)) {
        throw new InputError(
          "--refresh-before",
          `'${refreshRaw}' is not a number of seconds.`,
          "Use a whole number of seconds, e.g. 300.",
        );
      }
      const useCache = values["no-cache"] !== true;
      const dir = str(values["cache-dir"]) ?? join(ctx.env.HOME || homedir(), ".aws", "aws-oidc", "cache");
      const file = cachePath(dir, { v: 2, ...cacheIdentity(values, ctx) });
      const cached = useCache ? readCache(file, Number(refreshRaw) * 1000) : undefined;
      if (cached) {
        if (ctx.verbose) ctx.log("aws-oidc: using cached credentials");
        ctx.out(credentialProcessJson(cached));
        return 0;
      }
      const { credentials } = await obtainOne(values, ctx);
      if (useCache) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        writeCache(file, credentials);
      }
      ctx.out(credentialProcessJson(credentials));
      return 0;
    },
  },

  profile: {
    options: {
      profile: { type: "string" },
      role: { type: "string", multiple: true },
      overwrite: { type: "boolean" },
      "credentials-file": { type: "string" },
      "config-file": { type: "string" },
    },
    async run(values, _positionals, ctx) {
      const roles = (Array.isArray(values.role) ? values.role : []).map(String);
      const single = str(values.profile) ?? ctx.env.AWS_PROFILE;
      const targets = roles.length
        ? roles.map(parseProfileRole)
        : [{ name: parseProfileName("--profile", single ?? ""), arn: undefined }];
      if (roles.length && str(values.profile))
        throw new InputError(
          "--profile",
          "cannot be combined with --role NAME=ARN.",
          "Name each profile in its --role.",
        );
      const names = targets.map((t) => t.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup)
        throw new InputError("--role", `the profile '${dup}' is named twice.`, "Give each role its own profile name.");
      let all: AssumedCredentials[];
      let regions: string[];
      if (str(values["cognito-identity-pool-id"]) || str(values["sso-profile"])) {
        if (roles.length)
          throw new InputError(
            "--role",
            "cannot be combined with --cognito-identity-pool-id or --sso-profile.",
            "Use --profile NAME (and --role-arn for the pool's CustomRoleArn).",
          );
        const one = await obtainOne(values, ctx);
        [all, regions] = [[one.credentials], [one.region]];
      } else {
        const jobs = targets.map((t) => readCliConfig(values, ctx, t.arn ? { "role-to-assume": t.arn } : {}));
        all = await exchangeAllCli(jobs, ctx);
        regions = jobs.map((job) => job.config.region);
      }
      const files = profileFiles({
        ...ctx.env,
        ...(str(values["credentials-file"]) ? { AWS_SHARED_CREDENTIALS_FILE: str(values["credentials-file"]) } : {}),
        ...(str(values["config-file"]) ? { AWS_CONFIG_FILE: str(values["config-file"]) } : {}),
      });
      checkProfilesFree(
        files,
        targets.map((t) => t.name),
        { overwrite: values.overwrite === true },
      );
      await writeProfiles(
        files,
        targets.map((target, index) => ({
          name: target.name,
          credentials: all[index]!,
          region: regions[index]!,
        })),
        { overwrite: values.overwrite === true },
      );
      for (const [index, target] of targets.entries())
        ctx.log(`aws-oidc: wrote profile '${target.name}' (${all[index]!.assumedRoleArn})`);
      return 0;
    },
  },

  console: {
    options: {
      destination: { type: "string" },
      issuer: { type: "string" },
      "session-duration": { type: "string" },
      "from-env": { type: "boolean" },
      open: { type: "boolean" },
      "federation-endpoint": { type: "string" },
    },
    async run(values, _positionals, ctx) {
      const { consoleSigninUrl } = await import("../sinks/console.js");
      const { partitionOf } = await import("../config/partition.js");
      const { parseRegion } = await import("../config/aws-names.js");
      const duration = str(values["session-duration"]);
      if (duration !== undefined && !/^[0-9]+$/.test(duration))
        throw new InputError("--session-duration", `'${duration}' is not a number of seconds.`, "Use 900 to 43200.");
      if (duration !== undefined && (Number(duration) < 900 || Number(duration) > 43200))
        throw new InputError("--session-duration", `${duration} is out of range.`, "Use 900 to 43200 seconds.");
      const endpoint = str(values["federation-endpoint"]) ?? ctx.env.AWS_OIDC_FEDERATION_ENDPOINT;
      const destination = str(values.destination);
      if (destination !== undefined && !/^https:\/\/\S+$/.test(destination))
        throw new InputError(
          "--destination",
          `'${destination}' is not an https URL.`,
          "Give a console URL, e.g. https://console.aws.amazon.com/s3/.",
        );
      if (endpoint !== undefined) parseEndpointUrl("--federation-endpoint", endpoint);
      let credentials;
      let region: string;
      if (values["from-env"] === true) {
        const {
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_SESSION_TOKEN: sessionToken,
        } = ctx.env;
        if (!accessKeyId || !secretAccessKey)
          throw new InputError(
            "--from-env",
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.",
            "Export credentials first, or drop --from-env to assume --role-arn.",
          );
        region = parseRegion(
          "--region / AWS_REGION",
          str(values.region) ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? "us-east-1",
        );
        credentials = {
          accessKeyId,
          secretAccessKey,
          ...(sessionToken ? { sessionToken } : {}),
          assumedRoleArn: "",
          accountId: "",
        };
      } else {
        ({ credentials, region } = await obtainOne(values, ctx));
      }
      const url = await consoleSigninUrl(credentials!, {
        partition: partitionOf(region).id,
        issuer: str(values.issuer) ?? "aws-oidc",
        timeoutMs: 10_000,
        ...(destination ? { destination } : {}),
        ...(duration !== undefined ? { sessionDuration: Number(duration) } : {}),
        ...(endpoint ? { endpoint } : {}),
      });
      ctx.log("aws-oidc: this URL signs in whoever holds it, for 15 minutes: do not paste it into logs or chats.");
      if (values.open === true) {
        const { runCommand } = await import("../sinks/exec.js");
        const opener = process.platform === "darwin" ? "open" : "xdg-open";
        const end = await runCommand(opener, [url], { ...ctx.env });
        return end.code ?? 1;
      }
      ctx.out(`${url}\n`);
      return 0;
    },
  },

  login: {
    options: {
      issuer: { type: "string" },
      "client-id": { type: "string" },
      scope: { type: "string" },
      name: { type: "string" },
    },
    async run(values, _positionals, ctx) {
      const login = await import("../tokens/login.js");
      const issuer = str(values.issuer);
      const clientId = str(values["client-id"]);
      if (!issuer)
        throw new InputError(
          "--issuer",
          "is required.",
          "Give the OpenID provider's issuer URL, e.g. https://example.eu.auth0.com/.",
        );
      if (!clientId)
        throw new InputError(
          "--client-id",
          "is required.",
          "Give the client id of a native (public) application that allows the device flow.",
        );
      const name = login.parseLoginName("--name", str(values.name) ?? login.defaultLoginName(issuer, clientId));
      const scope = str(values.scope) ?? "openid offline_access";
      const audience = str(values.audience);
      const { client, config } = await login.discover(issuer, clientId);
      const device = await client.initiateDeviceAuthorization(config, { scope, ...(audience ? { audience } : {}) });
      const where = device.verification_uri_complete ?? device.verification_uri;
      ctx.log(
        `To sign in, open ${where}${device.verification_uri_complete ? "" : ` and enter the code ${device.user_code}`}`,
      );
      if (process.stderr.isTTY) {
        // A QR code of the URL, for signing in from a phone; loaded only on a terminal.
        const { default: qrcode } = await import("qrcode");
        ctx.log(await qrcode.toString(where, { type: "utf8", errorCorrectionLevel: "L" }));
      }
      ctx.log(`Code: ${device.user_code} (valid for ${Math.round(device.expires_in / 60)} min). Waiting…`);
      let tokens;
      try {
        tokens = await client.pollDeviceAuthorizationGrant(config, device);
      } catch (error) {
        const code = (error as { error?: string }).error;
        if (code === "access_denied")
          throw new TokenError("The sign-in was denied.", "Run aws-oidc login again and approve the request.");
        // The provider says expired_token, or the client stops polling when the code's time is up.
        const timedOut = (error as Error).name === "TimeoutError" || /timed out/i.test((error as Error).message);
        if (code === "expired_token" || timedOut)
          throw new TokenError(
            "The code expired before the sign-in was completed.",
            "Run aws-oidc login again and finish within the time shown.",
          );
        throw new TokenError(
          `The device flow failed: ${(error as Error).message}`,
          "Check --issuer and --client-id (the application must allow the device code grant).",
        );
      }
      if (!tokens.id_token)
        throw new TokenError("The provider answered without an ID token.", "Ask for the openid scope.");
      login.saveLogin(login.loginCachePath(ctx.env, name), {
        issuer,
        clientId,
        scope,
        ...(audience ? { audience } : {}),
        idToken: tokens.id_token,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      });
      const sub = decodePayload(tokens.id_token)?.sub;
      ctx.log(
        `Signed in as ${String(sub)} at ${issuer}; saved as login '${name}'.${tokens.refresh_token ? "" : " No refresh token: ask for offline_access to stay signed in."}`,
      );
      ctx.log(`Use it with: aws-oidc credential-process --login ${name} --role-arn …`);
      return 0;
    },
  },

  claims: {
    options: { raw: { type: "boolean" } },
    async run(values, _positionals, ctx) {
      // No role is assumed and STS is not called: placeholders satisfy the shared validation.
      const placeholders: Record<string, string> = { "role-to-assume": "arn:aws:iam::000000000000:role/claims-only" };
      if (!str(values.region) && !ctx.env.AWS_REGION && !ctx.env.AWS_DEFAULT_REGION)
        placeholders["aws-region"] = "us-east-1";
      const { config, source } = readCliConfig(values, ctx, placeholders);
      if (config.plan.source.kind !== "web-identity")
        throw new InputError("claims", "needs an OIDC token source.", "Use --token-file or run inside a supported CI.");
      const token = await source.getToken(config.plan.source.audience, {
        timeoutMs: config.plan.retry.requestTimeoutMs,
      });
      if (values.raw === true) {
        ctx.out(`${token}\n`);
        return 0;
      }
      ctx.out(`${JSON.stringify({ source: source.name, claims: decodePayload(token) ?? null }, null, 2)}\n`);
      return 0;
    },
  },
};

function parseProfileRole(raw: string): { name: string; arn: string } {
  const eq = raw.indexOf("=");
  if (eq <= 0)
    throw new InputError(
      "--role",
      `'${raw}' is not NAME=ARN.`,
      "Write each role as profile-name=arn:aws:iam::123456789012:role/name.",
    );
  return { name: parseProfileName("--role", raw.slice(0, eq).trim()), arn: raw.slice(eq + 1).trim() };
}

/**
 * What decides the credentials, for the credential-process cache key (never a secret). The
 * default session name carries the time: it must not make every call a cache miss.
 */
function cacheIdentity(values: ParsedValues, ctx: CliContext): Record<string, unknown> {
  const reader = inputReader(values, ctx.env);
  const tokenFile = reader("web-identity-token-file");
  const token = {
    ...readTokenChoice(reader),
    ...(tokenFile ? { tokenFile: resolve(ctx.cwd, tokenFile) } : {}),
    audience: reader("audience"),
  };
  const ssoProfile = reader("sso-profile");
  if (ssoProfile) return { sso: ssoProfile, region: reader("aws-region") };
  const poolId = reader("cognito-identity-pool-id");
  if (poolId)
    return { cognito: poolId, provider: reader("cognito-login-provider"), role: reader("role-to-assume"), token };
  const { plan } = readCliConfig(values, ctx).config;
  const explicitName = str(values["session-name"]) ?? ctx.env.AWS_ROLE_SESSION_NAME;
  return {
    steps: plan.steps.map((step) => ({ ...step, sessionName: explicitName ?? "" })),
    endpoint: plan.endpoint,
    token,
  };
}
