import { t } from "./i18n.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2016-07-18T10:00:00Z" → "18 Jul 2016" (the calendar date as written, no time-zone shift). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t("dateUnknown");
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(iso);
  if (!m) return iso.slice(0, 30);
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

/** Only http(s) links are followed; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** The outlet's name, or the site's host when the source is unknown. */
export function outletName(source: string | null | undefined, url: string | null | undefined): string {
  if (source) return source;
  const href = safeHref(url);
  if (href) return new URL(href).hostname.replace(/^www\./, "");
  return t("unknownOutlet");
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Splits `quote` around the first occurrence of `phrase` (case-insensitive) for emphasis. */
export function splitQuote(quote: string, phrase: string): [string, string, string] | null {
  if (!phrase) return null;
  const i = quote.toLowerCase().indexOf(phrase.toLowerCase());
  if (i < 0) return null;
  return [quote.slice(0, i), quote.slice(i, i + phrase.length), quote.slice(i + phrase.length)];
}
