/**
 * Chrome's offscreen document (reason DOM_PARSER): the service worker has no DOM, so it sends
 * each fetched feed item page here as `offscreen/extract`. Answers only this extension's own
 * background (same id, not a tab, not another extension page's URL check needed beyond that).
 */
import type { ExtractedArticle, Request, Response } from "../protocol.js";
import { extractHtml } from "./extract-html.js";

interface ChromeRuntime {
  id: string;
  onMessage: {
    addListener(
      listener: (
        message: unknown,
        sender: { id?: string; tab?: unknown },
        sendResponse: (response: Response<"offscreen/extract">) => void,
      ) => boolean | undefined,
    ): void;
  };
}

const runtime = (globalThis as unknown as { chrome: { runtime: ChromeRuntime } }).chrome.runtime;

function isExtractRequest(m: unknown): m is Request<"offscreen/extract"> {
  const r = m as Partial<Request<"offscreen/extract">> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    r.type === "offscreen/extract" &&
    typeof r.html === "string" &&
    typeof r.url === "string"
  );
}

runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isExtractRequest(message) || sender.id !== runtime.id || sender.tab !== undefined) return undefined;
  let article: ExtractedArticle | null;
  try {
    article = extractHtml(message.html, message.url);
  } catch {
    article = null;
  }
  sendResponse({ article });
  return undefined;
});
