import type { Article, ArticleInput, ReportArticle } from "./types.js";

/** Text folded for duplicate detection: case, whitespace (incl. NBSP) and typographic quotes. */
export function foldText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E]/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** 64-bit FNV-1a of a string, as 16 hex digits. Deterministic, fast, no crypto needed. */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0xcbf29ce4 | 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ (c + 0x9e), 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

export function contentHash(text: string): string {
  return hash64(foldText(text));
}

function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t) return t.length > 300 ? t.slice(0, 297) + "…" : t;
  }
  return "";
}

function clean(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const t = value.replace(/\s+/g, " ").trim();
  return t ? t : null;
}

/** Normalises an input into a stored article. Throws on input without text. */
export function normalizeArticle(input: ArticleInput, now: Date = new Date()): Article {
  const text = typeof input.text === "string" ? input.text.replace(/\r\n?/g, "\n").trim() : "";
  if (!text) throw new Error("no text");
  const hash = contentHash(text);
  return {
    id: clean(input.id) ?? `a-${hash}`,
    url: clean(input.url),
    source: clean(input.source),
    title: clean(input.title) ?? firstLine(text),
    published: clean(input.published),
    byline: clean(input.byline),
    text,
    contentHash: hash,
    capturedAt: now.toISOString(),
    revisionOf: null,
  };
}

export function toReportArticle(a: Article): ReportArticle {
  return { id: a.id, url: a.url, title: a.title, source: a.source, published: a.published };
}
