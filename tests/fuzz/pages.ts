/** The real and seed pages used as fuzz seeds, and a jsdom loader (no type declarations). */
import { readdirSync, readFileSync } from "node:fs";
import { dom, type JsdomInstance } from "../dom/helpers.js";

export { dom, type JsdomInstance };

const root = new URL("../../", import.meta.url);
export const PAGE_URL = "https://news.example/2016/07/18/story";

/** Every page fixture: tests/fixtures/pages/<slug>/source.html and tests/fixtures/seed-pages/*.html. */
export function loadPages(): { name: string; html: string }[] {
  const pages: { name: string; html: string }[] = [];
  const real = new URL("tests/fixtures/pages/", root);
  for (const slug of readdirSync(real, { withFileTypes: true })) {
    if (!slug.isDirectory()) continue;
    pages.push({ name: slug.name, html: readFileSync(new URL(`${slug.name}/source.html`, real), "utf8") });
  }
  const seeds = new URL("tests/fixtures/seed-pages/", root);
  for (const f of readdirSync(seeds)) {
    if (f.endsWith(".html")) pages.push({ name: `seed:${f}`, html: readFileSync(new URL(f, seeds), "utf8") });
  }
  return pages.sort((a, b) => a.name.localeCompare(b.name));
}
