import { SinkError } from "../errors.js";

/**
 * Edits the AWS shared credentials and config files as text, section by section, so that
 * other profiles, comments and formatting stay exactly as they were.
 */

export interface Section {
  readonly header: string;
  /** Line index of the header, and of the first line after the section. */
  readonly start: number;
  readonly end: number;
}

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[;#].*)?$/;

export function sections(lines: readonly string[]): Section[] {
  const found: { header: string; start: number }[] = [];
  lines.forEach((line, index) => {
    const match = HEADER.exec(line);
    if (match) found.push({ header: match[1] ?? "", start: index });
  });
  return found.map((s, i) => ({ ...s, end: found[i + 1]?.start ?? lines.length }));
}

/** `[name]` in the credentials file; `[profile name]` in the config file, but `[default]`. */
export function sectionName(file: "credentials" | "config", profile: string): string {
  return file === "config" && profile !== "default" ? `profile ${profile}` : profile;
}

export function hasSection(text: string, header: string): boolean {
  return sections(text.split("\n")).some((s) => s.header === header);
}

/** Replaces (or appends) one section; refuses to replace an existing one unless `overwrite`. */
export function putSection(
  text: string,
  header: string,
  entries: readonly (readonly [string, string])[],
  overwrite: boolean,
): string {
  for (const [key, value] of entries) {
    if (/[\r\n]/.test(key + value))
      throw new SinkError(`The value of ${key} has a line break and cannot be written to an INI file.`);
  }
  const body = [`[${header}]`, ...entries.map(([key, value]) => `${key} = ${value}`)];
  const lines = text === "" ? [] : text.split("\n");
  const existing = sections(lines).find((s) => s.header === header);
  if (existing) {
    if (!overwrite)
      throw new SinkError(
        `The section [${header}] already exists.`,
        "Pass --overwrite (overwrite-profiles: true in the action) to replace it, or choose another profile name.",
      );
    // Keep the blank lines and comments that trail the old section (they lead into the next one).
    let keepFrom = existing.end;
    while (keepFrom > existing.start + 1 && /^\s*([;#].*)?$/.test(lines[keepFrom - 1] ?? "")) keepFrom--;
    return [...lines.slice(0, existing.start), ...body, ...lines.slice(keepFrom)].join("\n");
  }
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return [...lines, ...(lines.length ? [""] : []), ...body, ""].join("\n");
}

/** Removes one section (its header and its keys), leaving every other line as it was. */
export function removeSection(text: string, header: string): string {
  const lines = text.split("\n");
  const existing = sections(lines).find((s) => s.header === header);
  if (!existing) return text;
  let end = existing.end;
  // Comments and blank lines at the section's end belong to what follows.
  while (end > existing.start + 1 && /^\s*([;#].*)?$/.test(lines[end - 1] ?? "")) end--;
  const rest = [...lines.slice(0, existing.start), ...lines.slice(end)];
  // Drop the blank line that separated the removed section from the one before.
  if (
    existing.start > 0 &&
    rest[existing.start - 1] === "" &&
    (rest[existing.start] === "" || existing.start === rest.length)
  )
    rest.splice(existing.start - 1, 1);
  return rest.join("\n");
}

/** The `key = value` pairs of one section (comments and blank lines skipped); undefined when absent. */
export function readSection(text: string, header: string): Record<string, string> | undefined {
  const lines = text.split("\n");
  const found = sections(lines).find((s) => s.header === header);
  if (!found) return undefined;
  const values: Record<string, string> = {};
  for (const line of lines.slice(found.start + 1, found.end)) {
    const match = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1] ?? ""] = match[2] ?? "";
  }
  return values;
}
