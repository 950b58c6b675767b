// Bundles each entry point with ncc into dist/<name>/index.js (minified, no source maps).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { minify } from "terser";

const ROOT = resolve(import.meta.dirname, "..");

/**
 * The AWS SDK ships each package twice: CommonJS (what ncc's resolver picks: it matches the
 * "node" export condition first) and ES modules. Only the ES modules let webpack drop what the
 * exchange never calls — the other STS commands, HTTP/2, checksums, event streams — which
 * takes a third off the exchange chunk and the zlib and http2 modules off start-up. So the
 * bundler gets a tsconfig whose "paths" point every SDK package at its ES build; the
 * repository's own stand-ins (src/bundle-stubs) stay as they are.
 */
function bundlerTsconfig() {
  const base = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
  const paths = Object.fromEntries(
    Object.entries(base.compilerOptions.paths ?? {}).map(([k, v]) => [k, v.map((p) => join(ROOT, p))]),
  );
  const esmTarget = (condition) => {
    if (typeof condition === "string") return condition;
    if (!condition || typeof condition !== "object") return undefined;
    for (const key of ["module", "import", "node", "default"]) {
      const found = esmTarget(condition[key]);
      if (found) return found;
    }
    return undefined;
  };
  for (const scope of ["@aws-sdk", "@smithy", "@aws"]) {
    const scopeDir = join(ROOT, "node_modules", scope);
    if (!existsSync(scopeDir)) continue;
    for (const name of readdirSync(scopeDir)) {
      const dir = join(scopeDir, name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const entries =
        manifest.exports && typeof manifest.exports === "object"
          ? Object.entries(manifest.exports)
          : [[".", manifest.module]];
      for (const [subpath, condition] of entries) {
        const specifier = `${scope}/${name}${subpath.slice(1)}`;
        const target = esmTarget(condition);
        if (paths[specifier] || subpath.includes("*") || !target?.includes("dist-es/")) continue;
        paths[specifier] = [join(dir, target)];
      }
    }
  }
  const dir = join(ROOT, "node_modules", ".cache", "aws-oidc");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "tsconfig.bundle.json");
  writeFileSync(
    file,
    JSON.stringify({ extends: join(ROOT, "tsconfig.json"), compilerOptions: { baseUrl: ROOT, paths } }, null, 2),
  );
  return file;
}

const entries = { main: "src/main.ts", post: "src/post.ts", cli: "src/cli.ts" };
const only = process.argv.slice(2);
const tsconfig = bundlerTsconfig();

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
    // ncc's path mapping reads the tsconfig named here.
    { stdio: "inherit", env: { ...process.env, TS_NODE_PROJECT: tsconfig } },
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
