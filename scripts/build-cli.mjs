// Bundles the `parallax` CLI (src/cli/main.ts) into dist/cli/parallax.mjs with esbuild.
// jsdom stays external (a runtime dependency); demo/coverage.jsonl is bundled as text
// (imported as "…/coverage.jsonl?raw", which Vite/Vitest understand natively too).
import { build } from "esbuild";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `import text from "./file?raw"`: the file's contents as a string, like Vite's ?raw. */
const rawPlugin = {
  name: "raw",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -"?raw".length)),
      namespace: "raw",
    }));
    b.onLoad({ filter: /.*/, namespace: "raw" }, async (args) => ({
      contents: await readFile(args.path, "utf8"),
      loader: "text",
      watchFiles: [args.path],
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/parallax.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["jsdom"],
  plugins: [rawPlugin],
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
  write: false,
  // Some bundled CommonJS may call require(): give the ESM bundle one.
  banner: {
    js: 'import { createRequire as __parallaxRequire } from "node:module"; const require = __parallaxRequire(import.meta.url);',
  },
});
// Write each output to a temporary name and rename it into place, so a concurrent build (or
// a test running the CLI while another builds it) never sees a half-written bundle.
for (const file of result.outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  await writeFile(tmp, file.contents);
  await rename(tmp, file.path);
}
const out = result.metafile.outputs["dist/cli/parallax.mjs"];
process.stdout.write(`dist/cli/parallax.mjs: ${(out.bytes / 1024).toFixed(0)} KiB\n`);
