/**
 * Text helpers for feeds, with no DOM: entity decoding, HTML → plain text, URL resolution,
 * and date parsing. Everything here returns PLAIN TEXT; callers must never insert it as HTML.
 * All loops are single-pass (no nested regex backtracking, no recursive entity expansion).
 */

/** Named HTML entities seen in feeds. Unknown names are left verbatim (never expanded further). */
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ensp: "\u2002",
  emsp: "\u2003",
  thinsp: "\u2009",
  zwnj: "\u200c",
  zwj: "\u200d",
  lrm: "\u200e",
  rlm: "\u200f",
  shy: "\u00ad",
  ndash: "\u2013",
  mdash: "\u2014",
  minus: "\u2212",
  hellip: "\u2026",
  lsquo: "\u2018",
  rsquo: "\u2019",
  sbquo: "\u201a",
  ldquo: "\u201c",
  rdquo: "\u201d",
  bdquo: "\u201e",
  laquo: "\u00ab",
  raquo: "\u00bb",
  lsaquo: "\u2039",
  rsaquo: "\u203a",
  prime: "\u2032",
  Prime: "\u2033",
  bull: "\u2022",
  middot: "\u00b7",
  dagger: "\u2020",
  Dagger: "\u2021",
  permil: "\u2030",
  copy: "\u00a9",
  reg: "\u00ae",
  trade: "\u2122",
  deg: "\u00b0",
  plusmn: "\u00b1",
  times: "\u00d7",
  divide: "\u00f7",
  frac12: "\u00bd",
  frac14: "\u00bc",
  frac34: "\u00be",
  sup1: "\u00b9",
  sup2: "\u00b2",
  sup3: "\u00b3",
  micro: "\u00b5",
  para: "\u00b6",
  sect: "\u00a7",
  cent: "\u00a2",
  pound: "\u00a3",
  yen: "\u00a5",
  euro: "\u20ac",
  curren: "\u00a4",
  iexcl: "\u00a1",
  iquest: "\u00bf",
  ordf: "\u00aa",
  ordm: "\u00ba",
  not: "\u00ac",
  macr: "\u00af",
  acute: "\u00b4",
  cedil: "\u00b8",
  uml: "\u00a8",
  larr: "\u2190",
  rarr: "\u2192",
  uarr: "\u2191",
  darr: "\u2193",
  hearts: "\u2665",
  Agrave: "\u00c0",
  Aacute: "\u00c1",
  Acirc: "\u00c2",
  Atilde: "\u00c3",
  Auml: "\u00c4",
  Aring: "\u00c5",
  AElig: "\u00c6",
  Ccedil: "\u00c7",
  Egrave: "\u00c8",
  Eacute: "\u00c9",
  Ecirc: "\u00ca",
  Euml: "\u00cb",
  Igrave: "\u00cc",
  Iacute: "\u00cd",
  Icirc: "\u00ce",
  Iuml: "\u00cf",
  ETH: "\u00d0",
  Ntilde: "\u00d1",
  Ograve: "\u00d2",
  Oacute: "\u00d3",
  Ocirc: "\u00d4",
  Otilde: "\u00d5",
  Ouml: "\u00d6",
  Oslash: "\u00d8",
  Ugrave: "\u00d9",
  Uacute: "\u00da",
  Ucirc: "\u00db",
  Uuml: "\u00dc",
  Yacute: "\u00dd",
  THORN: "\u00de",
  szlig: "\u00df",
  agrave: "\u00e0",
  aacute: "\u00e1",
  acirc: "\u00e2",
  atilde: "\u00e3",
  auml: "\u00e4",
  aring: "\u00e5",
  aelig: "\u00e6",
  ccedil: "\u00e7",
  egrave: "\u00e8",
  eacute: "\u00e9",
  ecirc: "\u00ea",
  euml: "\u00eb",
  igrave: "\u00ec",
  iacute: "\u00ed",
  icirc: "\u00ee",
  iuml: "\u00ef",
  eth: "\u00f0",
  ntilde: "\u00f1",
  ograve: "\u00f2",
  oacute: "\u00f3",
  ocirc: "\u00f4",
  otilde: "\u00f5",
  ouml: "\u00f6",
  oslash: "\u00f8",
  ugrave: "\u00f9",
  uacute: "\u00fa",
  ucirc: "\u00fb",
  uuml: "\u00fc",
  yacute: "\u00fd",
  thorn: "\u00fe",
  yuml: "\u00ff",
  Scaron: "\u0160",
  scaron: "\u0161",
  Zcaron: "\u017d",
  zcaron: "\u017e",
  OElig: "\u0152",
  oelig: "\u0153",
  Yuml: "\u0178",
  fnof: "\u0192",
  circ: "\u02c6",
  tilde: "\u02dc",
};

/** The five entities XML itself defines. */
const XML_NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const ENTITY_RE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function codePoint(n: number): string {
  // Invalid or control code points become U+FFFD (as HTML does), except tab/newline/CR.
  if (n === 9 || n === 10 || n === 13) return String.fromCodePoint(n);
  if (n < 32 || (n >= 0x7f && n < 0xa0) || (n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return "\ufffd";
  return String.fromCodePoint(n);
}

function decodeWith(text: string, table: Record<string, string>): string {
  if (text.indexOf("&") === -1) return text;
  return text.replace(ENTITY_RE, (whole, dec: string | undefined, hex: string | undefined, name?: string) => {
    if (dec !== undefined) return codePoint(parseInt(dec, 10));
    if (hex !== undefined) return codePoint(parseInt(hex, 16));
    if (name !== undefined && Object.hasOwn(table, name)) return table[name] as string;
    return whole;
  });
}

/**
 * Decodes numeric character references and named entities in ONE pass: the output of a
 * replacement is never scanned again, so no input can expand beyond a constant factor
 * (the longest entity value is 1 character for a 4+ character reference).
 */
export function decodeEntities(text: string): string {
  return decodeWith(text, NAMED);
}

/** Decodes only what XML defines (the five predefined entities and character references). */
export function decodeXmlEntities(text: string): string {
  return decodeWith(text, XML_NAMED);
}

/**
 * The character data of an element given its raw inner XML (as fast-xml-parser hands out
 * for "stop nodes" and, with entity processing off, for ordinary text): CDATA sections are
 * taken verbatim, everything else is entity-decoded. Markup outside CDATA (e.g. Atom
 * type="xhtml") is kept as it is, for htmlToText to strip.
 */
export function xmlCharData(raw: string): string {
  if (raw.indexOf("<![CDATA[") === -1) return decodeEntities(raw);
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf("<![CDATA[", i);
    if (start === -1) {
      out += decodeEntities(raw.slice(i));
      break;
    }
    out += decodeEntities(raw.slice(i, start));
    const end = raw.indexOf("]]>", start + 9);
    if (end === -1) {
      out += raw.slice(start + 9);
      break;
    }
    out += raw.slice(start + 9, end);
    i = end + 3;
  }
  return out;
}

/** Elements whose end starts a new line in the plain text. */
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "li",
  "ul",
  "ol",
  "tr",
  "table",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "section",
  "article",
  "header",
  "footer",
  "figure",
  "figcaption",
  "pre",
  "hr",
  "dd",
  "dt",
  "dl",
]);

/** Elements whose content is not text at all. */
const SKIP_CONTENT = ["script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head"];

/**
 * HTML (or escaped HTML) → plain text, without a DOM: comments and script/style content
 * removed, tags removed (block tags become line breaks), entities decoded once, whitespace
 * collapsed. The result is text: it may contain "<" and must never be treated as HTML.
 */
export function htmlToText(html: string): string {
  let out = "";
  let i = 0;
  const n = html.length;
  const lower = html.toLowerCase();
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const next = html.charCodeAt(lt + 1);
    // "<" not followed by a tag start is text ("a < b").
    const isTagStart =
      (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 47 || next === 33 || next === 63;
    if (!isTagStart) {
      out += "<";
      i = lt + 1;
      continue;
    }
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (html.startsWith("<![CDATA[", lt)) {
      const end = html.indexOf("]]>", lt + 9);
      out += end === -1 ? html.slice(lt + 9) : html.slice(lt + 9, end);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const gt = html.indexOf(">", lt + 1);
    if (gt === -1) break; // an unterminated tag at the end: drop it
    const nameMatch = /^\/?([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(lt + 1, Math.min(gt, lt + 40)));
    const name = nameMatch?.[1]?.toLowerCase() ?? "";
    const closing = html.charCodeAt(lt + 1) === 47;
    i = gt + 1;
    if (!closing && SKIP_CONTENT.includes(name) && html.charCodeAt(gt - 1) !== 47) {
      const end = lower.indexOf(`</${name}`, i);
      if (end === -1) {
        i = n;
      } else {
        const endGt = html.indexOf(">", end);
        i = endGt === -1 ? n : endGt + 1;
      }
      continue;
    }
    if (BLOCK.has(name)) out += "\n";
    else if (name === "td" || name === "th") out += " ";
    else if (name === "img" && !closing) {
      const alt = /\balt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(html.slice(lt, gt));
      const altText = alt?.[2] ?? alt?.[3];
      if (altText) out += ` ${altText} `;
    }
  }
  return tidyText(decodeEntities(out));
}

/**
 * Whitespace that is not already a single plain space: replacing only these (not every
 * space) keeps the replace cheap on megabytes of text (far fewer matches to splice).
 */
const WS_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Collapses runs of spaces within lines and blank lines to one, trims. */
export function tidyText(text: string): string {
  const unix = text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
  return unix
    .split("\n")
    .map((line) => line.replace(WS_TO_COLLAPSE, " ").trim())
    .filter((line, idx, arr) => line !== "" || (idx > 0 && arr[idx - 1] !== ""))
    .join("\n")
    .replace(/\n{2,}/g, "\n\n")
    .trim();
}

/** Collapses all whitespace to single spaces (for titles). */
export function oneLine(text: string): string {
  return text.replace(WS_TO_COLLAPSE, " ").trim();
}

/** Resolves `href` against `base`; only http(s) results are returned, anything else is null. */
export function resolveHttpUrl(
  href: string | null | undefined,
  base: string | null | undefined,
): string | null {
  if (typeof href !== "string") return null;
  const trimmed = href.trim();
  if (trimmed === "") return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = url.hash === "#" ? "" : url.hash;
  return url.href;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** Offsets (minutes) of the zone names RFC 822 allows, plus a few seen in the wild. */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  BST: 60,
  CET: 60,
  CEST: 120,
  IST: 330,
  JST: 540,
  AEST: 600,
  AEDT: 660,
};

const RFC822 =
  /^(?:[A-Za-z]{2,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:([+-]\d{2}:?\d{2})|([A-Za-z]{1,5}))?$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (m) return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const named = ZONES[zone.toUpperCase()];
  return named === undefined ? null : named;
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offset: number,
): string | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo, d, h, mi, s, ms) - offset * 60_000;
  if (!Number.isFinite(t)) return null;
  const date = new Date(t);
  const year = date.getUTCFullYear();
  if (year < 1970 || year > 2200) return null;
  return date.toISOString();
}

/**
 * A feed date (RFC 822 as in RSS, RFC 3339 as in Atom and JSON Feed, or W3CDTF as in
 * dc:date) → ISO 8601 in UTC, or null when it cannot be read. A date-only value stays a
 * date ("2016-07-18").
 */
export function toIsoDate(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (s === "" || s.length > 80) return null;
  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    if (h === undefined) {
      const out = build(Number(y), Number(mo) - 1, Number(d), 0, 0, 0, 0, 0);
      return out ? out.slice(0, 10) : null;
    }
    const off = offsetMinutes(zone);
    if (off === null) return null;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), ms, off);
  }
  const rfc = RFC822.exec(s);
  if (rfc) {
    const [, d, mon, yRaw, h, mi, sec, numZone, nameZone] = rfc;
    const mo = MONTHS[(mon ?? "").toLowerCase()];
    if (mo === undefined) return null;
    let y = Number(yRaw);
    if ((yRaw ?? "").length === 2) y += y < 50 ? 2000 : 1900;
    const off = offsetMinutes(numZone ?? nameZone);
    if (off === null) return null;
    return build(y, mo, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), 0, off);
  }
  return null;
}
