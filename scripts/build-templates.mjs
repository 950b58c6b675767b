// Generates the GitLab CI/CD component and the packed CircleCI orb from their sources,
// inlining scripts/aws-oidc.sh. `--check` fails (exit 1) if a committed file is stale.
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, stringify } from "yaml";

const check = process.argv.includes("--check");
const script = readFileSync("scripts/aws-oidc.sh", "utf8");
const outputs = new Map();

// GitLab: the include line's indentation is kept for every line of the script.
const gitlab = readFileSync("scripts/gitlab-component.yml.in", "utf8").replace(
  /^( *)#INCLUDE scripts\/aws-oidc\.sh\n/m,
  (_, indent) =>
    script
      .split("\n")
      .map((line) => (line === "" ? "" : indent + line))
      .join("\n")
      .replace(/\n*$/, "\n"),
);
outputs.set("templates/aws-oidc.yml", gitlab);

// CircleCI: the orb development kit layout, packed into one orb.yml.
outputs.set("orb/src/scripts/aws-oidc.sh", script);
outputs.set("orb/orb.yml", packOrb("orb/src"));

function packOrb(root) {
  const orb = parse(readFileSync(join(root, "@orb.yml"), "utf8"));
  for (const section of ["commands", "jobs", "executors", "examples"]) {
    const dir = join(root, section);
    let files = [];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith(".yml"))
        .sort();
    } catch {
      continue;
    }
    orb[section] = {};
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8").replace(/<<include\(([^)]+)\)>>/g, (_, path) => {
        // The orb's copy of the script is the one generated in this run.
        const included = path === "scripts/aws-oidc.sh" ? script : readFileSync(join(root, path), "utf8");
        // Escape CircleCI's own parameter syntax inside the included script.
        return JSON.stringify(included.replace(/<</g, "\\<<"));
      });
      orb[section][file.replace(/\.yml$/, "")] = parse(text);
    }
  }
  return `# Packed from ${relative(".", root)}/ by scripts/build-templates.mjs. Do not edit.\n${stringify(orb, { lineWidth: 0 })}`;
}

const stale = [];
for (const [path, content] of outputs) {
  let current = "";
  try {
    if (statSync(path).isFile()) current = readFileSync(path, "utf8");
  } catch {
    // Not generated yet.
  }
  if (current === content) continue;
  if (check) stale.push(path);
  else writeFileSync(path, content, path.endsWith(".sh") ? { mode: 0o755 } : undefined);
}
if (stale.length) {
  console.error(`Stale generated files: ${stale.join(", ")}. Run npm run build:templates and commit them.`);
  process.exit(1);
}
