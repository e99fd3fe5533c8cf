import { extractArticle } from "../../content/extract.js";
import type { ArticleInput } from "../engine/types.js";

/**
 * HTML pages in Node: jsdom (no scripts, no sub-resources) + the content script's own
 * extraction (`content/extract.ts`: Readability on a clone, outlet and date from meta tags and
 * JSON-LD), so the CLI reads a saved page the way the extension reads the live one.
 */

/** The little of jsdom's API used here (the package ships no types, and @types/jsdom is not installed). */
interface JsdomLike {
  JSDOM: new (
    html: string,
    options: { url: string; virtualConsole: unknown },
  ) => {
    window: { document: Document; close(): void };
  };
  VirtualConsole: new () => unknown;
}
let jsdom: JsdomLike | null = null;

/** Loads jsdom once (it is slow to load: only commands that meet HTML pay for it). A runtime dependency, never bundled. */
export async function loadHtmlSupport(): Promise<void> {
  const name = "jsdom";
  jsdom ??= (await import(/* @vite-ignore */ name)) as JsdomLike;
}

export type HtmlResult = { ok: true; input: ArticleInput } | { ok: false; reason: string };

const REASONS: Record<string, string> = {
  "no-article": "no article text found in the page",
  "not-english": "the page is not in English",
  "too-large": "the page is too large to parse",
  "not-a-page": "not an HTML page",
};

/**
 * Drops what extraction never reads before jsdom parses it: <style> sheets (jsdom builds a
 * CSSOM for each) and <script> code other than JSON-LD metadata. Readability and the content
 * script's extractor remove or skip both anyway; parsing is the slow part of reading a page.
 * The lazy match up to the first `</script`/`</style` is where the HTML tokenizer ends them too.
 */
export function stripInert(html: string): string {
  return html
    .replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<script\b(?![^>]*\bapplication\/ld\+json)[^>]*>[\s\S]*?<\/script\s*>/gi, "");
}

/**
 * Extracts the article of an HTML page. `url` is the page's address when known (a JSONL
 * `url` field); `fileUrl` a file: address for a saved page, used only to resolve links.
 * Call `loadHtmlSupport()` first.
 */
export function htmlToArticle(html: string, url: string | null, fileUrl?: string): HtmlResult {
  if (!jsdom) throw new Error("loadHtmlSupport() was not awaited");
  const base = url && /^https?:/i.test(url) ? url : (fileUrl ?? "http://localhost/");
  let dom: InstanceType<JsdomLike["JSDOM"]>;
  try {
    const virtualConsole = new jsdom.VirtualConsole(); // swallow CSS and parse complaints
    dom = new jsdom.JSDOM(stripInert(html), { url: base, virtualConsole });
  } catch (e) {
    return { ok: false, reason: `not readable HTML (${(e as Error).message})` };
  }
  try {
    // A saved page without a known address: its own canonical link is the best address there is.
    const { article, reason } = extractArticle(dom.window.document, base, undefined, {
      anySiteCanonical: base !== url,
    });
    if (!article) return { ok: false, reason: REASONS[reason ?? "no-article"] ?? "no article text found" };
    const pageUrl = /^https?:/i.test(article.url) && article.url !== "http://localhost/" ? article.url : null;
    const source = article.source && article.source !== "localhost" ? article.source : null;
    return {
      ok: true,
      input: {
        url: url ?? pageUrl,
        title: article.title,
        text: article.text,
        byline: article.byline,
        source,
        published: article.published,
      },
    };
  } finally {
    dom.window.close();
  }
}

/** The `htmlToText` callback of parseJsonlLine, on top of htmlToArticle. */
export function htmlToText(html: string, url: string | null): { text: string; title?: string | null } | null {
  const r = htmlToArticle(html, url);
  return r.ok ? { text: r.input.text, title: r.input.title ?? null } : null;
}
