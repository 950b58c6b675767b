import { readFileSync } from "node:fs";

/** The README's tables and action.yml describe the same inputs and outputs. */

const actionYml = readFileSync("action.yml", "utf8");
const readme = readFileSync("README.md", "utf8");

function yamlKeys(section: "inputs" | "outputs"): string[] {
  const block = new RegExp(`^${section}:\\n((?:  .*\\n|\\n)+)`, "m").exec(actionYml)?.[1] ?? "";
  return [...block.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1] ?? "");
}

function readmeTable(heading: string): string[] {
  const section = readme.split(`### ${heading}\n`)[1]?.split("\n### ")[0] ?? "";
  return [...section.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map((m) => m[1] ?? "");
}

it("documents every action input in the README, and nothing else", () => {
  expect(yamlKeys("inputs").length).toBeGreaterThan(0);
  expect(readmeTable("Inputs").sort()).toEqual(yamlKeys("inputs").sort());
});

it("documents every action output in the README, and nothing else", () => {
  expect(yamlKeys("outputs").length).toBeGreaterThan(0);
  expect(readmeTable("Outputs").sort()).toEqual(yamlKeys("outputs").sort());
});

it("starts the README with exactly the two set-up commands", () => {
  const commands = readme.split("```sh\n")[1]?.split("```")[0]?.trim().split("\n") ?? [];
  expect(commands.map((line) => line.split("#")[0]?.trim())).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
});

it("links a guide for every token source, and every linked guide exists", () => {
  const links = [...readme.matchAll(/\]\((docs\/[a-z-]+\.md)\)/g)].map((m) => m[1] ?? "");
  expect(new Set(links).size).toBeGreaterThanOrEqual(9);
  for (const link of links) expect(readFileSync(link, "utf8")).toMatch(/^# /);
});
