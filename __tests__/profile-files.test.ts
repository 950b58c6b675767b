import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { updateFile, writeFileAtomic } from "../src/sinks/files.js";
import { hasSection, putSection, removeSection } from "../src/sinks/ini.js";

const ORIGINAL =
  "# top comment\n[default]\nregion = us-east-1 ; inline\n\n; about work\n[profile work]\nsso_start_url = https://example.awsapps.com/start\n";

describe("INI sections", () => {
  it("appends a section and removes it again, leaving the text byte for byte", () => {
    const added = putSection(ORIGINAL, "profile ci", [["region", "eu-west-1"]], false);
    expect(added).toBe(`${ORIGINAL}\n[profile ci]\nregion = eu-west-1\n`);
    expect(removeSection(added, "profile ci")).toBe(ORIGINAL);
  });

  it("replaces a section in place only when asked, keeping the comment that leads into the next one", () => {
    expect(() => putSection(ORIGINAL, "default", [["region", "x"]], false)).toThrow(/already exists/);
    const replaced = putSection(ORIGINAL, "default", [["region", "eu-north-1"]], true);
    expect(replaced).toBe(
      "# top comment\n[default]\nregion = eu-north-1\n\n; about work\n[profile work]\nsso_start_url = https://example.awsapps.com/start\n",
    );
  });

  it("removes a middle section without touching its neighbours", () => {
    const text = "[a]\nk = 1\n\n[b]\nk = 2\n\n[c]\nk = 3\n";
    expect(removeSection(text, "b")).toBe("[a]\nk = 1\n\n[c]\nk = 3\n");
    expect(hasSection(text, "c")).toBe(true);
    expect(removeSection(text, "missing")).toBe(text);
  });

  it("refuses a value with a line break (it would add keys)", () => {
    expect(() => putSection("", "x", [["aws_session_token", "a\n[evil]"]], false)).toThrow(/line break/);
  });
});

describe("files", () => {
  it("writes 0600 in a new 0700 directory", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "files-")), "aws");
    writeFileAtomic(join(dir, "credentials"), "x");
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "credentials")).mode & 0o777).toBe(0o600);
  });

  it("leaves nothing half-written when the write fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "files-"));
    mkdirSync(join(dir, "credentials"));
    expect(() => writeFileAtomic(join(dir, "credentials"), "x")).toThrow(/Could not write/);
    expect(readdirSync(dir)).toEqual(["credentials"]);
  });

  it("serialises concurrent updates of one file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "files-")), "config");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateFile(file, (text) => putSection(text, `p${i}`, [["k", String(i)]], false)),
      ),
    );
    const text = readFileSync(file, "utf8");
    for (let i = 0; i < 20; i++) expect(hasSection(text, `p${i}`)).toBe(true);
  });
});
