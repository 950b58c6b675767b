import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import fc from "fast-check";
import { parse as parseDotenv } from "dotenv";
import { renderVariables, type ShellFormat } from "../src/sinks/shell.js";

/**
 * Property: any value (any Unicode, quotes, $(…), backticks, newlines, escapes) written by
 * renderVariables comes back byte for byte from the real shell, and nothing else runs.
 * pwsh is not packaged by Debian, so it has no round trip here.
 */

const SHELLS: [ShellFormat, string, (script: string) => string[]][] = [
  ["sh", "dash", (script) => ["-c", `${script}\nprintf '%s' "$V"`]],
  ["bash", "bash", (script) => ["-c", `${script}\nprintf '%s' "$V"`]],
  ["fish", "fish", (script) => ["-c", `${script}\nprintf '%s' "$V"`]],
];

const hostile = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom(
      "'",
      "\\'",
      "'\\''",
      "$(touch /tmp/aws-oidc-pwned)",
      "`id`",
      "\\",
      "\\\\'",
      "a\nb",
      "\r\n",
      "${V}",
      "'; echo pwned; '",
      "\u2028",
      "%s",
      "-n",
    ),
    fc
      .array(fc.constantFrom("'", "\\", "$", "`", '"', "\n", "a", "é", "🔑", " ", ";", "#"), { maxLength: 30 })
      .map((a) => a.join("")),
  )
  .filter((v) => !v.includes("\0"));

const PWNED = "/tmp/aws-oidc-pwned";

describe.each(SHELLS)("%s round trip through %s", (format, shell, argv) => {
  beforeAll(() => rmSync(PWNED, { force: true }));
  afterAll(() => expect(existsSync(PWNED)).toBe(false));

  it("returns every value unchanged", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const script = renderVariables([["V", value]], format);
        const out = execFileSync(shell, argv(script), {
          encoding: "utf8",
          env: { PATH: process.env.PATH ?? "", HOME: "/tmp" },
        });
        // fish and dash read their script as UTF-8 text: compare what survives text encoding.
        expect(out).toBe(Buffer.from(value, "utf8").toString("utf8"));
      }),
      { numRuns: 150 },
    );
  });
});

describe("json and dotenv", () => {
  it("json round-trips every value", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        expect(JSON.parse(renderVariables([["V", value]], "json"))).toEqual({ V: value });
      }),
    );
  });

  it("dotenv round-trips every value it accepts, and refuses the ones it cannot hold", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        if (/['\r\n]/.test(value)) {
          expect(() => renderVariables([["V", value]], "dotenv")).toThrow(/cannot be written to a dotenv file/);
        } else {
          expect(parseDotenv(renderVariables([["V", value]], "dotenv")).V).toBe(value);
        }
      }),
    );
  });
});
