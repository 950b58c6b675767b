import { EXCHANGE_OPTIONS } from "./options.js";

/** The CLI's help texts. */

export const COMMANDS: Record<
  string,
  { summary: string; usage: string; options: [string, string][]; example: string }
> = {
  env: {
    summary: "print the credentials as variable assignments for a shell",
    usage: "aws-oidc env [--format sh|bash|zsh|fish|pwsh|dotenv|json] [exchange options]",
    options: [["--format FORMAT", "sh (default), bash, zsh, fish, pwsh, dotenv or json"]],
    example: 'eval "$(aws-oidc env --role-arn arn:aws:iam::123456789012:role/ci --region eu-west-1)"',
  },
  exec: {
    summary: "run a command with the credentials in its environment only",
    usage: "aws-oidc exec [exchange options] -- COMMAND [ARGS...]",
    options: [],
    example: "aws-oidc exec --role-arn arn:aws:iam::123456789012:role/ci -- aws s3 ls",
  },
  "credential-process": {
    summary: "print credential_process JSON (Version 1), cached until shortly before expiry",
    usage: "aws-oidc credential-process [--cache-dir DIR] [--no-cache] [--refresh-before SECONDS] [exchange options]",
    options: [
      ["--cache-dir DIR", "where cached credentials are kept, 0600 (default ~/.aws/aws-oidc/cache)"],
      ["--no-cache", "always exchange a fresh token"],
      ["--refresh-before SECONDS", "refresh cached credentials this long before they expire (default 300)"],
    ],
    example:
      "credential_process = aws-oidc credential-process --role-arn arn:aws:iam::123456789012:role/ci --token-file /var/run/token",
  },
  profile: {
    summary: "write the credentials into named profiles of the shared credentials and config files",
    usage: "aws-oidc profile (--profile NAME | --role NAME=ARN ...) [--overwrite] [exchange options]",
    options: [
      ["--profile NAME", "the profile for --role-arn (AWS_PROFILE)"],
      ["--role NAME=ARN", "one profile per role, all from one token, in parallel (repeatable)"],
      ["--overwrite", "replace profiles that already exist"],
      ["--credentials-file PATH", "the credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials)"],
      ["--config-file PATH", "the config file (AWS_CONFIG_FILE, default ~/.aws/config)"],
    ],
    example:
      "aws-oidc profile --role dev=arn:aws:iam::111111111111:role/ci --role prod=arn:aws:iam::222222222222:role/ci --region eu-west-1",
  },
  console: {
    summary: "print (or open) an AWS console sign-in URL for the credentials",
    usage:
      "aws-oidc console [--destination URL] [--issuer NAME] [--session-duration SECONDS] [--open] [--from-env] [exchange options]",
    options: [
      ["--destination URL", "the console page to open (default: the partition's console home)"],
      ["--issuer NAME", "shown by AWS as where the user came from (default aws-oidc)"],
      ["--session-duration SECONDS", "console session length, 900-43200 (not for chained roles)"],
      ["--open", "open the URL in the browser instead of printing it"],
      ["--from-env", "use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN instead of assuming --role-arn"],
      ["--federation-endpoint URL", "the federation endpoint (AWS_OIDC_FEDERATION_ENDPOINT; default by partition)"],
    ],
    example: "aws-oidc console --role-arn arn:aws:iam::123456789012:role/readonly --open",
  },
  login: {
    summary: "sign in to an OpenID provider with the device flow and keep the tokens for --login",
    usage: "aws-oidc login --issuer URL --client-id ID [--name NAME] [--scope SCOPES] [--audience AUD]",
    options: [
      ["--issuer URL", "the OpenID provider (found through its discovery document)"],
      ["--client-id ID", "a native application that allows the device code grant"],
      ["--name NAME", "the login's name for --login (default: derived from issuer and client)"],
      ["--scope SCOPES", "default 'openid offline_access' (offline_access keeps you signed in)"],
    ],
    example: "aws-oidc login --issuer https://example.eu.auth0.com/ --client-id abc123 --name work",
  },
  claims: {
    summary: "print the claims of the OIDC token the current source gives (not the token)",
    usage: "aws-oidc claims [--audience AUD] [--token-file PATH] [--raw]",
    options: [["--raw", "print the token itself instead (it is a secret: keep it out of logs)"]],
    example: "aws-oidc claims --audience sts.amazonaws.com",
  },
};

export const EXIT_CODES: [number, string][] = [
  [0, "success"],
  [1, "the exchange failed: no token, STS refused or could not be reached"],
  [2, "bad usage or configuration: the message names the option"],
  [3, "the credentials could not be written (profile files, cache)"],
  [127, "exec: the command was not found or could not be started"],
];

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join("\n");
}

const exchangeRows = (): [string, string][] =>
  Object.entries(EXCHANGE_OPTIONS).map(([name, o]) => [`--${name}${o.spec.type === "string" ? " VALUE" : ""}`, o.help]);

export function mainHelp(): string {
  return `aws-oidc: short-lived AWS credentials from an OIDC token (AssumeRoleWithWebIdentity)

Usage: aws-oidc <command> [options]

Commands:
${table(Object.entries(COMMANDS).map(([name, c]) => [name, c.summary]))}

Run 'aws-oidc <command> --help' for a command's options.
Global: --help, --version, --verbose (progress on stderr)

Exit codes:
${table(EXIT_CODES.map(([code, text]) => [String(code), text]))}
  exec passes on the command's own exit code (128+N when it was killed by signal N).
`;
}

export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  if (!c) return mainHelp();
  const own = c.options.length ? `\nOptions:\n${table(c.options)}\n` : "";
  return `aws-oidc ${name}: ${c.summary}

Usage: ${c.usage}
${own}
Exchange options:
${table(exchangeRows())}

Example:
  ${c.example}
`;
}
