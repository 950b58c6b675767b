import { SinkError } from "../errors.js";
import type { AssumedCredentials } from "../sts/credentials.js";

/** Credentials as environment variable assignments, quoted for the shell that will read them. */

export const SHELL_FORMATS = ["sh", "bash", "zsh", "fish", "pwsh", "dotenv", "json"] as const;
export type ShellFormat = (typeof SHELL_FORMATS)[number];

export type Variables = readonly (readonly [name: string, value: string])[];

/** The variables every AWS SDK and the AWS CLI read. */
export function credentialVariables(credentials: AssumedCredentials, region: string): Variables {
  return [
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
    ...(credentials.sessionToken ? [["AWS_SESSION_TOKEN", credentials.sessionToken] as const] : []),
    ...(credentials.expiration ? [["AWS_CREDENTIAL_EXPIRATION", credentials.expiration.toISOString()] as const] : []),
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
  ];
}

/** POSIX shells: single quotes keep every byte; a quote is closed, escaped and reopened. */
export function quoteSh(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside single quotes only \\ and \' are escapes. */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** PowerShell: single-quoted strings double their quotes, and PowerShell counts the typographic ones as quotes too. */
export function quotePwsh(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (c) => c + c)}'`;
}

export function renderVariables(variables: Variables, format: ShellFormat): string {
  for (const [name, value] of variables) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new SinkError(`'${name}' is not a variable name.`);
    if (value.includes("\0")) throw new SinkError(`The value of ${name} contains a NUL byte, which no shell can hold.`);
  }
  switch (format) {
    case "sh":
    case "bash":
    case "zsh":
      return variables.map(([name, value]) => `export ${name}=${quoteSh(value)}\n`).join("");
    case "fish":
      return variables.map(([name, value]) => `set -gx ${name} ${quoteFish(value)}\n`).join("");
    case "pwsh":
      return variables.map(([name, value]) => `$Env:${name} = ${quotePwsh(value)}\n`).join("");
    case "dotenv":
      return variables.map(([name, value]) => `${name}=${dotenvValue(name, value)}\n`).join("");
    case "json":
      return `${JSON.stringify(Object.fromEntries(variables), null, 2)}\n`;
  }
}

/** dotenv files have no escape for a single quote or a line break inside single quotes: refuse those. */
function dotenvValue(name: string, value: string): string {
  if (/['\r\n]/.test(value)) {
    throw new SinkError(
      `The value of ${name} cannot be written to a dotenv file (it has a quote or a line break).`,
      "Use --format json or a shell format.",
    );
  }
  return `'${value}'`;
}
