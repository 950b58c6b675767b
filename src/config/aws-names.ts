import { InputError } from "../errors.js";

/**
 * Pure validation of AWS identifiers, following the shapes IAM and STS document.
 */

// Region codes: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1, ap-southeast-7…
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

export function parseRegion(input: string, raw: string): string {
  if (raw === "") {
    throw new InputError(input, "is required.", "Set it to the AWS Region to use, e.g. us-east-1.");
  }
  if (!REGION.test(raw)) {
    throw new InputError(
      input,
      `'${raw}' is not an AWS Region code.`,
      "Use a Region code such as us-east-1, eu-west-2, us-gov-west-1 or cn-north-1 (not a name like 'US East').",
    );
  }
  return raw;
}

const PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];
// IAM role names: 1–64 of [\w+=,.@-]; paths: '/' or '/segments/' of printable ASCII.
const ROLE_ARN = /^arn:([a-z-]+):iam::([0-9]{12}):role\/((?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

export interface RoleArn {
  arn: string;
  partition: string;
  accountId: string;
  path: string;
  name: string;
}

export function parseRoleArn(input: string, raw: string): RoleArn {
  const example = "arn:aws:iam::123456789012:role/my-role";
  if (raw === "") {
    throw new InputError(input, "is required.", `Set it to the ARN of the IAM role to assume, e.g. ${example}.`);
  }
  if (!raw.startsWith("arn:")) {
    throw new InputError(
      input,
      `'${raw}' is a bare role name, not a role ARN.`,
      `Give the full ARN, e.g. ${example.replace("my-role", raw.slice(0, 64) || "my-role")}.`,
    );
  }
  const match = ROLE_ARN.exec(raw);
  if (!match) {
    throw new InputError(
      input,
      `'${raw}' is not an IAM role ARN.`,
      `Expected arn:<partition>:iam::<12-digit account id>:role/[path/]<name>, e.g. ${example}; ` +
        "role names are 1-64 characters of letters, digits and +=,.@_-.",
    );
  }
  const [, partition = "", accountId = "", path = "", name = ""] = match;
  if (!PARTITIONS.includes(partition)) {
    throw new InputError(input, `the partition '${partition}' is unknown.`, `Use one of: ${PARTITIONS.join(", ")}.`);
  }
  return { arn: raw, partition, accountId, path: `/${path}`, name };
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** A session name the user chose: checked, never silently changed. */
export function parseSessionName(input: string, raw: string): string {
  if (SESSION_NAME.test(raw)) return raw;
  const problem =
    raw.length < 2 || raw.length > 64
      ? `is ${raw.length} characters long.`
      : `'${raw}' has characters STS does not allow.`;
  throw new InputError(
    input,
    problem,
    "Use 2 to 64 characters of letters, digits and +=,.@_- (STS's RoleSessionName rules).",
  );
}

/** Makes a session name from free text (run metadata): allowed characters only, 2–64 long. */
export function sanitizeSessionName(text: string): string {
  const cleaned = text.replace(/[^\w+=,.@-]+/g, "-").slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}
