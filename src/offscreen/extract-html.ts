/**
 * A fetched page's HTML → its article, with the content script's own extractor, so feed
 * articles and captured articles are extracted identically. Needs a DOM (DOMParser): the
 * offscreen document in Chrome, the event page in Firefox. DOMParser never runs scripts and
 * loads nothing (no images, no style sheets) — parsing makes no network request.
 */
import { extractArticle } from "../../content/extract.js";
import type { ExtractedArticle } from "../protocol.js";

export function extractHtml(html: string, url: string): ExtractedArticle | null {
  const doc = new DOMParser().parseFromString(html, "text/html");
  // Relative links and the canonical URL resolve against the page's own address.
  if (doc.head && !doc.querySelector("base[href]")) {
    const base = doc.createElement("base");
    base.href = url;
    doc.head.prepend(base);
  }
  return extractArticle(doc, url).article;
}
