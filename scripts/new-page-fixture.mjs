#!/usr/bin/env node
/**
 * Turns a saved page into a new extraction fixture for a person to review:
 *
 *   node scripts/new-page-fixture.mjs <file.html> <slug> [--url https://…]
 *
 * writes tests/fixtures/pages/<slug>/source.html (a copy) and a DRAFT
 * tests/fixtures/pages/<slug>/expected-parallax.json made from what content/extract.ts reads
 * today. The draft carries `"draft": true`: the meta-test in tests/dom/pages.test.ts fails
 * until a person has checked every field against the page and removed that flag.
 *
 *   node scripts/new-page-fixture.mjs --refresh <slug>
 *
 * rewrites the expected file of an existing fixture (again as a draft) after a deliberate
 * change to extraction; review the diff before committing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pagesDir = join(root, "tests/fixtures/pages");

/**
 * The default address the DOM tests give a page fixture. A canonical link counts only on the
 * page's own site (docs/security.md S2): pass `--url <the page's real address>` to keep it.
 */
export const FIXTURE_URL = "https://fixture.example/article#top";

function usage(message) {
  if (message) console.error(message);
  console.error("usage: node scripts/new-page-fixture.mjs <file.html> <slug> [--url URL]");
  console.error("       node scripts/new-page-fixture.mjs --refresh <slug> [--url URL]");
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let url = FIXTURE_URL;
  const urlAt = args.indexOf("--url");
  if (urlAt >= 0) {
    url = args[urlAt + 1] ?? usage("--url needs a value");
    args.splice(urlAt, 2);
  }
  let slug;
  if (args[0] === "--refresh") {
    slug = args[1];
    if (!slug) usage("--refresh needs a slug");
    if (!existsSync(join(pagesDir, slug, "source.html"))) usage(`no fixture ${slug}`);
  } else {
    const [file, name] = args;
    if (!file || !name) usage();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) usage("slug: lower-case letters, digits and dashes");
    slug = name;
    const dir = join(pagesDir, slug);
    if (existsSync(join(dir, "source.html"))) usage(`fixture ${slug} exists; use --refresh ${slug}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, "source.html"));
  }

  register();
  const { JSDOM, VirtualConsole } = await import("jsdom");
  const { expectedFor } = await import(pathToFileURL(join(root, "tests/dom/page-expected.ts")).href);
  const html = readFileSync(join(pagesDir, slug, "source.html"), "utf8");
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  const expected = { draft: true, pageUrl: url, ...expectedFor(dom.window.document, url) };
  const out = join(pagesDir, slug, "expected-parallax.json");
  writeFileSync(out, JSON.stringify(expected, null, 2) + "\n");
  dom.window.close();
  console.log(`wrote ${out} (draft: review every field, then delete "draft": true)`);
}

await main();
