import { InputError } from "../errors.js";
import type { Env } from "../tokens/source.js";
import type { InputReader } from "./action.js";
import { parseRoleArn } from "./aws-names.js";
import { checkSamePartition, partitionOf } from "./partition.js";
import type { CredentialSource, RoleRef } from "./request.js";
import { parseBoolean, parseList } from "./values.js";

/** Where the first credentials come from, and which roles follow. Pure. */

export const DEFAULT_AUDIENCE = "sts.amazonaws.com";

/** Where the first credentials come from: keys given as inputs, the environment (role-chaining), or an OIDC token. */
export function readSource(input: InputReader, env: Env, region: string): CredentialSource {
  const keyId = input("aws-access-key-id");
  const secret = input("aws-secret-access-key");
  const token = input("aws-session-token");
  const chaining = parseBoolean("role-chaining", input("role-chaining"), false);
  const tokenFile = input("web-identity-token-file");
  if (keyId || secret || token) {
    if (!keyId || !secret) {
      throw new InputError(
        keyId ? "aws-secret-access-key" : "aws-access-key-id",
        "is required when the other access key input is set.",
        "Give both aws-access-key-id and aws-secret-access-key (and aws-session-token for temporary keys), or none.",
      );
    }
    if (chaining)
      throw conflict(
        "role-chaining",
        "aws-access-key-id",
        "role-chaining uses the credentials already in the environment",
      );
    if (tokenFile)
      throw conflict("web-identity-token-file", "aws-access-key-id", "a token file means a web identity exchange");
    checkKeyId("aws-access-key-id", keyId);
    return {
      kind: "static",
      origin: "inputs",
      credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) },
    };
  }
  if (chaining) {
    if (tokenFile)
      throw conflict("web-identity-token-file", "role-chaining", "a token file means a web identity exchange");
    const accessKeyId = env.AWS_ACCESS_KEY_ID ?? "";
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? "";
    if (!accessKeyId || !secretAccessKey) {
      throw new InputError(
        "role-chaining",
        "is true but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in the environment.",
        "Run a step that exports credentials first (e.g. this action without role-chaining), then chain from it.",
      );
    }
    checkKeyId("AWS_ACCESS_KEY_ID", accessKeyId);
    const sessionToken = env.AWS_SESSION_TOKEN;
    return {
      kind: "static",
      origin: "environment",
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    };
  }
  const audience = input("audience") || partitionOf(region).audience;
  if (/\s/.test(audience)) {
    throw new InputError(
      "audience",
      `'${audience}' contains whitespace.`,
      `Use one audience, e.g. ${DEFAULT_AUDIENCE}.`,
    );
  }
  return { kind: "web-identity", audience, ...readTokenChoice(input) };
}

export const TOKEN_SOURCES = [
  "github",
  "gitlab",
  "circleci",
  "buildkite",
  "bitbucket",
  "azure-devops",
  "terraform",
  "spacelift",
  "file",
  "env",
  "command",
] as const;

/** Where the token is to come from, as far as the user said. */
export interface TokenChoice {
  readonly tokenFile?: string;
  readonly tokenSource?: string;
  readonly tokenVariable?: string;
  readonly tokenCommand?: string;
  readonly serviceConnectionId?: string;
  /** A login made with `aws-oidc login` (CLI). */
  readonly tokenLogin?: string;
}

/** token-source and what it needs: a token file, token-variable, token-command, azure-service-connection-id. */
export function readTokenChoice(input: InputReader): TokenChoice {
  const tokenFile = input("web-identity-token-file");
  const name = input("token-source");
  const variable = input("token-variable");
  const command = input("token-command");
  const serviceConnectionId = input("azure-service-connection-id");
  const login = input("token-login");
  if (login && !/^[A-Za-z0-9_.-]{1,64}$/.test(login))
    throw new InputError(
      "token-login",
      `'${login}' is not a login name.`,
      "Use the name given to aws-oidc login --name.",
    );
  if (name === "login" && !login)
    throw new InputError(
      "token-source",
      "is login but no login is named.",
      "Give --login NAME (from aws-oidc login --name NAME).",
    );
  if (name && !(TOKEN_SOURCES as readonly string[]).includes(name)) {
    throw new InputError(
      "token-source",
      `'${name}' is not a token source.`,
      `Use one of: ${TOKEN_SOURCES.join(", ")} (or leave it empty to detect the CI).`,
    );
  }
  if (variable && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new InputError(
      "token-variable",
      `'${variable}' is not a variable name.`,
      "Use letters, digits and underscores, e.g. AWS_OIDC_TOKEN.",
    );
  }
  if (command && tokenFile)
    throw conflict("token-command", "web-identity-token-file", "the token comes from one place");
  if (name === "file" && !tokenFile)
    throw new InputError(
      "token-source",
      "is file but no token file is named.",
      "Set web-identity-token-file (--token-file, AWS_WEB_IDENTITY_TOKEN_FILE).",
    );
  if (name === "env" && !variable)
    throw new InputError(
      "token-source",
      "is env but no variable is named.",
      "Set token-variable (--token-variable) to the variable that holds the token.",
    );
  if (name === "command" && !command)
    throw new InputError(
      "token-source",
      "is command but no command is given.",
      "Set token-command (--token-command) to a command that prints the token.",
    );
  if (name && name !== "file" && tokenFile)
    throw conflict("web-identity-token-file", `token-source: ${name}`, "a token file is the file source");
  if (name && name !== "command" && command)
    throw conflict("token-command", `token-source: ${name}`, "a token command is the command source");
  return {
    ...(tokenFile ? { tokenFile } : {}),
    ...(name ? { tokenSource: name } : {}),
    ...(variable ? { tokenVariable: variable } : {}),
    ...(command ? { tokenCommand: command } : {}),
    ...(serviceConnectionId ? { serviceConnectionId } : {}),
    ...(login ? { tokenLogin: login } : {}),
  };
}

/** role-to-assume, then each of chain-roles, in order. */
export function readRoles(input: InputReader, region: string, source: CredentialSource): RoleRef[] {
  const raw = input("role-to-assume");
  const chain = parseList(input("chain-roles"));
  if (!raw) {
    if (source.kind === "web-identity") {
      throw new InputError(
        "role-to-assume",
        "is required.",
        "Set it to the ARN of the IAM role to assume, e.g. arn:aws:iam::123456789012:role/my-role (or give aws-access-key-id and aws-secret-access-key to use keys as they are).",
      );
    }
    if (source.origin === "environment")
      throw new InputError("role-to-assume", "is required with role-chaining.", "Set the ARN of the role to chain to.");
    if (chain.length)
      throw new InputError(
        "role-to-assume",
        "is required with chain-roles.",
        "Set the first role; chain-roles are assumed after it.",
      );
    return [];
  }
  const first = readRole("role-to-assume", raw, region, source.kind === "static");
  return [first, ...chain.map((arn) => readRole("chain-roles", arn, region, false))];
}

function readRole(name: string, raw: string, region: string, bareAllowed: boolean): RoleRef {
  const partition = partitionOf(region).id;
  if (!raw.startsWith("arn:") && /^[\w+=,.@-]{1,64}$/.test(raw)) {
    if (bareAllowed) return { kind: "bare", name: raw, partition };
    throw new InputError(
      name,
      `'${raw}' is a bare role name, not a role ARN.`,
      `Give the full ARN, e.g. arn:${partition}:iam::123456789012:role/${raw}. A bare name works only with source credentials (aws-access-key-id or role-chaining), whose account it is taken from.`,
    );
  }
  const arn = parseRoleArn(name, raw);
  checkSamePartition(name, arn.partition, region);
  return { kind: "arn", ...arn };
}

function checkKeyId(name: string, value: string): void {
  if (!/^[A-Z0-9]{16,128}$/.test(value)) {
    throw new InputError(
      name,
      "does not look like an access key id.",
      "Access key ids are 16-128 upper-case letters and digits, e.g. AKIA… or ASIA….",
    );
  }
}

function conflict(input: string, other: string, why: string): InputError {
  return new InputError(input, `cannot be combined with ${other}: ${why}.`, `Remove one of ${input} and ${other}.`);
}
