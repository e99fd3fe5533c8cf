import { extractTextMeta } from "../engine/meta.js";
import type { Article, ArticleInput } from "../engine/types.js";
import { parseJsonlLine } from "./jsonl.js";
import type { AddOutcome, PageCursor, Store } from "./types.js";

/**
 * Import logic shared by the CLI and the extension: turning the contents of .jsonl, .txt and
 * .html files into article inputs and adding them to a store with a tally. Nothing here
 * touches the file system or the DOM: callers hand in text (or lines) and an HTML extractor.
 */

export type HtmlToText = (html: string, url: string | null) => { text: string; title?: string | null } | null;

export interface Rejection {
  /** The file (or name) the input came from. */
  file: string;
  /** 1-based line number inside a JSONL file; null for a whole file. */
  line: number | null;
  reason: string;
}

export interface ImportTally {
  /** New articles, revisions included. */
  imported: number;
  /** Of `imported`: new revisions of an earlier article (same URL or id, changed text). */
  revisions: number;
  duplicate: number;
  rejected: Rejection[];
}

export function emptyTally(): ImportTally {
  return { imported: 0, revisions: 0, duplicate: 0, rejected: [] };
}

/** True when a text read as UTF-8 is binary data rather than prose: NUL bytes or much undecodable data. */
export function looksBinary(text: string): boolean {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  if (sample.includes("\u0000")) return true;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.05;
}

/** The file name without folders and without its last extension. */
export function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * A .txt file as an article: id = file name without extension, title = first non-empty
 * line, outlet and date where the text states them (else null). Null when there is no text.
 */
export function plainTextInput(file: string, text: string): ArticleInput | null {
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!body.trim()) return null;
  const title = body.split("\n").find((l) => l.trim().length > 0) ?? null;
  const meta = extractTextMeta(body);
  return {
    id: baseName(file),
    title: title?.trim() ?? null,
    source: meta.source,
    published: meta.published,
    text: body,
  };
}

/** Adds one input and counts the outcome. */
export async function addCounted(
  store: Store,
  input: ArticleInput,
  where: { file: string; line: number | null },
  tally: ImportTally,
): Promise<AddOutcome> {
  const outcome = await store.add(input);
  switch (outcome.kind) {
    case "imported":
      tally.imported++;
      break;
    case "revision":
      tally.imported++;
      tally.revisions++;
      break;
    case "duplicate":
      tally.duplicate++;
      break;
    case "rejected":
      tally.rejected.push({ ...where, reason: outcome.reason });
      break;
  }
  return outcome;
}

/** Shortens a reason that may quote a huge or binary line. */
function shortReason(reason: string): string {
  let clean = "";
  for (const ch of reason) {
    const c = ch.charCodeAt(0);
    clean += (c < 0x20 && c !== 0x09) || c === 0xfffd ? "?" : ch;
  }
  return clean.length > 200 ? clean.slice(0, 197) + "…" : clean;
}

export type JsonlItem =
  { line: number; ok: true; input: ArticleInput } | { line: number; ok: false; reason: string };

/**
 * Parses the lines of a JSONL file (1-based numbers; blank lines skipped). A line with
 * binary data or that is not an import object is reported by number; the rest go through.
 */
export async function* parseJsonl(
  lines: Iterable<string> | AsyncIterable<string>,
  htmlToText: HtmlToText,
): AsyncGenerator<JsonlItem> {
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.includes("\u0000")) {
      yield { line: n, ok: false, reason: "binary data, not a JSON line" };
      continue;
    }
    let r: ReturnType<typeof parseJsonlLine>;
    try {
      r = parseJsonlLine(line, htmlToText);
    } catch (e) {
      r = { ok: false, reason: `could not read the line (${(e as Error).message})` };
    }
    if (r.ok === "blank") continue;
    if (r.ok) yield { line: n, ok: true, input: r.input };
    else yield { line: n, ok: false, reason: shortReason(r.reason) };
  }
}

/** Imports the lines of one JSONL file into the store, counting into `tally`. */
export async function importJsonl(
  file: string,
  lines: Iterable<string> | AsyncIterable<string>,
  store: Store,
  htmlToText: HtmlToText,
  tally: ImportTally,
): Promise<void> {
  for await (const item of parseJsonl(lines, htmlToText)) {
    if (item.ok) await addCounted(store, item.input, { file, line: item.line }, tally);
    else tally.rejected.push({ file, line: item.line, reason: item.reason });
  }
}

/** Splits a text into lines for `importJsonl` without copying it as a whole. */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    yield text.slice(start, end > start && text[end - 1] === "\r" ? end - 1 : end);
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------
// Export: the import format, page by page
// ---------------------------------------------------------------------------------------

/** A stored article as one line of the import format (what every export writes). */
export function exportRecord(a: Article): Record<string, string | null> {
  return {
    id: a.id,
    url: a.url,
    source: a.source,
    title: a.title,
    published: a.published,
    byline: a.byline,
    text: a.text,
  };
}

function afterCursor(a: Article, after: PageCursor): boolean {
  return a.capturedAt > after.capturedAt || (a.capturedAt === after.capturedAt && a.id > after.id);
}

/**
 * Up to `limit` stored articles after `after`, in export order (capture time, then id):
 * `store.page` where the store has it (IndexedDB: a cursor, nothing else loaded), else from `all()`.
 */
export async function storePage(store: Store, after: PageCursor | null, limit: number): Promise<Article[]> {
  if (store.page) return store.page(after, limit);
  return (await store.all())
    .filter((a) => !after || afterCursor(a, after))
    .sort((a, b) =>
      a.capturedAt < b.capturedAt ? -1 : a.capturedAt > b.capturedAt ? 1 : a.id < b.id ? -1 : 1,
    )
    .slice(0, limit);
}

/** Every stored article in export order, `pageSize` at a time (the whole store is never held at once). */
export async function* exportPages(store: Store, pageSize = 500): AsyncGenerator<Article[]> {
  let after: PageCursor | null = null;
  for (;;) {
    const page = await storePage(store, after, pageSize);
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1] as Article;
    after = { capturedAt: last.capturedAt, id: last.id };
    if (page.length < pageSize) return;
  }
}
