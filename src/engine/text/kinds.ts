/**
 * The kind of a report's main event (shooting, quake, fire, arrest, death, heist, …) from trigger
 * words of its title and first sentences. A small hand-made lexicon: each kind is a list of word
 * patterns (lower-case words, a trailing `*` matches any ending). Pure TypeScript.
 */
import { words } from "./tokenize.js";

const LEXICON: Record<string, string[]> = {
  shooting: [
    "shooting",
    "shootings",
    "shootout",
    "shot",
    "gunman",
    "gunmen",
    "gunfire",
    "gunshot*",
    "opened",
  ],
  killing: ["kill", "killed", "killing", "killings", "murder*", "slain", "stabb*", "homicide"],
  attack: ["attack", "attacked", "attacks", "attacker*", "assault*", "militant*", "terror*"],
  bombing: ["bomb", "bombs", "bombing", "bombed", "explosion", "explosive*", "blast", "exploded"],
  quake: ["quake", "quakes", "earthquake*", "magnitude", "tremor*", "aftershock*", "seismic"],
  fire: ["fire", "fires", "blaze", "arson*", "firefighter*", "gutted", "flames"],
  arrest: ["arrest", "arrested", "arrests", "detained", "seized", "raid*", "captured"],
  trial: ["convicted", "guilty", "sentenced", "sentence", "trial", "jury", "charged", "charges", "accused"],
  death: ["dies", "died", "death", "obituary", "funeral", "passed"],
  heist: ["heist", "robbery", "robbers", "robbed", "stole", "stolen", "theft", "thieves", "loot*"],
  cable: ["cable", "cables", "undersea", "severed", "outage*", "disrupt*"],
  piracy: ["pirate*", "piracy", "hijack*", "vessel", "navy", "naval"],
  acquisition: ["acquire*", "acquisition*", "buy", "buys", "purchase*", "merger", "takeover", "deal"],
  launch: ["unveil*", "launch*", "introduc*", "announce*", "release*", "available", "availability"],
  appointment: ["nominat*", "nominee", "appoint*", "named", "host", "hosts", "hosting", "director", "helm"],
  contract: ["offer", "offers", "contract", "signed", "signs", "bid", "negotiat*", "deal"],
  rehab: ["rehab", "rehabilitation", "treatment", "addiction"],
  polygamy: ["polygam*"],
};

const EXACT = new Map<string, string[]>();
const PREFIXES: [string, string][] = [];
for (const [kind, pats] of Object.entries(LEXICON)) {
  for (const p of pats) {
    if (p.endsWith("*")) PREFIXES.push([p.slice(0, -1), kind]);
    else EXACT.set(p, [...(EXACT.get(p) ?? []), kind]);
  }
}

/** PREFIXES by their first letter, each list in PREFIXES order. */
const PREFIXES_BY_FIRST = new Map<string, [string, string][]>();
for (const pk of PREFIXES) {
  const list = PREFIXES_BY_FIRST.get(pk[0].charAt(0)) ?? [];
  list.push(pk);
  PREFIXES_BY_FIRST.set(pk[0].charAt(0), list);
}

/** Kinds named by a text, with how many trigger words name each. */
export function eventKinds(text: string): Map<string, number> {
  return eventKindsOfWords(words(text));
}

/** The kinds named by a text already split by `words()`. */
export function eventKindsOfWords(ws: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of ws) {
    const kinds = EXACT.get(w) ?? [];
    for (const k of kinds) out.set(k, (out.get(k) ?? 0) + 1);
    if (kinds.length) continue;
    for (const [p, k] of PREFIXES_BY_FIRST.get(w.charAt(0)) ?? []) {
      if (w.startsWith(p)) out.set(k, (out.get(k) ?? 0) + 1);
    }
  }
  return out;
}

/** Cosine of two kind profiles, in [0, 1]; 0 when either names no kind. */
export function kindSimilarity(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  if (!a.size || !b.size) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    dot += v * (b.get(k) ?? 0);
  }
  for (const v of b.values()) nb += v * v;
  return dot / Math.sqrt(na * nb);
}
