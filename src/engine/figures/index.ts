/**
 * Figure comparison across the reports of one event: aligns the numeric claims that state the
 * same quantity and tells a dispute from an update and from an agreement. The rules are written
 * out in docs/figures.md. Pure TypeScript, no browser or Node imports.
 */
import type { Article, Figure, FigureStatus, FigureValue } from "../types.js";
import { type Claim, extractClaims, sameOtherIncident } from "./claims.js";

export { extractClaims, splitSentences } from "./claims.js";
export type { Claim, ClaimKind, Sentence } from "./claims.js";
export { findNumbers, parseCore } from "./numbers.js";

/** Reports published further apart than this are about different moments: not compared. */
export const COMPARABLE_DAYS = 30;
/** A later report at least this much later may supersede a casualty toll that rose. */
export const SUPERSEDE_HOURS = 6;

const EVENTS_THAT_GROW = new Set(["killed", "wounded", "missing", "detained"]);

function time(published: string | null): number | null {
  if (!published) return null;
  const t = Date.parse(published);
  return Number.isNaN(t) ? null : t;
}

/** A full date-time (not a bare date), so hours can be compared. */
function preciseTime(published: string | null): number | null {
  return published && /T\d\d:\d\d/.test(published) ? time(published) : null;
}

function tolerance(c: Claim): number {
  if (c.kind === "count") return 0;
  if (c.unit === "magnitude") return 0.05;
  return 0.03; // relative, for money, depth, speed, terms
}

/** Whether two intervals can both be true (open ends are unbounded). */
export function compatible(a: Claim, b: Claim): boolean {
  const tol = Math.max(tolerance(a), tolerance(b));
  const rel = a.kind === "count" || a.unit === "magnitude" ? 0 : tol;
  const abs = a.unit === "magnitude" ? tol : 0;
  const aLo = a.lo ?? -Infinity;
  const aHi = a.hi ?? Infinity;
  const bLo = b.lo ?? -Infinity;
  const bHi = b.hi ?? Infinity;
  const slack = (x: number): number => Math.abs(x) * rel + abs;
  return aLo <= bHi + slack(bHi === Infinity ? 0 : bHi) && bLo <= aHi + slack(aHi === Infinity ? 0 : aHi);
}

/** Ids of every article that has a later revision among `articles`. */
function supersededIds(articles: Article[]): Set<string> {
  const ids = new Set(articles.map((a) => a.id));
  const out = new Set<string>();
  for (const a of articles) if (a.revisionOf && ids.has(a.revisionOf)) out.add(a.revisionOf);
  return out;
}

/** The id of the first capture of an article's URL chain (within `byId`). */
function chainRoot(a: Article, byId: Map<string, Article>): string {
  let cur = a;
  const seen = new Set<string>();
  while (cur.revisionOf && byId.has(cur.revisionOf) && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = byId.get(cur.revisionOf) ?? cur;
  }
  return cur.id;
}

/** Order of captures within one chain: 0 = first capture. */
function chainDepth(a: Article, byId: Map<string, Article>): number {
  let d = 0;
  let cur = a;
  while (cur.revisionOf && byId.has(cur.revisionOf) && d < 100) {
    cur = byId.get(cur.revisionOf) ?? cur;
    d++;
  }
  return d;
}

const NOT_NAMES = new Set(
  (
    "The A An In On At Of And But Or For To From By With As It He She They We I This That These Those His Her Their " +
    "Its Our Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July " +
    "August September October November December Mr Mrs Ms Dr Police President Reports Sources " +
    // Technical vocabulary, not names of a subject.
    "RAM GHz MHz HDD SSD USB LED LCD DDR SDRAM CPU GPU"
  ).split(" "),
);

/** Capitalised names in a sentence (not its first word): who or what a sum of money is about. */
function names(quote: string): Set<string> {
  const out = new Set<string>();
  // Two capitals are a name too ("HP", "GE"), but not the common abbreviations of places and times.
  const re = /(?<=[^.!?"“]\s)(?:[A-Z][a-zA-Z]{2,}|[A-Z]{2}(?![\w.]))/g;
  for (const m of quote.matchAll(re))
    if (!NOT_NAMES.has(m[0]) && !TWO_CAPS_NOT_NAMES.has(m[0])) out.add(m[0]);
  return out;
}
const TWO_CAPS_NOT_NAMES = new Set("US UK UN EU AP TV PM AM OK ID PC IT".split(" "));

/**
 * The names a claim's sentence gives (its first word too when that is the article's main name). A
 * sentence whose subject is "He" or "She" ("She had been hospitalized for four weeks") is about
 * the article's subject: the names of its title and its main name are added. Money is not
 * resolved this way (a pronoun's sums are never compared).
 */
function namesOf(c: Claim, byId: Map<string, Article>): Set<string> {
  const own = names(c.quote);
  const a = byId.get(c.articleId);
  if (c.kind === "money" || !a) return own;
  // A sentence's first word is a name when it is the article's main one ("Page had been …").
  const first = /^([A-Z][a-zA-Z]{2,})\b/.exec(c.quote)?.[1];
  if (first && first === mainName(a)) own.add(first);
  if (!/^(?:He|She)\s/.test(c.quote)) return own;
  for (const x of names(`. ${a.title ?? ""}`)) own.add(x);
  const main = mainName(a);
  if (main) own.add(main);
  return own;
}

const mainNames = new WeakMap<Article, string | null>();
/** The name an article gives most often (at least three times): whom its "he" or "she" most likely means. */
function mainName(a: Article): string | null {
  const known = mainNames.get(a);
  if (known !== undefined) return known;
  const counts = new Map<string, number>();
  for (const sentence of a.text.split(/(?<=[.!?])\s+/))
    for (const x of names(`. ${sentence}`)) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: string | null = null;
  let n = 2;
  for (const [x, k] of counts) if (k > n) [best, n] = [x, k];
  mainNames.set(a, best);
  return best;
}

/** Two sums of money are the same quantity only if their sentences name something in common. */
function sameSubject(a: Claim, b: Claim, byId: Map<string, Article>): boolean {
  // Money, and crowds (each city has its own march), are compared only when their sentences share a name.
  if (a.kind !== "money" && a.counted !== "protesters" && !a.needsName && !b.needsName) return true;
  const na = namesOf(a, byId);
  for (const x of namesOf(b, byId)) if (na.has(x)) return true;
  return false;
}

type PairVerdict = "agree" | "update" | "dispute" | "skip";

/**
 * Who makes an offer or a bid: "the Boston Red Sox have made", "the Nationals offered", "The
 * Orioles, according to reports, have offered", "an offer from the Red Sox", "the Orioles have the
 * weakest offer", "the Nationals have upgraded their initial offer", "Nationals' Eight-Year Offer"
 * (not "Teixeira has an offer from …": that names who receives it).
 */
const BIDDER_NAME = `((?:[A-Z][\\w.'’-]+\\s+){0,3}[A-Z][\\w.'’-]+)`;
const BIDDER = new RegExp(
  `\\b${BIDDER_NAME}(?:,[^,]{1,40},)?\\s+(?:(?:have|has|had|reportedly|also)\\s+)*(?:offered|offers?|bid|bids|made|makes|submitted|tabled|put)\\b` +
    `|\\b(?:[Oo]ffers?|[Bb]ids?|[Pp]roposals?)\\s+from\\s+(?:the\\s+)?${BIDDER_NAME}` +
    `|\\b${BIDDER_NAME}(?:,[^,]{1,40},)?\\s+(?:have|has|had)\\s+(?:[\\w$.,-]+\\s+){0,3}(?:[Oo]ffer|[Bb]id|[Pp]roposal)\\b(?!\\s+from\\b)` +
    `|\\b${BIDDER_NAME}['’]s?\\s+(?:[\\w$.,-]+\\s+){0,2}(?:[Oo]ffer|[Bb]id|[Pp]roposal)\\b`,
);
const NOT_BIDDER = new Set(["The", "A", "An", "Report", "Reports", "He", "She", "They", "It"]);

const bidders = new Map<string, Set<string> | null>();
/** The names of who offers an amount in a sentence, or null when it names none (cached by sentence). */
function bidder(quote: string): Set<string> | null {
  if (bidders.has(quote)) return bidders.get(quote) ?? null;
  if (bidders.size > 4096) bidders.clear();
  const found = findBidder(quote);
  bidders.set(quote, found);
  return found;
}

function findBidder(quote: string): Set<string> | null {
  const m = BIDDER.exec(quote);
  const name = m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4];
  if (!name) return null;
  const words = name.split(/\s+/).filter((w) => !NOT_BIDDER.has(w));
  return words.length ? new Set(words) : null;
}

/** Two offers by different bidders ("the Red Sox made a $200 million offer", "the Nationals offered $160 million"). */
function otherBidders(a: Claim, b: Claim): boolean {
  if (a.kind !== "money") return false;
  const x = bidder(a.quote);
  const y = bidder(b.quote);
  if (!x || !y) return false;
  for (const w of x) if (y.has(w)) return false;
  return true;
}

function judgePair(a: Claim, b: Claim, byId: Map<string, Article>, superseded: Set<string>): PairVerdict {
  const aa = byId.get(a.articleId);
  const bb = byId.get(b.articleId);
  if (!aa || !bb) return "skip";
  if (!sameSubject(a, b, byId) || otherBidders(a, b)) return "skip";
  // One sentence printed by two outlets (a wire copy) says the same things in the same places: its
  // "two of the skiffs" and "the remaining three skiffs" are two quantities, not two reports.
  if (a.quote === b.quote && a.phraseStart !== b.phraseStart) return "skip";
  // Figures about an earlier incident are compared only with statements about that same incident.
  if (
    (a.incident === "other" || b.incident === "other") &&
    !sameOtherIncident(a.otherIncident, b.otherIncident)
  )
    return "skip";
  // Things counted under different verbs ("five boats spotted", "three boats intercepted") are different sets.
  if (a.verb && b.verb && a.verb !== b.verb) return "skip";
  const sameChain = chainRoot(aa, byId) === chainRoot(bb, byId);
  if (sameChain) {
    // The outlet's own revision of the same URL: a change is that outlet's update.
    if (Math.abs(chainDepth(aa, byId) - chainDepth(bb, byId)) !== 1) return "skip";
    return compatible(a, b) ? "agree" : "update";
  }
  // A superseded capture is only compared with its own revision.
  if (superseded.has(a.articleId) || superseded.has(b.articleId)) return "skip";
  const ta = time(a.published);
  const tb = time(b.published);
  if (ta !== null && tb !== null && Math.abs(ta - tb) > COMPARABLE_DAYS * 86400e3) return "skip";
  if (compatible(a, b)) return "agree";
  // Cues in the text: "rose to", "later", "revised" (newer); "originally", "preliminary" (older).
  if ((a.revision === "newer") !== (b.revision === "newer")) return "update";
  if ((a.revision === "older") !== (b.revision === "older")) return "update";
  // A later report (by at least SUPERSEDE_HOURS, both with a time of day) whose toll is higher.
  const pa = preciseTime(a.published);
  const pb = preciseTime(b.published);
  if (
    pa !== null &&
    pb !== null &&
    Math.abs(pa - pb) >= SUPERSEDE_HOURS * 3600e3 &&
    a.kind === "count" &&
    EVENTS_THAT_GROW.has(a.event)
  ) {
    const [early, late] = pa < pb ? [a, b] : [b, a];
    if (late.lo !== null && early.hi !== null && late.lo > early.hi) return "update";
  }
  return "dispute";
}

function toValue(c: Claim): FigureValue {
  return {
    articleId: c.articleId,
    source: c.source,
    published: c.published,
    quote: c.quote,
    phrase: c.phrase,
    lo: c.lo,
    hi: c.hi,
  };
}

function mostCommon(xs: string[]): string {
  const counts = new Map<string, number>();
  let best = xs[0] ?? "";
  for (const x of xs) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > (counts.get(best) ?? 0)) best = x;
  }
  return best;
}

/** Drops a measure from an article that states two incompatible values of it (two referents). */
function dropAmbiguousMeasures(claims: Claim[]): Claim[] {
  const byArticle = new Map<string, Claim[]>();
  for (const c of claims) byArticle.set(c.articleId, [...(byArticle.get(c.articleId) ?? []), c]);
  const out: Claim[] = [];
  for (const list of byArticle.values()) {
    const ambiguous =
      list[0]?.kind === "measure" && list.some((x, i) => list.some((y, j) => j > i && !compatible(x, y)));
    if (!ambiguous) out.push(...list);
  }
  return out;
}

/**
 * Prison terms of one article that disagree, whichever incident they are dated to ("serving a
 * 12-year sentence imposed in 1997", "was sentenced to seven years"), are several sentences of one
 * life: which one a bare "seven years" is cannot be told, so the article's prison terms are left out.
 */
function dropSeveralSentences(claims: Claim[]): Claim[] {
  const terms = claims.filter((c) => c.counted === "prison sentence");
  const several = terms.some((x, i) => terms.some((y, j) => j > i && x.unit === y.unit && !compatible(x, y)));
  return several ? claims.filter((c) => c.counted !== "prison sentence") : claims;
}

/** Compares the figures of `query` with those of the other reports of the same event. */
export function compareFigures(query: Article, others: Article[]): Figure[] {
  const byId = new Map<string, Article>();
  for (const a of [query, ...others]) if (!byId.has(a.id)) byId.set(a.id, a);
  const articles = [...byId.values()];
  const superseded = supersededIds(articles);
  const order = new Map(articles.map((a, i) => [a.id, i]));

  const byKey = new Map<string, Claim[]>();
  for (const a of articles) {
    const seen = new Set<string>();
    const all = dropSeveralSentences(extractClaims(a));
    for (const c of all) {
      const sig = `${c.key}|${c.quote}|${c.phrase}|${c.lo}|${c.hi}`;
      if (seen.has(sig)) continue; // a page that repeats its body
      // A value the article itself reports as superseded ("originally reported two") is compared
      // only when the article states no other value of that quantity.
      if (c.revision === "older" && all.some((o) => o !== c && o.key === c.key && o.revision !== "older"))
        continue;
      seen.add(sig);
      byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
    }
  }

  const figures: { fig: Figure; hasQuery: boolean }[] = [];
  for (const all of byKey.values()) {
    const claims = all[0]?.kind === "measure" ? dropAmbiguousMeasures(all) : all;
    if (new Set(claims.map((c) => c.articleId)).size < 2) continue;
    // Values linked by a comparison form one figure (union-find); a value compared with nothing is left out.
    const parent = claims.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
      return i;
    };
    // Offers of two different bidders never end up in one figure, not even through a third
    // statement that names no bidder (a cannot-link: such a link is not made).
    const members = claims.map((_, i) => [i]);
    const apart = (ri: number, rj: number): boolean =>
      (members[ri] ?? []).some((x) =>
        (members[rj] ?? []).some((y) => {
          const cx = claims[x];
          const cy = claims[y];
          return cx !== undefined && cy !== undefined && otherBidders(cx, cy);
        }),
      );
    const verdicts: { i: number; v: PairVerdict }[] = [];
    for (let i = 0; i < claims.length; i++) {
      for (let j = i + 1; j < claims.length; j++) {
        const a = claims[i];
        const b = claims[j];
        if (!a || !b || a.articleId === b.articleId) continue;
        const v = judgePair(a, b, byId, superseded);
        if (v === "skip") continue;
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) {
          if (a.kind === "money" && apart(ri, rj)) continue;
          parent[ri] = rj;
          members[rj] = [...(members[rj] ?? []), ...(members[ri] ?? [])];
        }
        verdicts.push({ i, v });
      }
    }
    const groups = new Map<number, { members: number[]; status: FigureStatus }>();
    for (let i = 0; i < claims.length; i++) {
      const r = find(i);
      const g = groups.get(r) ?? { members: [], status: "agree" as FigureStatus };
      g.members.push(i);
      groups.set(r, g);
    }
    for (const { i, v } of verdicts) {
      const g = groups.get(find(i));
      if (!g) continue;
      if (v === "dispute") g.status = "dispute";
      else if (v === "update" && g.status === "agree") g.status = "update";
    }
    for (const g of groups.values()) {
      const members = g.members.map((i) => claims[i]).filter((c): c is Claim => c !== undefined);
      const ids = new Set(members.map((c) => c.articleId));
      if (ids.size < 2) continue;
      const values = members
        .map((c) => ({ c, t: time(c.published) }))
        .sort((x, y) => {
          if (x.t !== y.t) {
            if (x.t === null) return 1;
            if (y.t === null) return -1;
            return x.t - y.t;
          }
          const ox = order.get(x.c.articleId) ?? 0;
          const oy = order.get(y.c.articleId) ?? 0;
          return ox - oy || x.c.quoteStart + x.c.phraseStart - (y.c.quoteStart + y.c.phraseStart);
        })
        .map((x) => toValue(x.c));
      figures.push({
        fig: { quantity: mostCommon(members.map((c) => c.label)), status: g.status, values },
        hasQuery: ids.has(query.id),
      });
    }
  }
  const rank: Record<FigureStatus, number> = { dispute: 0, update: 1, agree: 2 };
  figures.sort((x, y) => rank[x.fig.status] - rank[y.fig.status] || Number(y.hasQuery) - Number(x.hasQuery));
  return figures.map((f) => f.fig);
}
