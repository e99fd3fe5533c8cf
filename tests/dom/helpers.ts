import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * jsdom ships no type declarations (and @types/jsdom is not installed): load it through
 * require with the small typed surface these tests use, instead of a global `declare module`
 * that could clash with another one in the tree.
 */
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

export const root = new URL("../../", import.meta.url);

export function fixture(path: string): string {
  return readFileSync(new URL(path, root), "utf8");
}

/** A fresh jsdom for one test; page CSS parse errors are not printed. */
export function dom(html: string, url = "https://news.example/2016/07/18/story"): JsdomInstance {
  return new JSDOM(html, { url, virtualConsole: new VirtualConsole(), pretendToBeVisual: true });
}
