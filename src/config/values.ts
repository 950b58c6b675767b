import { InputError } from "../errors.js";

/**
 * Pure parsers for single input values. Each takes the input's name (for the
 * error message) and its raw text; an empty string means "not set".
 */

const TRUE_WORDS = new Set(["true", "True", "TRUE"]);
const FALSE_WORDS = new Set(["false", "False", "FALSE"]);

/** A boolean as YAML 1.2's core schema spells it; anything else is an error, never `false`. */
export function parseBoolean(input: string, raw: string, fallback: boolean): boolean {
  if (raw === "") return fallback;
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  throw new InputError(
    input,
    `'${raw}' is not a boolean.`,
    "Use true or false (YAML 1.2 core schema: true/True/TRUE, false/False/FALSE).",
  );
}

export interface IntegerRange {
  min: number;
  max: number;
  fallback: number;
  unit?: string;
}

/** A whole number in decimal, inside [min, max]. */
export function parseInteger(input: string, raw: string, range: IntegerRange): number {
  if (raw === "") return range.fallback;
  const unit = range.unit ? ` ${range.unit}` : "";
  const allowed = `Use a whole number from ${range.min} to ${range.max}${unit}.`;
  if (!/^[0-9]+$/.test(raw)) {
    throw new InputError(input, `'${raw}' is not a whole number.`, allowed);
  }
  const value = Number(raw);
  if (value < range.min || value > range.max) {
    throw new InputError(input, `${raw} is out of range.`, allowed);
  }
  return value;
}

/** An http(s) URL without credentials, query or fragment, e.g. a local STS endpoint. */
export function parseEndpointUrl(input: string, raw: string): string | undefined {
  if (raw === "") return undefined;
  const hint = "Give a full URL such as https://sts.us-east-1.amazonaws.com or http://127.0.0.1:4566.";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(input, `'${raw}' is not a URL.`, hint);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(input, `the scheme '${url.protocol}' is not supported.`, hint);
  }
  if (url.username || url.password) {
    // Never echo the value back: it carries credentials.
    throw new InputError(input, "the URL must not contain a user name or password.", hint);
  }
  if (url.search || url.hash) {
    throw new InputError(input, `'${raw}' must not have a query or fragment.`, hint);
  }
  return url.toString().replace(/\/$/, "");
}

/** Items separated by newlines or commas, trimmed, empty ones dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** Comma- or newline-separated 12-digit account ids. */
export function parseAccountIds(input: string, raw: string): string[] {
  const ids = parseList(raw);
  for (const id of ids) {
    if (!/^[0-9]{12}$/.test(id)) {
      throw new InputError(
        input,
        `'${id}' is not a 12-digit AWS account id.`,
        "List account ids separated by commas or newlines, e.g. 123456789012,210987654321.",
      );
    }
  }
  return ids;
}

/** A JSON object; anything else (bad JSON, an array, a string) names the input and shows `example`. */
export function parseJsonObject(input: string, raw: string, example: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${(error as Error).message}).`,
      `Give a JSON object, e.g. ${example}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError(input, "must be a JSON object.", `Give a JSON object, e.g. ${example}.`);
  }
  return parsed as Record<string, unknown>;
}
