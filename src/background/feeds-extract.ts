/**
 * Where a feed item page is turned into an article. Firefox's event page has a DOM: parse
 * there. Chrome's service worker has none: an offscreen document (reason DOM_PARSER) does it,
 * created on first need and closed when a poll run ends.
 */
import type { ExtractedArticle, Request, Response } from "../protocol.js";
import { extractHtml } from "../offscreen/extract-html.js";

export const OFFSCREEN_PATH = "src/offscreen/offscreen.html";

interface ChromeOffscreenApi {
  runtime: {
    getURL(path: string): string;
    getContexts(filter: { contextTypes: string[]; documentUrls?: string[] }): Promise<unknown[]>;
    sendMessage(message: unknown): Promise<unknown>;
  };
  offscreen: {
    createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
    closeDocument(): Promise<void>;
  };
}

function chromeOffscreen(): ChromeOffscreenApi | null {
  const c = (globalThis as { chrome?: Partial<ChromeOffscreenApi> }).chrome;
  return c?.offscreen && c.runtime?.getContexts ? (c as ChromeOffscreenApi) : null;
}

let creating: Promise<void> | null = null;

async function ensureOffscreen(api: ChromeOffscreenApi): Promise<void> {
  const url = api.runtime.getURL(OFFSCREEN_PATH);
  const have = await api.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] });
  if (have.length > 0) return;
  // Two items extracted at once must not both create it (Chrome allows one offscreen document).
  creating ??= api.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ["DOM_PARSER"],
      justification: "Read the article text of the feed item pages the reader subscribed to",
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

/** The extractor for this browser. */
export function pageExtractor(): (html: string, url: string) => Promise<ExtractedArticle | null> {
  if (typeof DOMParser !== "undefined") return async (html, url) => extractHtml(html, url);
  return async (html, url) => {
    const api = chromeOffscreen();
    if (!api) throw new Error("no DOM and no offscreen document to read the page with");
    await ensureOffscreen(api);
    const req: Request<"offscreen/extract"> = { type: "offscreen/extract", html, url };
    const res = (await api.runtime.sendMessage(req)) as Response<"offscreen/extract"> | undefined;
    return res?.article ?? null;
  };
}

/** Closes the offscreen document if one is open (Chrome); nothing elsewhere. */
export async function closeExtractor(): Promise<void> {
  const api = chromeOffscreen();
  if (!api) return;
  if (creating) await creating.catch(() => undefined);
  const url = api.runtime.getURL(OFFSCREEN_PATH);
  const have = await api.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] });
  if (have.length > 0) await api.offscreen.closeDocument();
}
