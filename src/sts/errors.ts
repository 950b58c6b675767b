import { StsError } from "../errors.js";

/**
 * Turns whatever the SDK threw into an StsError a user can act on, and decides whether
 * it is worth another attempt. STS messages are kept: STS never echoes the token.
 */

export interface CallContext {
  /** `AssumeRoleWithWebIdentity`, `AssumeRole`, `GetCallerIdentity`. */
  readonly operation: string;
  readonly roleArn?: string;
  readonly endpoint: string;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "IDPCommunicationError",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "MalformedResponse",
]);
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
// STS says this when it could not fetch the provider's JWKS: the provider may be back a moment later.
const KEYS_UNAVAILABLE =
  /retrieve verification key|could not be retrieved|unable to (fetch|retrieve)|couldn't (fetch|retrieve)/i;

export function toStsError(error: unknown, ctx: CallContext): StsError {
  if (error instanceof StsError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  // Service errors carry `Code`/`name`; Node's network errors carry `code` (ECONNRESET…).
  let code = e.Code ?? (typeof e.code === "string" ? e.code : undefined) ?? e.name ?? "Error";
  const detail = (e.message ?? String(error)).trim();
  const status = e.$metadata?.httpStatusCode;
  // A body the SDK could not parse (cut off, not XML): a 5xx or a broken answer, worth a retry.
  if (code === "SyntaxError" || /XML parse error|Deserialization error|Unexpected end/i.test(detail)) {
    code = status !== undefined && status >= 300 ? `HTTP${status}` : "MalformedResponse";
  }
  const made = describe(code, detail, status, ctx);
  made.operation = ctx.operation;
  const retryable =
    RETRYABLE_CODES.has(code) ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    (code === "InvalidIdentityToken" && KEYS_UNAVAILABLE.test(detail));
  return retryable ? made.transient() : made;
}

function describe(code: string, detail: string, status: number | undefined, ctx: CallContext): StsError {
  const on = ctx.roleArn ? ` on ${ctx.roleArn}` : "";
  switch (code) {
    case "AccessDenied":
      return new StsError(
        `STS denied ${ctx.operation}${on}: ${detail}`,
        code,
        ctx.operation === "AssumeRoleWithWebIdentity"
          ? "The role's trust policy does not accept this token. Check that the account has an IAM OIDC provider for the token's issuer, and that the policy's `aud` and `sub` conditions match the token."
          : "The role's trust policy must allow sts:AssumeRole (and sts:TagSession when session tags are sent) for the source identity, and the source must be allowed to call sts:AssumeRole on the role.",
        detail,
      );
    case "InvalidIdentityToken":
      return new StsError(
        `STS rejected the OIDC token: ${detail}`,
        code,
        "Check the IAM OIDC provider in the role's account: its URL must equal the token's issuer and its audience list must contain the audience asked for.",
        detail,
      );
    case "ExpiredTokenException":
      return new StsError(
        `STS says the OIDC token has expired: ${detail}`,
        code,
        "Request a fresh token right before the exchange; check the runner's clock.",
        detail,
      );
    case "ExpiredToken":
      return new StsError(
        `STS says the source credentials have expired: ${detail}`,
        code,
        "Refresh the credentials of the earlier step, or chain sooner.",
        detail,
      );
    case "InvalidClientTokenId":
    case "SignatureDoesNotMatch":
      return new StsError(
        `STS rejected the source credentials (${code}): ${detail}`,
        code,
        "Check aws-access-key-id / aws-secret-access-key (or the credentials in the environment for role-chaining).",
        detail,
      );
    case "PackedPolicyTooLarge":
      return new StsError(
        `STS says the session policies and tags are too large: ${detail}`,
        code,
        "Send fewer or shorter session tags, or a shorter inline-session-policy.",
        detail,
      );
    case "ValidationError":
      return new StsError(
        `STS rejected a parameter of ${ctx.operation}: ${detail}`,
        code,
        validationHint(detail),
        detail,
      );
    case "RegionDisabledException":
      return new StsError(
        `STS is not activated in this Region: ${detail}`,
        code,
        "Activate STS for the Region in the IAM account settings, or use another Region.",
        detail,
      );
    case "TimeoutError":
    case "RequestTimeout":
      return new StsError(
        `STS at ${ctx.endpoint} did not answer in time.`,
        "TimeoutError",
        "Check network access to the endpoint, and any proxy.",
        detail,
      );
    case `HTTP${status}`:
      return new StsError(
        `STS ${ctx.operation} failed: ${ctx.endpoint} answered HTTP ${status} without an STS error document.`,
        code,
        "Re-run; if it persists, check the endpoint, any proxy in between, and the AWS Health Dashboard.",
        detail,
      );
    case "MalformedResponse":
      return new StsError(
        `STS at ${ctx.endpoint} answered with a body that is not an STS response.`,
        code,
        "Check that the endpoint is STS; if it is, re-run.",
        detail,
      );
    default: {
      if (UNREACHABLE.has(code)) {
        return new StsError(
          `Could not reach STS at ${ctx.endpoint}: ${detail}`,
          code,
          "Check the Region, the sts-endpoint / AWS_ENDPOINT_URL_STS setting, network access and any proxy.",
          detail,
        );
      }
      const where = status ? ` (HTTP ${status})` : "";
      return new StsError(
        `STS ${ctx.operation} failed${where} with ${code}: ${detail}`,
        code,
        "Re-run; if it persists, check the AWS Health Dashboard.",
        detail,
      );
    }
  }
}

/** Points at the input behind the member STS names in a ValidationError. */
function validationHint(detail: string): string {
  if (/durationSeconds|MaxSessionDuration/i.test(detail)) {
    return "Lower role-duration-seconds to at most the role's maximum session duration (and 3600 when chaining), or raise the role's maximum in IAM.";
  }
  if (/roleSessionName/i.test(detail))
    return "Check role-session-name: 2-64 characters of letters, digits and +=,.@_-.";
  if (/policy/i.test(detail)) return "Check inline-session-policy and managed-session-policies.";
  if (/tag/i.test(detail)) return "Check custom-tags and transitive-tag-keys.";
  if (/externalId/i.test(detail)) return "Check role-external-id.";
  return "Check the role ARN and the inputs named in STS's message.";
}
