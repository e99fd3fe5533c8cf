/**
 * Property tests of the number parser and the claim extractor (src/engine/figures): on
 * generated news-like sentences (number words, digits, ranges, bounds, ages, years, money,
 * percentages) mixed with arbitrary Unicode and very long inputs, nothing throws, every case
 * ends within a time budget, every quote is verbatim in its article text at `quoteStart` and
 * every phrase verbatim in its quote at `phraseStart`, values are finite and lo ≤ hi.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeArticle } from "../../src/engine/article.js";
import {
  type Claim,
  compareFigures,
  extractClaims,
  findNumbers,
  parseCore,
  splitSentences,
} from "../../src/engine/figures/index.js";
import type { Article } from "../../src/engine/types.js";
import { anyUnicode, LONG_TIMEOUT, params, timed } from "./runs.js";

// ---------------------------------------------------------------------------------------------
// Generators

const WORDS = [
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "fifteen",
  "twenty",
  "twenty-one",
  "thirty-five",
  "ninety-nine",
  "a dozen",
  "two dozen",
  "dozens",
  "hundreds",
  "thousands",
  "half a dozen",
  "a hundred",
  "one hundred",
  "zero",
];
const digits = fc.oneof(
  fc.integer({ min: 0, max: 99 }).map(String),
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => n.toLocaleString("en-US")),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `${n} million`),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n}bn`),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n} mn`),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n}k`),
  // Long digit runs: beyond 2^53, and beyond 308 digits (not a finite double).
  fc.integer({ min: 16, max: 400 }).map((n) => "9".repeat(n)),
  fc.integer({ min: 1, max: 60 }).map((n) => "1,000".repeat(n).replace(/0001/g, "000,1")),
);
const core = fc.oneof(fc.constantFrom(...WORDS), digits);
const BOUNDS = [
  "",
  "",
  "at least",
  "more than",
  "over",
  "nearly",
  "almost",
  "about",
  "around",
  "some",
  "up to",
  "as many as",
  "fewer than",
  "less than",
  "no fewer than",
  "an estimated",
  "roughly",
  "just under",
];
const COUNTED = [
  "policemen",
  "police officers",
  "civilians",
  "people",
  "attackers",
  "gunmen",
  "soldiers",
  "militants",
  "children",
  "villages",
  "houses",
  "witnesses",
  "passengers",
  "nationals",
];
const EVENTS = [
  "were killed",
  "were wounded",
  "were detained",
  "are missing",
  "were injured",
  "died",
  "were arrested",
  "were rescued",
  "remain at large",
  "were shot",
];
const number = fc.oneof(
  fc.tuple(fc.constantFrom(...BOUNDS), core).map(([b, c]) => (b ? `${b} ${c}` : c)),
  fc.tuple(core, fc.constantFrom("-", "–", " to ", " and "), core).map(([a, s, b]) => `${a}${s}${b}`),
  fc.tuple(core, core).map(([a, b]) => `between ${a} and ${b}`),
  fc.tuple(core, core).map(([a, b]) => `from ${a} to ${b}`),
);
const clause = fc.oneof(
  fc
    .tuple(number, fc.constantFrom(...COUNTED), fc.constantFrom(...EVENTS))
    .map(([n, c, e]) => `${n} ${c} ${e}`),
  fc
    .tuple(fc.constantFrom(...EVENTS), number, fc.constantFrom(...COUNTED))
    .map(([e, n, c]) => `${e.replace(/^(were|are) /, "")} ${n} ${c}`),
  fc.tuple(number, fc.constantFrom(...COUNTED)).map(([n, c]) => `the toll rose to ${n} ${c}`),
  fc.tuple(number, number).map(([a, b]) => `${a} policemen and ${b} civilians were killed`),
  fc.tuple(number, number).map(([a, b]) => `a toll of ${a}, including ${b} policemen`),
  fc.integer({ min: 0, max: 120 }).map((n) => `a ${n}-year-old man, aged ${n},`),
  fc.integer({ min: 1800, max: 2099 }).map((y) => `in ${y}`),
  fc.integer({ min: 1, max: 31 }).map((d) => `on July ${d}, 2016 at 10:${String(d).padStart(2, "0")} a.m.`),
  fc
    .tuple(
      fc.constantFrom("$", "US$", "£", "€", ""),
      digits,
      fc.constantFrom("", " million", " billion", "-million"),
    )
    .map(([c, d, s]) => `${c}${d}${s} in damages`),
  fc.tuple(digits, fc.constantFrom("%", " percent", " per cent")).map(([d, p]) => `${d}${p} of voters`),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))
    .map(([a, b]) => `a magnitude-${a}.${b} earthquake`),
  fc.integer({ min: 0, max: 99 }).map((n) => `sentenced to ${n} years in prison`),
  fc.integer({ min: 0, max: 99 }).map((n) => `last month ${n} people were killed in a similar attack`),
  fc.integer({ min: 1000, max: 9_000_000 }).map((n) => `a city of ${n.toLocaleString("en-US")} people`),
  anyUnicode(20),
);
const PUNCT = [
  ". ",
  ". ",
  "! ",
  "? ",
  ", ",
  "; ",
  " — ",
  "\n",
  "\n\n",
  '." ',
  " ",
  "\u00a0",
  "...",
  ". (",
  "\r\n",
];
const sentence = fc
  .tuple(
    fc.constantFrom("", "Police said ", "In Almaty, ", "Officials said that ", "ALMATY (Reuters) - ", "“"),
    fc.array(fc.tuple(clause, fc.constantFrom(...PUNCT)), { minLength: 1, maxLength: 6 }),
  )
  .map(([lead, parts]) => lead + parts.map(([c, p]) => c + p).join(""));
const newsText = fc.array(sentence, { minLength: 1, maxLength: 12 }).map((s) => s.join(" "));
/** Very long inputs: a generated text repeated, or a short Unicode run repeated tens of thousands of times. */
const longText = fc.oneof(
  fc.tuple(newsText, fc.integer({ min: 20, max: 150 })).map(([t, n]) => t.repeat(n)),
  fc.tuple(anyUnicode(8), fc.integer({ min: 1_000, max: 50_000 })).map(([t, n]) => `${t} `.repeat(n)),
);
const anyText = fc.oneof({ weight: 3, arbitrary: newsText }, { weight: 1, arbitrary: anyUnicode(400) });
const published = fc.constantFrom(
  null,
  "2016-07-18",
  "2016-07-18T06:00:00Z",
  "2011-12-04T06:08:00Z",
  "not a date",
  "",
);

function article(text: string, pub: string | null, id = "a"): Article | null {
  const t = text.replace(/\r\n?/g, "\n").trim();
  if (!t) return null;
  return normalizeArticle({ id, text, published: pub, source: `Outlet ${id}` });
}

/** The invariants every claim must keep; returns the first broken one in words, or null. */
function brokenClaim(a: Article, c: Claim): string | null {
  if (a.text.slice(c.quoteStart, c.quoteStart + c.quote.length) !== c.quote) return "quote not at quoteStart";
  if (!a.text.includes(c.quote)) return "quote not in text";
  if (c.quote.slice(c.phraseStart, c.phraseStart + c.phrase.length) !== c.phrase)
    return "phrase not at phraseStart";
  if (!c.phrase.trim()) return "empty phrase";
  for (const [k, v] of [
    ["lo", c.lo],
    ["hi", c.hi],
  ] as const) {
    if (v !== null && !Number.isFinite(v)) return `${k} is not finite (${v})`;
  }
  if (c.lo !== null && c.hi !== null && c.lo > c.hi) return `lo > hi (${c.lo} > ${c.hi})`;
  if (c.articleId !== a.id) return "wrong articleId";
  return null;
}

// The budget is generous (a busy two-core CI machine, first calls compile the expressions);
// a catastrophic regular expression takes seconds, not tens of milliseconds.
const budgetMs = (chars: number) => 1_000 + chars / 50;

// ---------------------------------------------------------------------------------------------

describe("parseCore", () => {
  it("never throws; a parsed core is finite with lo ≤ hi", () => {
    fc.assert(
      fc.property(fc.oneof(core, anyUnicode(30)), (raw) => {
        const r = parseCore(raw);
        if (r === null) return;
        expect(Number.isFinite(r.lo) && Number.isFinite(r.hi), `${raw} → ${r.lo}..${r.hi}`).toBe(true);
        expect(r.lo).toBeLessThanOrEqual(r.hi);
      }),
      params(300),
    );
  });
});

describe("findNumbers", () => {
  it("phrases are verbatim at their offsets, cores inside phrases, finite values, lo ≤ hi", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { value: found, ms } = timed(() => findNumbers(text));
        expect(ms).toBeLessThan(budgetMs(text.length));
        for (const n of found) {
          expect(text.slice(n.start, n.end)).toBe(n.text);
          expect(n.start).toBeLessThanOrEqual(n.coreStart);
          expect(n.coreEnd).toBeLessThanOrEqual(n.end);
          for (const v of [n.lo, n.hi, n.value])
            if (v !== null) expect(Number.isFinite(v), `${n.text}: ${v}`).toBe(true);
          if (n.lo !== null && n.hi !== null) expect(n.lo, n.text).toBeLessThanOrEqual(n.hi);
        }
      }),
      params(200),
    );
  });
});

describe("splitSentences", () => {
  it("every sentence is verbatim at its offset", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const s of splitSentences(text))
          expect(text.slice(s.start, s.start + s.text.length)).toBe(s.text);
      }),
      params(200),
    );
  });
});

describe("extractClaims", () => {
  it("no crash, bounded time, quotes verbatim in the text, phrases verbatim in the quotes, finite lo ≤ hi", () => {
    fc.assert(
      fc.property(anyText, published, (text, pub) => {
        const a = article(text, pub);
        if (!a) return;
        const { value: claims, ms } = timed(() => extractClaims(a));
        expect(ms, `${a.text.length} chars`).toBeLessThan(budgetMs(a.text.length));
        for (const c of claims) expect(brokenClaim(a, c), JSON.stringify(c)).toBeNull();
      }),
      params(300),
    );
  });

  it(
    "very long inputs: same invariants, time linear in the length",
    () => {
      fc.assert(
        fc.property(longText, published, (text, pub) => {
          const a = article(text, pub);
          if (!a) return;
          const { value: claims, ms } = timed(() => extractClaims(a));
          expect(ms, `${a.text.length} chars`).toBeLessThan(budgetMs(a.text.length));
          for (const c of claims) expect(brokenClaim(a, c), JSON.stringify(c)).toBeNull();
          const { ms: ms2 } = timed(() => findNumbers(a.text));
          expect(ms2, `${a.text.length} chars`).toBeLessThan(budgetMs(a.text.length));
        }),
        params(8),
      );
      // Inputs up to ~450 KB: 10,000 of them took 22 minutes on the loaded 2-core machine.
    },
    LONG_TIMEOUT,
  );

  // Regression cases found by the properties above (minimised counterexamples).
  // Found by the properties above: a digit run of more than 308 digits parsed to Infinity
  // (Number("9".repeat(400))); fixed in 45f6eca (parseCore refuses a non-finite value).
  it("parseCore: a number with more digits than a double holds is not Infinity", () => {
    const r = parseCore("9".repeat(309));
    expect(r === null || (Number.isFinite(r.lo) && Number.isFinite(r.hi))).toBe(true);
  });
  it("parseCore: a scale that overflows (300 digits + trillion) is not Infinity", () => {
    const r = parseCore(`${"9".repeat(300)} trillion`);
    expect(r === null || (Number.isFinite(r.lo) && Number.isFinite(r.hi))).toBe(true);
  });
  it("extractClaims: a count with 400 digits is not a claim with an infinite value", () => {
    const a = article(`Police said ${"9".repeat(400)} people were killed.`, "2016-07-18")!;
    for (const c of extractClaims(a)) expect(brokenClaim(a, c), c.phrase.slice(0, 20)).toBeNull();
  });
  it("extractClaims: a percentage with 309 digits is not a claim with an infinite value", () => {
    const a = article(`${"9".repeat(309)}% of voters.`, null)!;
    for (const c of extractClaims(a)) expect(brokenClaim(a, c), c.phrase.slice(0, 20)).toBeNull();
  });
});

describe("extractClaims: time on one huge sentence", () => {
  // KNOWN BUG, found by the long run (FUZZ_RUNS=10000, seed -1427662160) and reported to the
  // lead: on a text that is one sentence (no newline, no capitalised sentence start), time
  // grows with (numbers × sentence length): 24,599 chars / 500 claims 0.6 s, 49,199 / 1,000
  // 2.0 s, 98,399 / 2,000 8.1 s (loaded 2-core machine); the same text with a newline per
  // chunk takes 0.2–0.4 s. Suggested fix (src/engine/figures/claims.ts): cut sentences longer
  // than ~2,000 characters at commas or spaces, or skip them (no news sentence is that long).
  // Remove `.fails` once fixed. The check is a ratio, not a wall time: 4× the text must take
  // less than 8× the time (linear: ~4×, quadratic: ~16×).
  const chunk =
    "from 1 mn to one policemen and from 9,631,745 to 35 mn civilians were killed. the toll rose to from twenty-one to dozens gunmen,  In Almaty, detained between twenty-one and 35k children. a magnitude-8.7 earthquake! a 110-year-old man, aged 110,, ";
  it("4× the text takes less than 8× the time", () => {
    extractClaims(article(chunk.repeat(10), null)!); // warm up
    // Best of three for each size: one sample of a ~20 ms run can be doubled by a GC pause or
    // by the load of the tests running beside it (seen once in a full run: 13.5×).
    const best = (n: number): number => {
      const text = chunk.repeat(n);
      return Math.min(...[0, 1, 2].map(() => timed(() => extractClaims(article(text, null)!)).ms));
    };
    const small = best(50);
    const large = best(200);
    expect(large / small).toBeLessThan(8);
  });
});

describe("extractClaims: time on a long list of prices", () => {
  // Found in issue 4's fifth pass: the pattern for "comes in $1,199 and $1,499 versions" backtracked
  // exponentially on a list of amounts not followed by "versions" (24 amounts took minutes).
  const list = (n: number): string =>
    "The 13-inch model comes in " +
    Array.from({ length: n }, (_, i) => `$1, ${100 + i}`).join(" and ") +
    " colours. ";
  // Per-claim work scans its sentence, so twice the amounts in one sentence may take ~4× the time;
  // exponential backtracking would take thousands of times as long.
  it("2× the amounts in one sentence take less than 8× the time", () => {
    extractClaims(article(list(10), null)!); // warm up
    const best = (n: number): number =>
      Math.min(...[0, 1, 2].map(() => timed(() => extractClaims(article(list(n).repeat(20), null)!)).ms));
    expect(best(24) / best(12)).toBeLessThan(8);
  });
});

describe("compareFigures", () => {
  it("no crash on generated reports; every value's quote is verbatim in its article", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(newsText, published), { minLength: 2, maxLength: 4 }), (docs) => {
        const arts = docs.map(([t, p], i) => article(t, p, `r${i}`)).filter((a): a is Article => a !== null);
        if (arts.length < 2) return;
        const [query, ...others] = arts as [Article, ...Article[]];
        const { value: figures, ms } = timed(() => compareFigures(query, others));
        expect(ms).toBeLessThan(budgetMs(arts.reduce((n, a) => n + a.text.length, 0)) * 2);
        const byId = new Map(arts.map((a) => [a.id, a]));
        for (const f of figures) {
          for (const v of f.values) {
            const a = byId.get(v.articleId);
            expect(a, v.articleId).toBeDefined();
            expect(a!.text.includes(v.quote), v.quote).toBe(true);
            expect(v.quote.includes(v.phrase), `${v.phrase} in ${v.quote}`).toBe(true);
            for (const x of [v.lo, v.hi])
              if (x !== null) expect(Number.isFinite(x), `${v.phrase}: ${x}`).toBe(true);
            if (v.lo !== null && v.hi !== null) expect(v.lo, v.phrase).toBeLessThanOrEqual(v.hi);
          }
        }
      }),
      params(100),
    );
  });
});
