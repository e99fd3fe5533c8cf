/**
 * Article extraction: Readability on a clone of the page (the live page is never changed),
 * plus the page's own metadata (outlet, publication time, canonical URL, language).
 *
 * Bounds (so the page never freezes): a page with more than `maxElements` elements (20,000 by
 * default; real news pages in tests/fixtures/pages have 600–2,100) or more than
 * `maxTextChars` characters of text (5,000,000, a stand-in for "5 MB of HTML" that needs no
 * serialisation) is not parsed at all: `reason: "too-large"`. Both checks are linear and
 * cheap. JSON-LD blocks larger than 1,000,000 characters are skipped.
 */
import { Readability, isProbablyReaderable } from "@mozilla/readability";
import type { ExtractedArticle, NoArticleReason } from "../src/protocol.js";

export interface ExtractResult {
  article: ExtractedArticle | null;
  reason?: NoArticleReason;
}

export interface ExtractLimits {
  maxElements: number;
  maxTextChars: number;
  /** Deepest element nesting parsed (default `MAX_DEPTH`): Readability slows down on deep trees. */
  maxDepth?: number;
}

/**
 * Deepest nesting of elements accepted (docs/security.md S9). The 12 real pages of
 * tests/fixtures/pages nest at most 30 deep; Chromium's own HTML parser stops nesting at 512.
 * A page wrapped in 1,000 or 3,000 `div`s took 2× / 4.5× as long to extract in jsdom.
 */
export const MAX_DEPTH = 200;

export const DEFAULT_LIMITS: ExtractLimits = { maxElements: 20_000, maxTextChars: 5_000_000 };

/** Shorter than this (characters of article text) is no article, whatever Readability says. */
const MIN_TEXT = 140;
/** When isProbablyReaderable says no, the text must be at least this long to count. */
const MIN_TEXT_UNREADERABLE = 500;
const MAX_JSONLD_CHARS = 1_000_000;

const BLOCK_TAGS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "BR",
  "CAPTION",
  "DD",
  "DETAILS",
  "DIV",
  "DL",
  "DT",
  "FIELDSET",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "FORM",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "MAIN",
  "NAV",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "SUMMARY",
  "TABLE",
  "TBODY",
  "TD",
  "TFOOT",
  "TH",
  "THEAD",
  "TR",
  "UL",
]);
const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);

/**
 * The text of `root` with one line per block element (paragraph, heading, list item...), so
 * sentences of adjacent paragraphs are never glued together. Whitespace inside a line is
 * collapsed; empty lines are dropped. Iterative: deep trees cannot overflow the stack.
 */
export function blockText(root: Node): string {
  const lines: string[] = [];
  let current = "";
  const flush = () => {
    const line = current.replace(/\s+/g, " ").trim();
    if (line) lines.push(line);
    current = "";
  };
  const isBlock = (n: Node) => n.nodeType === 1 && BLOCK_TAGS.has((n as Element).tagName.toUpperCase());
  let node: Node | null = root.firstChild;
  while (node && node !== root) {
    let descend = false;
    if (node.nodeType === 3) {
      current += node.nodeValue ?? "";
    } else if (node.nodeType === 1 && !SKIP_TAGS.has((node as Element).tagName.toUpperCase())) {
      if (isBlock(node)) flush();
      descend = node.firstChild !== null;
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    // Leave this node (and every ancestor that has no next sibling), closing blocks.
    while (node && node !== root) {
      if (node.nodeType === 1 && isBlock(node)) flush();
      if (node.nextSibling) {
        node = node.nextSibling;
        break;
      }
      node = node.parentNode;
    }
  }
  flush();
  return lines.join("\n");
}

function metaContent(doc: Document, selectors: string[]): string | null {
  for (const selector of selectors) {
    const el = doc.querySelector(selector);
    const value = el?.getAttribute("content") ?? el?.getAttribute("datetime") ?? null;
    if (value && value.trim()) return value.trim();
  }
  return null;
}

/** Every object in the page's JSON-LD blocks (arrays, @graph, nested values), bounded. */
function jsonLdObjects(doc: Document): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    const raw = script.textContent ?? "";
    if (raw.length > MAX_JSONLD_CHARS) continue;
    let data: unknown;
    try {
      data = JSON.parse(raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ""));
    } catch {
      continue; // malformed JSON-LD is common; ignore it
    }
    const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
    let visited = 0;
    while (stack.length && visited < 2000) {
      const { value, depth } = stack.pop()!;
      visited++;
      if (depth > 6 || value === null || typeof value !== "object") continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1 });
        continue;
      }
      const obj = value as Record<string, unknown>;
      out.push(obj);
      for (const key of ["@graph", "mainEntity", "mainEntityOfPage", "itemListElement"]) {
        if (key in obj) stack.push({ value: obj[key], depth: depth + 1 });
      }
    }
  }
  return out;
}

const ARTICLE_TYPES = /Article|Posting|Report|NewsArticle|BlogPosting|WebPage/i;

function ldType(obj: Record<string, unknown>): string {
  const t = obj["@type"];
  return Array.isArray(t) ? t.filter((x) => typeof x === "string").join(" ") : typeof t === "string" ? t : "";
}

function nameOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const n = nameOf(v);
      if (n) return n;
    }
    return null;
  }
  if (value && typeof value === "object") {
    const name = (value as Record<string, unknown>).name;
    return typeof name === "string" && name.trim() ? name.trim() : null;
  }
  return null;
}

/** Prefers objects typed as articles, then any object with the field. */
function ldField<T>(
  objects: Record<string, unknown>[],
  pick: (o: Record<string, unknown>) => T | null,
): T | null {
  const typed = objects.filter((o) => ARTICLE_TYPES.test(ldType(o)));
  for (const group of [typed, objects]) {
    for (const o of group) {
      const v = pick(o);
      if (v !== null) return v;
    }
  }
  return null;
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time, or null when `value` is not a date. */
export function normalizeDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  if (ISO_LIKE.test(v)) return v.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const t = Date.parse(v);
  if (!Number.isNaN(t) && /\d{4}/.test(v)) return new Date(t).toISOString();
  return null;
}

export function findPublished(doc: Document, ld: Record<string, unknown>[]): string | null {
  const fromMeta = [
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[property="og:article:published_time"]',
    'meta[name="og:article:published_time"]',
    '[itemprop="datePublished"][content]',
    '[itemprop="datePublished"][datetime]',
  ];
  for (const selector of fromMeta) {
    const d = normalizeDate(metaContent(doc, [selector]));
    if (d) return d;
  }
  const itemprop = doc.querySelector('[itemprop="datePublished"]');
  const fromItemprop = normalizeDate(itemprop?.textContent);
  if (fromItemprop) return fromItemprop;
  const fromLd = ldField(ld, (o) =>
    normalizeDate(typeof o.datePublished === "string" ? o.datePublished : null),
  );
  if (fromLd) return fromLd;
  for (const time of Array.from(doc.querySelectorAll("time[datetime]")).slice(0, 20)) {
    const d = normalizeDate(time.getAttribute("datetime"));
    if (d) return d;
  }
  return null;
}

function hostName(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host ? host.replace(/^www\./i, "") : null;
  } catch {
    return null;
  }
}

export function findOutlet(doc: Document, ld: Record<string, unknown>[], url: string): string | null {
  return (
    metaContent(doc, [
      'meta[property="og:site_name"]',
      'meta[name="og:site_name"]',
      'meta[name="application-name"]',
    ]) ??
    ldField(ld, (o) => nameOf(o.publisher)) ??
    hostName(url)
  );
}

function httpUrl(href: string | null | undefined, base: string): string | null {
  if (!href || !href.trim()) return null;
  try {
    const u = new URL(href.trim(), base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** Second-level labels under a two-letter country code that are public suffixes ("co.uk", "com.au"). */
const SECOND_LEVEL = new Set(
  "ac co com edu gov govt gob go ltd mil ne net nhs nic or org plc police sch info biz".split(" "),
);
/** Shared-hosting suffixes whose subdomains belong to different people (a few common ones). */
const SHARED_SUFFIXES = new Set(
  (
    "github.io gitlab.io blogspot.com wordpress.com substack.com medium.com tumblr.com netlify.app " +
    "vercel.app pages.dev web.app firebaseapp.com appspot.com herokuapp.com azurewebsites.net " +
    "cloudfront.net s3.amazonaws.com"
  ).split(" "),
);

/**
 * The registrable part of a host name ("edition.cnn.com" → "cnn.com", "www.bbc.co.uk" →
 * "bbc.co.uk", "alice.github.io" stays whole). A heuristic without the Public Suffix List: a
 * two-letter country code with a known second level takes three labels, shared-hosting
 * suffixes keep one label more, IP addresses and single labels are kept whole.
 */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (/^[\d.]+$/.test(h) || h.includes(":") || !h.includes(".")) return h;
  const labels = h.split(".");
  let keep = 2;
  const last = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  if (last.length === 2 && SECOND_LEVEL.has(second)) keep = 3;
  for (const suffix of SHARED_SUFFIXES) {
    if (h === suffix || h.endsWith("." + suffix)) keep = suffix.split(".").length + 1;
  }
  return labels.slice(-keep).join(".");
}

/** Whether two http(s) URLs are on the same site (same registrable domain). */
export function sameSite(a: string, b: string): boolean {
  try {
    return registrableDomain(new URL(a).hostname) === registrableDomain(new URL(b).hostname);
  } catch {
    return false;
  }
}

/**
 * The article's address: `<link rel=canonical>`, else `og:url`, else the page's URL without
 * its fragment. A canonical or og:url on ANOTHER site is ignored (docs/security.md S2): a page
 * on evil.example cannot declare itself a Reuters article and be stored, deduplicated or
 * revised as one. (A syndicated copy therefore keeps its own address; identical text is
 * still caught by the content hash.) `anySite`: the page's address is not known (a saved file
 * the reader imports with the CLI), so the page's own statement is the best there is.
 */
export function findCanonical(doc: Document, url: string, anySite = false): string {
  const ok = (u: string | null): u is string => u !== null && (anySite || sameSite(u, url));
  const link = doc.querySelector('link[rel~="canonical" i]');
  const canonical = httpUrl(link?.getAttribute("href"), url);
  if (ok(canonical)) return canonical;
  const og = httpUrl(metaContent(doc, ['meta[property="og:url"]', 'meta[name="og:url"]']), url);
  if (ok(og)) return og;
  try {
    const u = new URL(url);
    u.hash = "";
    return u.href;
  } catch {
    return url;
  }
}

export function pageLang(doc: Document): string | null {
  const lang =
    doc.documentElement?.getAttribute("lang") ??
    doc.documentElement?.getAttribute("xml:lang") ??
    doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute("content") ??
    null;
  const v = lang?.trim();
  return v ? v : null;
}

/** True for a language tag that is English ("en", "en-GB", "en_US"); unknown tags are not judged. */
function isEnglishTag(lang: string): boolean {
  return /^en(?:[-_]|$)/i.test(lang);
}

/**
 * Frequent English function words that are not also common words of other Latin-script
 * languages (so no "a", "in", "on", "die", "des"...).
 */
const ENGLISH_STOPWORDS = new Set(
  (
    "the of and to is was that for with it as by his her they this from are have has had said were be " +
    "which their not but at been who would will after more its also than into about when there what " +
    "he she we you them our these those could should other over only some such"
  ).split(" "),
);

/**
 * Cheap check that a text is English: share of English function words among its first 600
 * words. The seed and real English pages score 0.27–0.36; lemonde-1 scores 0.
 * Texts under 40 words are not judged (true).
 */
export function looksEnglish(text: string): boolean {
  const words =
    text
      .toLowerCase()
      .match(/\p{L}+/gu)
      ?.slice(0, 600) ?? [];
  if (words.length < 40) return true;
  let hits = 0;
  for (const w of words) if (ENGLISH_STOPWORDS.has(w)) hits++;
  return hits / words.length >= 0.1;
}

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** Whether any element of `root` lies more than `max` levels deep (iterative: no recursion). */
export function deeperThan(root: Element, max: number): boolean {
  let depth = 0;
  let el: Element | null = root;
  while (el) {
    if (depth > max) return true;
    const child: Element | null = el.firstElementChild;
    if (child) {
      el = child;
      depth++;
      continue;
    }
    while (el && el !== root && !el.nextElementSibling) {
      el = el.parentElement;
      depth--;
    }
    if (!el || el === root) return false;
    el = el.nextElementSibling;
  }
  return false;
}

function tooLarge(doc: Document, limits: ExtractLimits): boolean {
  if (doc.getElementsByTagName("*").length > limits.maxElements) return true;
  if ((doc.documentElement?.textContent?.length ?? 0) > limits.maxTextChars) return true;
  return doc.documentElement !== null && deeperThan(doc.documentElement, limits.maxDepth ?? MAX_DEPTH);
}

/**
 * Extracts the article of `doc` (whose address is `url`). Pure: reads `doc`, parses a clone.
 */
export function extractArticle(
  doc: Document,
  url: string,
  limits: ExtractLimits = DEFAULT_LIMITS,
  opts: { anySiteCanonical?: boolean } = {},
): ExtractResult {
  if (!doc.documentElement || !doc.body) return { article: null, reason: "not-a-page" };
  if (tooLarge(doc, limits)) return { article: null, reason: "too-large" };
  const lang = pageLang(doc);
  // "und" (undetermined), "mul" (several) and "zxx" say nothing: the stopword check decides.
  if (lang && !isEnglishTag(lang) && !/^(?:und|mul|zxx)(?:[-_]|$)/i.test(lang)) {
    return { article: null, reason: "not-english" };
  }

  const readerable = safely(() => isProbablyReaderable(doc), false);
  const parsed = safely(
    () =>
      new Readability<Node>(doc.cloneNode(true) as Document, {
        maxElemsToParse: limits.maxElements,
        serializer: (node: Node) => node,
      }).parse(),
    null,
  );
  const content = parsed?.content;
  const text = content ? blockText(content) : (parsed?.textContent ?? "").trim();
  if (!parsed || text.length < MIN_TEXT || (!readerable && text.length < MIN_TEXT_UNREADERABLE)) {
    return { article: null, reason: "no-article" };
  }
  if (!looksEnglish(text)) return { article: null, reason: "not-english" };

  const ld = jsonLdObjects(doc);
  const canonical = findCanonical(doc, url, opts.anySiteCanonical === true);
  const title = (parsed.title ?? "").trim() || doc.title.trim() || text.split("\n")[0]!.slice(0, 200);
  const byline =
    (parsed.byline ?? "").replace(/\s+/g, " ").trim() || metaContent(doc, ['meta[name="author"]']) || null;
  const article: ExtractedArticle = {
    url: canonical,
    title,
    text,
    byline,
    // The host-name fallback uses the canonical address: a syndicated or proxied copy names
    // the article's own site there.
    source: findOutlet(doc, ld, canonical),
    published: findPublished(doc, ld),
    lang,
  };
  return { article };
}
