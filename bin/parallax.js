#!/usr/bin/env node
// Launcher of the `parallax` CLI: runs the bundle built by `npm run build:cli`.
import { existsSync } from "node:fs";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const bundle = new URL("../dist/cli/parallax.mjs", import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write("parallax: the CLI is not built: run `npm run build:cli` first\n");
  process.exit(1);
}
// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
