/**
 * Numeric claims of one article: what is counted, what happened to them, the interval, the
 * sentence. Precision first: a number is kept only when it is clearly a count of something,
 * an amount of money with a currency and a theme, or a known measure (magnitude, depth, speed,
 * prison term). Ages, years, dates, times, ordinals, populations, identifiers, distances and
 * generic statements are dropped. See docs/figures.md.
 */
import type { Article } from "../types.js";
import { type Bound, findNumbers, type NumberPhrase, parseCore } from "./numbers.js";

export type ClaimKind = "count" | "money" | "measure";

export interface Claim {
  articleId: string;
  source: string | null;
  published: string | null;
  /** The sentence, verbatim from the article text. */
  quote: string;
  /** Offset of `quote` in the article text. */
  quoteStart: number;
  /** The number phrase, verbatim inside `quote` ("at least four"). */
  phrase: string;
  /** Offset of `phrase` inside `quote`. */
  phraseStart: number;
  lo: number | null;
  hi: number | null;
  bound: Bound;
  kind: ClaimKind;
  /** ISO currency, "magnitude", "mi", "mph", "years"; null for counts. */
  unit: string | null;
  /** What is counted: police, civilians, attackers, people, witnesses, nationals, or a noun ("villages"). */
  counted: string;
  /** What happened to them: killed, wounded, detained, missing, at large, rescued, shot, fighting; "" if none. */
  event: string;
  /** A short readable label ("police killed"). */
  label: string;
  /** Comparison key: claims with the same key state the same quantity. */
  key: string;
  /** "other" when the sentence recalls a different incident ("last month", "in 2011"). */
  incident: "this" | "other";
  /**
   * For a claim about another incident, what identifies that incident: the year its sentence
   * gives (null for "last month") and the names in the sentences that recall it. Two claims are
   * about the same earlier incident when their years do not differ and they share a name.
   */
  otherIncident: OtherIncident | null;
  /** A cue in the sentence that the value revises an earlier one ("rose to", "later"), or is provisional. */
  revision: "newer" | "older" | null;
  /** "total" of a composition, a "part" of one, or a "single" value. */
  role: "total" | "part" | "single";
  /** For counts of things with nothing happening to them: the verb that governs them ("spotted", "intercepted"), stemmed. */
  verb: string | null;
  /** Compared across reports only when the sentences share a name (how long someone did something). */
  needsName?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Sentences

export interface Sentence {
  text: string;
  start: number;
  /** Index of the line (paragraph) the sentence is on. */
  line: number;
}

const ABBREV =
  /\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Capt|Lt|Sgt|Const|Cpl|Gov|Sen|Rep|Rev|St|Jr|Sr|No|Nos|Co|Corp|Inc|Ltd|vs|etc|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|U\.S|U\.N|a\.m|p\.m|approx|est)\.$/;

const MAX_SENTENCE = 1000;

/** Splits text into sentences, keeping offsets so each sentence is a verbatim substring. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let lineNo = 0;
  let pos = 0;
  for (const line of text.split("\n")) {
    const lineStart = pos;
    pos += line.length + 1;
    let s = 0;
    const re = /[.!?]["”’)]?(?=\s+["“‘(]?[A-Z0-9])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      const endIdx = m.index + m[0].length;
      const head = line.slice(Math.max(s, m.index - 12), m.index + 1);
      if (ABBREV.test(head) || /(?:^|\s)[A-Z]\.$/.test(head)) continue;
      // "$2. 6 million", "at 8. 40am": a decimal broken by a space, not a sentence end.
      if (/\d\.$/.test(head) && /^\s+\d/.test(line.slice(endIdx))) continue;
      push(line.slice(s, endIdx), lineStart + s);
      s = endIdx;
    }
    push(line.slice(s), lineStart + s);
    lineNo++;
  }
  function push(raw: string, at: number): void {
    // No news sentence is this long: cut run-ons (unpunctuated text, lists) at a comma or a
    // space so the work per sentence stays bounded (per-claim work scans its sentence).
    while (raw.length > MAX_SENTENCE) {
      let cut = raw.lastIndexOf(", ", MAX_SENTENCE);
      if (cut < MAX_SENTENCE / 2) cut = raw.lastIndexOf(" ", MAX_SENTENCE);
      if (cut < MAX_SENTENCE / 2) cut = MAX_SENTENCE;
      else cut += 1;
      pushOne(raw.slice(0, cut), at);
      raw = raw.slice(cut);
      at += cut;
    }
    pushOne(raw, at);
  }
  function pushOne(raw: string, at: number): void {
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ text: t, start: at + lead, line: lineNo });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Other incidents

export interface OtherIncident {
  year: string | null;
  names: string[];
  /** How the report dates it relative to itself ("last month", "earlier this year"), normalised; null if not so. */
  when?: string | null;
}

/** The relative date of a marker ("Last month" → "last month", "the previous month" → "last month"). */
function relativeWhen(marker: string): string | null {
  const m = /^(?:last|previous|past) (month|year|week|summer|winter|spring|autumn|fall)$/i.exec(
    marker.trim(),
  );
  if (m?.[1]) return `last ${m[1].toLowerCase()}`;
  const e = /^earlier this (month|year|week)$/i.exec(marker.trim());
  return e?.[1] ? `earlier this ${e[1].toLowerCase()}` : null;
}

const NOT_NAMES = new Set(
  (
    "The A An In On At Of And But Or For To From By With As It He She They We I This That These Those His Her Their " +
    "Its Our Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July " +
    "August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mr Mrs Ms Dr " +
    "Police President Reports Sources Security Earlier Last"
  ).split(" "),
);

/** Capitalised names in a sentence (not its first word). */
export function sentenceNames(quote: string): Set<string> {
  const out = new Set<string>();
  const re = /(?<=[^.!?"“]\s)[A-Z][a-zA-Z]{2,}/g;
  for (const m of quote.matchAll(re)) if (!NOT_NAMES.has(m[0])) out.add(m[0]);
  return out;
}

/**
 * Whether two claims about other incidents are about the same one: years that do not differ and a
 * shared name, or, when neither names anything of its own, the same year.
 */
export function sameOtherIncident(a: OtherIncident | null, b: OtherIncident | null): boolean {
  if (!a || !b) return false;
  if (a.year !== null && b.year !== null && a.year !== b.year) return false;
  if (a.names.some((n) => b.names.includes(n))) return true;
  // "Last month, men … attacked a facility, killing seven" and "last month … in Aktobe … killing seven
  // people": both reports date it the same way relative to themselves and one names nothing of its own.
  if (a.when && a.when === b.when && (a.names.length === 0 || b.names.length === 0)) return true;
  return a.names.length === 0 && b.names.length === 0 && a.year !== null && a.year === b.year;
}

/** A sentence that points back at the incident just recalled ("in that case", "In that incident"). */
const REFERS_BACK =
  /\b[Ii]n (?:that|this) (?:incident|attack|quake|earthquake|case)\b|^(?:That|The previous|The last) /;

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";
const OTHER_INCIDENT = new RegExp(
  [
    `\\b(?:last|previous|past) (?:month|year|week|summer|winter|spring|autumn|fall|decade)\\b`,
    `\\b(?:a|one|two|three|four|five|six|several|few|\\d+) (?:weeks?|months?|years?|decades?) (?:after|before|earlier|ago)\\b`,
    `\\b(?:just|only|mere|some) (?:weeks|months|years) (?:after|before|earlier|ago)\\b`,
    `\\b(?:in|early|late|mid|since|until|by|earlier in)[ -](?:${MONTHS})\\b`,
    `^(?:Early|Late|In) (?:${MONTHS})\\b`,
    `\\b(?:earlier|later) this (?:month|year|week)\\b`,
    `^Earlier\\b`,
    `\\b[Ii]n that (?:incident|attack|quake|earthquake|case)\\b`,
    `\\b(?:That|The previous|The last) (?:temblor|quake|earthquake|attack|incident|shooting)\\b`,
    `\\bdeadliest attack\\b`,
    `\\b(?:in|of|since) (?:(?:${MONTHS}) )?(?:1[89]\\d\\d|20\\d\\d)\\b`,
  ].join("|"),
  "i",
);
const OTHER_INCIDENT_ALL = new RegExp(OTHER_INCIDENT.source, "gi");
const CONTINUES = /^(?:It|That|This|Those|These|They|In that|In this|Security forces)\b/;
const WEEKDAY = /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b/i;

function yearOf(published: string | null): number | null {
  const m = published ? /^(\d{4})/.exec(published) : null;
  return m ? Number(m[1]) : null;
}

function isOtherIncident(sentence: string, year: number | null): boolean {
  const m = OTHER_INCIDENT.exec(sentence);
  if (!m) return false;
  // "the firm from which he was fired last week": a marker inside a relative clause dates that clause only.
  const clauseStart = Math.max(sentence.lastIndexOf(",", m.index), 0);
  if (/\b(?:which|who|whom|whose|where)\b/i.test(sentence.slice(clauseStart, m.index))) {
    const rest = sentence.slice(m.index + m[0].length);
    return rest.length > 0 && OTHER_INCIDENT.test(rest) && isOtherIncident(rest, year);
  }
  // "10 months after the last event …, 3 underwater cables were severed": an opening that dates this
  // event after an earlier one; the main clause, after the comma, is about this event.
  const comma = sentence.indexOf(",", m.index);
  if (m.index <= 2 && /\bafter$/i.test(m[0]) && comma > 0 && comma - m.index < 160) {
    const rest = sentence.slice(comma + 1);
    return OTHER_INCIDENT.test(rest) && isOtherIncident(rest, year);
  }
  // A year that is the report's own year does not by itself point to another incident.
  const y = /\b(1[89]\d\d|20\d\d)\b/.exec(m[0]);
  if (y && year !== null && Number(y[1]) === year && !/last|previous|past|ago|earlier/i.test(m[0]))
    return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Lexicons

const PERSON: Record<string, string> = {};
function person(cat: string, words: string): void {
  for (const w of words.split(" ")) PERSON[w] = cat;
}
person("police", "policeman police officer trooper cop gendarme lawman policewoman");
person("civilians", "civilian passer-by bystander");
person(
  "attackers",
  "gunman attacker assailant militant terrorist suspect robber thief raider pirate brigand bomber shooter insurgent accomplice",
);
person(
  "people",
  "people person victim individual worker employee staffer villager man woman child adult student passenger resident other " +
    "crewman crewmember sailor seaman fisherman hostage",
);
person("witnesses", "witness");
person("nationals", "national citizen");
person("soldiers", "soldier troop serviceman");
person("firefighters", "firefighter fireman");
person("protesters", "protester protestor demonstrator marcher");

/** Nouns that are what happened to people: "two deaths" is two people killed. */
const EVENT_NOUNS: Record<string, string> = {
  death: "killed",
  fatality: "killed",
  injury: "wounded",
  arrest: "detained",
};
/** Words for a fire engine ("10 fire engines", "ten appliances", "10 fire service pumps"). */
const FIRE_ENGINE = new Set(["engine", "appliance", "pump", "firetruck"]);

/** Nouns too vague to be a quantity ("three parts of Almaty", "two last week"). */
const VAGUE_NOUNS = new Set(
  "part time way thing area place kind type side hour day week month year minute second last first next lot number few couple".split(
    " ",
  ),
);

const GENDERED = new Set(["man", "woman", "child", "boy", "girl"]);
/** What happens to the accused: whatever noun names them, they are one set of people. */
const LEGAL_EVENTS = new Set(["charged", "convicted", "detained"]);
/** Nouns for the accused that are people under a legal event ("12 defendants were charged"). */
const ACCUSED_NOUNS = new Set(["member", "defendant", "follower", "associate"]);

const EVENT_WORDS: [RegExp, string][] = [
  [
    /^(?:kill|kills|killed|killing|dead|died|die|dies|dying|deaths?|toll|slain|perished|murdered|fatalities|gunned)$/,
    "killed",
  ],
  [/^(?:wounded|wounding|wounds|injured|injuring|injures|injure|injuries|hurt|hospitali[sz]ed)$/, "wounded"],
  [
    /^(?:detained|detaining|arrested|arresting|arrest|arrests|captured|capturing|capture|custody|apprehended|apprehending|apprehend|nabbed|nab|caught)$/,
    "detained",
  ],
  [/^missing$/, "missing"],
  [/^rescued$/, "rescued"],
  [/^(?:evacuated|ushered)$/, "evacuated"],
  [/^(?:shot|shooting|shoots)$/, "shot"],
  [/^fighting$/, "fighting"],
];
const AFTER_EVENT =
  /^(?:(?:were|was|have been|has been|had been|are|is|being|have|had|got|reportedly|also|later|all|had to be|have to be|to be|be)\s+)*(killed|dead|died|injured|wounded|hurt|missing|detained|arrested|captured|rescued|shot|ushered|evacuated|hospitali[sz]ed|lost their lives|perished|(?:still )?at large|on the loose|fighting|charged|convicted|marched|protested|demonstrated|rallied|took to the streets|joined (?:the |a )?(?:[\w'’-]+ )?(?:protests?|demonstrations?|marche?s?|rall(?:y|ies)))\b/i;

const STOP = new Set(
  (
    "and or but of in on at to from by with for into inside outside who whom which that were was are is have has had " +
    "be been being will would could can may might said say says the a an as than after before during when while near " +
    "including among per each this these those there their his her its our your my we they he she it what if so not no " +
    "about around over under up down out off also still just only then again according told whose where " +
    "nationwide onboard aboard"
  ).split(" "),
);
const LEADING_MODIFIERS = new Set([
  "more",
  "other",
  "additional",
  "further",
  "another",
  "fewer",
  "extra",
  "of",
]);

function eventOf(word: string): string | null {
  const w = word.toLowerCase();
  for (const [re, ev] of EVENT_WORDS) if (re.test(w)) return ev;
  return null;
}

function singular(w: string): string {
  const x = w.toLowerCase();
  if (x === "people" || x === "police" || x === "news" || x === "series") return x;
  if (x.endsWith("men")) return x.slice(0, -3) + "man";
  if (x === "children") return "child";
  if (x === "thieves") return "thief";
  if (x === "passers-by") return "passer-by";
  if (x.endsWith("ies") && x.length > 4) return x.slice(0, -3) + "y";
  if (/(?:wi|kni|li)ves$/.test(x)) return x.slice(0, -3) + "fe";
  if (/(?:ss|sh|ch|x)es$/.test(x)) return x.slice(0, -2);
  if (x.endsWith("s") && !x.endsWith("ss") && x.length > 3) return x.slice(0, -1);
  return x;
}

function categoryOf(noun: string): string {
  const s = singular(noun);
  if (FIRE_ENGINE.has(s)) return "fire engine";
  return PERSON[s] ?? s;
}

const NOUN_LABEL: Record<string, string> = {
  police: "police",
  civilians: "civilians",
  attackers: "attackers",
  people: "people",
  witnesses: "witnesses",
  nationals: "nationals",
  soldiers: "soldiers",
  firefighters: "firefighters",
  protesters: "protesters",
  "people incl. attackers": "dead, attackers included",
};

// ---------------------------------------------------------------------------------------------
// Context helpers

interface Word {
  text: string;
  start: number;
  end: number;
}

/** Words right after `from` in `s`, stopping at punctuation other than hyphens/apostrophes. */
function wordsAfter(s: string, from: number, max: number): Word[] {
  const out: Word[] = [];
  const re = /\s*([A-Za-z][\w'’-]*|[^\sA-Za-z])/y;
  re.lastIndex = from;
  while (out.length < max) {
    const m = re.exec(s);
    if (!m || !m[1]) break;
    if (!/^[A-Za-z]/.test(m[1])) break;
    out.push({ text: m[1], start: m.index + m[0].length - m[1].length, end: re.lastIndex });
  }
  return out;
}

/** Words before `to` in `s` (nearest first), stopping at a clause boundary. */
function wordsBefore(s: string, to: number, max: number, stopAtComma = false): string[] {
  const head = s.slice(0, to);
  const cut = Math.max(
    head.lastIndexOf(";"),
    head.lastIndexOf(":"),
    stopAtComma ? head.lastIndexOf(",") : -1,
  );
  const clause = head.slice(cut + 1);
  const words = clause.match(/[A-Za-z][\w'’-]*/g) ?? [];
  return words.slice(-max).reverse();
}

interface NounPhrase {
  /** Head noun as written, or null when the number stands alone. */
  head: string | null;
  /** Offset right after the noun phrase. */
  end: number;
  /** An event participle that followed the number directly ("80 wounded", "six dead"). */
  event: string | null;
}

/** A model designator right after the number: AK-47, AK 47, M16, F-16 (a plural "s" allowed). */
const MODEL = /^\s+([A-Z]{1,4}(?:-|\s)?\d{1,4})s?\b/;

function nounPhraseAfter(s: string, from: number): NounPhrase {
  const words = wordsAfter(s, from, 5);
  let head: string | null = null;
  let end = from;
  let i = 0;
  // "23 of the raiders", "one of the attackers"
  if (words[0] && words[0].text.toLowerCase() === "of") {
    const rest = words.slice(1);
    const j = rest[0] && /^(?:the|its|their|his|her|these|those)$/i.test(rest[0].text) ? 1 : 0;
    const cand = rest.slice(j);
    for (const w of cand) {
      const lw = w.text.toLowerCase();
      if (STOP.has(lw) || eventOf(lw) || (head !== null && /(?:ed|ing|ly)$/.test(lw))) break;
      head = w.text;
      end = w.end;
    }
    return { head, end, event: null };
  }
  for (; i < words.length; i++) {
    const w = words[i];
    if (!w) break;
    const lw = w.text.toLowerCase();
    if (STOP.has(lw)) break;
    const ev = eventOf(lw);
    if (
      ev &&
      (ev === "killed" || ev === "wounded" || ev === "missing") &&
      /(?:ed|dead|hurt|missing)$/.test(lw)
    ) {
      if (head === null) return { head: null, end: w.end, event: ev };
      break;
    }
    if (head === null && LEADING_MODIFIERS.has(lw)) continue;
    if (lw.endsWith("ly")) {
      // "two nearly killed": what almost happened did not happen.
      if (/^(?:nearly|almost|narrowly)$/.test(lw)) return { head: null, end: from, event: null };
      if (head === null) continue;
      break;
    }
    if (head !== null && /ed$/.test(lw)) break;
    if (head !== null && /ing$/.test(lw)) break;
    head = w.text;
    end = w.end;
    if (PERSON[singular(lw)] && !(words[i + 1] && PERSON[singular(words[i + 1]?.text ?? "")])) {
      // "police officers": keep going only while the next word is also a person noun.
      break;
    }
    // A plural noun is the head: "gang members whose names…", "helicopters began", "fire engines fought".
    if (w.text === lw && singular(lw) !== lw && lw.endsWith("s")) break;
  }
  if (head && /ed$|ing$/.test(head.toLowerCase()) && !PERSON[singular(head)])
    return { head: null, end: from, event: null };
  // "seven AK-47 assault rifles", "six AK 47 rifles": a model designator names what is counted.
  const model = MODEL.exec(s.slice(from, end));
  if (head && model?.[1]) return { head: model[1].replace(/[-\s]/g, "-").toUpperCase(), end, event: null };
  // "12 Somali and 11 Yemeni pirates": a proper adjective, the noun comes later.
  if (head && /^[A-Z][a-z]+$/.test(head) && !/s$/.test(head) && !PERSON[singular(head)]) {
    const later = /^\s*(?:and|or)\s+(?:\d+\s+)?[A-Z][\w-]*\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)/.exec(
      s.slice(end),
    );
    const nouns = later?.[1]?.split(/\s+/).filter((w) => !STOP.has(w) && !/(?:ed|ing|ly)$/.test(w)) ?? [];
    const noun = nouns.find((w) => PERSON[singular(w)]) ?? nouns[0];
    if (noun) return { head: noun, end, event: null };
    return { head: null, end: from, event: null };
  }
  return { head, end, event: null };
}

// ---------------------------------------------------------------------------------------------
// Exclusions

const CAPITAL_WORD_BEFORE = /(?:^|[^.!?]\s|\/)([A-Z][a-zA-Z-]*)\s+$/;
const NOT_COUNT_AFTER = new RegExp(
  [
    `^-?\\s?(?:years?|months?|weeks?|days?)[- ]old`,
    `^-(?:year|month|week|day|hour|minute|second|mile|km|kilomet(?:er|re)|square|tonne|ton|metre|meter|foot|feet|inch|acre|storey|story|seat|point|member|strong|page|room|bed|car|man|person|employee)`,
    `^\\s?(?:years?|months?|weeks?|days?|hours?|hrs|minutes?|mins?|seconds?|decades?|centuries|century|seasons?)\\b`,
    `^\\s?(?:block|blocks)\\b`,
    `^\\s?(?:a\\.?m\\b|p\\.?m\\b|am\\b|pm\\b|GMT|BST|IST|UTC|CET|EST|PST|PDT|EDT|local time|o'clock)`,
    `^\\s?(?:miles?|mi\\b|km\\b|kms\\b|kilomet(?:er|re)s?|feet|foot|ft\\b|metres?|meters?|m\\b|nautical|yards?|inches|tonnes?|tons?|kg\\b|kilograms?|acres?|hectares?|square|sq\\b|degrees?|°|mph|knots?)`,
    `^\\s?(?:${MONTHS})\\b`,
    `^:\\d`,
    `^(?:st|nd|rd|th)\\b`,
  ].join("|"),
  "i",
);
const MONTH_BEFORE = new RegExp(`(?:${MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?\\s+$`);
const POPULATION_BEFORE =
  /\b(?:nation|country|city|town|island|village|state|province|region|home|population|community|capital|district|metropolis|municipality)\s+of\s+(?:about\s+|some\s+|around\s+|more than\s+|nearly\s+|over\s+|roughly\s+|almost\s+)?$|\bhome to\s+(?:about\s+|some\s+|around\s+|more than\s+|nearly\s+|over\s+|roughly\s+)?$|\bpopulation\s+(?:of\s+)?(?:about\s+|some\s+|around\s+|more than\s+|nearly\s+|over\s+)?$/i;
const POPULATION_AFTER = /^\s?(?:residents|inhabitants|population)\b/i;
const GENERIC_AFTER =
  /^[^.;]{0,40}?\b(?:can|could|may|might|would|are common|is common|are rare|is rare|ever)\b/i;
const SPORTS = /\b(?:won|beat|defeated|victory|score[ds]?|goals?|innings|points|halftime|drew)\b/i;
/** Sentences of sports statistics: their counts are not about an event. */
const SPORTS_STATS =
  /\b(?:RBIs?|homers|home runs|touchdowns|rebounds|assists|wickets|batting|OPS|ERA|strikeouts|yards)\b/;
/** "There might have been two people killed": speculation. */
/** A count phrase ("three workers", "the 23 pirates") right before a parenthesis. */
const BREAKDOWN_OF = new RegExp(
  `(?:\\b\\d[\\d,]*|\\b(?:${Object.keys({ one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, dozen: 12, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100 }).join("|")}))\\s+(?:[A-Za-z][\\w-]*\\s+){0,2}[A-Za-z][\\w-]*\\s*$`,
  "i",
);
const MODAL_BEFORE = /\b(?:might|may|could|would)(?: not)?(?: have)?(?: been)?\s+(?:\w+\s+)?$/i;

function isExcluded(s: string, n: NumberPhrase): boolean {
  const before = s.slice(0, n.start);
  const after = s.slice(n.end);
  const core = s.slice(n.coreStart, n.coreEnd);
  if (NOT_COUNT_AFTER.test(after)) return true;
  if (MONTH_BEFORE.test(before)) return true;
  if (/[:/]$/.test(before) || /^\/\d/.test(after)) return true;
  if (/^\.\s\d/.test(after) || /\d\.\s$/.test(before)) return true; // "$2. 6 million": a decimal broken by the corpus
  if (/^\d{4}$/.test(core)) return true; // years, times ("1353 GMT"), house numbers
  if (/^0\d/.test(core) || /['’]$/.test(before)) return true; // "iLife '09", "09": a year or version, never a count
  if (/(?:^|\s)(?:aged?|age of)\s+$/i.test(before)) return true;
  // "2,880 by 1,800 pixels", "480 x 360": dimensions, not counts.
  if (/\d\s*(?:x|by|×)\s*$/i.test(before) || /^\s*(?:x|by|×)\s*\d/i.test(after)) return true;
  // "two men, ages 47 and 48": every number of a list of ages.
  if (/\b(?:ages|aged)\s+(?:\d{1,3}\s*(?:,|and|to|-)\s*)+$/i.test(before)) return true;
  // "When one is killed, all of us lose": a generic "one", not a count.
  if (/^one$/i.test(core) && /\b(?:when|if|whenever|once|every time)\s+$/i.test(before)) return true;
  // "Nazarbayev, 76," / "Banky, 40." : an age after a name.
  if (/[A-Za-z],\s?$/.test(before) && /^\s?(?:,|\.|$|\))/.test(after) && n.digits && (n.lo ?? 0) < 120)
    return true;
  if (/\(\s?$/.test(before) && /^\s?\)/.test(after)) return true;
  // "three workers (one a pregnant woman)", "the 23 pirates (12 Somali and 11 Yemeni)": numbers in
  // a parenthesis right after a count break that count down; they are not counts of their own.
  const open = before.lastIndexOf("(");
  if (open > before.lastIndexOf(")") && BREAKDOWN_OF.test(before.slice(Math.max(0, open - 60), open)))
    return true;
  const cap = CAPITAL_WORD_BEFORE.exec(before);
  if (
    n.digits &&
    cap &&
    cap[1] &&
    !eventOf(cap[1]) &&
    !/^(?:At|About|Some|Around|Nearly|Over|Only|Just|All|The|And|With|Of|In|On)$/.test(cap[1])
  )
    return true; // "Interstate 75", "Channel 16", "Highway 214"
  if (/\b(?:No\.|number|#|Flight|Route|page|Article|Section|Chapter)\s*$/i.test(before)) return true;
  if (POPULATION_BEFORE.test(before) || POPULATION_AFTER.test(after)) return true;
  if (n.bound === "range" && n.digits && SPORTS.test(s)) return true;
  if (SPORTS_STATS.test(s)) return true;
  if (MODAL_BEFORE.test(before)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Money and measures

const CURRENCY_BEFORE = /(?:(US\$|\$|€|£|¥|\bDh|\bRs\.?|\beuros?|\bUSD|\bEUR|\bGBP)|(?:^|[\s(])([ep]))\s?$/i;
const CURRENCY_AFTER = /^(?:\s?-?\s?)(euros?|dollars?|pounds?(?! of)|yen|yuan|rupees?|francs?)\b/i;
const CURRENCY_CODE: Record<string, string> = {
  us$: "USD",
  $: "USD",
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  "€": "EUR",
  e: "EUR",
  euro: "EUR",
  euros: "EUR",
  eur: "EUR",
  "£": "GBP",
  p: "GBP",
  pound: "GBP",
  pounds: "GBP",
  gbp: "GBP",
  "¥": "JPY",
  yen: "JPY",
  yuan: "CNY",
  dh: "AED",
  rs: "INR",
  "rs.": "INR",
  rupee: "INR",
  rupees: "INR",
  franc: "CHF",
  francs: "CHF",
};
const MONEY_THEMES: [RegExp, string][] = [
  [
    /\b(?:stole|stolen|steal|stealing|heist|robbery|robbers?|snatch(?:ed|ing)?|made off|making off|loot|booty|thieves)\b/i,
    "stolen",
  ],
  [/\breward\b/i, "reward"],
  [/\bransom\b/i, "ransom"],
  [/\b(?:bailout|bail-out|rescue package|loans?)\b/i, "bailout"],
  [/\b(?:damages?|losses)\b/i, "damage"],
  [/\b(?:fine|fined|penalty)\b/i, "fine"],
  [/\b(?:acquire|acquired|acquisition|buy|bought|takeover|deal|contract|offer)\b/i, "deal"],
  // Themes read only when none of the above is in the sentence (issue 4, recall pass).
  [/\b(?:revenues?|sales|turnover|earnings|brought in|took in)\b/i, "revenue"],
  [/\b(?:gross(?:ed|es|ing)?|box[- ]office|opening weekend)\b/i, "box office"],
  [/\b(?:paid|pays?|salary|fee|upfront|payment|payoffs?|compensation|bonus)\b/i, "pay"],
  [/\b(?:price[ds]?|price tag|costs?|costing|retails?|sells? for|selling for)\b/i, "price"],
  [/\bmarket (?:value|capitali[sz]ation|cap)\b/i, "market value"],
  [/\bmarket\b/i, "market size"],
  [/\b(?:worth|valued?|valuation)\b/i, "value"],
];
const CHANGE_AFTER =
  /^[\s-]*(?:increase|rise|drop|decline|gain|jump|fall|cut|reduction|boost|hike|surge|slump|plunge)s?\b/i;
/** "$25 per share", "$24 a share": a price per share, whatever else the sentence says. */
const PER_SHARE_AFTER = /^[\s-]*(?:per|a)[\s-]share\b/i;

const MEASURE_LABEL: Record<string, string> = {
  magnitude: "magnitude",
  "aftershock magnitude": "aftershock magnitude",
  depth: "depth",
  speed: "speed",
  "prison sentence": "prison sentence",
  "time served": "time served in prison",
  "shortest prison sentence": "shortest prison sentence",
  "longest prison sentence": "longest prison sentence",
  weight: "weight",
};

interface Typed {
  kind: ClaimKind;
  unit: string | null;
  counted: string;
  event: string;
  nounEnd: number;
  head: string | null;
  /** Kept only as part of a composition ("and one civilian"), never alone. */
  weak?: boolean;
  /** Appended to the key: whose relatives, and whether alleged ("@Blackmore+alleged"). */
  qualifier?: string;
  /** Multiplies the number into the unit of the key (MB → GB, GHz → MHz). */
  scale?: number;
  /** A specification's "up to" is its value (a slot that takes cards "up to 16GB" takes 16GB ones). */
  limit?: boolean;
  /** Compared only when the sentences share a name (durations of what someone did). */
  needsName?: boolean;
}

/** A person's weight: "weighing 130 pounds", "5-foot-8, 135 pounds" (a description's height, weight). */
const WEIGHT_BEFORE =
  /(?:\bweigh(?:s|ed|ing)?|\bweight of|\d-f(?:oo|ee)t-\d+(?:\s*inch(?:es)?)?(?:\s+tall)?,)\s*(?:about\s+|around\s+|nearly\s+|some\s+)?$/i;
const WEIGHT_AFTER = /^\s?-?(pounds|lbs?|kg|kilograms?)\b/i;

function weightOf(s: string, n: NumberPhrase): Typed | null {
  const unit = WEIGHT_AFTER.exec(s.slice(n.end));
  if (!unit?.[1] || !WEIGHT_BEFORE.test(s.slice(0, n.start))) return null;
  return {
    kind: "measure",
    unit: /^k/i.test(unit[1]) ? "kg" : "lb",
    counted: "weight",
    event: "",
    nounEnd: n.end + unit[0].length,
    head: null,
  };
}

function moneyOf(s: string, n: NumberPhrase): Typed | null | "skip" {
  const before = s.slice(0, n.coreStart);
  const after = s.slice(n.coreEnd);
  const bm = CURRENCY_BEFORE.exec(before);
  const am = CURRENCY_AFTER.exec(after);
  const sym = bm ? (bm[1] ?? bm[2]) : am ? am[1] : null;
  if (!sym) return null;
  // A bare "e"/"p" before digits is a mangled € / £ only with a scale word.
  if (bm && bm[2] && !/million|billion|mn|bn|m$/i.test(s.slice(n.coreStart, n.coreEnd))) return null;
  if (/^\.\s\d/.test(after)) return "skip"; // "$2. 6 million": a decimal broken by the corpus
  const code = CURRENCY_CODE[sym.toLowerCase()];
  if (!code) return "skip";
  // Conversions in parentheses ("85 million euros ($108 million)") restate another amount.
  const open = before.lastIndexOf("(");
  if (
    open > before.lastIndexOf(")") &&
    open >= 0 &&
    findNumbers(before.slice(Math.max(0, open - 40), open)).length > 0
  )
    return "skip";
  // "the $50 billion increase in HP's market value": a change, not an amount of anything.
  if (CHANGE_AFTER.test(s.slice(n.end + (am ? am[0].length : 0)))) return "skip";
  let theme =
    startingPriceOf(s, n) ??
    (PER_SHARE_AFTER.test(s.slice(n.end)) ? "price per share" : undefined) ??
    MONEY_THEMES.find(([re]) => re.test(s))?.[1];
  // A price is a model's: keyed by the size the sentence names ("the 17-inch … for $2,799"); the
  // first price said of a model named in its own clause is its starting price ("The 13-inch costs
  // $1,199, while the 15-inch will sell for $1,499").
  const listed =
    theme === "price" || (!theme && VERSIONS_AFTER.test(s.slice(n.end))) ? listedPrice(s, n) : null;
  if (listed) theme = listed;
  if (!theme) return "skip";
  const size = theme === "price" ? modelSizes(s)[0] : undefined;
  // "$22 million per season", "$5 million a year": a rate, not the whole amount.
  const per = MONEY_PER_AFTER.exec(s.slice(n.end + (am ? am[0].length : 0)));
  const period = per ? ` per ${per[1] ? singular(per[1].toLowerCase()) : "year"}` : "";
  return {
    kind: "money",
    unit: code,
    counted: (size ? `price of the ${size}-inch model` : theme) + period,
    event: "",
    nounEnd: n.end + (am ? am[0].length : 0),
    head: null,
  };
}

const MONEY_PER_AFTER =
  /^\s?(?:(?:per|a|an|each)\s+(season|year|month|week|day|game|hour|episode|film|movie)\b|(?:annually|yearly|monthly)\b)/i;

/** "starts at $1, 199", "starting at", "begins at", "$1, 099 for the base 13-inch version". */
const START_BEFORE =
  /\b(?:starts?|starting|start|begins?|beginning)(?:\s+off)?\s+at\s+(?:just\s+|only\s+)?(?:US\$|\$|€|£)?\s?$/i;
const BASE_AFTER = /^\s+for\s+(?:the|a|an)\s+(?:base\b|(?:entry-level\s+)?\d{1,2}(?:\.\d)?-inch\b)/i;
const DESIGNATOR = /\b(\d{1,2}(?:\.\d)?)-inch\b/g;

/** The text before an amount back to the last comma, semicolon or other amount: its own clause. */
function clauseBefore(before: string): string {
  return before.split(/[,;]|[$€£](?=\s?\d)/).pop() ?? "";
}

/**
 * A product's starting price, keyed by the model's size ("13-inch"): "The 15-inch MacBook Pro starts
 * off at $1, 799", "$1, 099 for the base 13-inch version". The size is looked for in the amount's own
 * clause, after it first, then before it (not across another amount). Null when not such a price.
 */
function startingPriceOf(s: string, n: NumberPhrase): string | null {
  const before = s.slice(0, n.start);
  const after = s.slice(n.end);
  if (!START_BEFORE.test(s.slice(0, n.coreStart)) && !BASE_AFTER.test(after)) return null;
  const afterClause = after.split(/[,;]|\s(?:and|but|while|with)\s|[$€£]/)[0] ?? "";
  const beforeClause = clauseBefore(before);
  const size =
    [...afterClause.matchAll(DESIGNATOR)][0]?.[1] ?? [...beforeClause.matchAll(DESIGNATOR)].pop()?.[1];
  return size ? `starting price of the ${size}-inch model` : null;
}

/** "comes in $1,199 and $1,499 versions": prices of a model's configurations. */
const VERSIONS_AFTER =
  /^(?:\s*(?:,|and|or)\s*(?:US\$|\$|€|£)\s?\d[\d.,]*(?:\s\d{3}\b)*)*\s+(?:versions?|models?|configurations?)\b/i;
const PRICE_VERB_BEFORE =
  /\b(?:costs?|priced at|sells? for|will sell for|retails? for|comes? in|offered (?:in|at|for)|available (?:in|at|for)|goes for|for)\s+(?:just\s+|only\s+)?(?:US\$|\$|€|£)?\s?$/i;
const NOT_MODEL_PRICE = /\b(?:additional|extra|another|upgrad(?:e|ing) to|option|add(?:s|ing)?|more)\b/i;

/**
 * A model's starting price said without "starts at": an amount right after a price verb, in a
 * clause (back to the last comma or amount) that names the model's size ("The 13-inch model costs
 * $1,199", "…, while the 15-inch will sell for $1,499"). Null otherwise: a later amount of a list
 * ("$1,199 and $1,499 versions") is a dearer configuration.
 */
function listedPrice(s: string, n: NumberPhrase): string | null {
  const before = s.slice(0, n.coreStart);
  if (!PRICE_VERB_BEFORE.test(before)) return null;
  const clause = clauseBefore(before);
  if (NOT_MODEL_PRICE.test(clause)) return null;
  // The clause runs back to the last comma or amount: a size in it names this amount's model.
  const size = [...clause.matchAll(DESIGNATOR)].pop()?.[1];
  return size ? `starting price of the ${size}-inch model` : null;
}

const HOLDER_POSSESSIVE =
  /\b([A-Z][\w&-]*)['’]s\s+(?:(?:about|nearly|roughly|around|some|almost|just|over)\s+)?$/;
const HOLDER_SUBJECT =
  /\b([A-Z][\w&-]*)\s+(?:had|has|holds?|held|controls?|controlled|commands?|commanded|owns?|owned|enjoys?|enjoyed)\s+(?:(?:about|nearly|roughly|around|some|almost|just|over|a)\s+)?$/;
const SHARE_AFTER =
  /^\s?(?:%|per ?cent)(?:\s+(?:market\s+)?share\b|\s+of\s+(?:the|its)\s+(?:[\w-]+\s+){0,3}market\b)/i;

/** Who holds a market share stated by the percentage whose context is `before` / `after`; null if not one. */
function marketShareHolder(before: string, after: string): string | null {
  if (!SHARE_AFTER.test(after)) return null;
  const possessive = HOLDER_POSSESSIVE.exec(before);
  const subject = possessive ? null : HOLDER_SUBJECT.exec(before);
  const name = possessive?.[1] ?? subject?.[1];
  if (!name || NOT_NAMES.has(name)) return null;
  // "share of the market" after a possessive ("IBM's 10 percent share of the PC market") is still IBM's.
  return name;
}

function measureOf(s: string, n: NumberPhrase): Typed | null | "skip" {
  const before = s.slice(0, n.start);
  const after = s.slice(n.end);
  const v = n.value;
  const quakeBefore =
    /(?:magnitude(?:\s+of)?|magnitude-|measuring|measured|Richter scale of|force of|strength at|rated (?:the quake )?as)\s*(?:a |an |preliminary |about |around |at least )?$/i;
  const quakeAfter =
    /^\s?-?\s?(?:magnitude|on the Richter|degree quake|-strength|strength|(?:quake|earthquake|temblor|tremor|aftershock)\b)/i;
  if ((quakeBefore.test(before) || quakeAfter.test(after)) && v < 10 && v > 0) {
    const after2 = /aftershocks?|followed by|smaller|small quakes|foreshock/i.test(s)
      ? "aftershock magnitude"
      : "magnitude";
    return { kind: "measure", unit: "magnitude", counted: after2, event: "", nounEnd: n.end, head: null };
  }
  const pct =
    /^\s?(?:%|per ?cent\b)(?:\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[A-Za-z][\w'’-]*)(?:\s+(?:to|in|from|of|with|for)\s+[A-Z][\w-]*)?))?/i.exec(
      after,
    );
  if (pct) {
    // A market share is keyed by who holds it: "IBM's 10 percent share", "IBM had 7.2% of the market".
    const holder = marketShareHolder(before, after);
    if (holder)
      return {
        kind: "measure",
        unit: "%",
        counted: `market share of ${holder}`,
        event: "",
        nounEnd: n.end + pct[0].length,
        head: null,
      };
    // A share is comparable only with the share of the same thing ("65% of traffic to India").
    if (!pct[1]) return "skip";
    // "65% of traffic to India", "65% of traffic with India": one share, whatever the preposition.
    const what = pct[1]
      .toLowerCase()
      .replace(/[’']s$/, "")
      .replace(/\s+(?:to|in|from|with|for)\s+/, " to ");
    return {
      kind: "measure",
      unit: "%",
      counted: `share of ${what}`,
      event: "",
      nounEnd: n.end + pct[0].length,
      head: null,
    };
  }
  const unitAfter = /^\s?(miles?|mi\b|km\b|kms\b|kilomet(?:er|re)s?)/i.exec(after);
  if (/\bdepth of\s+(?:about |around )?$/i.test(before) && unitAfter) {
    return {
      kind: "measure",
      unit: "mi",
      counted: "depth",
      event: "",
      nounEnd: n.end + unitAfter[0].length,
      head: null,
    };
  }
  const speed = /^\s?(mph|miles per hour|km\/h|kph|kilomet(?:er|re)s per hour)/i.exec(after);
  if (speed)
    return {
      kind: "measure",
      unit: "mph",
      counted: "speed",
      event: "",
      nounEnd: n.end + speed[0].length,
      head: null,
    };
  // "serving a 12-year sentence", "a 20-year prison term", "a 2-1/2 year sentence"
  const hyphenTerm = /^(?:-|\s)(year|month)\s+(?:prison\s+|jail\s+)?(?:sentence|term)\b/i.exec(after);
  if (hyphenTerm)
    return {
      kind: "measure",
      unit: hyphenTerm[1]?.toLowerCase() ?? "year",
      counted: "prison sentence",
      event: "",
      nounEnd: n.end + hyphenTerm[0].length,
      head: null,
    };
  // "served five months" is the time served; "sentenced to seven years", "a sentence of 20 years"
  // the term imposed: two quantities.
  const served =
    /\bserved\s+(?:only\s+|just\s+|about\s+|nearly\s+|almost\s+|more than\s+|(?:a|his|her|the)\s+(?:\w+\s+)?sentence\s+of\s+)?$/i;
  const servedTerm = /^\s?(years?|months?|days?)\b/i.exec(after);
  if (servedTerm && served.test(before)) {
    return {
      kind: "measure",
      unit: singular(servedTerm[1] ?? "years"),
      counted: "time served",
      event: "",
      nounEnd: n.end + servedTerm[0].length,
      head: null,
    };
  }
  const term = /^\s?(years?|months?)\b/i.exec(after);
  if (
    term &&
    /\b(?:sentenced|serving|jailed|imprisoned)\s+(?:to\s+|for\s+)?(?:\w+\s+){0,2}$|\bsentences?\s+of\s+$/i.test(
      before,
    )
  ) {
    return {
      kind: "measure",
      unit: singular(term[1] ?? "years"),
      counted: "prison sentence",
      event: "",
      nounEnd: n.end + term[0].length,
      head: null,
    };
  }
  return specOf(s, n) ?? distanceOf(s, n) ?? durationOf(s, n);
}

/** The prison terms of several people given as a range ("sentences of between six and 75 years"). */
function sentenceSpan(s: string, n: NumberPhrase): Typed | null {
  if (n.bound !== "range") return null;
  const unit = /^\s?(years?|months?)\b/i.exec(s.slice(n.end));
  if (
    !unit ||
    !/\b(?:sentences?|terms?)\s+(?:(?:that\s+)?rang(?:e|ed|ing)\s+)?(?:of\s+)?$/i.test(s.slice(0, n.start))
  )
    return null;
  return {
    kind: "measure",
    unit: singular(unit[1]?.toLowerCase() ?? "years"),
    counted: "prison sentence",
    event: "",
    nounEnd: n.end + unit[0].length,
    head: null,
  };
}

/** "13 miles east of Cloverdale", "seven km (4 miles) east of Dargahan", "150 nautical miles off Aden". */
const DISTANCE_FROM =
  /^\s?(nautical miles?|miles?|mi\b|km\b|kms\b|kilomet(?:er|re)s?)(?:\s*\([^)]{0,30}\))?\s+(?:(?:north|south|east|west)(?:-?(?:north|south|east|west))*(?:ern)?\s+|(?:[NSEW]{1,3})\s+)?(?:of|from|off|outside)\s+(?:[Tt]he\s+)?([A-Z][\w-]+)/;

const QUAKE_WHERE = /\b(?:quake|earthquake|temblor|tremor|epicent(?:er|re)|cent(?:er|re)d)\b/i;

/**
 * Where a quake was centred, as a distance from a named place, keyed by the place ("13 miles east of
 * Cloverdale" vs "21 km from Cloverdale"), in km. Only in a sentence about the quake or its centre (a
 * building "15 miles north of Detroit" and a motorist "50 miles north of Detroit" are two things). A
 * conversion in parentheses is not read; the direction is not part of the key.
 */
function distanceOf(s: string, n: NumberPhrase): Typed | null {
  if (!QUAKE_WHERE.test(s)) return null;
  const m = DISTANCE_FROM.exec(s.slice(n.end));
  if (!m?.[1] || !m[2] || NOT_NAMES.has(m[2])) return null;
  if (/\(\s*$/.test(s.slice(0, n.start))) return null;
  const u = m[1].toLowerCase();
  const scale = u.startsWith("nautical") ? 1.852 : /^mi/.test(u) ? 1.609 : 1;
  return {
    kind: "measure",
    unit: "km",
    counted: `quake's distance from ${m[2]}`,
    event: "",
    nounEnd: n.end + m[0].length,
    head: null,
    scale,
  };
}

// ---------------------------------------------------------------------------------------------
// Specifications and durations

const SPEC_UNIT =
  /^\s?-?(GB|gigabytes?|MB|megabytes?|TB|terabytes?|MHz|megahertz|GHz|gigahertz|megapixels?|MP|mAh)\b/i;
/** What a specification is of, by the words around it (a memory card before memory, a camera's side). */
const SPEC_PART: [RegExp, string][] = [
  [/^(?:cards?|microSD|microSDHC|SDHC|SD)$/i, "memory card"],
  [/^(?:RAM|memory|SDRAM|DDR\d?|DIMMs?)$/i, "memory"],
  [/^(?:drives?|HDDs?|SSDs?|storage|disks?|flash)$/i, "storage"],
  [/^(?:processors?|CPUs?|chips?|Core|clocked)$/i, "processor"],
  [/^(?:cameras?|lens|sensor)$/i, "camera"],
  [/^(?:battery|batteries)$/i, "battery"],
];
const SPEC_LIMIT_BEFORE =
  /\b(?:up to|expandable(?: up)? to|upgradable to|upgradeable to|configurable to|maximum of|max(?:imum)?)\s+(?:an?\s+)?$/i;
/** A model's size: "the 13-inch", "the 15\" models" (not "0.98 inches thick"). */
const MODEL_SIZE = /(?<![\d.])([1-3]?\d(?:\.\d)?)(?:-inch\b|["”](?=\s?[A-Za-z]))/g;
function modelSizes(s: string): string[] {
  return [...s.matchAll(MODEL_SIZE)].map((m) => m[1] ?? "").filter((x) => Number(x) >= 5);
}

const SPEC_UNITS = new Set(["GB", "MHz", "megapixels", "mAh"]);
function isSpec(c: Claim): boolean {
  return (
    (c.kind === "measure" && (SPEC_UNITS.has(c.unit ?? "") || c.counted.startsWith("battery life"))) ||
    (c.kind === "money" && /^price(?: of|$)/.test(c.counted))
  );
}

function specPart(words: string[]): string | null {
  for (const w of words) for (const [re, part] of SPEC_PART) if (re.test(w)) return part;
  return null;
}

/**
 * A device's specification: memory and storage (GB), clock speed (MHz), camera resolution
 * (megapixels), battery capacity (mAh), keyed by the part it is of ("4GB of RAM", "a 512MHz
 * processor", "cards up to 16GB") and by the model's size when the sentence names one ("the 13-inch").
 * A number in such a unit whose part is not named is dropped.
 */
function specOf(s: string, n: NumberPhrase): Typed | "skip" | null {
  const u = SPEC_UNIT.exec(s.slice(n.end));
  if (!u?.[1]) return null;
  // "2. 7GHz": the tail of a decimal the corpus broke (also when it was split into a sentence).
  if (n.start === 0 || /\d\.\s$/.test(s.slice(0, n.start))) return "skip";
  const unitWord = u[1].toLowerCase();
  const end = n.end + u[0].length;
  // The words of the number's own phrase: up to a conjunction or a preposition other than "of".
  const own = (ws: string[]): string[] => {
    const i = ws.findIndex((w) => STOP.has(w.toLowerCase()) && !/^(?:of|to|up|for)$/i.test(w));
    return i < 0 ? ws : ws.slice(0, i);
  };
  const afterWords = own(wordsAfter(s, end, 5).map((w) => w.text));
  const beforeWords = own(wordsBefore(s, n.start, 6));
  let part = specPart(afterWords) ?? specPart(beforeWords);
  let unit: string;
  let scale = 1;
  if (/^(?:gb|gigabyte|tb|terabyte|mb|megabyte)/.test(unitWord)) {
    unit = "GB";
    scale = /^(?:tb|terabyte)/.test(unitWord) ? 1000 : /^(?:mb|megabyte)/.test(unitWord) ? 0.001 : 1;
    if (part === "processor" || part === "camera" || part === "battery") part = null;
  } else if (/hz$/.test(unitWord)) {
    unit = "MHz";
    scale = /^g/.test(unitWord) ? 1000 : 1;
    if (part !== "processor" && part !== "memory") part = null;
    else if (part === "memory") part = "memory speed";
  } else if (unitWord === "mah") {
    unit = "mAh";
    part = "battery capacity";
  } else {
    unit = "megapixels";
    const side = /\b(front|rear|back|secondary|selfie)\b/i.exec(afterWords.slice(0, 3).join(" "));
    part = side?.[1] ? `${side[1].toLowerCase()} camera` : "camera";
  }
  if (!part) return "skip";
  const limit = SPEC_LIMIT_BEFORE.test(s.slice(0, n.coreStart));
  const size = modelSizes(s)[0];
  const what = `${part}${limit ? " (maximum)" : ""}${size ? ` of the ${size}-inch model` : ""}`;
  // A model named by its size is compared only when the sentences share a name (an Air is not a Pro).
  const needsName = size !== undefined;
  return {
    kind: "measure",
    unit,
    counted: what,
    event: "",
    nounEnd: end,
    head: null,
    scale,
    limit: true,
    needsName,
  };
}

const DURATION_UNITS = "decade|year|month|week|day|hour|minute";
/** "an eight-year contract", "a seven-month investigation", "a three-day trial". */
const DURATION_COMPOUND = new RegExp(
  `^-(${DURATION_UNITS})(?:-long)?\\s+((?:[a-z][\\w'’-]*\\s+){0,2}[a-z][\\w'’-]*)`,
  "i",
);
/** "15 years of service", "eight hours of battery life". */
const DURATION_OF = new RegExp(
  `^\\s(${DURATION_UNITS})s?\\s+of\\s+(?:(?:his|her|their|its|the)\\s+)?([a-z][\\w'’-]*)`,
  "i",
);
const AGE_AFTER = new RegExp(`^[\\s-]?(?:${DURATION_UNITS})s?[\\s-]+(?:old|of age)\\b`, "i");
const DURATION_PLAIN = new RegExp(`^\\s(${DURATION_UNITS})s?\\b`, "i");
/** Not durations: ages, comparisons, intervals between two events ("30 years after he…"). */
const NOT_DURATION_HEAD =
  /^(?:old|olds|high|low|period|span|age|stint|time|record|history|prison|jail|sentence|term)$/i;
const DURATION_VERB =
  /^(?:\w+ed|kept|held|spent|ran|led|stood|sat|lay|been|went|hid|fought|lasted|remained|stayed|served|worked|lived)$/i;
const NOT_DURATION_VERB =
  /^(?:aged|sentenced|jailed|imprisoned|reported|said|announced|added|noted|expected|scheduled)$/i;

/**
 * How long something lasted, keyed by what lasted: the noun of a compound ("an eight-year
 * contract"), of "N years of …" ("15 years of service"), or the verb of "… for N years" ("kept it a
 * secret for 30 years", compared only when the sentences share a name); battery life in hours
 * ("eight hours of battery life", "up to eight hours on a single charge"). Ages and intervals
 * between two events ("30 years after", "years ago") are not durations.
 */
function durationOf(s: string, n: NumberPhrase): Typed | null {
  const after = s.slice(n.end);
  const before = s.slice(0, n.start);
  const plain = DURATION_PLAIN.exec(after);
  const compound = DURATION_COMPOUND.exec(after);
  const of = DURATION_OF.exec(after);
  const word = (compound?.[1] ?? plain?.[1] ?? "").toLowerCase();
  if (!word) return null;
  // "three decades" is 30 years: compared with durations in years.
  const unitWord = word === "decade" ? "year" : word;
  const scale = word === "decade" ? 10 : 1;
  if (AGE_AFTER.test(after)) return null;
  const rest = after.slice((compound ?? plain)?.[0].length ?? 0);
  if (
    /^[\s-]*(?:old|of age|ago|earlier|later|after|before|since|from now|into|in prison|in jail)\b/i.test(rest)
  )
    return null;
  if (unitWord === "hour" && /\bbattery\b|\bon a (?:single |full )?charge\b/i.test(s)) {
    const size = modelSizes(s)[0];
    return {
      kind: "measure",
      unit: "hour",
      counted: `battery life${size ? ` of the ${size}-inch model` : ""}`,
      event: "",
      nounEnd: n.end + (plain?.[0].length ?? 0),
      head: null,
      limit: true,
      needsName: size !== undefined,
    };
  }
  const mk = (what: string, len: number): Typed => ({
    kind: "measure",
    unit: unitWord,
    counted: `duration of ${what}`,
    event: "",
    nounEnd: n.end + len,
    head: null,
    ...(scale !== 1 ? { scale } : {}),
    // Whose contract or investigation: compared only when the sentences share a name.
    needsName: true,
  });
  if (compound?.[2]) {
    const words = compound[2].split(/\s+/);
    const stop = words.findIndex((w) => STOP.has(w.toLowerCase()) || /(?:ed|ing|ly)$/i.test(w));
    const noun = (stop < 0 ? words : words.slice(0, stop)).pop();
    if (!noun || NOT_DURATION_HEAD.test(noun)) return null;
    return mk(singular(noun), compound[0].length);
  }
  if (of?.[2]) {
    if (NOT_DURATION_HEAD.test(of[2]) || STOP.has(of[2].toLowerCase())) return null;
    return mk(singular(of[2]), of[0].length);
  }
  // "for 30 years", "for the past three weeks", "for the last two days".
  const forMatch = /\bfor\s+(?:the\s+(?:past|last)\s+)?$/i.exec(before);
  if (!forMatch || n.bound === "vague") return null;
  const verb = wordsBefore(s, forMatch.index, 8, true).find((w) => DURATION_VERB.test(w));
  if (!verb || NOT_DURATION_VERB.test(verb)) return null;
  return mk(verb.toLowerCase(), plain?.[0].length ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Events

const PREP_BEFORE = /^(?:with|by|against|among|from|between|alongside)$/i;

function eventBefore(s: string, n: NumberPhrase, thing = false): string | null {
  const words = wordsBefore(s, n.start, 12, true);
  if (words[0] && PREP_BEFORE.test(words[0])) return null;
  for (const w of words) {
    // "The new death toll came as rescuers reached 12 villages": a toll counts people, not villages.
    if (thing && /^(?:toll|deaths?|custody|arrests?)$/i.test(w)) continue;
    const ev = eventOf(w);
    if (ev && !/^(?:dead|died|die|dies|dying|perished|hurt|missing|fatalities|injuries)$/i.test(w)) return ev;
    if (/^(?:said|says|told|according|and|but|while|who|which)$/i.test(w)) return null;
  }
  // "took 23 into custody"
  if (/^\s+into custody\b/i.test(s.slice(n.end))) return "detained";
  return null;
}

function eventAfter(s: string, from: number): string | null {
  const after = s.slice(from).replace(/^\s*,?\s*/, "");
  const m = AFTER_EVENT.exec(after);
  if (!m || !m[1]) return null;
  // An active verb with an object ("one attacker shot a policeman") is not what happened to the counted.
  const rest = after.slice(m.index + m[0].length);
  const w = m[1].toLowerCase();
  if (
    /^(?:shot|killed|wounded|injured|detained|arrested|captured|rescued)$/.test(w) &&
    /^\s+(?:and \w+\s+)?(?:a|an|the|his|her|their|its|at|\d|one|two|three)\b/i.test(rest)
  )
    return null;
  if (/lost their lives|perished|died|dead/.test(w)) return "killed";
  if (/at large|on the loose/.test(w)) return "at large";
  if (w === "ushered" || w === "evacuated") return "evacuated";
  if (/hospitali/.test(w)) return "wounded";
  if (w === "hurt" || w === "injured") return "wounded";
  if (w === "arrested" || w === "captured") return "detained";
  if (/^(?:marched|protested|demonstrated|rallied|took|joined)/.test(w)) return "protesting";
  return eventOf(w) ?? w;
}

function lookbackPerson(s: string, n: NumberPhrase): string | null {
  const words = wordsBefore(s, n.start, 12);
  for (const w of words) {
    const cat = PERSON[singular(w)];
    if (cat && cat !== "attackers" && cat !== "people") return cat;
  }
  return null;
}

function labelOf(counted: string, event: string, kind: ClaimKind, unit: string | null, s: string): string {
  if (kind === "money")
    return counted.startsWith("starting price")
      ? `${counted} (${unit ?? ""})`
      : `amount ${counted} (${unit ?? ""})`;
  if (kind === "measure") return MEASURE_LABEL[counted] ?? counted;
  const noun = NOUN_LABEL[counted] ?? counted;
  if (!event || event === "protesting") return noun;
  if (event === "fighting") {
    const where = /fighting\b[^.;]*?\bin ([A-Z][\w-]+(?: and [A-Z][\w-]+)?)/.exec(s);
    return where ? `${noun} fighting in ${where[1]}` : `${noun} fighting`;
  }
  return `${noun} ${event}`;
}

// ---------------------------------------------------------------------------------------------
// Extraction

const CUMULATIVE = /\b(?:so far|thus far|to date|in total|altogether|a total of|in all)\b/i;
const VERBISH =
  /^(?:\w+(?:ed|ing)|hit|cut|found|seen|sank|sunk|took|taken|held|made|struck|shook|built|sold|bought|won|lost|left|spent|caught|stood|brought|sent|gave|given|fled|met|set)$/i;
const NOT_VERB =
  /^(?:armed|suspected|alleged|unidentified|wounded|injured|killed|loaded|including|during|according|following|remaining|leading|red|hundred|bed|united|need|speed)$/i;

/** The verb governing a counted thing: the nearest verb-like word before it, or a passive after it; stemmed. */
function governingVerb(s: string, start: number, nounEnd: number): string | null {
  const before = wordsBefore(s, start, 4, true);
  for (const w of before) {
    // "the FLDS, which has 10,000 members": what something has is one set, whatever else happens to some.
    if (POSSESS.test(w)) return "have";
    if (STOP.has(w.toLowerCase())) continue;
    if (VERBISH.test(w) && !NOT_VERB.test(w)) return stem(w);
  }
  const passive = /^\s*(?:were|was|have been|has been|had been|are|is|being)\s+(?:\w+ly\s+)?(\w+)/i.exec(
    s.slice(nounEnd),
  );
  if (passive?.[1] && VERBISH.test(passive[1])) return stem(passive[1]);
  return null;
}

const POSSESS = /^(?:has|have|had|having|owns?|owned|boasts?|boasted|counts|counted|numbers|numbered)$/i;

function stem(w: string): string {
  return w
    .toLowerCase()
    .replace(/(?:ing|ed|es|s)$/, "")
    .replace(/(.)\1$/, "$1")
    .replace(/e$/, "");
}

/** Spouses and relatives: "19 wives", "married to 20 women", "five children". */
const KIN: Record<string, string> = {
  wife: "spouse",
  husband: "spouse",
  spouse: "spouse",
  child: "child",
  son: "son",
  daughter: "daughter",
  grandchild: "grandchild",
  brother: "sibling",
  sister: "sibling",
  sibling: "sibling",
};
const MARRIED_BEFORE = /\b(?:marr(?:y|ies|ying|ied)(?:\s+to)?|wed(?:ding)?)\s+(?:\w+\s+)?$/i;
const ALLEGED = /\b(?:accused|alleged(?:ly)?|charged|suspected)\b/i;
const NOT_POSSESSOR = new Set(
  "The A An In On At Of And But Or For To From By With As It He She They We I This That His Her Their Its Our While When However Attorney General Police".split(
    " ",
  ),
);

/**
 * Counts of someone's spouses or relatives are a quantity of that person: keyed by the nearest name
 * before the number ("Blackmore, alleged to have 19 wives" vs "Oler, accused of having two wives"),
 * and an allegation ("charged with marrying 20 women") apart from a plain statement ("has at least
 * three wives").
 */
function familyCount(
  s: string,
  n: NumberPhrase,
  head: string | null,
  counted: string,
): { counted: string; qualifier: string; weak: false } | null {
  const before = s.slice(0, n.start);
  const kin =
    KIN[counted] ??
    (/^(?:woman|man|people|person)$/.test(head ? singular(head) : "") && MARRIED_BEFORE.test(before)
      ? "spouse"
      : null);
  if (!kin) return null;
  const clause = before.slice(Math.max(before.lastIndexOf(","), before.lastIndexOf(";")) + 1);
  const clauseWithName = /[A-Z]/.test(clause) ? clause : before;
  let who = "";
  for (const m of clauseWithName.matchAll(/\b[A-Z][a-z]{2,}\b/g)) if (!NOT_POSSESSOR.has(m[0])) who = m[0];
  const alleged = ALLEGED.test(before.slice(-60)) ? "+alleged" : "";
  return { counted: kin, qualifier: `${who ? `@${who}` : ""}${alleged}`, weak: false };
}

interface Raw {
  n: NumberPhrase;
  t: Typed;
}

const NEWER =
  /\b(?:(?:rose|risen|rises|climbed|increased|jumped|went up|grew|has grown|revised) to|new (?:death )?toll|later|revised|updated|now stands)\b/i;
const OLDER_BEFORE =
  /\b(?:originally|initially|preliminary|first reported|earlier reported|early reports)\b[^.;]{0,30}$/i;

/** The cues of NEWER that speak of any figure, not only of the death toll. */
const NEWER_ANY =
  /\b(?:(?:rose|risen|rises|climbed|increased|jumped|went up|grew|has grown|revised) to|later|revised|updated|now stands)\b/i;

function revisionOf(s: string, n: NumberPhrase, t: Typed): "newer" | "older" | null {
  if (OLDER_BEFORE.test(s.slice(0, n.start))) return "older";
  // "The new death toll came after … one of the 12 worst-hit villages": a new toll revises the toll only.
  if (NEWER.test(s) && (t.event === "killed" || NEWER_ANY.test(s))) return "newer";
  return null;
}

function typeCount(s: string, n: NumberPhrase): Typed | null {
  const np = nounPhraseAfter(s, n.end);
  let counted: string;
  let event: string | null = np.event;
  let nominations = false;
  if (np.head) {
    counted = categoryOf(np.head);
    // "300 crew members": people (a crew's members, not members of a group).
    if (counted === "member" && /\bcrew\s+members?\b/i.test(s.slice(n.end, np.end))) counted = "people";
    // "two deaths", "14 injuries", "26 arrests": people killed, wounded, detained.
    const asEvent = EVENT_NOUNS[singular(np.head)];
    if (asEvent) [counted, event] = ["people", asEvent];
    // "nominated for eight Academy Awards" is eight nominations.
    if (/\bnominated\s+for\s+$/i.test(s.slice(0, n.start))) counted = "nomination";
    if (counted === "nomination") nominations = true;
    if (!event) event = eventAfter(s, np.end);
    if (!event) event = eventBefore(s, n, !Object.values(PERSON).includes(counted));
  } else {
    if (!event) event = eventAfter(s, np.end);
    if (!event) event = eventBefore(s, n);
    if (!event) return null; // a bare number with nothing said about it
    counted = lookbackPerson(s, n) ?? "people";
  }
  if (counted.length < 3 || /^\d/.test(counted) || VAGUE_NOUNS.has(counted)) return null;
  if (event && LEGAL_EVENTS.has(event) && ACCUSED_NOUNS.has(counted)) counted = "people";
  // "from Somalia and Yemen, two countries on the coast": a number in apposition to the names just
  // listed describes them (places, things), not a count of anything the event did; "Smith and
  // Jones, two men from Leeds" is still a count of people.
  if (!event && !Object.values(PERSON).includes(counted) && APPOSITION_BEFORE.test(s.slice(0, n.start)))
    return null;
  // "220 pixels per inch", "2880 pixels by 1800": a rate or a dimension, not a count.
  if (np.head && RATE_OR_SIZE_AFTER.test(s.slice(np.end))) return null;
  // "two counts of murder and one count of kidnapping": charges, keyed by the offence, whatever the verb.
  const charge =
    np.head && /^(?:count|charge)$/.test(singular(np.head))
      ? /^\s+of\s+([a-z][\w-]*)/i.exec(s.slice(np.end))
      : null;
  if (charge?.[1])
    return {
      kind: "count",
      unit: null,
      counted: `counts of ${charge[1].toLowerCase()}`,
      event: "",
      nounEnd: np.end + charge[0].length,
      head: np.head,
      qualifier: "",
    };
  // Nominations are one set whatever the verb ("earned 11 nominations", "nominated for eight awards").
  if (nominations)
    return {
      kind: "count",
      unit: null,
      counted,
      event: "",
      nounEnd: np.end || n.end,
      head: np.head,
      qualifier: "",
    };
  const family = familyCount(s, n, np.head, counted);
  if (family)
    return { kind: "count", unit: null, event: "", nounEnd: np.end || n.end, head: np.head, ...family };
  if (
    !event &&
    /\b(?:are|were|is) (?:known to be |reportedly |believed to be |said to be )?fighting\b/.test(s)
  )
    event = "fighting";
  // A crowd: "20,000 people marched", "20,000 protesters" — one quantity, the protesters.
  if (event === "protesting" && (counted === "people" || counted === "protesters")) counted = "protesters";
  else if (counted === "protesters") event = "protesting";
  // A lone "one" is only a figure when something happened to it.
  // Generic people with nothing happening to them ("a dozen people were at the party") are too vague,
  // and so is a lone "one": both are kept only as parts of a composition.
  // Police, civilians, attackers and people are figures only with what happened to them.
  // The number of attackers is itself a figure, as the agent of the attack ("gun battles with two
  // gunmen", "three gunmen opened fire"), unless the number picks some of them out ("one of the gunmen").
  const attackAgent =
    counted === "attackers" &&
    !/^\s+of\b/i.test(s.slice(n.end)) &&
    ((/\b(?:with|by)\s+$/i.test(s.slice(0, n.start)) && ATTACK_CONTEXT.test(s)) ||
      ATTACK_VERB_AFTER.test(s.slice(np.end)));
  const weak =
    (!event && /^(?:people|police|civilians)$/.test(counted)) ||
    (!event && counted === "attackers" && !attackAgent) ||
    (!event && n.lo === 1 && n.hi === 1);
  if (
    GENERIC_AFTER.test(s.slice(np.end)) &&
    /^\s*(?:\w+\s+){0,3}(?:can|could|may|might|would)\b/i.test(s.slice(np.end))
  )
    return null;
  return {
    kind: "count",
    unit: null,
    counted,
    event: event ?? "",
    nounEnd: np.end || n.end,
    head: np.head,
    weak,
  };
}

function makeClaim(
  a: Article,
  sent: Sentence,
  n: NumberPhrase,
  t: Typed,
  incident: "this" | "other",
  role: Claim["role"],
  lo: number | null,
  hi: number | null,
  bound: Bound,
  phraseStart: number,
  phraseEnd: number,
): Claim {
  // "two women died": a single count of men, women or children is its own quantity, not "people".
  // Not so for the accused: "11 men were charged" and "12 defendants were charged" count one set
  // (children are still apart: "dozens of children … was arrested" is not who was arrested).
  if (
    role === "single" &&
    t.counted === "people" &&
    t.head &&
    GENDERED.has(singular(t.head)) &&
    !(LEGAL_EVENTS.has(t.event) && /^(?:man|woman)$/.test(singular(t.head)))
  )
    t = { ...t, counted: singular(t.head) };
  const who = /@([A-Z]\w+)/.exec(t.qualifier ?? "")?.[1];
  const label =
    labelOf(t.counted === "spouse" ? "spouses" : t.counted, t.event, t.kind, t.unit, sent.text) +
    (who ? (t.counted.startsWith("times ") ? ` (${who})` : ` of ${who}`) : "") +
    (t.qualifier?.includes("+alleged") ? " (alleged)" : "");
  // "two more policemen", "seven other members": an additional set, not the whole; "so far": a running total.
  const after = sent.text.slice(phraseEnd, phraseEnd + 24);
  const extra = t.kind === "count" && /^\s+(?:more|other|additional|further)\b/i.test(after) ? "+more" : "";
  const cumulative = CUMULATIVE.test(sent.text) ? "+so far" : "";
  // "the four hardest-hit villages", "12 worst-hit villages": the worst of them, a subset.
  const worst =
    t.kind === "count" && WORST_HIT.test(sent.text.slice(phraseEnd, Math.max(phraseEnd, t.nounEnd)))
      ? "+worst hit"
      : "";
  // "two young followers he took as brides": a relative clause picks out a subset of the things counted.
  const subset =
    t.kind === "count" && !t.event && t.qualifier === undefined
      ? SUBSET_AFTER.exec(sent.text.slice(t.nounEnd))
      : null;
  if (subset?.[1]) t = { ...t, qualifier: `+${stem(subset[1])}` };
  const keyBase = `${t.kind}|${t.unit ?? ""}|${t.counted}|${t.event}${extra}${cumulative}${worst}${t.qualifier ?? ""}`;
  return {
    articleId: a.id,
    source: a.source,
    published: a.published,
    quote: sent.text,
    quoteStart: sent.start,
    phrase: sent.text.slice(phraseStart, phraseEnd),
    phraseStart,
    lo,
    hi,
    bound,
    kind: t.kind,
    unit: t.unit,
    counted: t.counted,
    event: t.event,
    label: incident === "other" ? `${label} (earlier incident)` : label,
    key: incident === "other" ? `other|${keyBase}` : keyBase,
    incident,
    otherIncident: null,
    revision: revisionOf(sent.text, n, t),
    role,
    ...(t.needsName ? { needsName: true } : {}),
    // Relatives are one set whatever the verb ("marrying two women", "having two wives").
    verb:
      t.kind === "count" && !t.event && t.qualifier === undefined
        ? governingVerb(sent.text, n.start, t.nounEnd)
        : null,
  };
}

const APPOSITION_BEFORE = /\b[A-Z][\w-]+(?:,\s+[A-Z][\w-]+)*,?\s+(?:and|or)\s+[A-Z][\w-]+,\s+$/;
const RATE_OR_SIZE_AFTER =
  /^\s+(?:(?:per|a|an|each)\s+(?:inch|second|minute|hour|day|week|month|year|person|head|capita|game|share)\b|by\s+\d)/i;
const WORST_HIT = /\b(?:hardest|worst|most)[- ](?:hit|affected|damaged)\b/i;

/** A relative clause with its own subject right after the noun: "followers he took", "boats they seized". */
const SUBSET_AFTER =
  /^\s+(?:that\s+|whom\s+)?(?:he|she|they|we|it|the \w+)\s+(?:had\s+|has\s+|have\s+|would\s+|later\s+)?([a-z]+)\b/;

const LIST_JOIN = /^\s*(?:,\s*(?:and\s+)?|and\s+)$/;

/**
 * "a gunman with Islamist links killed five", "killed by a lone gunman": one attacker, stated with an
 * article rather than a number. Only as the agent of the attack ("one gunman shot at a duty officer"
 * is one of them, and "a gunman" elsewhere is not a count).
 */
const LONE_ATTACKER =
  /\b(by\s+)?((?:an?|the)\s+(?:lone|single|sole)|an?)\s+(?:[a-z]+\s+)?(gunman|attacker|assailant|shooter|bomber)\b(?![-\w])/gi;
const ATTACK_VERB_AFTER =
  /^(?:\s+(?!and\b|but\b|who\b|which\b|said\b)[\w-]+){0,4}?\s+(?:killed|kills|shot|shoots|opened fire|attacked|stormed|wounded|went on)\b/i;
const ATTACK_CONTEXT =
  /\b(?:gun ?battles?|shoot-?outs?|firefights?|clashe?s?|attacks?|attacked|killed|shot)\b/i;
const ATTACK_PASSIVE_BEFORE = /\b(?:killed|shot|wounded|attacked|injured)\s+$/i;

const SEQUEL =
  /\b(?:was|is|marks?|marked|became)\s+the\s+(?:second|third|fourth|fifth|latest|another)\s+(?:one|quake|earthquake|temblor|tremor|attack|blast|explosion|bombing|shooting|fire)\b/i;

/** Sentences saying that what was first reported about a perpetrator turned out otherwise. */
const PERPETRATOR_REVISED =
  /\b(?:later|subsequently|eventually)\s+(?:been\s+)?(?:identified|found|established|confirmed|determined|revealed)\s+(?:as|to be|that)\b|\bturned out to be\b/i;

function loneAttackers(a: Article, sent: Sentence, incident: "this" | "other"): Claim[] {
  const out: Claim[] = [];
  const s = sent.text;
  for (const m of s.matchAll(LONE_ATTACKER)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    const agent = m[1] ? ATTACK_PASSIVE_BEFORE.test(s.slice(0, at)) : ATTACK_VERB_AFTER.test(s.slice(end));
    if (!agent) continue;
    const phraseStart = at + (m[1]?.length ?? 0);
    const n: NumberPhrase = {
      text: s.slice(phraseStart, end),
      start: phraseStart,
      end,
      coreStart: phraseStart,
      coreEnd: end,
      value: 1,
      lo: 1,
      hi: 1,
      bound: "exact",
      digits: false,
    };
    const t: Typed = {
      kind: "count",
      unit: null,
      counted: "attackers",
      event: "",
      nounEnd: end,
      head: m[3] ?? null,
    };
    out.push(makeClaim(a, sent, n, t, incident, "single", 1, 1, "exact", phraseStart, end));
  }
  return out;
}

/**
 * How many times something happened to a named person: "Page married twice", "Page was married three
 * times", "arrested five times". Only life events a report can count (marriages, divorces, arrests,
 * charges, convictions, jail terms), keyed by the verb and the nearest name before it; a multiplier
 * ("three times the average", "twice as many", "twice a day") is not a count.
 */
const OCCASIONS = /\b(twice|thrice|(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+times)\b/gi;
const OCCASION_VERB =
  /^(?:married|remarried|divorced|arrested|charged|convicted|jailed|imprisoned|indicted|wed|hosted|presided|visited|sued|won)$/i;
const MULTIPLIER_AFTER =
  /^\s+(?:the|as|more|less|fewer|over|larger|smaller|higher|lower|bigger|longer|faster|greater|a\s+(?:day|week|month|year)|an?\s+hour|per|each|every|that|than)\b/i;

function occasions(a: Article, sent: Sentence, incident: "this" | "other", marked: boolean): Claim[] {
  const out: Claim[] = [];
  const s = sent.text;
  for (const m of s.matchAll(OCCASIONS)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    if (MULTIPLIER_AFTER.test(s.slice(end))) continue;
    // "Page married twice; the first marriage … lasted from 1943 to 1947": the dates are another
    // clause's; a tally is about another incident only when its own clause is dated.
    const clauseStart = s.lastIndexOf(";", at) + 1;
    const clauseEnd = s.indexOf(";", end) < 0 ? s.length : s.indexOf(";", end);
    const own =
      incident === "other" && marked && !OTHER_INCIDENT.test(s.slice(clauseStart, clauseEnd))
        ? "this"
        : incident;
    const words = wordsBefore(s, at, 4, true);
    const vi = words.findIndex((w) => OCCASION_VERB.test(w));
    const verb = vi >= 0 ? words[vi] : undefined;
    if (!verb) continue;
    // The nearest name before the verb, in the same clause: whose marriages.
    const verbAt = s.lastIndexOf(verb, at);
    const clause = s.slice(Math.max(0, s.lastIndexOf(",", verbAt), s.lastIndexOf(";", verbAt)), verbAt);
    let who = "";
    for (const x of clause.matchAll(/\b[A-Z][a-z]{2,}\b/g))
      if (!NOT_POSSESSOR.has(x[0]) && !NOT_NAMES.has(x[0])) who = x[0];
    if (!who) continue;
    const word = (m[1] ?? "").toLowerCase();
    const v =
      word === "twice" ? 2 : word === "thrice" ? 3 : (parseCore(word.replace(/\s+times$/, ""))?.lo ?? null);
    if (v === null) continue;
    const n: NumberPhrase = {
      text: m[0],
      start: at,
      end,
      coreStart: at,
      coreEnd: end,
      value: v,
      lo: v,
      hi: v,
      bound: "exact",
      digits: /\d/.test(word),
    };
    const t: Typed = {
      kind: "count",
      unit: null,
      counted: `times ${verb.toLowerCase()}`,
      event: "",
      nounEnd: end,
      head: null,
      qualifier: `@${who}`,
    };
    out.push(makeClaim(a, sent, n, t, own, "single", v, v, "exact", at, end));
  }
  return out;
}

const WEEKDAY_NAME = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
/** "a quake", "another attack": an event the report has not introduced as its own. */
const AN_EVENT =
  /\b(?:a|an|another)\s+(?:[a-z]+\s+)?(?:quake|earthquake|tremor|attack|fire|blaze|blast|explosion|bombing|shooting|crash|storm|flood|raid)\b/i;
const PLACE_IN =
  /\bin (?:the )?(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)? )?([A-Z][a-z]{2,})\b/g;

/**
 * Sentences about another day, another place and another event: "On Saturday, more than a dozen people
 * were killed by a quake in eastern China" in a report of Sunday's quake in Iran. The report's day is the
 * first weekday of its first three sentences; a sentence naming another weekday, an event with an
 * indefinite article ("a quake") and a place the report names nowhere else recalls another incident.
 */
function elsewhereOn(sentences: Sentence[]): Set<number> {
  const out = new Set<number>();
  const lede = sentences
    .slice(0, 3)
    .map((x) => WEEKDAY_NAME.exec(x.text)?.[1])
    .find((x) => x !== undefined);
  if (!lede) return out;
  const count = new Map<string, number>();
  for (const x of sentences)
    for (const n of new Set(x.text.match(/\b[A-Z][a-z]{2,}\b/g) ?? [])) count.set(n, (count.get(n) ?? 0) + 1);
  for (const [i, x] of sentences.entries()) {
    const day = WEEKDAY_NAME.exec(x.text)?.[1];
    if (!day || day === lede || !AN_EVENT.test(x.text)) continue;
    if ([...x.text.matchAll(PLACE_IN)].some((m) => (count.get(m[1] ?? "") ?? 0) === 1)) out.add(i);
  }
  return out;
}

/** Extracts the numeric claims of an article. Fast: one pass of regular expressions per sentence. */
export function extractClaims(article: Article): Claim[] {
  const out: Claim[] = [];
  const year = yearOf(article.published);
  const sentences = splitSentences(article.text);
  let prevOther = false;
  let run: (OtherIncident & { ambiguous: boolean }) | null = null;
  const thisNames = new Set<string>();
  const elsewhere = elsewhereOn(sentences);
  for (const [si, sent] of sentences.entries()) {
    const s = sent.text;
    const marked = isOtherIncident(s, year) || elsewhere.has(si);
    let other = marked;
    const first = /^[A-Z][a-zA-Z]+/.exec(s)?.[0];
    // "In 2005, Gomes was convicted of … . Gomes served 9 months of a 2-1/2 year sentence.": a sentence
    // whose subject is a name of the incident just recalled continues it (unless it speaks of a weekday).
    const sameSubject: boolean =
      first !== undefined && run !== null && run.names.includes(first) && !WEEKDAY.test(s) && !NEWER.test(s);
    if (!other && prevOther && (CONTINUES.test(s) || sameSubject)) other = true;
    if (other) {
      const names = [...sentenceNames(s)];
      if (first && !NOT_NAMES.has(first) && !names.includes(first)) names.push(first);
      const y = marked ? (/\b(1[89]\d\d|20\d\d)\b/.exec(s)?.[1] ?? null) : null;
      // "killed 31,000 in Bam in 2003, and 600 … in Zarand in February": two incidents in one sentence.
      const markers = marked
        ? new Set([...s.matchAll(OTHER_INCIDENT_ALL)].map((m) => m[0].toLowerCase()))
        : null;
      const continues: boolean =
        prevOther && run !== null && (!marked || REFERS_BACK.test(s) || (y === null && sameSubject));
      const when = markers?.size === 1 ? relativeWhen([...markers][0] ?? "") : null;
      run =
        continues && run
          ? {
              year: y ?? run.year,
              names: [...new Set([...run.names, ...names])],
              ambiguous: run.ambiguous,
              when: run.when ?? when,
            }
          : { year: y, names, ambiguous: (markers?.size ?? 0) > 1, when };
    } else {
      run = null;
      for (const n of sentenceNames(s)) thisNames.add(n);
    }
    prevOther = other;
    const claimsBefore = out.length;
    if (/\b(?:gunman|attacker|assailant|shooter|bomber)\b/i.test(s))
      out.push(...loneAttackers(article, sent, other ? "other" : "this"));
    if (/\b(?:twice|thrice|times)\b/i.test(s))
      out.push(...occasions(article, sent, other ? "other" : "this", marked));
    if (
      !/\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|hundreds|thousands|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b/i.test(
        s,
      )
    )
      continue;
    const incident = other ? "other" : "this";
    const nums = findNumbers(s);
    const raws: Raw[] = [];
    for (const n of nums) {
      const weight = weightOf(s, n);
      if (weight) {
        raws.push({ n, t: weight });
        continue;
      }
      const money = moneyOf(s, n);
      if (money === "skip") continue;
      if (money) {
        raws.push({ n, t: money });
        continue;
      }
      // "sentences ranging from 7 to 75 years": the shortest and the longest sentence, two quantities.
      const span = sentenceSpan(s, n);
      if (span && n.lo !== null && n.hi !== null) {
        raws.push({
          n: { ...n, hi: n.lo, bound: "exact" },
          t: { ...span, counted: "shortest prison sentence" },
        });
        raws.push({
          n: { ...n, lo: n.hi, bound: "exact" },
          t: { ...span, counted: "longest prison sentence" },
        });
        continue;
      }
      const measure = /^\d{4}$/.test(n.text) ? null : measureOf(s, n);
      if (measure === "skip") continue;
      if (measure) {
        const k = measure.scale ?? 1;
        const scaled = (x: number | null): number | null =>
          x === null || k === 1 ? x : Math.round(x * k * 1e6) / 1e6;
        // "more than three decades": the step past the bound is one of the stated unit, so a scaled
        // open bound starts at the value itself (over 30 years, not from 40).
        const m =
          measure.limit && n.bound === "up to"
            ? { ...n, lo: scaled(n.value), hi: scaled(n.value), bound: "exact" as Bound }
            : k !== 1 && n.bound === "more than"
              ? { ...n, lo: scaled(n.value), hi: null }
              : k !== 1 && n.bound === "fewer than"
                ? { ...n, lo: null, hi: scaled(n.value) }
                : { ...n, lo: scaled(n.lo), hi: scaled(n.hi) };
        // A digit run too long for a double once scaled is not a figure.
        if (![m.lo, m.hi].every((x) => x === null || Number.isFinite(x))) continue;
        raws.push({ n: m, t: measure });
        continue;
      }
      if (isExcluded(s, n)) continue;
      const c = typeCount(s, n);
      if (c) raws.push({ n, t: c });
    }
    const used = new Set<Raw>();
    // Compositions: "at least four policemen and one civilian", "six dead, including four policemen, ...".
    for (let i = 0; i < raws.length; i++) {
      const first = raws[i];
      if (!first || used.has(first) || first.t.kind !== "count") continue;
      // "X, including A, B and C": X is the total, the list its parts.
      const inc = /^[^.;]{0,40}?,?\s*including\s+/i.exec(s.slice(first.t.nounEnd));
      if (inc) {
        const parts: Raw[] = [];
        let at = first.t.nounEnd + inc[0].length;
        for (let j = i + 1; j < raws.length; j++) {
          const r = raws[j];
          if (!r || r.t.kind !== "count") break;
          if (r.n.start < at) continue;
          if (parts.length === 0 ? r.n.start !== at : !LIST_JOIN.test(s.slice(at, r.n.start))) break;
          parts.push(r);
          at = r.t.nounEnd;
        }
        if (parts.length) {
          const event = first.t.event || parts.find((p) => p.t.event)?.t.event || "";
          const withAttackers = parts.some((p) => p.t.counted === "attackers");
          const totalT: Typed = {
            ...first.t,
            event,
            counted:
              withAttackers && first.t.counted === "people" ? "people incl. attackers" : first.t.counted,
          };
          out.push(
            makeClaim(
              article,
              sent,
              first.n,
              totalT,
              incident,
              "total",
              first.n.lo,
              first.n.hi,
              first.n.bound,
              first.n.start,
              first.n.end,
            ),
          );
          for (const p of parts) {
            const counted = p.t.counted === "people" ? singular(p.t.head ?? "person") : p.t.counted;
            out.push(
              makeClaim(
                article,
                sent,
                p.n,
                { ...p.t, counted, event },
                incident,
                "part",
                p.n.lo,
                p.n.hi,
                p.n.bound,
                p.n.start,
                p.n.end,
              ),
            );
            used.add(p);
          }
          used.add(first);
          continue;
        }
      }
      // "four policemen and one civilian" / "three policemen and a civilian" / "Three policemen and civilian"
      const generic =
        first.t.head !== null &&
        (/^(?:people|persons?|victims?|others?)$/i.test(first.t.head) ||
          EVENT_NOUNS[singular(first.t.head)] !== undefined);
      if (first.t.head && !generic && Object.values(PERSON).includes(first.t.counted)) {
        const parts: { raw: Raw | null; counted: string; value: number; start: number; end: number }[] = [
          {
            raw: first,
            counted: first.t.counted,
            value: first.n.value,
            start: first.n.start,
            end: first.t.nounEnd,
          },
        ];
        let at = first.t.nounEnd;
        for (;;) {
          const rest = s.slice(at);
          const next = raws.find(
            (r) => r.n.start >= at && r.t.kind === "count" && !used.has(r) && r !== first,
          );
          if (
            next &&
            LIST_JOIN.test(s.slice(at, next.n.start)) &&
            next.t.head &&
            Object.values(PERSON).includes(next.t.counted)
          ) {
            parts.push({
              raw: next,
              counted: next.t.counted,
              value: next.n.value,
              start: next.n.start,
              end: next.t.nounEnd,
            });
            at = next.t.nounEnd;
            continue;
          }
          const bare = /^(\s*,?\s*and\s+)(?:(an?)\s+)?([a-z][\w-]*)\b/i.exec(rest);
          if (bare && bare[3] && PERSON[singular(bare[3])] && !/s$/i.test(bare[3])) {
            const st = at + (bare[1] ?? "").length;
            parts.push({
              raw: null,
              counted: PERSON[singular(bare[3])] ?? "people",
              value: 1,
              start: st,
              end: at + bare[0].length,
            });
            at += bare[0].length;
            continue;
          }
          break;
        }
        if (parts.length > 1) {
          let event = "";
          for (const p of parts) if (p.raw?.t.event) event = p.raw.t.event;
          event = eventAfter(s, at) ?? (parts[0]?.raw ? eventBefore(s, first.n) : null) ?? event;
          if (!event) continue;
          const total = parts.reduce((x, p) => x + p.value, 0);
          const open = first.n.bound === "at least" || first.n.bound === "more than";
          // "12 Somali and 11 Yemeni pirates": one category, the parts are sub-groups: the total only.
          const cats = new Set(parts.map((p) => p.counted));
          const single = cats.size === 1;
          const totalCounted = single
            ? (parts[0]?.counted ?? "people")
            : cats.has("attackers")
              ? "people incl. attackers"
              : "people";
          const totalT: Typed = { ...first.t, weak: false, counted: totalCounted, event };
          out.push(
            makeClaim(
              article,
              sent,
              first.n,
              totalT,
              incident,
              "total",
              total,
              open ? null : total,
              first.n.bound,
              first.n.start,
              at,
            ),
          );
          for (const p of single ? [] : parts) {
            const counted = p.counted === "people" ? singular(p.raw?.t.head ?? "person") : p.counted;
            const pt: Typed = { ...first.t, weak: false, counted, event };
            if (p.raw) {
              out.push(
                makeClaim(
                  article,
                  sent,
                  p.raw.n,
                  pt,
                  incident,
                  "part",
                  p.raw.n.lo,
                  open ? null : p.raw.n.hi,
                  open ? first.n.bound : p.raw.n.bound,
                  p.raw.n.start,
                  p.raw.n.end,
                ),
              );
              used.add(p.raw);
            } else {
              out.push(
                makeClaim(
                  article,
                  sent,
                  first.n,
                  pt,
                  incident,
                  "part",
                  1,
                  open ? null : 1,
                  "exact",
                  p.start,
                  p.end,
                ),
              );
            }
          }
          used.add(first);
        }
      }
    }
    // "seven AK-47s, three other assault rifles": the first are rifles too, 10 rifles in all.
    for (let i = 0; i + 1 < raws.length; i++) {
      const x = raws[i];
      const y = raws[i + 1];
      if (!x || !y || x.t.kind !== "count" || y.t.kind !== "count" || !x.t.head || !y.t.head) continue;
      if (PERSON[singular(y.t.head)] || x.t.counted === y.t.counted || x.t.event !== y.t.event) continue;
      if (!LIST_JOIN.test(s.slice(x.t.nounEnd, y.n.start)) || !/^\s+other\b/i.test(s.slice(y.n.end)))
        continue;
      if (x.n.lo === null || y.n.lo === null) continue;
      const hi = x.n.hi !== null && y.n.hi !== null ? x.n.hi + y.n.hi : null;
      out.push(
        makeClaim(
          article,
          sent,
          x.n,
          { ...y.t, weak: false },
          incident,
          "total",
          x.n.lo + y.n.lo,
          hi,
          x.n.bound,
          x.n.start,
          y.t.nounEnd,
        ),
      );
    }
    for (const r of raws) {
      if (used.has(r) || r.t.weak) continue;
      out.push(
        makeClaim(article, sent, r.n, r.t, incident, "single", r.n.lo, r.n.hi, r.n.bound, r.n.start, r.n.end),
      );
    }
    if (run)
      for (let i = claimsBefore; i < out.length; i++) {
        const c = out[i] as Claim;
        if (c.incident === "other") c.otherIncident = run;
      }
  }
  // An earlier incident is identified by its year and by the names of its sentences that the report
  // does not use for its own event ("Bam", "Zarand"; not "Iran" in a report of a quake in Iran).
  const ids = new Map<object, OtherIncident | null>();
  for (const c of out) {
    const r = c.otherIncident as (OtherIncident & { ambiguous?: boolean }) | null;
    if (!r) continue;
    if (!ids.has(r))
      ids.set(
        r,
        r.ambiguous
          ? null
          : { year: r.year, names: r.names.filter((n) => !thisNames.has(n)), when: r.when ?? null },
      );
    c.otherIncident = ids.get(r) ?? null;
  }
  // A report about several models ("the 11-inch and the 13-inch") gives specifications that name no
  // model for one of them, which one cannot be told: they are dropped.
  const sizes = new Set(modelSizes(article.text));
  if (sizes.size > 1)
    for (let i = out.length - 1; i >= 0; i--) {
      const c = out[i] as Claim;
      if (isSpec(c) && !c.counted.includes("-inch model")) out.splice(i, 1);
    }
  // "Monday's earthquake was the second one to hit Qeshm": the report is about a later event of a
  // series; its figures are compared only with reports that say the same.
  if (sentences.some((x) => SEQUEL.test(x.text)))
    for (const c of out) if (c.incident === "this") c.key += "+sequel";
  // A report that says a suspect later turned out to be someone else ("He was later identified as a
  // taxi driver") gives its number of attackers as a revision of earlier counts.
  if (sentences.some((x) => PERPETRATOR_REVISED.test(x.text)))
    for (const c of out)
      if (c.counted === "attackers" && !c.event && c.revision === null) c.revision = "newer";
  return out;
}
