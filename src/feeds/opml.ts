/**
 * OPML subscription lists: import (nested outlines, xmlUrl, dedupe) and export.
 */
import { FeedError } from "./errors.js";
import { FEED_MESSAGES, looksLikeHtml, MAX_FEED_CHARS } from "./parse.js";
import { oneLine, resolveHttpUrl } from "./text.js";
import { attr, children, isNode, makeXmlParser, rootName } from "./xml.js";

export interface OpmlFeed {
  title: string;
  url: string;
}

/** At most this many feeds are read from one OPML file. */
export const MAX_OPML_FEEDS = 5000;

function attrAnyCase(node: unknown, name: string): string | null {
  if (!isNode(node)) return null;
  const exact = attr(node, name);
  if (exact !== null) return exact;
  const want = `@_${name.toLowerCase()}`;
  for (const key of Object.keys(node)) if (key.toLowerCase() === want) return attr(node, key.slice(2));
  return null;
}

/**
 * Reads the feeds of an OPML document: every outline with an xmlUrl, at any depth, in
 * document order, without duplicates (same absolute URL), http(s) only. The title is the
 * outline's title, else its text, else the feed's host name.
 */
export function parseOpml(body: string): OpmlFeed[] {
  if (body.length > MAX_FEED_CHARS) throw new FeedError("too-large", FEED_MESSAGES.tooLarge);
  const text = body.replace(/^\ufeff/, "").trim();
  if (text === "") throw new FeedError("empty", "This file is empty: there is no feed list in it.");
  if (!text.startsWith("<"))
    throw new FeedError("not-feed", "This file is not an OPML feed list (it is not XML).");
  if (looksLikeHtml(text.slice(0, 4096)))
    throw new FeedError("html", "This is a web page, not an OPML feed list.");
  let doc: unknown;
  try {
    doc = makeXmlParser(false).parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new FeedError(
      "malformed",
      `This OPML file is broken: its XML cannot be read (${detail.slice(0, 120)}).`,
    );
  }
  const root = rootName(doc);
  if (root === null || root.toLowerCase() !== "opml") {
    if (root !== null && root.toLowerCase() === "html")
      throw new FeedError("html", "This is a web page, not an OPML feed list.");
    throw new FeedError("unsupported", "This file is XML, but not an OPML feed list.");
  }
  const body0 = children((doc as Record<string, unknown>)[root], "body")[0];
  const out: OpmlFeed[] = [];
  const seen = new Set<string>();
  // Iterative depth-first walk in document order (the parser already caps nesting depth).
  const stack: unknown[] = children(body0, "outline").reverse();
  while (stack.length > 0 && out.length < MAX_OPML_FEEDS) {
    const node = stack.pop();
    if (!isNode(node)) continue;
    const url = resolveHttpUrl(attrAnyCase(node, "xmlUrl"), null);
    if (url !== null && !seen.has(url)) {
      seen.add(url);
      const title = oneLine(attrAnyCase(node, "title") ?? "") || oneLine(attrAnyCase(node, "text") ?? "");
      out.push({ title: title || new URL(url).hostname, url });
    }
    const kids = children(node, "outline");
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

/** Escapes text for an XML attribute value in double quotes; drops characters XML forbids. */
export function escapeXmlAttr(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** An OPML 2.0 document listing `feeds` (title + xmlUrl), for export. */
export function toOpml(feeds: readonly OpmlFeed[], title = "Parallax feeds", now: Date = new Date()): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    "  <head>",
    `    <title>${escapeXmlAttr(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    "  </head>",
    "  <body>",
  ];
  for (const f of feeds) {
    const t = escapeXmlAttr(f.title);
    lines.push(`    <outline type="rss" text="${t}" title="${t}" xmlUrl="${escapeXmlAttr(f.url)}"/>`);
  }
  lines.push("  </body>", "</opml>", "");
  return lines.join("\n");
}
