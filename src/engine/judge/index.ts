/**
 * The judgement: which stored articles report the same event as a query, which report an
 * earlier (or later) related incident, and why. Candidates come from a BM25 inverted index over
 * each article's kept terms; only the top candidates are scored in detail, with pair features
 * (terms, entities, places, anchors, dates, recalled past incidents) and neighbourhood features
 * (relative cosine, rank, reciprocal rank, shared neighbours), then a transitivity step.
 * Weights and thresholds are learned offline (tests/eval/judgement.ts) and live in weights.ts.
 * Pure TypeScript.
 */
import { dayToIso } from "../text/dates.js";
import { kindSimilarity } from "../text/kinds.js";
import type { Article, RelatedItem, SameEventItem, When, Why } from "../types.js";
import { articleFeatures, resemblance, type ArticleFeatures } from "./features.js";
import { logit, predict, type JudgeModel } from "./model.js";
import { WEIGHTS } from "./weights.js";
import { INDEX_VERSION, type ExportOptions, type MatcherSnapshot, type SnapshotChunk } from "./snapshot.js";

export { articleFeatures } from "./features.js";
export type { ArticleFeatures } from "./features.js";
export { INDEX_VERSION } from "./snapshot.js";
export type { ExportOptions, MatcherSnapshot, SnapshotChunk } from "./snapshot.js";

/** Stage-1 pair features, in model order. */
export const FEATURES = [
  "cos",
  "cosRel",
  "rankInv",
  "gap",
  "recipInv",
  "nbrOverlap",
  "ent",
  "place",
  "anchor",
  "title",
  "pastCross",
  "bm25Rel",
  "placeConflict",
  "kind",
  "kindConflict",
  "leadMiss",
  "leadNumConflict",
] as const;

/** Features of a link between two stored candidates (for the clustering step). */
export const LINK_FEATURES = [
  "cos",
  "ent",
  "place",
  "anchor",
  "title",
  "pastCross",
  "nbrOverlap",
  "recip",
  "placeConflict",
  "kind",
  "leadMiss",
  "leadNumConflict",
] as const;

/** Stage-2 features: stage-1 log-odds plus agreement with the confident same-event group. */
export const FEATURES2 = ["logitSame", "logitTopic", "linkQ", "inQ", "linkTopic", "clusterSize"] as const;

/** Candidates retrieved by BM25 and scored in detail. */
const CANDIDATES = 48;
/** Query terms used for retrieval (highest tf·idf). */
const QUERY_TERMS = 64;
/** Below this many articles retrieval uses all of the query's kept terms. */
const SMALL_STORE = 256;
/** Candidates whose own neighbour lists are computed (reciprocal rank, shared neighbours). */
const NEIGHBOUR_CHECK = 30;
/** Terms of a stored article used to retrieve its own neighbour list (a cheaper retrieval). */
const NEIGHBOUR_TERMS = 24;
/** Length of the neighbour lists compared. */
const NEIGHBOURS = 10;
/**
 * Only articles at least this similar count as neighbours: in a small store every article is
 * in every top-10, which would make the neighbourhood features meaningless.
 */
const NEIGHBOUR_FLOOR = 0.1;
/** Word 5-gram resemblance above which two reports are copies of one text. */
const DUPLICATE_RESEMBLANCE = 0.5;
/** Largest group clustered with the query in the transitivity step. */
const MAX_GROUP = 20;

/** Share of the store's size in adds/removals a cached neighbour list survives (large stores). */
const STALE_SHARE = 0.01;

/** Slots per article chunk of a snapshot. */
const CHUNK_SLOTS = 1024;

const BM25_K1 = 1.2;
const BM25_B = 0.75;

export interface Candidate {
  slot: number;
  f: ArticleFeatures;
  cos: number;
  bm25: number;
  x: number[];
  pSame: number;
  pTopic: number;
  x2: number[];
  /** Shared participants: rare entity tokens named in both leads (the related-incident rule). */
  leadShared?: number;
}

export interface MatcherOptions {
  /**
   * A related incident must share a place (one's home place named by the other) or participants
   * (entity similarity ≥ 0.1) with the query; the same kind of event elsewhere is unrelated.
   * On by default; the eval also reports the figures without it.
   */
  requireShared: boolean;
}

interface Neighbour {
  slot: number;
  /** Id held by the slot when the list was made (a slot is reused after a removal). */
  id: string;
  cos: number;
}

export class Matcher {
  private readonly slots: (ArticleFeatures | null)[] = [];
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  /** Term → slots holding it and, in step, the term's frequency there (no Map lookup per hit). */
  private readonly postings = new Map<string, { slots: number[]; tfs: number[] }>();
  /** Retrieval scratch: score per slot and the slots touched (reused, no per-query Map). */
  private acc = new Float64Array(0);
  private readonly touched: number[] = [];
  private readonly df = new Map<string, number>();
  private readonly entDf = new Map<string, number>();
  private readonly anchorDf = new Map<string, number>();
  private count = 0;
  private totalLength = 0;
  private version = 0;
  private readonly neighbourCache = new Map<number, { version: number; id: string; list: Neighbour[] }>();
  private readonly normCache = new Map<number, { version: number; norm: number }>();

  constructor(
    private readonly model: JudgeModel | null = WEIGHTS,
    private readonly options: MatcherOptions = { requireShared: true },
  ) {}

  get size(): number {
    return this.count;
  }

  /** Mutation counter; a snapshot records it, `exportIndex({ since })` compares against it. */
  private generation = 0;
  /** Generation at which each chunk of CHUNK_SLOTS slots last changed. */
  private readonly chunkGen: number[] = [];

  private touchSlot(slot: number): void {
    this.generation++;
    this.chunkGen[Math.floor(slot / CHUNK_SLOTS)] = this.generation;
  }

  /**
   * The index as binary chunks (see snapshot.ts). With `since`, only chunks changed after that
   * generation are included; `keys` always lists the complete set.
   */
  exportIndex(opts: ExportOptions = {}): MatcherSnapshot {
    const since = opts.since ?? -1;
    const nChunks = Math.ceil(this.slots.length / CHUNK_SLOTS);
    const keys: string[] = [];
    const chunks: SnapshotChunk[] = [];
    const enc = new TextEncoder();
    for (let c = 0; c < nChunks; c++) {
      const key = "a/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.chunkGen[c] ?? 0) <= since) continue;
      const list = this.slots.slice(c * CHUNK_SLOTS, (c + 1) * CHUNK_SLOTS).map((f) => f && plainFeatures(f));
      chunks.push({ key, bytes: enc.encode(JSON.stringify(list)).buffer as ArrayBuffer });
    }
    return { version: INDEX_VERSION, count: this.count, generation: this.generation, keys, chunks };
  }

  /** A matcher from a snapshot, or null when the snapshot was written by another index version. */
  static importIndex(
    s: MatcherSnapshot,
    model: JudgeModel | null = WEIGHTS,
    options: MatcherOptions = { requireShared: true },
  ): Matcher | null {
    if (s.version !== INDEX_VERSION) return null;
    const m = new Matcher(model, options);
    const dec = new TextDecoder();
    const byKey = new Map(s.chunks.map((c) => [c.key, c.bytes]));
    for (const key of s.keys) {
      const bytes = byKey.get(key);
      if (!bytes) return null;
      const list = JSON.parse(dec.decode(bytes)) as (PlainFeatures | null)[];
      for (const p of list) if (p) m.addFeatures(fromPlain(p));
    }
    m.generation = s.generation;
    m.chunkGen.fill(0);
    return m;
  }

  add(article: Article): void {
    if (this.byId.has(article.id)) this.remove(article.id);
    this.addFeatures(articleFeatures(article));
  }

  /** Adds precomputed features (the eval and a persisted index use this). */
  addFeatures(f: ArticleFeatures): void {
    if (this.byId.has(f.id)) this.remove(f.id);
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = f;
    this.byId.set(f.id, slot);
    for (const [t, tf] of f.terms) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = { slots: [], tfs: [] }));
      p.slots.push(slot);
      p.tfs.push(tf);
      this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    for (const t of f.ents.keys()) this.entDf.set(t, (this.entDf.get(t) ?? 0) + 1);
    for (const t of f.anchors) this.anchorDf.set(t, (this.anchorDf.get(t) ?? 0) + 1);
    this.count++;
    this.totalLength += f.length;
    this.version++;
    this.touchSlot(slot);
  }

  remove(id: string): void {
    const slot = this.byId.get(id);
    if (slot === undefined) return;
    const f = this.slots[slot];
    this.byId.delete(id);
    this.slots[slot] = null;
    this.free.push(slot);
    if (!f) return;
    const dec = (m: Map<string, number>, k: string): void => {
      const v = (m.get(k) ?? 0) - 1;
      if (v > 0) m.set(k, v);
      else m.delete(k);
    };
    for (const t of f.terms.keys()) {
      const p = this.postings.get(t);
      if (p) {
        const i = p.slots.indexOf(slot);
        if (i >= 0) {
          p.slots.splice(i, 1);
          p.tfs.splice(i, 1);
        }
        if (!p.slots.length) this.postings.delete(t);
      }
      dec(this.df, t);
    }
    for (const t of f.ents.keys()) dec(this.entDf, t);
    for (const t of f.anchors) dec(this.anchorDf, t);
    this.count--;
    this.totalLength -= f.length;
    this.version++;
    this.touchSlot(slot);
  }

  // ---- similarity primitives -------------------------------------------------------------

  /** Per-store-version caches of inverse document frequencies. */
  private idfVersion = -1;
  private readonly idfCache = new Map<string, number>();
  private readonly entIdfCache = new Map<string, number>();
  private readonly anchorIdfCache = new Map<string, number>();

  private freshCaches(): void {
    if (this.idfVersion === this.version) return;
    this.idfVersion = this.version;
    this.idfCache.clear();
    this.entIdfCache.clear();
    this.anchorIdfCache.clear();
  }

  private idf(t: string): number {
    this.freshCaches();
    let v = this.idfCache.get(t);
    if (v === undefined) {
      const df = this.df.get(t) ?? 0;
      v = Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
      this.idfCache.set(t, v);
    }
    return v;
  }

  private entIdf(t: string): number {
    this.freshCaches();
    let v = this.entIdfCache.get(t);
    if (v === undefined) {
      v = Math.log(1 + (this.count + 1) / ((this.entDf.get(t) ?? 0) + 1));
      this.entIdfCache.set(t, v);
    }
    return v;
  }

  private anchorIdf(t: string): number {
    this.freshCaches();
    let v = this.anchorIdfCache.get(t);
    if (v === undefined) {
      v = Math.log(1 + (this.count + 1) / ((this.anchorDf.get(t) ?? 0) + 1));
      this.anchorIdfCache.set(t, v);
    }
    return v;
  }

  private weight(t: string, tf: number): number {
    return (1 + Math.log(tf)) * this.idf(t);
  }

  private norm(f: ArticleFeatures, slot: number | null): number {
    if (slot !== null) {
      const c = this.normCache.get(slot);
      if (c && c.version === this.version) return c.norm;
    }
    let s = 0;
    for (const [t, tf] of f.terms) s += this.weight(t, tf) ** 2;
    const norm = Math.sqrt(s) || 1;
    if (slot !== null) this.normCache.set(slot, { version: this.version, norm });
    return norm;
  }

  /** tf·idf cosine of two term bags. */
  private cosine(a: Map<string, number>, b: Map<string, number>, na?: number, nb?: number): number {
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    let dot = 0;
    for (const [t, tf] of small) {
      const tf2 = large.get(t);
      if (tf2) dot += this.weight(t, tf) * this.weight(t, tf2);
    }
    if (!dot) return 0;
    const n1 = na ?? this.bagNorm(a);
    const n2 = nb ?? this.bagNorm(b);
    return dot / (n1 * n2);
  }

  private bagNorm(m: Map<string, number>): number {
    let s = 0;
    for (const [t, tf] of m) s += this.weight(t, tf) ** 2;
    return Math.sqrt(s) || 1;
  }

  private cos(a: ArticleFeatures, sa: number | null, b: ArticleFeatures, sb: number | null): number {
    return this.cosine(a.terms, b.terms, this.norm(a, sa), this.norm(b, sb));
  }

  private entSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.ents.size || !b.ents.size) return 0;
    const w = (t: string): number => this.entIdf(t);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const t of a.ents.keys()) {
      const x = w(t);
      na += x * x;
      if (b.ents.has(t)) dot += x * x;
    }
    for (const t of b.ents.keys()) nb += w(t) ** 2;
    return dot / Math.sqrt(na * nb);
  }

  /** An entity token rare enough to name a participant (in a small store: in ≤ 2 articles). */
  private rareEnt(t: string): boolean {
    return (this.entDf.get(t) ?? 0) <= Math.max(2, LEAD_ENT_MAX_DF * this.count);
  }

  /**
   * Participants named in both leads: the summed share of entity tokens (each weighted by its
   * rarity in the store) that the two titles and first sentences have in common.
   */
  private leadShared(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.leadEnts.length || !b.leadEnts.length) return 0;
    const bs = new Set(b.leadEnts);
    const max = Math.log(1 + (this.count + 1));
    let s = 0;
    for (const t of a.leadEnts) {
      if (!bs.has(t)) continue;
      // Tokens in most articles (a generic word capitalised in titles) count for nothing.
      if (this.rareEnt(t)) s += this.entIdf(t) / max;
    }
    return s;
  }

  /**
   * Participants of one lead that the other report never names (rarity-weighted share, mean of
   * both directions): two incidents of one kind told in the same words differ in who took part.
   */
  private leadMiss(a: ArticleFeatures, b: ArticleFeatures): number {
    const side = (x: ArticleFeatures, y: ArticleFeatures): number => {
      let all = 0;
      let miss = 0;
      for (const t of x.leadEnts) {
        if (!this.rareEnt(t)) continue;
        const w = this.entIdf(t);
        all += w;
        if (!y.ents.has(t)) miss += w;
      }
      return all ? miss / all : 0;
    };
    return (side(a, b) + side(b, a)) / 2;
  }

  private anchorSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.anchors.size || !b.anchors.size) return 0;
    const w = (t: string): number => this.anchorIdf(t);
    let shared = 0;
    let sa = 0;
    let sb = 0;
    for (const t of a.anchors) {
      sa += w(t);
      if (b.anchors.has(t)) shared += w(t);
    }
    for (const t of b.anchors) sb += w(t);
    // Cosine-like: a page with one anchor that happens to be shared does not score 1.
    return shared / Math.sqrt(sa * sb);
  }

  private titleSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.titleTerms.length || !b.titleTerms.length) return 0;
    const bs = new Set(b.titleTerms);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const t of a.titleTerms) {
      const x = this.idf(t) ** 2;
      na += x;
      if (bs.has(t)) dot += x;
    }
    for (const t of b.titleTerms) nb += this.idf(t) ** 2;
    return dot / Math.sqrt(na * nb);
  }

  // ---- retrieval -------------------------------------------------------------------------

  private isSelf(q: ArticleFeatures, f: ArticleFeatures): boolean {
    return f.id === q.id || f.contentHash === q.contentHash || (q.url !== null && f.url === q.url);
  }

  /** BM25 over the query's top terms; returns [slot, score] best first, the query excluded. */
  private retrieve(q: ArticleFeatures, k: number, maxTerms = QUERY_TERMS): [number, number][] {
    const qs = [...q.terms].map(([t, tf]) => [t, this.weight(t, tf)] as const);
    qs.sort((x, y) => y[1] - x[1]);
    if (this.acc.length < this.slots.length) this.acc = new Float64Array(this.slots.length * 2);
    const acc = this.acc;
    const touched = this.touched;
    touched.length = 0;
    const avg = this.count ? this.totalLength / this.count : 1;
    // In a small store the terms all reports of one event share have the lowest idf and would
    // fall out of the top terms: use every kept term there (it is cheap at that size).
    const nTerms = this.count < SMALL_STORE ? qs.length : maxTerms;
    for (const [t] of qs.slice(0, nTerms)) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = this.idf(t);
      const { slots, tfs } = p;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const f = this.slots[slot];
        if (!f) continue;
        const tf = tfs[i]!;
        const s = (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * f.length) / avg));
        if (acc[slot] === 0) touched.push(slot);
        acc[slot] = acc[slot]! + s;
      }
    }
    // Only the k best are sorted as pairs: the k-th best score comes from a typed-array sort.
    let cut = -Infinity;
    if (touched.length > k + 1) {
      const scores = new Float64Array(touched.length);
      for (let i = 0; i < touched.length; i++) scores[i] = acc[touched[i]!]!;
      scores.sort();
      // k + 1: the query itself may be among them and is dropped below.
      cut = scores[scores.length - k - 1]!;
    }
    const out: [number, number][] = [];
    for (const slot of touched) {
      const s = acc[slot]!;
      acc[slot] = 0;
      if (s < cut) continue;
      const f = this.slots[slot];
      if (f && !this.isSelf(q, f)) out.push([slot, s]);
    }
    out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return out.slice(0, k);
  }

  /**
   * A stored article's nearest neighbours by cosine. Cached: exact in a small store (recomputed
   * after any change), in a larger one kept while fewer than STALE_SHARE of the store's size of
   * adds and removals have happened since (one add barely moves the idf of a large store; a
   * removed neighbour is dropped when read). This keeps a query after an add from recomputing
   * the lists of all its candidates.
   */
  private neighbours(slot: number): Neighbour[] {
    const f = this.slots[slot];
    if (!f) return [];
    const c = this.neighbourCache.get(slot);
    if (c && c.id === f.id) {
      const allowed = this.count < SMALL_STORE ? 0 : Math.floor(this.count * STALE_SHARE);
      if (this.version - c.version <= allowed) {
        if (c.version !== this.version) c.list = c.list.filter((n) => this.slots[n.slot]?.id === n.id);
        return c.list;
      }
    }
    const list = this.retrieve(f, CANDIDATES, NEIGHBOUR_TERMS).map(([s]) => ({
      slot: s,
      id: this.slots[s]!.id,
      cos: this.cos(f, slot, this.slots[s]!, s),
    }));
    list.sort((a, b) => b.cos - a.cos || a.slot - b.slot);
    const kept = list.filter((n) => n.cos >= NEIGHBOUR_FLOOR);
    this.neighbourCache.set(slot, { version: this.version, id: f.id, list: kept });
    return kept;
  }

  // ---- scoring ---------------------------------------------------------------------------

  /** Features of the query: the stored ones when the query is in the store, else computed. */
  private queryFeatures(query: Article): { q: ArticleFeatures; qSlot: number | null } {
    const slot = this.byId.get(query.id);
    const stored = slot !== undefined ? this.slots[slot] : null;
    if (slot !== undefined && stored && stored.contentHash === query.contentHash) {
      // The query's own URL counts for self-exclusion even when the stored copy has another.
      return { q: stored.url === query.url ? stored : { ...stored, url: query.url }, qSlot: slot };
    }
    return { q: articleFeatures(query), qSlot: null };
  }

  /** Candidates with their stage-1 and stage-2 features (and probabilities when a model is set). */
  candidates(
    query: Article,
    model: JudgeModel | null = this.model,
  ): { q: ArticleFeatures; list: Candidate[] } {
    const { q, qSlot } = this.queryFeatures(query);
    const hits = this.retrieve(q, CANDIDATES);
    const qNorm = this.norm(q, qSlot);
    const list: Candidate[] = hits.map(([slot, bm25]) => {
      const f = this.slots[slot]!;
      return {
        slot,
        f,
        bm25,
        cos: this.cosine(q.terms, f.terms, qNorm, this.norm(f, slot)),
        x: [],
        pSame: 0,
        pTopic: 0,
        x2: [],
      };
    });
    list.sort((a, b) => b.cos - a.cos || a.slot - b.slot);
    const maxCos = list[0]?.cos || 1;
    const maxBm = Math.max(1e-9, ...list.map((c) => c.bm25));
    const qTop = new Set(
      list
        .filter((c) => c.cos >= NEIGHBOUR_FLOOR)
        .slice(0, NEIGHBOURS)
        .map((c) => c.slot),
    );
    list.forEach((c, rank) => {
      let recipInv = 0;
      let nbrOverlap = 0;
      if (rank < NEIGHBOUR_CHECK && c.cos >= NEIGHBOUR_FLOOR) {
        const nl = this.neighbours(c.slot).filter(
          (n) => n.slot !== qSlot && !this.isSelf(q, this.slots[n.slot]!),
        );
        let rr = 0;
        while (rr < nl.length && nl[rr]!.cos > c.cos) rr++;
        recipInv = rr < CANDIDATES ? 1 / (1 + rr) : 0;
        const cTop = nl.slice(0, NEIGHBOURS).map((n) => n.slot);
        let shared = 0;
        for (const s of cTop) if (qTop.has(s)) shared++;
        const denom = Math.min(cTop.length, qTop.size - (qTop.has(c.slot) ? 1 : 0));
        nbrOverlap = shared / (Math.max(0, denom) + 1);
      }
      const pastCross = Math.max(
        q.past.size ? this.cosine(q.past, c.f.terms, undefined, this.norm(c.f, c.slot)) : 0,
        c.f.past.size ? this.cosine(c.f.past, q.terms, undefined, qNorm) : 0,
      );
      c.x = [
        c.cos,
        c.cos / maxCos,
        1 / (1 + rank),
        maxCos - c.cos,
        recipInv,
        nbrOverlap,
        this.entSim(q, c.f),
        placeOverlap(q.places, c.f.places),
        this.anchorSim(q, c.f),
        this.titleSim(q, c.f),
        pastCross,
        c.bm25 / maxBm,
        placeConflict(q.places, c.f.places),
        kindSimilarity(q.kinds, c.f.kinds),
        kindConflict(q, c.f),
        this.leadMiss(q, c.f),
        leadNumConflict(q, c.f),
      ];
      c.leadShared = this.leadShared(q, c.f);
    });
    if (!model) return { q, list };
    for (const c of list) {
      c.pSame = predict(model.same, c.x);
      c.pTopic = predict(model.topic, c.x);
    }
    this.stage2(list, model);
    return { q, list };
  }

  /** Neighbour-list agreement of two stored articles: shared neighbours and reciprocal ranks. */
  private neighbourAgreement(sa: number, sb: number): { overlap: number; recip: number } {
    const la = this.neighbours(sa).filter((n) => n.slot !== sb);
    const lb = this.neighbours(sb).filter((n) => n.slot !== sa);
    const ta = new Set(la.slice(0, NEIGHBOURS).map((n) => n.slot));
    let shared = 0;
    const tb = lb.slice(0, NEIGHBOURS);
    for (const n of tb) if (ta.has(n.slot)) shared++;
    const denom = Math.min(ta.size, tb.length);
    const ra = this.neighbours(sa).findIndex((n) => n.slot === sb);
    const rb = this.neighbours(sb).findIndex((n) => n.slot === sa);
    const recip = ((ra < 0 ? 0 : 1 / (1 + ra)) + (rb < 0 ? 0 : 1 / (1 + rb))) / 2;
    return { overlap: shared / (denom + 1), recip };
  }

  /** Link features between two stored articles (clustering step), in LINK_FEATURES order. */
  linkFeatures(sa: number, sb: number): number[] {
    const a = this.slots[sa]!;
    const b = this.slots[sb]!;
    const nb = this.neighbourAgreement(sa, sb);
    return [
      this.cos(a, sa, b, sb),
      this.entSim(a, b),
      placeOverlap(a.places, b.places),
      this.anchorSim(a, b),
      this.titleSim(a, b),
      Math.max(
        a.past.size ? this.cosine(a.past, b.terms, undefined, this.norm(b, sb)) : 0,
        b.past.size ? this.cosine(b.past, a.terms, undefined, this.norm(a, sa)) : 0,
      ),
      nb.overlap,
      nb.recip,
      placeConflict(a.places, b.places),
      kindSimilarity(a.kinds, b.kinds),
      this.leadMiss(a, b),
      leadNumConflict(a, b),
    ];
  }

  /** Slot of a stored id (for the eval's training). */
  slotOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /**
   * Transitivity: the query and its likely topic group are clustered (average linkage over
   * learned link probabilities); agreement with the query's cluster feeds the final scores.
   */
  private stage2(list: Candidate[], model: JudgeModel): void {
    const group = list
      .filter((c) => c.pTopic >= 0.5)
      .sort((a, b) => b.pTopic - a.pTopic)
      .slice(0, MAX_GROUP);
    const n = group.length;
    // Index 0 is the query; 1..n the group.
    const ps: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
    const pt: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const gi = group[i]!;
      ps[0]![i + 1] = ps[i + 1]![0] = gi.pSame;
      pt[0]![i + 1] = pt[i + 1]![0] = gi.pTopic;
      for (let j = i + 1; j < n; j++) {
        const x = this.linkFeatures(gi.slot, group[j]!.slot);
        ps[i + 1]![j + 1] = ps[j + 1]![i + 1] = predict(model.linkSame, x);
        pt[i + 1]![j + 1] = pt[j + 1]![i + 1] = predict(model.linkTopic, x);
      }
    }
    const qCluster = averageLinkage(ps, model.linkCut);
    const index = new Map(group.map((g, i) => [g, i + 1]));
    for (const c of list) {
      const ci = index.get(c);
      let linkQ = 0;
      let linkTopic = 0;
      let inQ = 0;
      if (ci !== undefined) {
        inQ = qCluster.has(ci) ? 1 : 0;
        let s = 0;
        let k = 0;
        for (const m of qCluster) {
          if (m === ci) continue;
          s += ps[ci]![m]!;
          k++;
        }
        linkQ = k ? s / k : 0;
        let t = 0;
        for (let j = 0; j <= n; j++) if (j !== ci) t += pt[ci]![j]!;
        linkTopic = t / n;
      }
      c.x2 = [logit(c.pSame), logit(c.pTopic), linkQ, inQ, linkTopic, qCluster.size - 1];
      c.pSame = predict(model.same2, c.x2);
      c.pTopic = Math.max(c.pSame, predict(model.topic2, c.x2));
    }
  }

  match(query: Article): { sameEvent: SameEventItem[]; related: RelatedItem[] } {
    const model = this.model;
    if (!model) throw new Error("Matcher has no model");
    const { q, list } = this.candidates(query, model);
    const same: Candidate[] = [];
    const rel: Candidate[] = [];
    for (const c of list) {
      const d = decide(q, c, model.thSame, model.thRelated, this.options.requireShared);
      c.pSame *= dateDecay(q.day, c.f.day);
      if (d === "same") same.push(c);
      else if (d === "related") rel.push(c);
    }
    same.sort((a, b) => b.pSame - a.pSame || b.cos - a.cos);
    rel.sort((a, b) => b.pTopic - a.pTopic || b.cos - a.cos);
    // Fold syndicated copies into the best-scored copy of their group.
    const folded = new Map<number, string>();
    for (let i = 0; i < same.length; i++) {
      const a = same[i]!;
      if (folded.has(a.slot)) continue;
      for (let j = i + 1; j < same.length; j++) {
        const b = same[j]!;
        if (!folded.has(b.slot) && resemblance(a.f.sketch, b.f.sketch) >= DUPLICATE_RESEMBLANCE)
          folded.set(b.slot, a.f.id);
      }
    }
    const round = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
    return {
      sameEvent: same.map((c) => ({
        ...reportArticle(c.f),
        score: round(c.pSame),
        why: this.why(q, c.f),
        foldedInto: folded.get(c.slot) ?? null,
      })),
      related: rel.map((c) => ({
        ...reportArticle(c.f),
        score: round(c.pTopic),
        when: whenOf(q, c.f),
        why: this.why(q, c.f),
      })),
    };
  }

  private why(q: ArticleFeatures, c: ArticleFeatures): Why {
    const people: string[] = [];
    const seen = new Set<string>();
    const placeSet = new Set(c.places);
    const places = q.places.filter((p) => placeSet.has(p)).map(titleCase);
    const placeTokens = new Set(q.places.flatMap((p) => p.split(" ")));
    const shared = [...q.ents.keys()].filter((t) => c.ents.has(t) && !placeTokens.has(t));
    shared.sort((a, b) => (this.entDf.get(a) ?? 0) - (this.entDf.get(b) ?? 0));
    for (const t of shared) {
      const name = q.entNames.get(t) ?? t;
      if (seen.has(name)) continue;
      seen.add(name);
      people.push(name);
      if (people.length >= 5) break;
    }
    const terms = [...q.terms.keys()].filter((t) => c.terms.has(t));
    terms.sort((a, b) => this.weight(b, c.terms.get(b) ?? 1) - this.weight(a, c.terms.get(a) ?? 1));
    let date: string;
    if (q.day !== null && c.day !== null) {
      const d = c.day - q.day;
      date =
        d === 0
          ? `same day (${dayToIso(c.day)})`
          : `${Math.abs(d)} day${Math.abs(d) === 1 ? "" : "s"} ${d < 0 ? "earlier" : "later"} (${dayToIso(c.day)})`;
    } else if (c.day !== null) date = `dated ${dayToIso(c.day)}; the query has no date`;
    else date = "no date to compare";
    return { people, places, date, terms: terms.slice(0, 6) };
  }
}

/** Both leads give numbers (a magnitude, a toll, a price) and none of them agree. */
function leadNumConflict(a: ArticleFeatures, b: ArticleFeatures): number {
  if (!a.leadNums.length || !b.leadNums.length) return 0;
  const bs = new Set(b.leadNums);
  return a.leadNums.some((x) => bs.has(x)) ? 0 : 1;
}

/** Both reports name the kind of their event and the kinds have nothing in common. */
function kindConflict(a: ArticleFeatures, b: ArticleFeatures): number {
  return a.kinds.size && b.kinds.size && kindSimilarity(a.kinds, b.kinds) === 0 ? 1 : 0;
}

function placeConflict(a: readonly string[], b: readonly string[]): number {
  return a.length && b.length && placeOverlap(a, b) === 0 ? 1 : 0;
}

/**
 * Average-linkage agglomerative clustering of a probability matrix; returns the members of the
 * cluster that holds index 0 (the query). Merging stops when no two clusters average ≥ cut.
 */
export function averageLinkage(p: readonly (readonly number[])[], cut: number): Set<number> {
  const n = p.length;
  // sums[i][j]: total link between clusters i and j; members[i] null once merged away.
  const sums = p.map((row) => [...row]);
  const members: (number[] | null)[] = p.map((_, i) => [i]);
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      const mi = members[i];
      if (!mi) continue;
      for (let j = i + 1; j < n; j++) {
        const mj = members[j];
        if (!mj) continue;
        const avg = sums[i]![j]! / (mi.length * mj.length);
        if (avg > best) {
          best = avg;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || best < cut) break;
    members[bi] = [...members[bi]!, ...members[bj]!];
    members[bj] = null;
    for (let k = 0; k < n; k++) {
      sums[bi]![k] = sums[k]![bi] = sums[bi]![k]! + sums[bj]![k]!;
    }
  }
  return new Set(members.find((m) => m?.includes(0)) ?? [0]);
}

function placeOverlap(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const s = new Set(a);
  let n = 0;
  for (const p of b) if (s.has(p)) n++;
  return n / Math.min(a.length, b.length);
}

const ENT_INDEX = FEATURES.indexOf("ent");
/** Lead entity tokens in more than this share of the store are not participants. */
const LEAD_ENT_MAX_DF = 0.1;
/** Rarity-weighted lead entities in common that count as shared participants. */
const RELATED_MIN_LEAD = 0.3;
/** Entity similarity that counts as shared participants for a related incident. */
const RELATED_MIN_ENT = 0.1;

/** Whether one article's home place (where its event happened) is named by the other. */
function sharesHome(a: ArticleFeatures, b: ArticleFeatures): boolean {
  const bp = new Set(b.places);
  const ap = new Set(a.places);
  return a.home.some((p) => bp.has(p)) || b.home.some((p) => ap.has(p));
}

/**
 * The decision for one scored candidate: the same event when the time-decayed P(same) reaches
 * `thSame`; a related incident when P(same kind) reaches `thRelated` and the two share a place
 * or participants (the same kind of event elsewhere is unrelated); otherwise nothing.
 */
export function decide(
  q: ArticleFeatures,
  c: Candidate,
  thSame: number,
  thRelated: number,
  requireShared = true,
): "same" | "related" | null {
  if (c.pSame * dateDecay(q.day, c.f.day) >= thSame) return "same";
  if (c.pTopic < thRelated) return null;
  if (!requireShared) return "related";
  return sharesHome(q, c.f) ||
    (c.x[ENT_INDEX] ?? 0) >= RELATED_MIN_ENT ||
    (c.leadShared ?? 0) >= RELATED_MIN_LEAD
    ? "related"
    : null;
}

/** Time decay of P(same event) when both event days are known: one week is free, then it fades. */
export function dateDecay(a: number | null, b: number | null): number {
  if (a === null || b === null) return 1;
  const d = Math.abs(a - b);
  return d <= 7 ? 1 : Math.exp(-(d - 7) / 30);
}

function whenOf(q: ArticleFeatures, c: ArticleFeatures): When {
  const qd = q.refDay ?? q.day;
  const cd = c.refDay ?? c.day;
  if (qd === null || cd === null || qd === cd) return "unknown";
  return cd < qd ? "earlier" : "later";
}

function reportArticle(f: ArticleFeatures): {
  id: string;
  url: string | null;
  title: string;
  source: string | null;
  published: string | null;
} {
  return { id: f.id, url: f.url, title: f.title, source: f.source, published: f.published };
}

function titleCase(s: string): string {
  return s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

type PlainFeatures = Omit<ArticleFeatures, "terms" | "past" | "ents" | "entNames" | "kinds" | "anchors"> & {
  terms: [string, number][];
  past: [string, number][];
  ents: [string, number][];
  entNames: [string, string][];
  kinds: [string, number][];
  anchors: string[];
};

function plainFeatures(f: ArticleFeatures): PlainFeatures {
  return {
    ...f,
    terms: [...f.terms],
    past: [...f.past],
    ents: [...f.ents],
    entNames: [...f.entNames],
    kinds: [...f.kinds],
    anchors: [...f.anchors],
  };
}

function fromPlain(p: PlainFeatures): ArticleFeatures {
  return {
    ...p,
    terms: new Map(p.terms),
    past: new Map(p.past),
    ents: new Map(p.ents),
    entNames: new Map(p.entNames),
    kinds: new Map(p.kinds),
    anchors: new Set(p.anchors),
  };
}
