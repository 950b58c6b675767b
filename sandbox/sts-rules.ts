/** STS's documented parameter rules, as the sandbox enforces them (messages in STS's style). */

export const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

type Params = Record<string, string>;

export interface Tag {
  Key: string;
  Value: string;
}

/** Query-protocol lists: Tags.member.1.Key, TransitiveTagKeys.member.1 … */
export function listParam(p: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; p[`${name}.member.${i}`] !== undefined; i++) out.push(p[`${name}.member.${i}`] ?? "");
  return out;
}

export function tagsParam(p: Params): Tag[] {
  const out: Tag[] = [];
  for (let i = 1; p[`Tags.member.${i}.Key`] !== undefined; i++)
    out.push({ Key: p[`Tags.member.${i}.Key`] ?? "", Value: p[`Tags.member.${i}.Value`] ?? "" });
  return out;
}

function check(
  problems: string[],
  member: string,
  value: string | undefined,
  ok: (v: string) => boolean,
  constraint: string,
  secret = false,
): void {
  if (value === undefined)
    problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  else if (!ok(value))
    problems.push(`Value '${secret ? "***" : value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function common(p: Params, maxDuration: number): string[] {
  const problems: string[] = [];
  check(
    problems,
    "roleArn",
    p.RoleArn,
    (v) => v.length >= 20 && v.length <= 2048 && ROLE_ARN.test(v),
    "Member must be a valid IAM role ARN of length between 20 and 2048",
  );
  check(
    problems,
    "roleSessionName",
    p.RoleSessionName,
    (v) => SESSION_NAME.test(v),
    "Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*",
  );
  if (p.DurationSeconds !== undefined) {
    const d = Number(p.DurationSeconds);
    if (!Number.isInteger(d) || d < 900 || d > maxDuration) {
      problems.push(
        `Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and ${maxDuration}`,
      );
    }
  }
  if (p.Policy !== undefined) {
    try {
      JSON.parse(p.Policy);
    } catch {
      problems.push("Value at 'policy' failed to satisfy constraint: Member must be a valid JSON policy document");
    }
    if (p.Policy.length > 2048)
      problems.push(
        "Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
      );
  }
  for (let i = 1; p[`PolicyArns.member.${i}.arn`] !== undefined; i++) {
    const arn = p[`PolicyArns.member.${i}.arn`] ?? "";
    if (!/^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\/.+$/.test(arn)) {
      problems.push(
        `Value '${arn}' at 'policyArns.${i}.member.arn' failed to satisfy constraint: Member must be a policy ARN`,
      );
    }
  }
  return problems;
}

export function validateWebIdentity(p: Params): string[] {
  const problems = common(p, 43200);
  check(
    problems,
    "webIdentityToken",
    p.WebIdentityToken,
    (v) => v.length >= 4 && v.length <= 20000,
    "Member must have length between 4 and 20000",
    true,
  );
  return problems;
}

/** `chained`: the caller is itself a role session, so AWS caps the duration at one hour. */
export function validateAssumeRole(p: Params, chained: boolean): string[] {
  const problems = common(p, chained ? 3600 : 43200);
  if (p.ExternalId !== undefined)
    check(
      problems,
      "externalId",
      p.ExternalId,
      (v) => EXTERNAL_ID.test(v),
      "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      true,
    );
  const tags = tagsParam(p);
  if (tags.length > 50)
    problems.push(`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
  for (const tag of tags) {
    if (!TAG_KEY.test(tag.Key))
      problems.push(
        `Value '${tag.Key}' at 'tags.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
    if (!TAG_VALUE.test(tag.Value))
      problems.push(
        `Value at 'tags.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`,
      );
  }
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  if (keys.size !== tags.length)
    problems.push("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  for (const key of listParam(p, "TransitiveTagKeys")) {
    if (!keys.has(key.toLowerCase()))
      problems.push(`The specified transitive tag key must be included in the requested tags: ${key}`);
  }
  return problems;
}
