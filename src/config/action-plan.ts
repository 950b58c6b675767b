import { InputError } from "../errors.js";
import type { Env, RunMetadata } from "../tokens/source.js";
import { readActionConfig, type ActionConfig, type InputReader } from "./action.js";
import { parseRoleProfiles } from "./role-profiles.js";
import { parseBoolean } from "./values.js";

/**
 * The action's whole plan: the role whose credentials go to the step's environment
 * (role-to-assume), and the roles written to named profiles (role-profiles), each validated
 * by the same rules. Pure.
 */
export interface ActionPlan {
  readonly primary?: ActionConfig;
  readonly profiles: readonly { readonly name: string; readonly config: ActionConfig }[];
  readonly overwriteProfiles: boolean;
  /** The settings every exchange shares (Region, proxy, secrets to mask, warnings, flags). */
  readonly shared: ActionConfig;
}

export function readActionPlan(input: InputReader, env: Env, meta: RunMetadata): ActionPlan {
  const roleProfiles = parseRoleProfiles("role-profiles", input("role-profiles"));
  const overwriteProfiles = parseBoolean("overwrite-profiles", input("overwrite-profiles"), false);
  const primary = roleProfiles.length === 0 || input("role-to-assume") ? readActionConfig(input, env, meta) : undefined;
  const profiles = roleProfiles.map((profile) => ({
    name: profile.name,
    config: blameRoleProfiles(profile.name, () =>
      readActionConfig((name) => (name === "role-to-assume" ? profile.arn : input(name)), env, meta),
    ),
  }));
  const shared = primary ?? profiles[0]?.config;
  if (!shared) throw new Error("unreachable: a plan has a primary role or at least one profile");
  return { ...(primary ? { primary } : {}), profiles, overwriteProfiles, shared };
}

/** A bad role ARN in role-profiles is reported against role-profiles, naming the profile. */
function blameRoleProfiles<T>(profile: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError && error.input === "role-to-assume") {
      throw new InputError(`role-profiles (${profile})`, error.problem, error.hint);
    }
    throw error;
  }
}
