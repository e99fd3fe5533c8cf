/**
 * A small number-phrase parser for news text: digits, number words, "a dozen", "dozens",
 * "hundreds", ranges, bounds ("at least four"), scales ("2 mn", "$137-million").
 * Pure functions, no dependencies. Regression suite: tests/unit/numbers.test.ts.
 */

export type Bound =
  "exact" | "at least" | "more than" | "about" | "nearly" | "up to" | "fewer than" | "range" | "vague";

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = {
  hundred: 100,
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
};

/** Vague quantity words as intervals [lo, hi]. */
const VAGUE: Record<string, [number, number]> = {
  dozens: [24, 99],
  scores: [40, 199],
  hundreds: [200, 999],
  thousands: [2000, 9999],
  "tens of thousands": [20000, 99999],
  "hundreds of thousands": [200000, 999999],
  millions: [2e6, 9.99e6],
};

const UNIT_WORDS = Object.keys(UNITS).join("|");
const TEN_WORDS = Object.keys(TENS).join("|");
const WORD_NUM = `(?:(?:${TEN_WORDS})(?:[- ](?:${UNIT_WORDS}))?|${UNIT_WORDS})`;
const DIGITS = `(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)`;
const SCALE = `(?:[- ]?(?:hundred|thousand|million|billion|trillion)|\\s?(?:mn|bn)\\b|(?<=\\d)(?:m|bn|mn|k)\\b)`;
const VAGUE_RE = `(?:tens of thousands|hundreds of thousands|dozens|hundreds|thousands|millions)`;
const DOZEN = `(?:(?:a|one|two|three|four|five|half a)[- ]dozen)`;
/** A whole number and a simple fraction: "2 1/2", "2-1/2", "2½". */
const FRACTION = `(?:\\d{1,3}(?:[ -](?:1/2|1/4|3/4|1/3|2/3)(?![\\d/])|½|¼|¾))`;

/** One number core: "four", "twenty-one", "1,500", "2.9", "$137-million" (without the currency). */
export const CORE_SOURCE = `(?:${VAGUE_RE}|${DOZEN}|${FRACTION}|(?:${DIGITS}|${WORD_NUM})(?: and a half)?(?:${SCALE})?)`;

const BOUND_BEFORE =
  /(?:\b(at least|no fewer than|not less than|more than|over|upwards of|in excess of|nearly|almost|close to|just under|about|around|some|approximately|roughly|an estimated|estimated|up to|as many as|as much as|at most|no more than|fewer than|less than|between|from))\s+(?:an?\s+|the\s+)?(?:US\$|\$|€|£)?$/i;

const NUMBER_RE = new RegExp(
  `(?:(?<![\\w.,-])|(?<=\\bmagnitude-)|(?<=(?:^|[\\s(])[ep]))${CORE_SOURCE}(?:(?=(?:GB|MB|TB|MHz|GHz|MP|mAh)\\b)|(?![\\w]|-(?:\\d|[a-z]+\\d)))`,
  "gi",
);

const RANGE_RE = new RegExp(`^(\\s*(?:-|–|to|and)\\s*(?:US\\$|\\$|€|£)?)(${CORE_SOURCE})(?![\\w])`, "i");

export interface NumberPhrase {
  /** Offset of the phrase in the string it was found in. */
  start: number;
  end: number;
  /** The phrase as written, bound words included ("at least four"). */
  text: string;
  /** Offset and text of the number core alone. */
  coreStart: number;
  coreEnd: number;
  lo: number | null;
  hi: number | null;
  /** The central value (for display and tolerance). */
  value: number;
  bound: Bound;
  /** The core was written in digits. */
  digits: boolean;
}

/** Parses one number core ("four", "twenty-one", "1,500", "2 mn", "a dozen"). Null when not a number. */
export function parseCore(raw: string): { lo: number; hi: number; vague: boolean } | null {
  const s = raw.toLowerCase().replace(/\s+/g, " ").trim();
  const vague = Object.hasOwn(VAGUE, s) ? VAGUE[s] : undefined;
  if (vague) return { lo: vague[0], hi: vague[1], vague: true };
  const dz = /^(a|one|two|three|four|five|half a)[- ]dozen$/.exec(s);
  if (dz) {
    const n = dz[1] === "half a" ? 6 : dz[1] === "a" ? 12 : (UNITS[dz[1] ?? ""] ?? 1) * 12;
    return { lo: n, hi: n, vague: false };
  }
  // "2 1/2", "2-1/2", "2½"
  const fr = /^(\d{1,3})(?:[ -](\d)\/(\d)|(½|¼|¾))$/.exec(s);
  if (fr) {
    const frac = fr[4] ? ({ "½": 0.5, "¼": 0.25, "¾": 0.75 }[fr[4]] ?? 0) : Number(fr[2]) / Number(fr[3]);
    const v = Number(fr[1]) + frac;
    return { lo: v, hi: v, vague: false };
  }
  // "four and a half", "two and a half million"
  const half = /^(.+?) and a half(.*)$/.exec(s);
  if (half) {
    const whole = parseCore(half[1] ?? "");
    const scale = half[2]?.trim() ? parseCore(`1${half[2]}`) : { lo: 1 };
    if (!whole || whole.vague || !scale) return null;
    const v = (whole.lo + 0.5) * scale.lo;
    return { lo: v, hi: v, vague: false };
  }
  const m = /^(.*?)(?:[- ]?(hundred|thousand|million|billion|trillion)|\s?(mn|bn)|(?<=\d)(m|bn|mn|k))?$/.exec(
    s,
  );
  if (!m) return null;
  const head = (m[1] ?? "").trim();
  const scaleWord = m[2] ?? m[3] ?? m[4];
  let base: number | null = null;
  if (/^[\d,]+(?:\.\d+)?$/.test(head)) base = Number(head.replace(/,/g, ""));
  else {
    const w = /^(?:(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]([a-z]+))?|([a-z]+))$/.exec(
      head,
    );
    if (w) {
      if (w[1]) {
        const unit = w[2] ? (Object.hasOwn(UNITS, w[2]) ? UNITS[w[2]] : undefined) : 0;
        if (unit === undefined) return null;
        base = (TENS[w[1]] ?? 0) + unit;
      } else if (w[3] !== undefined && Object.hasOwn(UNITS, w[3])) base = UNITS[w[3]] ?? null;
    }
  }
  if (base === null || Number.isNaN(base)) return null;
  const value = scaleWord ? base * (SCALES[scaleWord] ?? 1) : base;
  // A digit run longer than a double holds ("9" × 400) is not a figure.
  if (!Number.isFinite(value)) return null;
  return { lo: value, hi: value, vague: false };
}

function roundTo(x: number, integer: boolean): number {
  return integer ? Math.round(x) : Math.round(x * 1000) / 1000;
}

/** Applies a bound to a parsed value. Counts are integers; measures keep decimals. */
export function applyBound(
  bound: string | undefined,
  lo: number,
  hi: number,
  integer: boolean,
): { lo: number | null; hi: number | null; bound: Bound } {
  const b = (bound ?? "").toLowerCase();
  const step = integer ? 1 : 0;
  switch (b) {
    case "at least":
    case "no fewer than":
    case "not less than":
      return { lo, hi: null, bound: "at least" };
    case "more than":
    case "over":
    case "upwards of":
    case "in excess of":
      return { lo: lo + step, hi: null, bound: "more than" };
    case "nearly":
    case "almost":
    case "close to":
    case "just under":
      return { lo: roundTo(lo * 0.85, integer), hi: integer ? Math.max(hi - 1, lo) : hi, bound: "nearly" };
    case "about":
    case "around":
    case "some":
    case "approximately":
    case "roughly":
    case "an estimated":
    case "estimated":
      return { lo: roundTo(lo * 0.85, integer), hi: roundTo(hi * 1.15, integer), bound: "about" };
    case "up to":
    case "as many as":
    case "as much as":
    case "at most":
    case "no more than":
      return { lo: null, hi, bound: "up to" };
    case "fewer than":
    case "less than":
      return { lo: null, hi: hi - step, bound: "fewer than" };
    default:
      return { lo, hi, bound: "exact" };
  }
}

/**
 * Finds the number phrases in a string, with their bounds and ranges.
 * `integer`: whether to treat values as counts (bounds step by one).
 */
export function findNumbers(text: string): NumberPhrase[] {
  const out: NumberPhrase[] = [];
  const re = NUMBER_RE;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const coreStart = m.index;
    let raw = m[0];
    let coreEnd = coreStart + raw.length;
    // "$1, 099", "€60, 000": the corpus put a space after the thousands comma of an amount.
    if (/^\d{1,3}$/.test(raw) && /(?:\$|€|£)\s?$/.test(text.slice(Math.max(0, coreStart - 2), coreStart))) {
      const more = /^(?:, \d{3}(?![\d,]))+/.exec(text.slice(coreEnd));
      if (more) {
        coreEnd += more[0].length;
        raw = text.slice(coreStart, coreEnd).replace(/, /g, ",");
        const scale = new RegExp(`^(?:${SCALE})`, "i").exec(text.slice(coreEnd));
        if (scale) {
          raw += scale[0];
          coreEnd += scale[0].length;
        }
        re.lastIndex = coreEnd;
      }
    }
    const core = parseCore(raw);
    if (!core) continue;
    // "a hundred" / "one hundred and five" are rare in news tolls; a bare "a" is never a number here.
    let lo: number | null = core.lo;
    let hi: number | null = core.hi;
    let bound: Bound = core.vague ? "vague" : "exact";
    const before = text.slice(Math.max(0, coreStart - 40), coreStart);
    const bm = BOUND_BEFORE.exec(before);
    let start = coreStart;
    let boundWord: string | undefined;
    if (bm && bm[1]) {
      boundWord = bm[1].toLowerCase();
      start = coreStart - (before.length - bm.index) + (bm[0].length - bm[0].trimStart().length);
    }
    // Ranges: "between 40 and 80", "2.8 to 3.8", "40-50", "from 3.6 to 4.3".
    const after = text.slice(coreEnd);
    const rangeRe = RANGE_RE;
    const rm = rangeRe.exec(after);
    let end = coreEnd;
    const isDigits = /\d/.test(raw);
    if (rm && rm[2]) {
      // The separator without the second end's currency sign ("$1,199 and $1,499" is two amounts).
      const sep = (rm[1] ?? "")
        .replace(/US\$|[$€£]/g, "")
        .trim()
        .toLowerCase();
      const second = parseCore(rm[2]);
      const okSep = sep === "and" ? boundWord === "between" : true;
      // Digits and words mixed ("six and 75") only with an explicit "between" or "from".
      const sameScript = /\d/.test(rm[2]) === isDigits || boundWord === "between" || boundWord === "from";
      if (second && okSep && !core.vague && second.lo > core.lo && sameScript) {
        // "between $140 and $150 million": the scale written once applies to both ends.
        const scaleWord = /(hundred|thousand|million|billion|trillion|mn|bn|m|k)$/i.exec(rm[2].trim())?.[1];
        const firstScaled = new RegExp(`${SCALE}$`, "i").test(raw);
        const k = scaleWord && !firstScaled ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1;
        if (k > 1 && core.lo * k <= second.lo) core.lo *= k;
        lo = core.lo;
        hi = second.hi;
        bound = "range";
        end = coreEnd + rm[0].length;
        if (boundWord !== "between" && boundWord !== "from") {
          // "about 40 to 50": keep the range; other bounds do not apply to ranges.
          if (boundWord) start = coreStart;
        }
        boundWord = undefined;
        re.lastIndex = end;
      }
    }
    if (bound !== "range" && boundWord && boundWord !== "between" && boundWord !== "from") {
      const b = applyBound(boundWord, core.lo, core.hi, !/\./.test(raw));
      lo = b.lo;
      hi = b.hi;
      bound = core.vague ? "vague" : b.bound;
    } else if (bound !== "range" && boundWord) {
      start = coreStart;
    }
    coreEnd = Math.min(coreEnd, end);
    out.push({
      start,
      end,
      text: text.slice(start, end),
      coreStart,
      coreEnd,
      lo,
      hi,
      value: core.lo,
      bound,
      digits: isDigits,
    });
  }
  // "5-foot-8,135 pounds": a height's inches run into the weight (the corpus lost a space).
  for (const hw of text.matchAll(/f(?:oo|ee)t-\d{1,2},(\d{2,3})(?=\s?(?:pounds|lbs?)\b)/gi)) {
    const num = hw[1] ?? "";
    const coreStart = (hw.index ?? 0) + hw[0].length - num.length;
    const v = Number(num);
    out.push({
      start: coreStart,
      end: coreStart + num.length,
      text: num,
      coreStart,
      coreEnd: coreStart + num.length,
      lo: v,
      hi: v,
      value: v,
      bound: "exact",
      digits: true,
    });
  }
  out.sort((x, y) => x.start - y.start);
  return out;
}
