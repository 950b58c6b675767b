import type { RunMetadata } from "../tokens/source.js";
import { sanitizeSessionName } from "./aws-names.js";

/**
 * The default RoleSessionName: `<ci>-<project>-<run>-<attempt>`, so CloudTrail shows
 * which run used the role. The run suffix is kept whole; the project is shortened
 * to fit STS's 64 characters.
 */
export function defaultSessionName(meta: RunMetadata): string {
  const suffix = [meta.runId, meta.attempt].filter(Boolean).join("-");
  const project = (meta.project ?? "").replace(/\//g, ".");
  const room = 64 - meta.ci.length - (suffix ? suffix.length + 1 : 0) - 1;
  const head = project ? `${meta.ci}-${project.slice(0, Math.max(room, 0))}` : meta.ci;
  return sanitizeSessionName(suffix ? `${head}-${suffix}` : head);
}
