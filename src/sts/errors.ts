import { StsError } from "../errors.js";

/**
 * Turns whatever the SDK threw into an StsError whose message a user can act on.
 * STS messages are kept: they carry no secret (STS never echoes the token).
 */
export function toStsError(error: unknown, roleArn: string, endpoint: string): StsError {
  if (error instanceof StsError) return error;
  const e = (error ?? {}) as {
    name?: string;
    Code?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  // Service errors carry `Code`/`name`; Node's network errors carry `code` (ECONNREFUSED…).
  const code = e.Code ?? (typeof e.code === "string" ? e.code : undefined) ?? e.name ?? "Error";
  const message = (e.message ?? String(error)).trim();
  const status = e.$metadata?.httpStatusCode;
  switch (code) {
    case "AccessDenied":
      return new StsError(
        `STS denied AssumeRoleWithWebIdentity on ${roleArn}: ${message}`,
        code,
        "The role's trust policy does not accept this token. Check that the account has an IAM OIDC " +
          "provider for the token's issuer, and that the policy's `aud` and `sub` conditions match the token.",
      );
    case "InvalidIdentityToken":
      return new StsError(
        `STS rejected the OIDC token: ${message}`,
        code,
        "Check the IAM OIDC provider in the role's account: its URL must equal the token's issuer and its " +
          "audience list must contain the audience asked for.",
      );
    case "ExpiredTokenException":
      return new StsError(
        `STS says the OIDC token has expired: ${message}`,
        code,
        "Request a fresh token right before the exchange; check the runner's clock.",
      );
    case "ValidationError":
      return new StsError(
        `STS rejected a parameter: ${message}`,
        code,
        "Check role-duration-seconds against the role's maximum session duration, and the role ARN.",
      );
    case "RegionDisabledException":
      return new StsError(
        `STS is not activated in this Region: ${message}`,
        code,
        "Activate STS for the Region in IAM account settings, or use another Region.",
      );
    case "TimeoutError":
    case "AbortError":
    case "ABORT_ERR":
      return new StsError(
        `STS at ${endpoint} did not answer in time.`,
        "Timeout",
        "Check network access to the endpoint, and any proxy.",
      );
    default: {
      const where = status ? ` (HTTP ${status})` : "";
      const transport = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE"].includes(code);
      return new StsError(
        transport ? `Could not reach STS at ${endpoint}: ${message}` : `STS failed${where} with ${code}: ${message}`,
        code,
        transport
          ? "Check the Region, the sts-endpoint / AWS_ENDPOINT_URL_STS setting, and network access."
          : "Re-run; if it persists, check the AWS Health Dashboard.",
      );
    }
  }
}
