/** The real and seed pages used as fuzz seeds, and a jsdom loader (no type declarations). */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface JsdomInstance {
  window: Window & typeof globalThis;
  serialize(): string;
}
interface JsdomModule {
  JSDOM: new (
    html?: string,
    options?: { url?: string; virtualConsole?: unknown; pretendToBeVisual?: boolean },
  ) => JsdomInstance;
  VirtualConsole: new () => unknown;
}
const { JSDOM, VirtualConsole } = createRequire(import.meta.url)("jsdom") as JsdomModule;

const root = new URL("../../", import.meta.url);
export const PAGE_URL = "https://news.example/2016/07/18/story";

/** A fresh jsdom; page scripts are not run, CSS errors are not printed. */
export function dom(html: string, url = PAGE_URL): JsdomInstance {
  return new JSDOM(html, { url, virtualConsole: new VirtualConsole(), pretendToBeVisual: true });
}

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
