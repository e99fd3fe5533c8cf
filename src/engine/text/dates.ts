/**
 * Dates in news text: datelines ("July 18, 2016", "Posted: Dec 04, 2011"), relative event days
 * ("on Monday", "yesterday") resolved against the publication date, and sentences that recall
 * an earlier incident ("last month", "in 2011", "earlier this year"). chrono-node (English)
 * does the parsing. Pure TypeScript.
 */
import * as chrono from "chrono-node";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of a Date. */
export function dayNumber(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Parses an ISO publication date; null when absent or invalid. */
export function parsePublished(published: string | null | undefined): Date | null {
  if (!published) return null;
  const d = new Date(published);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A full date (day, month and year all written) in the first lines of a text: the dateline or
 * "Updated:" line many pages print. Null when there is none.
 */
export function datelineDate(text: string, maxLines = 6): Date | null {
  let n = 0;
  for (let from = 0; from <= text.length;) {
    let end = text.indexOf("\n", from);
    if (end < 0) end = text.length;
    const line = text.slice(from, end).trim();
    from = end + 1;
    if (!line) continue;
    if (++n > maxLines) break;
    // The year (1900–2100) must be written in the matched text: no such number, no dateline.
    if (!/(?:19|20)\d\d|2100/.test(line)) continue;
    for (const r of chrono.parse(line.slice(0, 300))) {
      const s = r.start;
      if (s.isCertain("year") && s.isCertain("month") && s.isCertain("day")) {
        const d = s.date();
        const y = d.getUTCFullYear();
        // The year must be written in the matched text (chrono may imply it otherwise).
        if (y >= 1900 && y <= 2100 && r.text.includes(String(y))) return d;
      }
    }
  }
  return null;
}

const NUMBER_WORD =
  "(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\\d+)";
const PAST_CUES: RegExp[] = [
  /\b(?:last|previous|past) (?:week|month|year|decade|spring|summer|autumn|fall|winter)\b/i,
  /\b(?:earlier|late|early) (?:this|last) (?:year|month)\b/i,
  new RegExp(`\\b${NUMBER_WORD} (?:years?|months?|weeks?|decades?) (?:ago|earlier|before)\\b`, "i"),
  /\b(?:a|one) (?:month|year|week) (?:earlier|before)\b/i,
  /\b(?:previous|previously|prior)\b/i,
  /\b(?:echoe?s|echoed|recalls?|reminiscent)\b/i,
  /\b(?:the last time|the first time since|the worst since|the deadliest since|since the)\b/i,
];
/** Any of PAST_CUES (one pass over the sentence instead of seven). */
const PAST_CUE = new RegExp(PAST_CUES.map((re) => `(?:${re.source})`).join("|"), "i");
const YEAR_CUE =
  /\b(?:in|since|of|during|by|from)\s+(?:early\s+|late\s+|mid-?)?(?:\w+\s+)?((?:19|20)\d\d)\b/gi;

/**
 * Whether a sentence recalls an earlier incident rather than reporting the current one.
 * `refYear` is the year of the article's own event when known (then "in 2016" in a 2016 report
 * is not the past).
 */
export function isPastSentence(sentence: string, refYear: number | null): boolean {
  if (PAST_CUE.test(sentence)) return true;
  if (!/(?:19|20)\d\d/.test(sentence)) return false; // YEAR_CUE needs a year
  for (const m of sentence.matchAll(YEAR_CUE)) {
    const y = Number(m[1]);
    if (refYear === null || y < refYear) return true;
  }
  return false;
}

const RELATIVE =
  /\b(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\byesterday\b|\blast night\b|\bearlier today\b|\bthis morning\b/i;

export interface EventDate {
  /** Day number (days since 1970-01-01 UTC). */
  day: number;
  /** Where it came from. */
  source: "text" | "dateline" | "published";
}

/**
 * The day of the article's event: a relative or explicit day in the lead sentences resolved
 * against the reference date (publication date, else the dateline), or the reference itself.
 * Null when the article carries no date at all.
 */
export function eventDate(
  lead: readonly string[],
  published: Date | null,
  dateline: Date | null,
): EventDate | null {
  const ref = published ?? dateline;
  if (!ref) return null;
  const refDay = dayNumber(ref);
  for (const s of lead) {
    if (!RELATIVE.test(s) && !/\d{4}/.test(s)) continue;
    for (const r of chrono.parse(s.slice(0, 400), ref, { forwardDate: false })) {
      const st = r.start;
      if (!st.isCertain("day") && !st.isCertain("weekday")) continue;
      const d = dayNumber(st.date());
      if (d <= refDay + 1 && d >= refDay - 10) return { day: d, source: "text" };
    }
  }
  return { day: refDay, source: published ? "published" : "dateline" };
}
