import type { ArticleInput } from "../engine/types.js";

export type LineResult = { ok: true; input: ArticleInput } | { ok: false; reason: string } | { ok: "blank" };

/** An ISO 8601 date or date-time (Date.parse alone reads "Tuesday 5" as a date). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const MAX_FIELD = 5_000_000; // characters; larger fields are rejected, not truncated

function optString(obj: Record<string, unknown>, key: string): string | null | { error: string } {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && key === "id") return String(v);
  if (typeof v !== "string") return { error: `"${key}" must be a string` };
  if (v.length > MAX_FIELD) return { error: `"${key}" is too large (${v.length} characters)` };
  return v;
}

/**
 * Parses one JSONL line of the import format: an object with `id`, `url`, `source`, `title`,
 * `published` (ISO date) and `text` or `html`; only `text` or `html` is required; unknown
 * fields are ignored. `htmlToText` turns an `html` field into the article text (Readability
 * in the CLI; DOMParser in an extension page).
 */
export function parseJsonlLine(
  line: string,
  htmlToText: (html: string, url: string | null) => { text: string; title?: string | null } | null,
): LineResult {
  const trimmed = line.trim();
  if (!trimmed) return { ok: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const obj = value as Record<string, unknown>;
  const fields: Record<string, string | null> = {};
  for (const key of ["id", "url", "source", "title", "published", "text", "html", "byline"]) {
    const v = optString(obj, key);
    if (v !== null && typeof v === "object") return { ok: false, reason: v.error };
    fields[key] = v;
  }
  if (fields.published) {
    const t = ISO_DATE.test(fields.published.trim()) ? Date.parse(fields.published.trim()) : NaN;
    if (Number.isNaN(t))
      return { ok: false, reason: `"published" is not an ISO date: ${fields.published.slice(0, 40)}` };
  }
  let text = fields.text?.trim() ? fields.text : null;
  let title = fields.title;
  if (!text && fields.html?.trim()) {
    const extracted = htmlToText(fields.html, fields.url ?? null);
    if (extracted?.text.trim()) {
      text = extracted.text;
      title = title ?? extracted.title ?? null;
    } else return { ok: false, reason: 'no article text could be extracted from "html"' };
  }
  if (!text) return { ok: false, reason: 'needs a non-empty "text" or "html"' };
  return {
    ok: true,
    input: {
      id: fields.id,
      url: fields.url,
      source: fields.source,
      title,
      published: fields.published,
      byline: fields.byline,
      text,
    },
  };
}
