/**
 * Compact per-article features for the judgement: weighted terms of the sentences about the
 * article's own event, the terms of sentences recalling earlier incidents (kept apart), entity
 * tokens, places, anchors (numbers, ordinals, weekdays, years), the event day, and a small
 * shingle sketch for near-duplicate detection. Computed once when an article is added.
 */
import { datelineDate, eventDate, isPastSentence, parsePublished } from "../text/dates.js";
import { entitiesOfTokens, entityTokenize, entityTokens } from "../text/entities.js";
import { eventKindsOfWords } from "../text/kinds.js";
import { extractPlaces } from "../text/places.js";
import { firstLines, sentences, terms, termsOfWords, words } from "../text/tokenize.js";
import type { Article } from "../types.js";

/** Distinct terms kept per article (by frequency, earliest first on ties). */
export const MAX_TERMS = 128;
/** Shingle hashes kept per article (bottom-k sketch). */
const SKETCH = 96;

export interface ArticleFeatures {
  id: string;
  url: string | null;
  contentHash: string;
  title: string;
  source: string | null;
  published: string | null;
  /** Term → frequency, sentences about the article's own event. */
  terms: Map<string, number>;
  /** Sum of the kept term frequencies (BM25 document length). */
  length: number;
  /** Term → frequency in sentences recalling earlier incidents. */
  past: Map<string, number>;
  titleTerms: string[];
  /** Entity token → frequency (own-event sentences). */
  ents: Map<string, number>;
  /** Entity token → its written full name, for `why`. */
  entNames: Map<string, string>;
  places: string[];
  /** Places of the title, the dateline and the first sentences: where the event happened. */
  home: string[];
  /**
   * Entity tokens of the title and first sentences (the main event's participants: people,
   * organisations, teams, products), place names excluded.
   */
  leadEnts: string[];
  /** Numbers and number words of the title and first two sentences (not years). */
  leadNums: string[];
  /** Kind of the main event (trigger words of the title and first two sentences) → count. */
  kinds: Map<string, number>;
  /** Numbers, ordinals, weekdays and years of own-event sentences ("n:4.6", "wd:monday"). */
  anchors: Set<string>;
  /** Event day (days since epoch) or null. */
  day: number | null;
  /** Publication day, or the dateline's, for earlier/later. */
  refDay: number | null;
  /** Bottom-k hashes of word 5-grams. */
  sketch: number[];
}

const WEEKDAYS: ReadonlySet<string> = new Set([
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
]);

/** Whether a word starts with an ASCII digit (as /^\d/). */
function digitFirst(w: string): boolean {
  const c = w.charCodeAt(0);
  return c >= 48 && c <= 57;
}
const NUMBER_WORDS = new Set([
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
  "dozen",
  "hundreds",
  "thousands",
]);

/** Number of pieces of `s.split(" ")`. */
function wordCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf(" "); i >= 0; i = s.indexOf(" ", i + 1)) n++;
  return n;
}

/** The arrays joined into one (as `flat()`, faster). */
function concat(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const l of lists) for (let i = 0; i < l.length; i++) out.push(l[i] as string);
  return out;
}

/** Term → frequency over sentences' words, terms in order of first occurrence. */
function termCounts(sentWords: readonly (readonly string[])[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const ws of sentWords) for (const t of termsOfWords(ws)) bump(out, t);
  return out;
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

function topTerms(counts: Map<string, number>, max: number): Map<string, number> {
  if (counts.size <= max) return counts;
  // By frequency, then first seen (the Map's order); the sort is stable.
  const order = [...counts.entries()];
  order.sort((a, b) => b[1] - a[1]);
  return new Map(order.slice(0, max));
}

/**
 * Bottom-k sketch of the text's word 5-grams. Each shingle's hash is the 32-bit FNV-1a of the
 * five words joined by single spaces (the first half of `hash64()` of that string), computed
 * over the words in place: no shingle string is built.
 */
export function sketchOf(text: string): number[] {
  return sketchOfWords(words(text));
}

/** `sketchOf()` of a text already split by `words()`. */
function sketchOfWords(w: readonly string[]): number[] {
  const n = w.length - 4;
  if (n <= 0) return [];
  const hs = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5 | 0;
    for (let j = i; j < i + 5; j++) {
      const s = w[j] as string;
      if (j > i) h = Math.imul(h ^ 32, 0x01000193);
      for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    }
    hs[i] = h >>> 0;
  }
  hs.sort();
  // The SKETCH smallest distinct hashes.
  const out: number[] = [];
  for (let i = 0; i < n && out.length < SKETCH; i++)
    if (i === 0 || hs[i] !== hs[i - 1]) out.push(hs[i] as number);
  return out;
}

/**
 * Low bits of a sketch hash that the stored index drops (`codec.ts`): a stored sketch keeps the
 * bottom-k of the full hashes, each rounded down to a multiple of 2^SKETCH_DROP_BITS, and
 * `resemblance` compares hashes at that precision, so a fresh sketch and a stored one agree.
 */
export const SKETCH_DROP_BITS = 16;
const SKETCH_UNIT = 2 ** SKETCH_DROP_BITS;

/**
 * Resemblance estimate of two bottom-k sketches, in [0, 1], comparing hashes without their
 * SKETCH_DROP_BITS low bits (two different shingles of bottom-k values collide with chance
 * ~1 % per value at ~600 shingles: a negligible bias against the 0.5 duplicate threshold).
 */
export function resemblance(a: readonly number[], b: readonly number[]): number {
  if (!a.length || !b.length) return 0;
  const k = Math.min(SKETCH, a.length, b.length);
  // Bottom-k of the union, and how many of those are in both.
  let i = 0;
  let j = 0;
  let taken = 0;
  let both = 0;
  while (taken < k && (i < a.length || j < b.length)) {
    const x = Math.floor((a[i] ?? Infinity) / SKETCH_UNIT);
    const y = Math.floor((b[j] ?? Infinity) / SKETCH_UNIT);
    if (x === y) {
      both++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
    taken++;
  }
  return taken ? both / taken : 0;
}

export function articleFeatures(a: Article): ArticleFeatures {
  const text = a.text;
  const published = parsePublished(a.published);
  // The dateline only stands in for a missing publication date (eventDate's reference, refDay).
  const dateline = published ? null : datelineDate(text);
  const sents = sentences(text);
  const titleSents = a.title && !text.startsWith(a.title.slice(0, 40)) ? [a.title] : [];
  const lead = sents.slice(0, 4);
  const ev = eventDate([...titleSents, ...lead], published, dateline);
  const refDate = published ?? dateline;
  const refYear = ev ? new Date(ev.day * 86_400_000).getUTCFullYear() : null;

  // Each sentence is split into words once; the words of the text are those of its sentences.
  const sentWords = sents.map((s) => words(s));
  const titleWords = titleSents.map((s) => words(s));
  // Entity tokens likewise, for the sentences that are read for entities.
  const titleTokens = titleSents.map(entityTokenize);
  const sentTokens: (string[] | undefined)[] = [];
  const main: string[] = [...titleSents];
  const mainWords: string[][] = [...titleWords];
  const mainTokens: string[][] = [...titleTokens];
  const pastWords: string[][] = [];
  sents.forEach((s, i) => {
    if (i >= 2 && isPastSentence(s, refYear)) {
      pastWords.push(sentWords[i] as string[]);
    } else {
      main.push(s);
      mainWords.push(sentWords[i] as string[]);
      mainTokens.push((sentTokens[i] = entityTokenize(s)));
    }
  });

  const counts = termCounts(mainWords);
  const kept = topTerms(counts, MAX_TERMS);
  let length = 0;
  for (const v of kept.values()) length += v;
  const past = termCounts(pastWords);

  const entities = entitiesOfTokens(mainTokens);
  const ents = new Map<string, number>();
  const entNames = new Map<string, string>();
  for (const e of entities) {
    for (const t of entityTokens([e])) {
      bump(ents, t);
      const prev = entNames.get(t);
      if (!prev || (e.text.length > prev.length && wordCount(e.text) <= 4)) entNames.set(t, e.text);
    }
  }
  const places = extractPlaces(main.join("\n"), entities);
  const headText = [...titleSents, ...firstLines(text, 3), ...sents.slice(0, 3)].join("\n");
  const leadEntities = entitiesOfTokens([
    ...titleTokens,
    ...sents.slice(0, 3).map((s, i) => sentTokens[i] ?? entityTokenize(s)),
  ]);
  const home = extractPlaces(headText, leadEntities);
  const headLow = headText.toLowerCase();
  const placeTokens = new Set(places.flatMap((p) => p.split(" ")));
  const leadEnts = [...new Set(entityTokens(leadEntities))].filter((t) => !placeTokens.has(t));

  const anchors = new Set<string>();
  for (const ws of mainWords) {
    for (const w of ws) {
      // (An ordinal such as "18th" starts with a digit: it is kept whole as "n:18th" here.)
      if (digitFirst(w)) {
        const n = w.includes(",") ? w.replace(/,/g, "") : w;
        if (n.length === 4 && /^(19|20)\d\d$/.test(n)) anchors.add("y:" + n);
        else if (n !== "1" && n !== "0") anchors.add("n:" + n);
      } else if (WEEKDAYS.has(w)) anchors.add("wd:" + w);
      else if (NUMBER_WORDS.has(w)) anchors.add("w:" + w);
    }
  }
  const leadList = concat([...titleWords, ...sentWords.slice(0, 2)]);
  const leadWords = new Set<string>();
  for (const w of leadList) {
    if (digitFirst(w)) leadWords.add("n:" + (w.includes(",") ? w.replace(/,/g, "") : w));
    else if (NUMBER_WORDS.has(w)) leadWords.add("w:" + w);
  }
  return {
    id: a.id,
    url: a.url,
    contentHash: a.contentHash,
    title: a.title,
    source: a.source,
    published: a.published,
    terms: kept,
    length,
    past,
    titleTerms: [...new Set(terms(a.title))],
    ents,
    entNames,
    places,
    home: home.filter((p) => places.includes(p) || headLow.includes(p)),
    leadEnts,
    leadNums: [...anchors].filter((x) => !x.startsWith("y:") && !x.startsWith("wd:") && leadWords.has(x)),
    kinds: eventKindsOfWords(leadList),
    anchors,
    day: ev ? ev.day : null,
    refDay: refDate ? Math.floor(refDate.getTime() / 86_400_000) : null,
    sketch: sketchOfWords(concat(sentWords)),
  };
}
