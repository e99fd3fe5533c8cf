/**
 * Shared text utilities: sentence splitting, word tokens, stopwords and a light stemmer.
 * Pure TypeScript (no browser or Node imports): runs in the worker, in tests and in the CLI.
 */

/** Common English function words and news boilerplate that carry no event identity. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all almost also although am among an and another any are around as at " +
    "be became because become been before being below between both but by can could did do does doing done " +
    "down during each either else even ever every few for from further get gets got had has have having he her " +
    "here hers herself him himself his how however i if in into is it its itself just least less like made make " +
    "many may me might more most much must my myself near neither no nor not now of off often on once one only " +
    "or other others our ours ourselves out over own per perhaps put quite rather said same say says saying see " +
    "seen several shall she should since so some still such than that the their theirs them themselves then " +
    "there these they this those though through thus to too toward towards under until up upon us very via was " +
    "we well were what whatever when where whether which while who whom whose why will with within without " +
    "would yet you your yours yourself yourselves mr mrs ms dr told tell tells according also new year years " +
    "time times day days week weeks month months first two three four five six seven eight nine ten told " +
    "reported report reports reporting news include including included s t don didn doesn isn wasn weren " +
    "won wouldn couldn shouldn aren ain ll re ve d m o y just going go goes went come comes came way part " +
    "use used using want wanted know known take taken took give given gave call called calls look looked " +
    "think thought back last next later earlier ago today yesterday tomorrow tonight monday tuesday wednesday " +
    "thursday friday saturday sunday am pm et gmt pst est updated published posted copyright reserved rights " +
    "photo image video read more click share comment comments email print advertisement"
  ).split(/\s+/),
);

/** Irregular forms folded to one lemma (a small, news-oriented list). */
const LEMMAS: Record<string, string> = {
  died: "die",
  dies: "die",
  dying: "die",
  dead: "die",
  death: "die",
  deaths: "die",
  killed: "kill",
  killing: "kill",
  killings: "kill",
  shot: "shoot",
  shooting: "shoot",
  shootings: "shoot",
  shootout: "shoot",
  gunman: "gunman",
  gunmen: "gunman",
  men: "man",
  women: "woman",
  children: "child",
  people: "person",
  persons: "person",
  struck: "strike",
  strikes: "strike",
  hit: "hit",
  hits: "hit",
  quake: "earthquake",
  quakes: "earthquake",
  earthquakes: "earthquake",
  tremor: "earthquake",
  tremors: "earthquake",
  wounded: "wound",
  injured: "injur",
  injuries: "injur",
  injury: "injur",
  injuring: "injur",
  arrested: "arrest",
  arrests: "arrest",
  policemen: "police",
  policeman: "police",
  officers: "officer",
  fled: "flee",
  stole: "steal",
  stolen: "steal",
  robbers: "robber",
  robbery: "robber",
  robberies: "robber",
  led: "lead",
  won: "win",
  bought: "buy",
  sold: "sell",
  held: "hold",
  began: "begin",
  begun: "begin",
  ran: "run",
  caught: "catch",
  found: "find",
  left: "leave",
};

function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1] ?? "")) return w.slice(0, -1);
  return w;
}

/** A light stemmer: plurals, -ing, -ed, -ly, plus a small lemma table. Deterministic and cheap. */
export function stem(word: string): string {
  const lemma = LEMMAS[word];
  if (lemma) return lemma;
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("es") && /(ch|sh|x|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is|ous)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length >= 6 && /[aeiouy]/.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ied") && w.length >= 5) w = w.slice(0, -3) + "y";
  else if (w.endsWith("ed") && w.length >= 5 && /[aeiouy]/.test(w.slice(0, -2))) {
    w = undouble(w.slice(0, -2));
  } else if (w.endsWith("ly") && w.length >= 6) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 3 && !/(ee|ie|ye)$/.test(w)) w = w.slice(0, -1);
  return w;
}

const WORD = /[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu;
const LETTER = /\p{L}/u;

/** Lower-cased word tokens (letters and digits; apostrophes and hyphens split). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2019']s\b/g, "")
      .match(WORD) ?? []
  );
}

/**
 * Word → its term ("" when the word is not one): terms() sees the same words again and again.
 * Bounded (emptied when full), and only short words: V8 keeps a substring of 13 or more
 * characters as a view of its parent, so a long key would keep a whole sentence alive.
 */
const termOf = new Map<string, string>();
const TERM_CACHE = 20_000;
const SHORT = 13;

function toTerm(w: string): string {
  if (w.length < 2 || STOPWORDS.has(w)) return "";
  if (!LETTER.test(w)) return "";
  const s = stem(w);
  if (s.length < 2 || STOPWORDS.has(s)) return "";
  return s;
}

/** Content terms: stemmed, stopwords and bare numbers dropped, at least two letters. */
export function terms(text: string): string[] {
  return termsOfWords(words(text));
}

/** The terms of a text already split by `words()`. */
export function termsOfWords(ws: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of ws) {
    let t = termOf.get(w);
    if (t === undefined) {
      t = toTerm(w);
      if (w.length < SHORT) {
        if (termOf.size >= TERM_CACHE) termOf.clear();
        termOf.set(w, t);
      }
    }
    if (t) out.push(t);
  }
  return out;
}

/** The first `n` lines of a text (as `text.split("\n").slice(0, n)`, without splitting it all). */
export function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < n) {
    const end = text.indexOf("\n", from);
    if (end < 0) {
      out.push(text.slice(from));
      break;
    }
    out.push(text.slice(from, end));
    from = end + 1;
  }
  return out;
}

/** Whitespace other than a single space: a tab, a no-break space, two spaces… */
const ODD_SPACE = /[^\S ]| {2}/;

/**
 * Sentences of a text: each line is split further on sentence-ending punctuation followed by
 * a capital or a quote. Abbreviations such as "U.S." or "Mr." stay whole in most cases.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split(/\n+/)) {
    // Whitespace runs become one space; most lines have none but single spaces (then as is).
    const line = (ODD_SPACE.test(rawLine) ? rawLine.replace(/\s+/g, " ") : rawLine).trim();
    if (!line) continue;
    const parts = line.split(/(?<=[^A-Z.][a-z0-9)"”’]{1,}[.!?]["”’]?)\s+(?=["“‘]?[A-Z])/);
    for (const p of parts) {
      const t = p.trim();
      if (t) out.push(t);
    }
  }
  return out;
}
