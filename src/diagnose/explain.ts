import type { ExchangePlan } from "../config/request.js";
import type { StsError } from "../errors.js";
import { readClaims } from "./claims.js";
import { diagnoseRefusal, DIAGNOSED_CODES } from "./refusal.js";

/** The diagnosis lines for a refused AssumeRoleWithWebIdentity; none for other failures. */
export function explainRefusal(
  error: StsError,
  token: string,
  plan: ExchangePlan,
  extraClaims: readonly string[],
): string[] {
  if (error.operation !== "AssumeRoleWithWebIdentity" || !DIAGNOSED_CODES.has(error.code)) return [];
  const role = plan.steps[0]?.role;
  const claims = readClaims(token, extraClaims);
  if (!claims || role?.kind !== "arn") return [];
  return diagnoseRefusal({ code: error.code, detail: error.detail, roleArn: role.arn, claims, now: new Date() });
}
