/**
 * Content script entry (bundled by vite into one classic script). In the top frame of an
 * http(s) page, when the browser is idle: extract the article, send it to the background
 * (`page/article`) and mark the highlights it answers with (it sends them only when the
 * highlights setting is on). Then answer the background's `content/*` messages.
 * window.postMessage is never listened to.
 */
import browser from "webextension-polyfill";
import type { Request, Response } from "../src/protocol.js";
import { extractArticle, type ExtractResult } from "./extract.js";
import { scrollToFigure, tooltipTexts } from "./highlights.js";
import { HighlightController, handleMessage, validHighlights } from "./messages.js";

function whenIdle(run: () => void): void {
  const schedule = () => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(run, { timeout: 3000 });
    else window.setTimeout(run, 300);
  };
  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", schedule, { once: true });
  else schedule();
}

function extractNow(): ExtractResult {
  try {
    return extractArticle(document, location.href);
  } catch {
    return { article: null, reason: "no-article" };
  }
}

function start(): void {
  if (window.top !== window) return;
  if (location.protocol !== "http:" && location.protocol !== "https:") return;

  const highlights = new HighlightController(() => document.body);
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
    handleMessage(message, sender, {
      extensionId: browser.runtime.id,
      extract: extractNow,
      highlights,
      scrollTo: (figure) => scrollToFigure(figure, document),
      tooltips: () => tooltipTexts(document),
    }),
  );

  whenIdle(() => {
    const { article, reason } = extractNow();
    const req: Request<"page/article"> = reason
      ? { type: "page/article", article, reason }
      : { type: "page/article", article };
    browser.runtime
      .sendMessage(req)
      .then((res: unknown) => {
        const specs = validHighlights((res as Partial<Response<"page/article">> | undefined)?.highlights);
        if (specs && specs.length) highlights.set(specs);
      })
      .catch(() => {
        // The background may be restarting or the extension reloaded: nothing to mark.
      });
  });
}

start();
