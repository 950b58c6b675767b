// Bundles each entry point with ncc into dist/<name>/index.js (minified, no source maps).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

const entries = { main: "src/main.ts", post: "src/post.ts", cli: "src/cli.ts" };
const only = process.argv.slice(2);

for (const [name, source] of Object.entries(entries)) {
  if (only.length && !only.includes(name)) continue;
  const out = `dist/${name}`;
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      "node_modules/@vercel/ncc/dist/ncc/cli.js",
      "build",
      source,
      "-o",
      out,
      "--minify",
      "--license",
      "licenses.txt",
      "--quiet",
      "--target",
      "es2022",
    ],
    { stdio: "inherit" },
  );
}
