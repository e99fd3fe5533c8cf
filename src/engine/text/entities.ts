/**
 * Named entities as capitalised sequences ("Hugh Jackman", "Avenue Montaigne", "ALMATY").
 * No model: a run of capitalised words, sentence-initial words kept only when the article
 * also capitalises them mid-sentence. Pure TypeScript.
 */
import { STOPWORDS } from "./tokenize.js";

/** Capitalised words that are not names: months, weekdays, titles, sentence openers. */
const NOT_NAMES: ReadonlySet<string> = new Set(
  (
    "january february march april may june july august september october november december jan feb mar apr " +
    "jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr " +
    "sir the a an this that these those he she it they we i you his her its their our there here but and or " +
    "if when while after before as at in on of for to by with from no not yes what who why how where all " +
    "some many most one two three four five six seven eight nine ten update updated posted published " +
    "reuters ap afp photo read more click copyright share related advertisement breaking news " +
    "said says police officials authorities according however meanwhile also earlier later today yesterday am pm"
  ).split(/\s+/),
);

const CONNECTORS: ReadonlySet<string> = new Set([
  "of",
  "de",
  "del",
  "la",
  "le",
  "al",
  "van",
  "von",
  "bin",
  "da",
]);

export interface Entity {
  /** Lower-cased full name ("hugh jackman"). */
  key: string;
  /** The text as written. */
  text: string;
}

const TOKEN = /[\p{Lu}][\p{L}\p{M}'’.-]*|[\p{Ll}][\p{L}\p{M}'’-]*|\d[\d.,]*|[^\s\p{L}\d]+/gu;

const UPPER_FIRST = /^[\p{Lu}]/u;

function isCap(tok: string): boolean {
  const c = tok.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPER_FIRST.test(tok);
}

function cleanRaw(tok: string): string {
  return tok
    .replace(/[’']s$/u, "")
    .replace(/[.'’-]+$/u, "")
    .toLowerCase();
}

/**
 * Token → clean(token): articles repeat their words, and the corpus its vocabulary. Bounded, and
 * only short tokens (a substring of 13 or more characters keeps its whole parent text alive).
 */
const cleaned = new Map<string, string>();
const CLEAN_CACHE = 20_000;

function clean(tok: string): string {
  if (tok.length >= 13) return cleanRaw(tok);
  let w = cleaned.get(tok);
  if (w === undefined) {
    if (cleaned.size >= CLEAN_CACHE) cleaned.clear();
    cleaned.set(tok, (w = cleanRaw(tok)));
  }
  return w;
}

const OPENER = /^[.!?"“:(—–-]+$/;
const STOP_MARK = /^[.!?"“:]+$/;
const POSSESSIVE = /[’']s$/u;

/** Whether a token can only be punctuation (letters and digits start the other token kinds). */
function punct(tok: string): boolean {
  const c = tok.charCodeAt(0);
  return !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57));
}

/** Entities of a list of sentences (each sentence one string). */
export function extractEntities(sents: readonly string[]): Entity[] {
  return entitiesOfTokens(sents.map(entityTokenize));
}

/** A sentence's tokens as `extractEntities()` reads them (for `entitiesOfTokens()`). */
export function entityTokenize(sentence: string): string[] {
  return sentence.match(TOKEN) ?? [];
}

/** `extractEntities()` of sentences already split by `entityTokenize()`. */
export function entitiesOfTokens(tokenized: readonly (readonly string[])[]): Entity[] {
  // Words the article capitalises somewhere other than at a sentence start.
  const midCaps = new Set<string>();
  for (const toks of tokenized) {
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i] as string;
      if (isCap(t)) {
        const prev = toks[i - 1] as string;
        if (!(punct(prev) && STOP_MARK.test(prev))) midCaps.add(clean(t));
      }
    }
  }
  const out: Entity[] = [];
  const run: string[] = [];
  const runText: string[] = [];
  for (const toks of tokenized) {
    for (let i = 0; i < toks.length; i++) {
      const raw = toks[i] as string;
      if (!isCap(raw)) {
        if (run.length && CONNECTORS.has(raw) && isCap(toks[i + 1] ?? "")) {
          run.push(raw);
          runText.push(raw);
        } else if (run.length) flush(run, runText, out);
        continue;
      }
      const w = clean(raw);
      const prev = i === 0 ? "" : (toks[i - 1] as string);
      const first = i === 0 || (punct(prev) && OPENER.test(prev));
      if (w.length >= 2 && !NOT_NAMES.has(w) && !(first && !midCaps.has(w) && STOPWORDS.has(w))) {
        if (first && !midCaps.has(w) && !(i + 1 < toks.length && isCap(toks[i + 1] ?? ""))) {
          flush(run, runText, out);
          continue;
        }
        const possessive = POSSESSIVE.test(raw);
        run.push(w);
        runText.push(possessive ? raw.replace(POSSESSIVE, "") : raw);
        if (possessive) flush(run, runText, out);
      } else if (run.length && CONNECTORS.has(raw) && isCap(toks[i + 1] ?? "")) {
        run.push(raw);
        runText.push(raw);
      } else flush(run, runText, out);
    }
    flush(run, runText, out);
  }
  return out;
}

/** Ends a run of name words: trailing connectors dropped, the entity (if any) added to `out`. */
function flush(run: string[], runText: string[], out: Entity[]): void {
  while (run.length && CONNECTORS.has(run[run.length - 1] ?? "")) {
    run.pop();
    runText.pop();
  }
  if (run.length) out.push({ key: run.join(" "), text: runText.join(" ") });
  run.length = 0;
  runText.length = 0;
}

/** The single name tokens of entities ("hugh jackman" → "hugh", "jackman"), for partial matches. */
export function entityTokens(entities: readonly Entity[]): string[] {
  const out: string[] = [];
  for (const e of entities) {
    for (const t of e.key.split(" "))
      if (t.length >= 3 && !CONNECTORS.has(t) && !STOPWORDS.has(t)) out.push(t);
  }
  return out;
}
