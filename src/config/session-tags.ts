import { InputError } from "../errors.js";
import { parseJsonObject, parseList } from "./values.js";

/**
 * Session tags for AssumeRole, following STS's limits: at most 50 tags, keys 1–128 and
 * values 0–256 characters of letters, digits, spaces and _.:/=+-@, keys unique
 * case-insensitively, no `aws:` prefix. The transitive keys must be among the tags.
 */

export interface SessionTag {
  readonly Key: string;
  readonly Value: string;
}

export interface SessionTagPlan {
  /** Tags the user asked for (custom-tags): always sent. */
  readonly custom: readonly SessionTag[];
  /** Tags from the run's metadata: dropped if STS answers PackedPolicyTooLarge. */
  readonly run: readonly SessionTag[];
  readonly transitiveKeys: readonly string[];
}

export const MAX_TAGS = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const TAG_RULES = "Keys are 1-128 and values 0-256 characters of letters, digits, spaces and _.:/=+-@.";

/** Fits free text (run metadata) into a tag value: other characters become '_', cut to 256. */
export function sanitizeTagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);
}

export function parseCustomTags(input: string, raw: string): SessionTag[] {
  if (raw === "") return [];
  const parsed = parseJsonObject(input, raw, '{"Team": "payments"}');
  return Object.entries(parsed).map(([key, value]) => {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new InputError(
        input,
        `the value of '${key}' is not a string.`,
        "Tag values are strings (numbers and booleans are turned into strings).",
      );
    }
    const text = String(value);
    if (!KEY.test(key)) throw new InputError(input, `the key '${key}' is not a valid tag key.`, TAG_RULES);
    if (/^aws:/i.test(key))
      throw new InputError(
        input,
        `the key '${key}' uses the reserved prefix 'aws:'.`,
        "Choose a key that does not start with aws:.",
      );
    if (!VALUE.test(text)) throw new InputError(input, `the value of '${key}' is not a valid tag value.`, TAG_RULES);
    return { Key: key, Value: text };
  });
}

/** Run-metadata tags, fitted to STS's rules (empty values dropped). */
export function runTags(metadata: Readonly<Record<string, string>>): SessionTag[] {
  return Object.entries(metadata)
    .map(([Key, value]) => ({ Key, Value: sanitizeTagValue(value) }))
    .filter((tag) => tag.Value !== "" && KEY.test(tag.Key));
}

export function planSessionTags(
  custom: readonly SessionTag[],
  run: readonly SessionTag[],
  transitiveRaw: string,
  skipRunTags: boolean,
): SessionTagPlan {
  const runKeys = new Map(run.map((t) => [t.Key.toLowerCase(), t.Key]));
  const seen = new Set<string>();
  for (const tag of custom) {
    const lower = tag.Key.toLowerCase();
    const clash = runKeys.get(lower);
    if (clash && !skipRunTags) {
      throw new InputError(
        "custom-tags",
        `the key '${tag.Key}' is already set from the run's metadata ('${clash}').`,
        `Choose another key; the run tags (${[...runKeys.values()].join(", ")}) are protected. Or set role-skip-session-tagging: true to send only custom tags.`,
      );
    }
    if (seen.has(lower))
      throw new InputError(
        "custom-tags",
        `the key '${tag.Key}' appears twice (tag keys are case-insensitive).`,
        "Keep one of them.",
      );
    seen.add(lower);
  }
  const runToSend = skipRunTags ? [] : run;
  const total = custom.length + runToSend.length;
  if (total > MAX_TAGS) {
    throw new InputError(
      "custom-tags",
      `${total} session tags in all; STS allows ${MAX_TAGS}.`,
      "Send fewer custom tags, or skip the run tags with role-skip-session-tagging: true.",
    );
  }
  const transitiveKeys = parseList(transitiveRaw);
  const allKeys = new Set([...custom, ...runToSend].map((t) => t.Key.toLowerCase()));
  for (const key of transitiveKeys) {
    if (!allKeys.has(key.toLowerCase())) {
      throw new InputError(
        "transitive-tag-keys",
        `'${key}' is not one of the session tags.`,
        `Transitive keys must name tags that are sent: ${[...custom, ...runToSend].map((t) => t.Key).join(", ") || "(none)"}.`,
      );
    }
  }
  return { custom, run: runToSend, transitiveKeys };
}
