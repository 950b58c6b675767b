// Bundles each entry point with ncc into dist/<name>/index.js (minified, no source maps).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { minify } from "terser";

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

// ncc minifies each entry file but not the chunks split off at dynamic imports (the
// exchange, profiles, diagnosis): minify those here so that they load as fast.
for (const name of Object.keys(entries)) {
  if (only.length && !only.includes(name)) continue;
  for (const file of readdirSync(`dist/${name}`).filter((f) => /^\d+\.index\.js$/.test(f))) {
    const path = `dist/${name}/${file}`;
    const result = await minify(readFileSync(path, "utf8"), { module: true, ecma: 2022, compress: true, mangle: true });
    writeFileSync(path, result.code ?? "");
  }
}
