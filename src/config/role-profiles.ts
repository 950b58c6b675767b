import { InputError } from "../errors.js";

/** `role-profiles`: one `profile-name=role-arn` per line (or comma-separated). */
export interface RoleProfile {
  readonly name: string;
  readonly arn: string;
}

export function parseRoleProfiles(input: string, raw: string): RoleProfile[] {
  const entries = raw
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const profiles = entries.map((line) => {
    const eq = line.indexOf("=");
    if (eq <= 0)
      throw new InputError(
        input,
        `'${line}' is not profile-name=role-arn.`,
        "Write one per line, e.g. dev=arn:aws:iam::111111111111:role/deploy.",
      );
    return { name: parseProfileName(input, line.slice(0, eq).trim()), arn: line.slice(eq + 1).trim() };
  });
  const names = profiles.map((p) => p.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice)
    throw new InputError(input, `the profile '${twice}' is named twice.`, "Give each role its own profile name.");
  return profiles;
}

export function parseProfileName(input: string, raw: string): string {
  if (!/^[A-Za-z0-9_.+=@-]{1,64}$/.test(raw)) {
    throw new InputError(
      input,
      `'${raw}' is not a usable profile name.`,
      "Use 1-64 letters, digits and _.+=@- (no spaces or brackets).",
    );
  }
  return raw;
}
