import { InputError } from "../errors.js";
import type { InputReader } from "../config/action.js";

/**
 * The CLI's options, and how they map onto the action's inputs, so that both are validated
 * by the same code. Environment variables the AWS CLI and SDKs use are read where they apply.
 */

export type OptionSpec = { type: "string" | "boolean"; multiple?: boolean; short?: string };

/** Exchange options, shared by every command: option → action input. */
export const EXCHANGE_OPTIONS: Record<string, { input: string; env?: string; spec: OptionSpec; help: string }> = {
  "role-arn": {
    input: "role-to-assume",
    env: "AWS_ROLE_ARN",
    spec: { type: "string" },
    help: "ARN of the role to assume (AWS_ROLE_ARN)",
  },
  region: { input: "aws-region", spec: { type: "string" }, help: "AWS Region (AWS_REGION, AWS_DEFAULT_REGION)" },
  "session-name": {
    input: "role-session-name",
    env: "AWS_ROLE_SESSION_NAME",
    spec: { type: "string" },
    help: "role session name (AWS_ROLE_SESSION_NAME)",
  },
  duration: {
    input: "role-duration-seconds",
    spec: { type: "string" },
    help: "session duration in seconds, 900-43200 (default 3600)",
  },
  audience: {
    input: "audience",
    spec: { type: "string" },
    help: "audience of the OIDC token (default sts.amazonaws.com)",
  },
  "token-file": {
    input: "web-identity-token-file",
    env: "AWS_WEB_IDENTITY_TOKEN_FILE",
    spec: { type: "string" },
    help: "read the OIDC token from this file (AWS_WEB_IDENTITY_TOKEN_FILE)",
  },
  "token-source": {
    input: "token-source",
    env: "AWS_OIDC_TOKEN_SOURCE",
    spec: { type: "string" },
    help: "where the token comes from: github, gitlab, circleci, buildkite, bitbucket, azure-devops, terraform, spacelift, file, env, command (default: detected)",
  },
  "token-variable": {
    input: "token-variable",
    spec: { type: "string" },
    help: "the variable that holds the token (GitLab id_tokens name, default AWS_OIDC_TOKEN)",
  },
  "token-command": {
    input: "token-command",
    spec: { type: "string" },
    help: "a command that prints the token (gets the audience in AWS_OIDC_AUDIENCE)",
  },
  "azure-service-connection-id": {
    input: "azure-service-connection-id",
    env: "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    spec: { type: "string" },
    help: "Azure DevOps service connection for the token",
  },
  "cognito-identity-pool-id": {
    input: "cognito-identity-pool-id",
    spec: { type: "string" },
    help: "exchange at this Cognito identity pool (region:uuid) instead of STS",
  },
  "cognito-login-provider": {
    input: "cognito-login-provider",
    spec: { type: "string" },
    help: "the pool's Logins key for the token (default: the token's iss)",
  },
  "cognito-endpoint": {
    input: "cognito-endpoint",
    env: "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
    spec: { type: "string" },
    help: "Cognito identity endpoint URL",
  },
  login: {
    input: "token-login",
    spec: { type: "string" },
    help: "use the ID token of `aws-oidc login --name NAME` (refreshed when near expiry)",
  },
  "sso-profile": {
    input: "sso-profile",
    spec: { type: "string" },
    help: "export the role of this AWS CLI SSO profile (after `aws sso login`) instead of an exchange",
  },
  "sso-endpoint": {
    input: "sso-endpoint",
    env: "AWS_ENDPOINT_URL_SSO",
    spec: { type: "string" },
    help: "IAM Identity Center portal endpoint URL",
  },
  "sts-endpoint": { input: "sts-endpoint", spec: { type: "string" }, help: "STS endpoint URL (AWS_ENDPOINT_URL_STS)" },
  "chain-role": {
    input: "chain-roles",
    spec: { type: "string", multiple: true },
    help: "assume this role next, with AssumeRole (repeatable)",
  },
  "external-id": {
    input: "role-external-id",
    spec: { type: "string" },
    help: "external id for AssumeRole of a chained role",
  },
  "inline-policy": {
    input: "inline-session-policy",
    spec: { type: "string" },
    help: "IAM policy (JSON) that narrows the session",
  },
  "policy-arn": {
    input: "managed-session-policies",
    spec: { type: "string", multiple: true },
    help: "managed policy ARN that narrows the session (repeatable)",
  },
  tags: { input: "custom-tags", spec: { type: "string" }, help: "session tags for AssumeRole, as a JSON object" },
  "transitive-tag-key": {
    input: "transitive-tag-keys",
    spec: { type: "string", multiple: true },
    help: "session tag key that stays transitive (repeatable)",
  },
  "skip-session-tagging": {
    input: "role-skip-session-tagging",
    spec: { type: "boolean" },
    help: "send no run tags with AssumeRole",
  },
  fips: {
    input: "use-fips-endpoint",
    spec: { type: "boolean" },
    help: "use STS's FIPS endpoint (AWS_USE_FIPS_ENDPOINT)",
  },
  dualstack: {
    input: "use-dualstack-endpoint",
    spec: { type: "boolean" },
    help: "use STS's dual-stack endpoint (AWS_USE_DUALSTACK_ENDPOINT)",
  },
  "allowed-account-id": {
    input: "allowed-account-ids",
    spec: { type: "string", multiple: true },
    help: "refuse credentials of other accounts (repeatable)",
  },
  "retry-max-attempts": {
    input: "retry-max-attempts",
    spec: { type: "string" },
    help: "attempts per call, 1-20 (default 5)",
  },
  timeout: { input: "action-timeout-s", spec: { type: "string" }, help: "overall deadline in seconds (default 120)" },
  proxy: { input: "http-proxy", spec: { type: "string" }, help: "proxy URL (HTTPS_PROXY, HTTP_PROXY)" },
  "no-proxy": { input: "no-proxy", spec: { type: "string" }, help: "hosts that bypass the proxy (NO_PROXY)" },
};

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The action-input view of the parsed options (and their environment fallbacks). */
export function inputReader(
  values: ParsedValues,
  env: Readonly<Record<string, string | undefined>>,
  overrides: Record<string, string> = {},
): InputReader {
  const byInput = new Map(Object.entries(EXCHANGE_OPTIONS).map(([option, o]) => [o.input, { option, ...o }]));
  return (input) => {
    if (input in overrides) return overrides[input] ?? "";
    const entry = byInput.get(input);
    if (!entry) return "";
    const value = values[entry.option];
    if (Array.isArray(value)) return value.join("\n");
    if (typeof value === "boolean") return value ? "true" : "";
    if (typeof value === "string") return value.trim();
    return entry.env ? (env[entry.env] ?? "").trim() : "";
  };
}

/** Renames an action input in an error to the CLI option the user typed. */
export function asOptionError(error: InputError): InputError {
  const entry = Object.entries(EXCHANGE_OPTIONS).find(([, o]) => o.input === error.input);
  if (!entry) return error;
  const [option, o] = entry;
  const named = o.env ? `--${option} / ${o.env}` : `--${option}`;
  const renamed = new InputError(
    named,
    error.problem,
    error.hint?.replace(new RegExp(`\\b${error.input}\\b`, "g"), `--${option}`),
  );
  renamed.message = `Option ${named}: ${error.problem}`;
  return renamed;
}
