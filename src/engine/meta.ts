/**
 * Outlet and publication date from a plain text, where the text itself states them.
 * Pure and conservative: every rule needs an explicit marker (a "By <outlet> <date>" line, a
 * "Posted:" line, an agency dateline, a syndication note, a copyright line); when unsure the
 * answer is null. Only the head and the tail of the text are read, where such lines stand.
 */

export interface TextMeta {
  /** The outlet that published this copy of the text. */
  source: string | null;
  /** ISO date (YYYY-MM-DD). A printed time is dropped: its zone is rarely stated. */
  published: string | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const MONTH_RE =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";

/** "July 18, 2016", "Dec 04, 2011 6:08 AM", "18 July 2016" at the start of `s`. */
const DATE_MDY = new RegExp(
  `^(${MONTH_RE})\\s+(\\d{1,2}),?\\s+(\\d{4})(?:,?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})\\s*([AaPp]\\.?[Mm]\\.?)?)?`,
);
const DATE_DMY = new RegExp(
  `^(\\d{1,2})\\s+(${MONTH_RE}),?\\s+(\\d{4})(?:,?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})\\s*([AaPp]\\.?[Mm]\\.?)?)?`,
);
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;

/** Known outlets: lower-case key found in the text → the name to report. */
const OUTLETS: [RegExp, string][] = [
  [/^(?:thomson\s+)?reuters(?:\s+news)?$/i, "Reuters"],
  [/^ndtv(?:\.com)?$/i, "NDTV"],
  [/^(?:the\s+)?guardian$/i, "The Guardian"],
  [/^(?:the\s+)?associated\s+press$|^ap$/i, "Associated Press"],
  [/^afp$|^agence\s+france[-\s]presse$/i, "AFP"],
  [/^bbc(?:\s+news)?$/i, "BBC"],
  [/^cnn$/i, "CNN"],
  [/^bne\s+intellinews$/i, "bne IntelliNews"],
  [/^interfax$/i, "Interfax"],
  [/^tass$/i, "TASS"],
  [/^xinhua$/i, "Xinhua"],
];

/** Words that make a "By …" name an outlet rather than a person. */
const OUTLET_WORD =
  /\b(?:news|intellinews|press|times|post|agency|media|journal|herald|tribune|telegraph|guardian|wire|daily|gazette|reuters|bbc|cnn|ndtv|afp|ap|interfax|xinhua|tass)\b|news\b/i;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function monthNumber(name: string): number | undefined {
  const key = name.toLowerCase().replace(/\.$/, "");
  return MONTHS[key] ?? MONTHS[key.slice(0, 3)];
}

/** Parses a date at the very start of `s`; null when it is not one of the plain forms. */
export function parseLeadingDate(s: string): string | null {
  const t = s.trim();
  let m = DATE_MDY.exec(t);
  if (m) {
    const month = monthNumber(m[1]!);
    const day = Number(m[2]);
    const year = Number(m[3]);
    if (month === undefined || !validYmd(year, month, day)) return null;
    return `${year}-${pad(month)}-${pad(day)}`;
  }
  m = DATE_DMY.exec(t);
  if (m) {
    const day = Number(m[1]);
    const month = monthNumber(m[2]!);
    const year = Number(m[3]);
    if (month === undefined || !validYmd(year, month, day)) return null;
    return `${year}-${pad(month)}-${pad(day)}`;
  }
  m = DATE_ISO.exec(t);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (!validYmd(year, month, day)) return null;
    return `${year}-${pad(month)}-${pad(day)}`;
  }
  return null;
}

/** The canonical name of a known outlet, or null. */
export function knownOutlet(name: string): string | null {
  const t = name.replace(/\s+/g, " ").trim();
  for (const [re, canonical] of OUTLETS) if (re.test(t)) return canonical;
  return null;
}

function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/[\s\u00a0]+/g, " ").trim())
    .filter((l) => l.length > 0);
}

interface Found {
  source: string | null;
  published: string | null;
}

/** "By bne IntelliNews July 18, 2016" → outlet + date; "By Dmitry Solovyov" → nothing. */
function byLine(line: string): Found | null {
  const m = /^By\s+(.+)$/.exec(line);
  if (!m) return null;
  const rest = m[1]!;
  const words = rest.split(" ");
  // The name is 1–6 words; the date starts right after it.
  for (let n = 1; n <= Math.min(6, words.length - 1); n++) {
    const published = parseLeadingDate(words.slice(n).join(" "));
    if (!published) continue;
    const name = words
      .slice(0, n)
      .join(" ")
      .replace(/[\s,|–—-]+$/, "");
    const source = knownOutlet(name) ?? (OUTLET_WORD.test(name) ? name : null);
    return { source, published };
  }
  return null;
}

/** "Posted: Dec 04, 2011 6:08 AM", "Published: 18 July 2016", "Updated …" is not a publication. */
function postedLine(line: string): string | null {
  const m =
    /^(?:Posted|Published|First published(?: on)?)\s*:?\s+(?:on\s+)?(?:[A-Z][a-z]+day,?\s+)?(.+)$/i.exec(
      line,
    );
  return m ? parseLeadingDate(m[1]!) : null;
}

/**
 * Reads outlet and publication date from the lines of a plain text, where it states them.
 * Rules, strongest first:
 * - a syndication note "(This story has not been edited by NDTV staff …)" names the outlet
 *   that published this copy;
 * - "By <outlet> <date>" (an outlet-like name, not a person) near the top;
 * - an outlet line ("Reuters News", "Reuters") directly above or below a "Posted: <date>" line;
 * - an agency dateline "ALMATY (Reuters) -" near the top;
 * - "This article is from the source 'guardian'" (a revision-tracking page) and a dated news
 *   address (/2016/jul/18/) in the first lines;
 * - "© Thomson Reuters 2016" / "Copyright <outlet> <year>" near the end (outlet only: a year
 *   alone is not a date).
 */
export function extractTextMeta(text: string): TextMeta {
  const all = lines(text);
  const head = all.slice(0, 15);
  const tail = all.slice(-8);
  let source: string | null = null;
  let published: string | null = null;

  for (const line of tail) {
    const m =
      /\(This (?:story|article|report) has not been edited by ([A-Za-z0-9 .&'-]{2,40}?) staff\b/i.exec(line);
    if (m) {
      source = knownOutlet(m[1]!) ?? m[1]!.trim();
      break;
    }
  }

  for (let i = 0; i < head.length; i++) {
    const line = head[i]!;
    const by = byLine(line);
    if (by) {
      source ??= by.source;
      published ??= by.published;
      continue;
    }
    const posted = postedLine(line);
    if (posted) {
      published ??= posted;
      for (const neighbour of [head[i - 1], head[i + 1]]) {
        const outlet = neighbour ? knownOutlet(neighbour) : null;
        if (outlet) {
          source ??= outlet;
          break;
        }
      }
    }
  }

  for (const line of head.slice(0, 5)) {
    // A revision-tracking page: "This article is from the source 'guardian' …".
    const m = /\bfrom the source '([A-Za-z][A-Za-z .-]{1,30})'/.exec(line);
    const outlet = m ? knownOutlet(m[1]!) : null;
    if (outlet) {
      source ??= outlet;
      break;
    }
  }

  if (!published) {
    for (const line of head) {
      // A news address with the date in its path: /2016/jul/18/ or /2016/07/18/.
      const m = /https?:\/\/\S+?\/((?:19|20)\d{2})\/([a-z]{3}|\d{2})\/(\d{2})\//i.exec(line);
      if (!m) continue;
      const year = Number(m[1]);
      const month = /^\d+$/.test(m[2]!) ? Number(m[2]) : monthNumber(m[2]!);
      const day = Number(m[3]);
      if (month !== undefined && validYmd(year, month, day)) {
        published = `${year}-${pad(month)}-${pad(day)}`;
        break;
      }
    }
  }

  if (!source) {
    for (const line of head) {
      const m = /^[A-Z][A-Z .,'-]{1,40}\s*\(([A-Za-z][A-Za-z .&-]{1,30})\)\s*[-–—:]/.exec(line);
      const outlet = m ? knownOutlet(m[1]!) : null;
      if (outlet) {
        source = outlet;
        break;
      }
    }
  }

  if (!source) {
    for (const line of tail) {
      const m =
        /^(?:©|\(c\)|Copyright(?:\s+©)?)\s*(?:\d{4}\s+)?([A-Za-z][A-Za-z .&-]{1,40}?)\s*(?:\d{4})?\.?$/i.exec(
          line,
        );
      const outlet = m ? knownOutlet(m[1]!) : null;
      if (outlet) {
        source = outlet;
        break;
      }
    }
  }

  return { source, published };
}
