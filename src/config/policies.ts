import { InputError } from "../errors.js";
import { parseJsonObject, parseList } from "./values.js";

/** Session policies: an inline JSON policy and managed policy ARNs, checked as STS would. */

// STS counts the inline policy and managed ARNs together in a packed, compressed form; the
// plain-text limit it documents for the inline policy is 2,048 characters.
export const MAX_INLINE_POLICY = 2048;
export const MAX_MANAGED_POLICIES = 10;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/;

export function parseInlinePolicy(input: string, raw: string): string | undefined {
  if (raw === "") return undefined;
  const parsed = parseJsonObject(input, raw, '{"Version": "2012-10-17", "Statement": [...]}');
  if (!("Statement" in parsed)) {
    throw new InputError(
      input,
      "is not an IAM policy document (no Statement).",
      'Give {"Version": "2012-10-17", "Statement": [...]}.',
    );
  }
  // Whitespace does not count against the limit: send the compact form.
  const compact = JSON.stringify(parsed);
  if (compact.length > MAX_INLINE_POLICY) {
    throw new InputError(
      input,
      `is ${compact.length} characters without whitespace; STS allows ${MAX_INLINE_POLICY}.`,
      "Shorten the policy or move statements into managed-session-policies.",
    );
  }
  return compact;
}

export function parseManagedPolicies(input: string, raw: string): string[] {
  const arns = parseList(raw);
  for (const arn of arns) {
    if (!POLICY_ARN.test(arn)) {
      throw new InputError(
        input,
        `'${arn}' is not an IAM policy ARN.`,
        "Use ARNs like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/my-policy, one per line.",
      );
    }
  }
  if (arns.length > MAX_MANAGED_POLICIES) {
    throw new InputError(
      input,
      `lists ${arns.length} policies; STS allows ${MAX_MANAGED_POLICIES}.`,
      "Combine policies, or move statements into inline-session-policy.",
    );
  }
  return arns;
}
