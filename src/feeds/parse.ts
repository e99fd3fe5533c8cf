/**
 * Feed parsing without a DOM (a service worker has no DOMParser): RSS 2.0 (and 0.9x),
 * RSS 1.0 / RDF, Atom 1.0 and JSON Feed 1.0 / 1.1 → one ParsedFeed shape.
 * Every string in the result is plain text; none of it may ever be inserted as HTML.
 */
import { FeedError } from "./errors.js";
import { attr, child, children, isNode, makeXmlParser, rootName, textOf } from "./xml.js";
import { htmlToText, oneLine, resolveHttpUrl, toIsoDate } from "./text.js";

/** Bodies longer than this (in characters, ~bytes for mostly-ASCII feeds) are refused. */
export const MAX_FEED_CHARS = 5 * 1024 * 1024;
/** At most this many items are read from one feed document. */
export const MAX_FEED_ITEMS = 1000;
/** Item summaries are cut to this many characters. */
export const MAX_SUMMARY_CHARS = 100_000;

export type FeedKind = "rss" | "atom" | "json";

export interface FeedItem {
  /** guid / Atom id / JSON Feed id; falls back to the URL, then to title + date. */
  id: string;
  /** Absolute http(s) URL of the item's page, or null. */
  url: string | null;
  title: string;
  /** ISO 8601 (UTC) or null. */
  published: string | null;
  /** The item's content or summary as plain text (HTML stripped, entities decoded). */
  summaryText: string;
}

export interface ParsedFeed {
  kind: FeedKind;
  title: string;
  siteUrl: string | null;
  items: FeedItem[];
}

const MB = (MAX_FEED_CHARS / (1024 * 1024)).toFixed(0);

export const FEED_MESSAGES = {
  empty: "This address returned nothing (an empty response), not a feed.",
  tooLarge: `This feed is larger than ${MB} MB, the most Parallax reads from one feed.`,
  html: "This address returned a web page, not a feed — look for its RSS link.",
  notFeed: "This address did not return a feed: what came back is neither XML nor JSON.",
  truncated:
    "This feed was cut off before its end (an incomplete download or a broken server); try again later.",
  opml: "This is an OPML list of feeds, not a feed itself — import it as a feed list instead.",
  unsupportedXml: "This is XML, but not a feed format Parallax reads (RSS, Atom or JSON Feed).",
  unsupportedJson: "This is JSON, but not a JSON Feed (https://jsonfeed.org).",
} as const;

/**
 * True when the document's first element is html/head/body or it declares an HTML doctype.
 * A hand-written scan (skipping the XML declaration, comments, processing instructions and
 * whitespace): a regex with a repeated comment group backtracks exponentially on "<!--" runs.
 */
export function looksLikeHtml(head: string): boolean {
  const h = head.toLowerCase();
  let i = 0;
  for (let guard = 0; guard < 1000 && i < h.length; guard++) {
    while (i < h.length && /\s/.test(h[i] as string)) i++;
    if (h.startsWith("<!--", i)) {
      const end = h.indexOf("-->", i + 4);
      if (end === -1) return false;
      i = end + 3;
    } else if (h.startsWith("<?", i)) {
      const end = h.indexOf("?>", i + 2);
      if (end === -1) return false;
      i = end + 2;
    } else if (h.startsWith("<!doctype", i)) {
      if (/^<!doctype\s+html\b/.test(h.slice(i, i + 30))) return true;
      const end = h.indexOf(">", i);
      if (end === -1) return false;
      i = end + 1;
    } else if (h[i] === "<") {
      const name = /^<([a-z][a-z0-9:-]*)/.exec(h.slice(i, i + 40))?.[1];
      return name === "html" || name === "head" || name === "body";
    } else {
      return false;
    }
  }
  return false;
}

function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /\bjson\b/i.test(contentType.split(";")[0] ?? "");
}

function isHtmlType(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType);
}

/**
 * Parses a feed document. `feedUrl` is the address it was fetched from (after redirects):
 * relative links are resolved against it. Throws FeedError with a plain-words message.
 */
export function parseFeed(body: string, contentType: string | null, feedUrl: string): ParsedFeed {
  if (body.length > MAX_FEED_CHARS) throw new FeedError("too-large", FEED_MESSAGES.tooLarge);
  const text = body.replace(/^\ufeff/, "").trim();
  if (text === "") throw new FeedError("empty", FEED_MESSAGES.empty);
  const first = text[0];
  if (first === "{" || (isJsonType(contentType) && first !== "<")) return parseJsonFeed(text, feedUrl);
  if (first !== "<") {
    if (isHtmlType(contentType)) throw new FeedError("html", FEED_MESSAGES.html);
    throw new FeedError("not-feed", FEED_MESSAGES.notFeed);
  }
  if (looksLikeHtml(text.slice(0, 65_536))) throw new FeedError("html", FEED_MESSAGES.html);
  return parseXmlFeed(text, contentType, feedUrl);
}

// ---------------------------------------------------------------------------------------------
// XML

function parseXml(text: string, contentType: string | null): { doc: unknown; root: string } {
  let doc: unknown;
  try {
    doc = makeXmlParser(true).parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    if (/not closed|unexpected end|unclosed|closing tag/i.test(detail) && !hasRootEnd(text)) {
      throw new FeedError("truncated", FEED_MESSAGES.truncated);
    }
    if (isHtmlType(contentType)) throw new FeedError("html", FEED_MESSAGES.html);
    throw new FeedError(
      "malformed",
      `This feed is broken: its XML cannot be read (${detail.slice(0, 120)}).`,
    );
  }
  const root = rootName(doc);
  if (root === null) {
    if (isHtmlType(contentType)) throw new FeedError("html", FEED_MESSAGES.html);
    throw new FeedError("not-feed", FEED_MESSAGES.notFeed);
  }
  return { doc, root };
}

/** True when the text ends with a closing tag (or a self-closed root), ignoring trailing comments. */
function hasRootEnd(text: string): boolean {
  const tail = text
    .slice(-4096)
    .replace(/<!--[\s\S]*?-->/g, "")
    .trimEnd();
  return tail.endsWith(">") && /<\/[A-Za-z_][\w:.-]*\s*>$|\/>$/.test(tail);
}

function checkComplete(text: string, root: string): void {
  const tail = text
    .slice(-4096)
    .replace(/<!--[\s\S]*?-->/g, "")
    .trimEnd();
  const re = new RegExp(`</${root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*>$`);
  if (!re.test(tail)) throw new FeedError("truncated", FEED_MESSAGES.truncated);
}

function parseXmlFeed(text: string, contentType: string | null, feedUrl: string): ParsedFeed {
  const { doc, root } = parseXml(text, contentType);
  const local = root.includes(":") ? root.slice(root.indexOf(":") + 1) : root;
  const rootNode = (doc as Record<string, unknown>)[root];
  if (local === "html") throw new FeedError("html", FEED_MESSAGES.html);
  if (local === "opml") throw new FeedError("unsupported", FEED_MESSAGES.opml);
  if (local !== "rss" && local !== "feed" && local !== "RDF") {
    if (isHtmlType(contentType)) throw new FeedError("html", FEED_MESSAGES.html);
    throw new FeedError("unsupported", FEED_MESSAGES.unsupportedXml);
  }
  checkComplete(text, root);
  if (local === "feed") return parseAtom(rootNode, feedUrl);
  return parseRss(rootNode, local === "RDF", feedUrl);
}

/** A title: HTML-ish text (titles in the wild carry markup and double-escaped entities). */
function titleText(v: unknown, type?: string | null): string {
  const raw = textOf(v);
  if (type?.toLowerCase() === "text") return oneLine(raw);
  return oneLine(htmlToText(raw));
}

function summary(raw: string, isHtml: boolean): string {
  const t = isHtml ? htmlToText(raw) : raw.trim();
  return t.length > MAX_SUMMARY_CHARS ? t.slice(0, MAX_SUMMARY_CHARS) : t;
}

function finishItem(
  id: string | null,
  url: string | null,
  title: string,
  published: string | null,
  summaryText: string,
): FeedItem | null {
  const finalId =
    id && id.trim() !== "" ? id.trim() : (url ?? (title ? `${title}|${published ?? ""}` : null));
  if (finalId === null) return null;
  if (url === null && title === "" && summaryText === "") return null;
  return { id: finalId, url, title, published, summaryText };
}

function parseRss(channelParent: unknown, isRdf: boolean, feedUrl: string): ParsedFeed {
  const channel = child(channelParent, "channel", true);
  if (!isNode(channel) && !isRdf) {
    throw new FeedError("malformed", "This RSS feed has no <channel>: it cannot be read.");
  }
  const title = titleText(child(channel, "title"));
  const siteUrl = resolveHttpUrl(textOf(child(channel, "link")), feedUrl);
  // RSS 2.0: items inside the channel; RSS 1.0 (RDF): items beside it.
  const rawItems = isRdf ? children(channelParent, "item", true) : children(channel, "item");
  const items: FeedItem[] = [];
  for (const it of rawItems.slice(0, MAX_FEED_ITEMS)) {
    if (!isNode(it)) continue;
    const guidNode = child(it, "guid");
    const guid = textOf(guidNode).trim() || attr(it, "rdf:about");
    const permalink = attr(guidNode, "isPermaLink") !== "false";
    const link =
      textOf(child(it, "origLink", true)).trim() || // feedburner:origLink: the real article URL
      textOf(child(it, "link")).trim() ||
      attr(
        children(it, "link", true).find((l) => attr(l, "href") !== null),
        "href",
      ) ||
      (permalink && guid ? guid : "") ||
      attr(it, "rdf:about") ||
      "";
    const url = resolveHttpUrl(link, feedUrl);
    const encoded = textOf(child(it, "encoded", true));
    const description = textOf(child(it, "description"));
    const body = encoded.trim().length >= description.trim().length ? encoded : description;
    const published =
      toIsoDate(textOf(child(it, "pubDate"))) ??
      toIsoDate(textOf(child(it, "date", true))) ??
      toIsoDate(textOf(child(it, "published", true))) ??
      toIsoDate(textOf(child(it, "updated", true)));
    const item = finishItem(guid, url, titleText(child(it, "title")), published, summary(body, true));
    if (item) items.push(item);
  }
  return { kind: "rss", title, siteUrl, items };
}

function atomLink(node: unknown, base: string): string | null {
  const links = children(node, "link", true).filter(isNode);
  const pick =
    links.find(
      (l) => (attr(l, "rel") ?? "alternate") === "alternate" && /html/i.test(attr(l, "type") ?? "html"),
    ) ??
    links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate") ??
    null;
  return pick ? resolveHttpUrl(attr(pick, "href"), base) : null;
}

function atomText(v: unknown): string {
  const type = (attr(v, "type") ?? "text").toLowerCase();
  const raw = textOf(v);
  if (type === "text" || type === "text/plain") return summary(raw, false);
  return summary(raw, true); // html, xhtml, text/html
}

function parseAtom(feed: unknown, feedUrl: string): ParsedFeed {
  const titleNode = child(feed, "title", true);
  const title = titleText(titleNode, attr(titleNode, "type") ?? "text");
  const siteUrl = atomLink(feed, feedUrl);
  const items: FeedItem[] = [];
  for (const entry of children(feed, "entry", true).slice(0, MAX_FEED_ITEMS)) {
    if (!isNode(entry)) continue;
    const id = textOf(child(entry, "id", true)).trim();
    const url = atomLink(entry, feedUrl) ?? (/^https?:/i.test(id) ? resolveHttpUrl(id, feedUrl) : null);
    const tNode = child(entry, "title", true);
    const content = child(entry, "content", true);
    const contentSrc = attr(content, "src");
    const body = content !== undefined && contentSrc === null ? atomText(content) : "";
    const sum = atomText(child(entry, "summary", true));
    const published =
      toIsoDate(textOf(child(entry, "published", true))) ??
      toIsoDate(textOf(child(entry, "updated", true))) ??
      toIsoDate(textOf(child(entry, "issued", true))) ??
      toIsoDate(textOf(child(entry, "modified", true)));
    const item = finishItem(
      id,
      url,
      titleText(tNode, attr(tNode, "type") ?? "text"), // Atom's default type is text
      published,
      body.length >= sum.length ? body : sum,
    );
    if (item) items.push(item);
  }
  return { kind: "atom", title, siteUrl, items };
}

// ---------------------------------------------------------------------------------------------
// JSON Feed

function str(v: unknown): string | null {
  return typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;
}

function parseJsonFeed(text: string, feedUrl: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new FeedError("malformed", "This feed is broken: its JSON cannot be read.");
  }
  if (!isNode(data)) throw new FeedError("unsupported", FEED_MESSAGES.unsupportedJson);
  const version = str(data["version"]) ?? "";
  if (!/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/i.test(version)) {
    throw new FeedError("unsupported", FEED_MESSAGES.unsupportedJson);
  }
  const rawItems = Array.isArray(data["items"]) ? data["items"] : [];
  const items: FeedItem[] = [];
  for (const it of rawItems.slice(0, MAX_FEED_ITEMS)) {
    if (!isNode(it)) continue;
    const url = resolveHttpUrl(str(it["url"]), feedUrl) ?? resolveHttpUrl(str(it["external_url"]), feedUrl);
    const contentText = str(it["content_text"]);
    const contentHtml = str(it["content_html"]);
    const sum = str(it["summary"]);
    const body =
      contentText !== null && contentText.trim() !== ""
        ? summary(contentText, false)
        : contentHtml !== null
          ? summary(contentHtml, true)
          : summary(sum ?? "", false);
    const item = finishItem(
      str(it["id"]),
      url,
      oneLine(str(it["title"]) ?? ""),
      toIsoDate(str(it["date_published"])) ?? toIsoDate(str(it["date_modified"])),
      body,
    );
    if (item) items.push(item);
  }
  return {
    kind: "json",
    title: oneLine(str(data["title"]) ?? ""),
    siteUrl: resolveHttpUrl(str(data["home_page_url"]), feedUrl),
    items,
  };
}
