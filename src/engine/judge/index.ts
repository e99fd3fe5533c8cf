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
import {
  decodeFeaturesLazy,
  Dict,
  encodeFeatures,
  Reader,
  readRecordIds,
  skimFeatures,
  Writer,
  type RecordIds,
  type Skim,
} from "./codec.js";
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

/** Stale neighbour lists a query computes and keeps until the next change (at most). */
const READ_LISTS_MAX = 4096;
/** Share of the store's size in adds and removals that idf and norm caches survive (large stores). */
const STALE_SHARE = 0.01;

/** Slots per article chunk (in memory and in a snapshot). */
const CHUNK_SLOTS = 1024;
/** Strings (and per-term entries) per dictionary chunk of a snapshot. */
const DICT_CHUNK = 16384;
/** Postings pool words per snapshot chunk (128 KB: an add rewrites the few its 64 postings touch). */
const POOL_CHUNK = 1 << 15;
/** Id lookups answered by scanning slot hashes after an import before the id → slot map is built. */
const ID_SCANS = 32;

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

/** A listed item as the matcher gives it: without the URL and title (read from the store). */
export type Matched<T> = Omit<T, "url" | "title">;

export interface MatchResult {
  sameEvent: Matched<SameEventItem>[];
  related: Matched<RelatedItem>[];
}

export interface MatcherOptions {
  /**
   * A related incident must share a place (one's home place named by the other) or participants
   * (entity similarity ≥ 0.1) with the query; the same kind of event elsewhere is unrelated.
   * On by default; the eval also reports the figures without it.
   */
  requireShared: boolean;
  /**
   * Snapshot chunking (tests use small ones to exercise many chunks): dictionary strings and
   * per-term entries per chunk (default 16,384), postings pool words per chunk (default 32,768).
   * An imported matcher keeps the snapshot's.
   */
  chunking?: { dict: number; pool: number };
}

interface Neighbour {
  slot: number;
  cos: number;
}

/** Words per postings block: the next block's index, then 7 entries (slot << 10 | tf). */
const BLOCK = 8;
const PER_BLOCK = BLOCK - 1;
const TF_BITS = 10;
/** Term frequencies above this count as this much in BM25 (it saturates long before). */
const TF_MAX = (1 << TF_BITS) - 1;
/** Slots addressable by a posting (4 M articles). */
const MAX_SLOTS = 2 ** (32 - TF_BITS);
/** Neighbour entries kept per stored article (rank beyond it is "not a neighbour"). */
const NEIGHBOUR_KEEP = 24;
/**
 * A stored neighbour list stays valid while the store's size is within this factor of the size
 * it was made at (new articles are inserted into it at add; only the idf drifts). Below
 * SMALL_STORE a list is exact: remade after any change.
 */
const LIST_GROWTH = 2;
/** Stale neighbour lists remade per add (amortises the refresh: the store doubles in N adds). */
const REFRESH_PER_ADD = 2;
/** Slots scanned per add for stale lists. */
const REFRESH_SCAN = 64;
/** Steps of a stored neighbour cosine (16 bits over [0, 1]: ±7.6e-6). */
const COS_UNIT = 0xffff;

function quantCos(cos: number): number {
  return Math.round(Math.min(1, Math.max(0, cos)) * COS_UNIT);
}

/** Hydrated features kept (candidates of recent queries). */
const HYDRATED = 512;
/**
 * Terms of each article in the postings: its most frequent ones (features keep them in that
 * order). Document frequencies, norms and cosines use all of an article's kept terms.
 */
const POSTED_TERMS = 64;
/** Query terms whose document frequency exceeds this share of the store are skipped by retrieval. */
const MAX_DF_SHARE = 1;

/** 1 + ln(tf) for the term frequencies records hold (the same doubles Math.log gives, looked up). */
const TF_WEIGHT = Float64Array.from({ length: 256 }, (_, tf) => 1 + Math.log(tf));

function tfWeight(tf: number): number {
  return tf < 256 ? TF_WEIGHT[tf]! : 1 + Math.log(tf);
}

/**
 * Slots per record chunk ("r/NNNNN" in a snapshot): small, so that the ~50 records a query scores
 * are read from few bytes when records are loaded on demand after a partial import.
 */
const REC_SLOTS = 64;

/** Records of REC_SLOTS slots: one byte arena, each slot's start and length in it. */
interface RecordChunk {
  buf: Uint8Array;
  used: number;
  garbage: number;
  start: Int32Array;
  len: Uint32Array;
  /** Imported without its bytes (a partial snapshot): supplied later by `supplyRecords`. */
  absent: boolean;
}

function newChunk(): RecordChunk {
  return {
    buf: new Uint8Array(16 * 1024),
    used: 0,
    garbage: 0,
    start: new Int32Array(REC_SLOTS).fill(-1),
    len: new Uint32Array(REC_SLOTS),
    absent: false,
  };
}

function recKey(c: number): string {
  return "r/" + String(c).padStart(5, "0");
}

/**
 * Thrown by a matcher imported from a partial snapshot when what it is asked needs records not
 * supplied yet: `keys` are the record chunks to read and pass to `supplyRecords` before asking
 * again. Reading is all it did: asking again after supplying them is safe.
 */
export class NeedRecords extends Error {
  constructor(readonly keys: string[]) {
    super(`records not loaded yet (${keys.length} chunks)`);
    this.name = "NeedRecords";
  }
}

/** 32-bit FNV-1a of a string (a fast pre-check of identity; equal strings are then compared). */
function hash32(s: string | null): number {
  if (s === null) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

/**
 * A second, independent 32-bit hash (FNV-1a from another offset basis, with a final mix): with
 * `hash32` it compares URLs, which records do not keep, at 64 bits.
 */
function hash32b(s: string | null): number {
  if (s === null) return 0;
  let h = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0 || 1;
}

/**
 * `a` with room for `need` entries: exactly `need` (an import), or an eighth more than now (adds:
 * a large index keeps little slack, and the copies stay amortised O(1) per entry).
 */
function grow<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array>(
  a: T,
  need: number,
  exact = false,
): T {
  if (need <= a.length) return a;
  const n = exact ? need : Math.max(16, need, a.length + Math.ceil(a.length / 8));
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** idf per token id, log(1 + (N + 1) / (df + 1)), cached for the store version it was computed at. */
class IdfCache {
  private val = new Float64Array(0);
  private ver = new Float64Array(0);

  get(id: number, df: ArrayLike<number>, count: number, version: number, dictSize: number): number {
    if (id < 0) return Math.log(1 + (count + 1) / 1);
    if (id >= this.val.length) {
      this.val = grow(this.val, dictSize);
      this.ver = grow(this.ver, dictSize);
    }
    if (this.ver[id] === version + 1) return this.val[id]!;
    const v = Math.log(1 + (count + 1) / (df[id]! + 1));
    this.val[id] = v;
    this.ver[id] = version + 1;
    return v;
  }
}

export class Matcher {
  /** Every token the index has seen (terms, entity tokens, places, anchors, names) → id. */
  private readonly dict = new Dict();
  private readonly writer = new Writer();
  private readonly chunks: RecordChunk[] = [];
  /** Slots in use or freed (the high-water mark). */
  private slotCount = 0;
  private readonly free: number[] = [];
  /** id → slot; null after an import until lookups make it worth building (see slotById). */
  private byId: Map<string, number> | null = new Map<string, number>();
  private idLookups = 0;
  // Per term id.
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private tailFill = new Uint8Array(1024);
  private df = new Uint32Array(1024);
  private entDf = new Uint32Array(1024);
  private anchorDf = new Uint32Array(1024);
  /** Postings blocks (block 0 unused: 0 means "none"). */
  private pool = new Uint32Array(BLOCK * 4096);
  private poolUsed = 1;
  private readonly freeBlocks: number[] = [];
  // Per slot.
  private lengths = new Uint32Array(1024);
  private chHash = new Uint32Array(1024);
  private urlHash = new Uint32Array(1024);
  /** A second hash of the URL (records do not keep it): self-exclusion compares both. */
  private urlHash2 = new Uint32Array(1024);
  private idHash = new Uint32Array(1024);
  /** Bumped when a slot is emptied: neighbour entries carry it, so stale ones are recognised. */
  private epoch = new Uint8Array(1024);
  private nbr = new Uint32Array(1024 * NEIGHBOUR_KEEP);
  /** Neighbour cosines quantised to 16 bits (COS_UNIT steps; cosines of tf·idf bags are in [0, 1]). */
  private nbrCos = new Uint16Array(1024 * NEIGHBOUR_KEEP);
  private nbrLen = new Uint8Array(1024);
  /** Store size when the slot's list was made (0: never). */
  private nbrMade = new Uint32Array(1024);
  /** Store version when the slot's list was made (exactness in a small store). */
  private nbrVersion = new Float64Array(1024);
  private normVal = new Float64Array(1024);
  private normVersion = new Float64Array(1024).fill(-1);
  private refreshCursor = 0;
  /** Retrieval scratch: score per slot and the slots touched (reused, no per-query Map). */
  private acc = new Float64Array(0);
  private touched = new Int32Array(1024);
  /** Dense query weights by term id, for cosines against records (reset after each use). */
  private dense = new Float64Array(1024);
  /** idf per term id, valid for the store version it was computed at. */
  private idfVal = new Float64Array(1024);
  private idfVersion = new Float64Array(1024).fill(-1);
  private denseIds: number[] = [];
  private denseOf: unknown = null;
  private readonly hydrated = new Map<number, ArticleFeatures>();
  private dictChunk: number;
  private poolChunk: number;
  private count = 0;
  private totalLength = 0;
  private version = 0;

  constructor(
    private readonly model: JudgeModel | null = WEIGHTS,
    private readonly options: MatcherOptions = { requireShared: true },
  ) {
    this.dictChunk = options.chunking?.dict ?? DICT_CHUNK;
    this.poolChunk = options.chunking?.pool ?? POOL_CHUNK;
  }

  get size(): number {
    return this.count;
  }

  /** Mutation counter; a snapshot records it, `exportIndex({ since })` compares against it. */
  private generation = 0;
  /** Generation at which each chunk of CHUNK_SLOTS slots last changed. */
  private chunkGen: number[] = [];
  /** Generation at which each dictionary chunk last grew. */
  private dictGen: number[] = [];

  /** Generation at which each chunk's neighbour lists last changed (persisted apart: they change often). */
  private listGen: number[] = [];

  private touchList(slot: number): void {
    this.listGen[Math.floor(slot / CHUNK_SLOTS)] = ++this.generation;
  }

  /** Generation at which each this.dictChunk range of per-term arrays (postings heads, df) last changed. */
  private termGen: number[] = [];
  /** Generation at which each this.poolChunk words of the postings pool last changed. */
  private poolGen: number[] = [];

  private touchTerm(t: number): void {
    this.termGen[Math.floor(t / this.dictChunk)] = ++this.generation;
  }

  private touchPool(word: number): void {
    this.poolGen[Math.floor(word / this.poolChunk)] = ++this.generation;
  }

  /** Generation at which each record chunk (REC_SLOTS slots) last changed. */
  private recGen: number[] = [];
  /** Record chunks imported without their bytes and not supplied yet. */
  private absentCount = 0;

  private touchSlot(slot: number): void {
    this.chunkGen[Math.floor(slot / CHUNK_SLOTS)] = ++this.generation;
    this.recGen[Math.floor(slot / REC_SLOTS)] = this.generation;
  }

  /** Record chunks not loaded yet (after a partial import), as snapshot keys. */
  missingRecords(): string[] {
    if (!this.absentCount) return [];
    const out: string[] = [];
    this.chunks.forEach((c, i) => {
      if (c.absent) out.push(recKey(i));
    });
    return out;
  }

  /**
   * Supplies record chunks of a partial import ("r/NNNNN" chunks of the same snapshot). Chunks
   * already present are ignored; a chunk that does not fit the slots' record extents throws.
   */
  supplyRecords(chunks: readonly SnapshotChunk[]): void {
    for (const { key, bytes } of chunks) {
      const i = Number(key.slice(2));
      const c = key.startsWith("r/") ? this.chunks[i] : undefined;
      if (!c) throw new Error(`not a record chunk of this index: ${key}`);
      if (!c.absent) continue;
      const p = unpackParts(bytes);
      if (!p || p.length !== 1) throw new Error(`malformed record chunk ${key}`);
      const buf = p[0]!;
      for (let j = 0; j < REC_SLOTS; j++)
        if (c.start[j]! >= 0 && c.start[j]! + c.len[j]! > buf.length)
          throw new Error(`short record chunk ${key}`);
      c.buf = buf;
      c.used = buf.length;
      c.absent = false;
      this.absentCount--;
    }
  }

  /** Throws NeedRecords when the records of any of these slots are not loaded. */
  private need(slots: Iterable<number>): void {
    if (!this.absentCount) return;
    const keys = new Set<string>();
    for (const slot of slots) {
      const c = Math.floor(slot / REC_SLOTS);
      if (slot >= 0 && this.chunks[c]?.absent) keys.add(recKey(c));
    }
    if (keys.size) throw new NeedRecords([...keys]);
  }

  /** Changes need every record (the host supplies them all before it adds or removes). */
  private mutable(): void {
    if (this.absentCount)
      throw new Error("Matcher: records still loading; supply them before changing the index");
  }

  /**
   * The index as binary chunks (see snapshot.ts): "m" (sizes, free slots and blocks),
   * "d/NNNN" (the dictionary, this.dictChunk strings each as one UTF-8 text and their UTF-16 ends,
   * append-only), "t/NNNN" (the per-term arrays of those ids: postings heads and tails, df),
   * "p/NNNN" (the postings pool, this.poolChunk words each), "a/NNNN" (the per-slot arrays of
   * CHUNK_SLOTS slots, with each record's extent in its record chunk), "n/NNNN" (their neighbour
   * lists) and "r/NNNNN" (the records of REC_SLOTS slots: what a partial import leaves out,
   * see `MatcherSnapshot.partial`). Every bulk part is a
   * typed array, so an import copies or views them and does no per-article work. With `since`,
   * only chunks changed after that generation are included; `keys` always lists the complete set.
   */
  exportIndex(opts: ExportOptions = {}): MatcherSnapshot {
    const since = opts.since ?? -1;
    const keys: string[] = ["m"];
    const chunks: SnapshotChunk[] = [];
    const m = new Writer(256);
    m.uint(this.slotCount);
    m.uint(this.count);
    m.uint(this.dict.size);
    m.uint(this.refreshCursor);
    m.uint(this.free.length);
    for (const f of this.free) m.uint(f);
    m.uint(this.poolUsed);
    m.uint(this.freeBlocks.length);
    for (const f of this.freeBlocks) m.uint(f);
    m.uint(this.totalLength);
    m.uint(this.dictChunk);
    m.uint(this.poolChunk);
    // The weight epoch (appended in index-7; a snapshot without it starts a new epoch at import):
    // changes since its start, its count, and the df at its start of the terms changed since.
    m.uint(this.version - this.epochVersion);
    m.uint(this.epochCount);
    const changed = [...this.dfAtStart.keys()].sort((a, b) => a - b);
    m.uint(changed.length);
    let prev = 0;
    for (const id of changed) {
      m.uint(id - prev);
      m.uint(this.dfAtStart.get(id)!);
      prev = id;
    }
    if (this.generation > since) chunks.push({ key: "m", bytes: bufferOf(m.done()) });
    const dictSize = this.dict.size;
    const nDict = Math.ceil(dictSize / this.dictChunk);
    for (let c = 0; c < nDict; c++) {
      const key = "d/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.dictGen[c] ?? 0) <= since) continue;
      const end = Math.min(dictSize, (c + 1) * this.dictChunk);
      const ends = new Uint32Array(end - c * this.dictChunk);
      const strs: string[] = [];
      let len = 0;
      for (let i = c * this.dictChunk; i < end; i++) {
        const str = this.dict.str(i);
        strs.push(str);
        ends[i - c * this.dictChunk] = len += str.length;
      }
      const hashes = this.dict.hashesOf(c * this.dictChunk, end);
      chunks.push({ key, bytes: packParts([ends, utf8.encode(strs.join("")), hashes]) });
    }
    this.ensureTerms(dictSize);
    for (let c = 0; c < nDict; c++) {
      const key = "t/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.termGen[c] ?? 0) <= since && (this.dictGen[c] ?? 0) <= since) continue;
      const a = c * this.dictChunk;
      const e = Math.min(dictSize, a + this.dictChunk);
      const parts = [this.head, this.tail, this.df, this.entDf, this.anchorDf, this.tailFill];
      chunks.push({ key, bytes: packParts(parts.map((x) => x.subarray(a, e))) });
    }
    const poolWords = this.poolUsed * BLOCK;
    for (let c = 0; c * this.poolChunk < poolWords; c++) {
      const key = "p/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.poolGen[c] ?? 0) <= since) continue;
      const part = this.pool.subarray(c * this.poolChunk, Math.min(poolWords, (c + 1) * this.poolChunk));
      chunks.push({ key, bytes: packParts([part]) });
    }
    const nChunks = Math.ceil(this.slotCount / CHUNK_SLOTS);
    for (let c = 0; c < nChunks; c++) {
      const key = "a/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.chunkGen[c] ?? 0) <= since) continue;
      const a = c * CHUNK_SLOTS;
      const e = Math.min(this.slotCount, a + CHUNK_SLOTS);
      const n = e - a;
      // Each slot's record extent in its record chunk as exported: live records packed in slot
      // order (the same layout every time for the same records, whatever the arena's garbage).
      const start = new Int32Array(n).fill(-1);
      const len = new Uint32Array(n);
      for (let r = a; r < e; r += REC_SLOTS) {
        const rc = this.chunks[r / REC_SLOTS]!;
        let used = 0;
        for (let i = 0; i < REC_SLOTS && r + i < e; i++) {
          if (rc.start[i]! < 0) continue;
          start[r + i - a] = used;
          len[r + i - a] = rc.len[i]!;
          used += rc.len[i]!;
        }
      }
      const slots = [this.lengths, this.chHash, this.urlHash, this.idHash].map((x) => x.subarray(a, e));
      const parts = [...slots, start, len, this.epoch.subarray(a, e), this.urlHash2.subarray(a, e)];
      chunks.push({ key, bytes: packParts(parts) });
    }
    // Records, REC_SLOTS slots a chunk (what a partial import leaves out and reads on demand).
    for (let c = 0; c * REC_SLOTS < this.slotCount; c++) {
      const key = recKey(c);
      keys.push(key);
      if ((this.recGen[c] ?? 0) <= since) continue;
      const rc = this.chunks[c]!;
      if (rc.absent) throw new NeedRecords([key]);
      let used = 0;
      for (let i = 0; i < REC_SLOTS; i++) if (rc.start[i]! >= 0) used += rc.len[i]!;
      const recs = new Uint8Array(used);
      used = 0;
      for (let i = 0; i < REC_SLOTS; i++) {
        const st = rc.start[i]!;
        if (st < 0) continue;
        recs.set(rc.buf.subarray(st, st + rc.len[i]!), used);
        used += rc.len[i]!;
      }
      chunks.push({ key, bytes: packParts([recs]) });
    }
    // Neighbour lists, in chunks of their own: an add changes the lists of articles all over
    // the store, and rewriting those is cheaper than rewriting their records.
    for (let c = 0; c < nChunks; c++) {
      const key = "n/" + String(c).padStart(4, "0");
      keys.push(key);
      if ((this.listGen[c] ?? 0) <= since && (this.chunkGen[c] ?? 0) <= since) continue;
      const a = c * CHUNK_SLOTS;
      const e = Math.min(this.slotCount, a + CHUNK_SLOTS);
      const len = this.nbrLen.slice(a, e);
      const made = this.nbrMade.slice(a, e);
      for (let slot = a; slot < e; slot++) if (!this.occupied(slot)) len[slot - a] = made[slot - a] = 0;
      for (let i = 0; i < e - a; i++) if (!len[i]) made[i] = 0;
      const nbr = this.nbr.subarray(a * NEIGHBOUR_KEEP, e * NEIGHBOUR_KEEP);
      const cos = this.nbrCos.subarray(a * NEIGHBOUR_KEEP, e * NEIGHBOUR_KEEP);
      chunks.push({ key, bytes: packParts([made, nbr, cos, len]) });
    }
    return { version: INDEX_VERSION, count: this.count, generation: this.generation, keys, chunks };
  }

  /**
   * A matcher from a snapshot (every chunk of `s.keys` in `s.chunks`), or null when the snapshot
   * was written by another INDEX_VERSION or is incomplete: the caller then rebuilds from articles.
   * No per-article work: per-term, per-slot and postings arrays are copied from the chunks, the
   * records are read in place (the chunks' buffers must not be changed afterwards), dictionary
   * strings are sliced from one decoded text per chunk, and the id map is built when needed.
   */
  static importIndex(
    s: MatcherSnapshot,
    model: JudgeModel | null = WEIGHTS,
    options: MatcherOptions = { requireShared: true },
  ): Matcher | null {
    if (s.version !== INDEX_VERSION) return null;
    const byKey = new Map(s.chunks.map((c) => [c.key, c.bytes]));
    // A partial snapshot may leave out record chunks (read on demand); nothing else.
    if (!s.keys.every((k) => byKey.has(k) || (s.partial && k.startsWith("r/")))) return null;
    const parts = (key: string, n: number): Uint8Array[] | null => {
      const b = byKey.get(key);
      const p = b ? unpackParts(b) : null;
      return p && p.length === n ? p : null;
    };
    const m = new Matcher(model, options);
    const meta = new Reader(new Uint8Array(byKey.get("m")!));
    const slotCount = meta.uint();
    const count = meta.uint();
    const dictSize = meta.uint();
    m.refreshCursor = meta.uint();
    const nFree = meta.uint();
    for (let i = 0; i < nFree; i++) m.free.push(meta.uint());
    const poolUsed = meta.uint();
    const nFreeBlocks = meta.uint();
    for (let i = 0; i < nFreeBlocks; i++) m.freeBlocks.push(meta.uint());
    m.totalLength = meta.uint();
    m.dictChunk = meta.uint();
    m.poolChunk = meta.uint();
    if (!m.dictChunk || !m.poolChunk) return null;
    let epoch: { behind: number; count: number; df: [number, number][] } | null = null;
    if (meta.pos < meta.buf.length) {
      const behind = meta.uint();
      const epochCount = meta.uint();
      const n = meta.uint();
      const df: [number, number][] = [];
      let id = 0;
      for (let i = 0; i < n; i++) {
        id += meta.uint();
        df.push([id, meta.uint()]);
      }
      if (meta.pos > meta.buf.length || df.some(([x]) => x >= dictSize)) return null;
      epoch = { behind, count: epochCount, df };
    }
    for (let c = 0; c * m.dictChunk < dictSize; c++) {
      const p = parts("d/" + String(c).padStart(4, "0"), 3);
      if (!p || p[2]!.length !== p[0]!.length) return null;
      const ends = u32(p[0]!);
      const text = fromUtf8.decode(p[1]!);
      if (ends.length === 0 || text.length !== ends[ends.length - 1]) return null;
      m.dict.load(text, ends, u32(p[2]!), m.dictChunk);
    }
    if (m.dict.size !== dictSize) return null;
    m.ensureTerms(dictSize, true);
    for (let c = 0; c * m.dictChunk < dictSize; c++) {
      const p = parts("t/" + String(c).padStart(4, "0"), 6);
      const n = Math.min(m.dictChunk, dictSize - c * m.dictChunk);
      if (!p || p[5]!.length !== n || p.slice(0, 5).some((x) => x.length !== 4 * n)) return null;
      const a = c * m.dictChunk;
      m.head.set(i32(p[0]!), a);
      m.tail.set(i32(p[1]!), a);
      m.df.set(u32(p[2]!), a);
      m.entDf.set(u32(p[3]!), a);
      m.anchorDf.set(u32(p[4]!), a);
      m.tailFill.set(p[5]!, a);
    }
    m.poolUsed = poolUsed;
    m.pool = new Uint32Array(Math.max(BLOCK * 4096, poolUsed * BLOCK));
    for (let c = 0; c * m.poolChunk < poolUsed * BLOCK; c++) {
      const p = parts("p/" + String(c).padStart(4, "0"), 1);
      const n = Math.min(m.poolChunk, poolUsed * BLOCK - c * m.poolChunk);
      if (!p || p[0]!.length !== 4 * n) return null;
      m.pool.set(u32(p[0]!), c * m.poolChunk);
    }
    m.slotCount = slotCount;
    m.ensureSlots(slotCount, true);
    let live = 0;
    for (let c = 0; c * CHUNK_SLOTS < slotCount; c++) {
      const p = parts("a/" + String(c).padStart(4, "0"), 8);
      const a = c * CHUNK_SLOTS;
      const n = Math.min(CHUNK_SLOTS, slotCount - a);
      if (!p || p[6]!.length !== n || [0, 1, 2, 3, 4, 5, 7].some((i) => p[i]!.length !== 4 * n)) return null;
      m.lengths.set(u32(p[0]!), a);
      m.chHash.set(u32(p[1]!), a);
      m.urlHash.set(u32(p[2]!), a);
      m.idHash.set(u32(p[3]!), a);
      m.urlHash2.set(u32(p[7]!), a);
      m.epoch.set(p[6]!, a);
      const start = i32(p[4]!);
      const len = u32(p[5]!);
      for (let r = 0; r < n; r += REC_SLOTS) {
        const rc = m.chunks[(a + r) / REC_SLOTS]!;
        const k = Math.min(REC_SLOTS, n - r);
        rc.start.set(start.subarray(r, r + k));
        rc.len.set(len.subarray(r, r + k));
        rc.garbage = 0;
        let used = 0;
        for (let i = 0; i < k; i++) {
          if (rc.start[i]! < 0) continue;
          live++;
          used = Math.max(used, rc.start[i]! + rc.len[i]!);
        }
        // The records stay where they are in the chunk's bytes (no copy); later writes append
        // after them (a grown arena is a copy), and a compaction copies the live ones out.
        const key = recKey((a + r) / REC_SLOTS);
        const rp = byKey.has(key) ? parts(key, 1) : null;
        if (rp) {
          if (used > rp[0]!.length) return null;
          rc.buf = rp[0]!;
          rc.used = rc.buf.length;
        } else if (s.partial && !byKey.has(key)) {
          rc.buf = new Uint8Array(0);
          rc.used = 0;
          rc.absent = true;
          m.absentCount++;
        } else return null;
      }
      const q = parts("n/" + String(c).padStart(4, "0"), 4);
      const k = n * NEIGHBOUR_KEEP;
      if (
        !q ||
        q[0]!.length !== 4 * n ||
        q[1]!.length !== 4 * k ||
        q[2]!.length !== 2 * k ||
        q[3]!.length !== n
      )
        return null;
      m.nbrMade.set(u32(q[0]!), a);
      m.nbr.set(u32(q[1]!), a * NEIGHBOUR_KEEP);
      m.nbrCos.set(new Uint16Array(q[2]!.buffer, q[2]!.byteOffset, k), a * NEIGHBOUR_KEEP);
      m.nbrLen.set(q[3]!, a);
      m.nbrVersion.fill(-1, a, a + n);
    }
    if (live !== count) return null;
    m.byId = null;
    m.count = count;
    m.generation = s.generation;
    if (epoch) {
      // The exporter's weight epoch, so the weights (and answers) are the exporter's.
      // (Versions are local: the epoch starts at 1, past the caches' unset tag of -1.)
      m.version = epoch.behind + 1;
      m.epochVersion = 1;
      m.epochCount = epoch.count;
      for (const [id, df] of epoch.df) m.dfAtStart.set(id, df);
    } else m.advanceEpoch(true);
    return m;
  }

  add(article: Article): void {
    this.mutable();
    if (this.slotById(article.id) !== undefined) this.remove(article.id);
    this.addFeatures(articleFeatures(article));
  }

  // ---- storage -------------------------------------------------------------------------

  /** Room for `n` term ids (doubling as terms are added; exactly `n` for an import: no slack). */
  private ensureTerms(n: number, exact = false): void {
    if (n <= this.head.length) return;
    this.head = grow(this.head, n, exact);
    this.tail = grow(this.tail, n, exact);
    this.tailFill = grow(this.tailFill, n, exact);
    this.df = grow(this.df, n, exact);
    this.entDf = grow(this.entDf, n, exact);
    this.anchorDf = grow(this.anchorDf, n, exact);
    this.dense = grow(this.dense, n, exact);
    const iv = this.idfVersion.length;
    this.idfVal = grow(this.idfVal, n, exact);
    this.idfVersion = grow(this.idfVersion, n, exact);
    this.idfVersion.fill(-1, iv);
  }

  /** Room for `n` slots (doubling as articles are added; exactly `n` for an import: no slack). */
  private ensureSlots(n: number, exact = false): void {
    if (n > MAX_SLOTS) throw new Error("index full");
    while (this.chunks.length * REC_SLOTS < n) this.chunks.push(newChunk());
    if (n <= this.lengths.length) return;
    this.lengths = grow(this.lengths, n, exact);
    this.chHash = grow(this.chHash, n, exact);
    this.urlHash = grow(this.urlHash, n, exact);
    this.urlHash2 = grow(this.urlHash2, n, exact);
    this.idHash = grow(this.idHash, n, exact);
    this.epoch = grow(this.epoch, n, exact);
    this.nbrLen = grow(this.nbrLen, n, exact);
    this.nbrMade = grow(this.nbrMade, n, exact);
    this.nbrVersion = grow(this.nbrVersion, n, exact);
    this.normVal = grow(this.normVal, n, exact);
    const nv = this.normVersion.length;
    this.normVersion = grow(this.normVersion, n, exact);
    this.normVersion.fill(-1, nv);
    this.nbr = grow(this.nbr, this.lengths.length * NEIGHBOUR_KEEP, exact);
    this.nbrCos = grow(this.nbrCos, this.lengths.length * NEIGHBOUR_KEEP, exact);
  }

  private setRecord(slot: number, bytes: Uint8Array): void {
    const c = this.chunks[Math.floor(slot / REC_SLOTS)]!;
    const i = slot % REC_SLOTS;
    if (c.start[i]! >= 0) c.garbage += c.len[i]!;
    if (c.used + bytes.length > c.buf.length) {
      if (c.garbage * 2 > c.used) this.compact(c);
      if (c.used + bytes.length > c.buf.length) {
        let size = c.buf.length * 2;
        while (size < c.used + bytes.length) size *= 2;
        const b = new Uint8Array(size);
        b.set(c.buf.subarray(0, c.used));
        c.buf = b;
      }
    }
    c.buf.set(bytes, c.used);
    c.start[i] = c.used;
    c.len[i] = bytes.length;
    c.used += bytes.length;
  }

  private clearRecord(slot: number): void {
    const c = this.chunks[Math.floor(slot / REC_SLOTS)]!;
    const i = slot % REC_SLOTS;
    if (c.start[i]! >= 0) c.garbage += c.len[i]!;
    c.start[i] = -1;
    c.len[i] = 0;
  }

  private compact(c: RecordChunk): void {
    const b = new Uint8Array(c.buf.length);
    let used = 0;
    for (let i = 0; i < REC_SLOTS; i++) {
      const s = c.start[i]!;
      if (s < 0) continue;
      b.set(c.buf.subarray(s, s + c.len[i]!), used);
      c.start[i] = used;
      used += c.len[i]!;
    }
    c.buf = b;
    c.used = used;
    c.garbage = 0;
  }

  private occupied(slot: number): boolean {
    return slot < this.slotCount && this.chunks[Math.floor(slot / REC_SLOTS)]!.start[slot % REC_SLOTS]! >= 0;
  }

  /** A reader at the start of a slot's record (terms come first). */
  private reader(slot: number): Reader {
    const c = this.chunks[Math.floor(slot / REC_SLOTS)]!;
    if (c.absent) throw new NeedRecords([recKey(Math.floor(slot / REC_SLOTS))]);
    return new Reader(c.buf, c.start[slot % REC_SLOTS]!);
  }

  /** The stored features of a slot, decoded (a small LRU keeps the recent ones). */
  private feat(slot: number): ArticleFeatures {
    const h = this.hydrated.get(slot);
    if (h) {
      this.hydrated.delete(slot);
      this.hydrated.set(slot, h);
      return h;
    }
    // Term, past and entity bags are built only if read (scoring compares them by token id).
    const f = decodeFeaturesLazy(this.reader(slot), this.dict);
    // Every token of a stored record is in the dictionary: its ids never go stale.
    this.idCache.set(f, { ...readRecordIds(this.reader(slot)), dictSize: Infinity });
    this.hydrated.set(slot, f);
    if (this.hydrated.size > HYDRATED) this.hydrated.delete(this.hydrated.keys().next().value!);
    return f;
  }

  private allocBlock(): number {
    let b = this.freeBlocks.pop();
    if (b === undefined) {
      b = this.poolUsed++;
      if (this.poolUsed * BLOCK > this.pool.length) this.pool = grow(this.pool, this.poolUsed * BLOCK);
    }
    this.pool[b * BLOCK] = 0;
    this.touchPool(b * BLOCK);
    return b;
  }

  private addPosting(t: number, slot: number, tf: number): void {
    const e = slot * (TF_MAX + 1) + Math.min(tf, TF_MAX);
    this.touchTerm(t);
    let tl = this.tail[t]!;
    if (tl === 0) {
      tl = this.allocBlock();
      this.head[t] = this.tail[t] = tl;
      this.tailFill[t] = 0;
    } else if (this.tailFill[t] === PER_BLOCK) {
      const nb = this.allocBlock();
      this.pool[tl * BLOCK] = nb;
      this.touchPool(tl * BLOCK);
      this.tail[t] = tl = nb;
      this.tailFill[t] = 0;
    }
    this.pool[tl * BLOCK + 1 + this.tailFill[t]!] = e;
    this.touchPool(tl * BLOCK);
    this.tailFill[t]!++;
  }

  private removePosting(t: number, slot: number): void {
    const pool = this.pool;
    const tl = this.tail[t]!;
    const fill = this.tailFill[t]!;
    let prevOfTail = 0;
    for (let b = this.head[t]!; b !== 0; b = pool[b * BLOCK]!) {
      if (pool[b * BLOCK] === tl) prevOfTail = b;
      const end = b === tl ? fill : PER_BLOCK;
      for (let j = 1; j <= end; j++) {
        if (pool[b * BLOCK + j]! >>> TF_BITS !== slot) continue;
        // Swap with the last entry, then shrink the tail.
        pool[b * BLOCK + j] = pool[tl * BLOCK + fill]!;
        this.touchPool(b * BLOCK);
        this.touchTerm(t);
        if (fill > 1) {
          this.tailFill[t] = fill - 1;
          return;
        }
        this.freeBlocks.push(tl);
        if (this.head[t] === tl) {
          this.head[t] = this.tail[t] = 0;
          this.tailFill[t] = 0;
          return;
        }
        if (!prevOfTail)
          for (prevOfTail = b; pool[prevOfTail * BLOCK] !== tl;) prevOfTail = pool[prevOfTail * BLOCK]!;
        pool[prevOfTail * BLOCK] = 0;
        this.touchPool(prevOfTail * BLOCK);
        this.tail[t] = prevOfTail;
        this.tailFill[t] = PER_BLOCK;
        return;
      }
    }
  }

  /** Adds precomputed features (the eval and a persisted index use this). */
  addFeatures(f: ArticleFeatures): void {
    this.mutable();
    if (this.slotById(f.id) !== undefined) this.remove(f.id);
    this.clearDense();
    const slot = this.free.pop() ?? this.slotCount++;
    this.ensureSlots(this.slotCount);
    const dictSize = this.dict.size;
    const bytes = encodeFeatures(f, this.dict, this.writer);
    this.dictGrew(dictSize);
    this.setRecord(slot, bytes);
    this.index(slot, f);
    this.idHash[slot] = hash32(f.id);
    this.byId?.set(f.id, slot);
    this.count++;
    this.totalLength += f.length;
    this.version++;
    this.advanceEpoch();
    this.touchSlot(slot);
    // The new article's neighbours, and the new article in theirs.
    const list = this.makeList(slot);
    for (const n of list) this.insertNeighbour(n.slot, slot, n.cos);
    this.refreshSome(slot);
  }

  /** Postings and document frequencies of a slot's record. */
  private index(slot: number, f: ArticleFeatures): void {
    this.ensureTerms(this.dict.size);
    const d = this.dict;
    let i = 0;
    for (const [t, tf] of f.terms) {
      const id = d.find(t);
      this.noteDf(id);
      this.df[id]!++;
      this.touchTerm(id);
      if (i++ < POSTED_TERMS) this.addPosting(id, slot, tf);
    }
    for (const t of f.ents.keys()) {
      const id = d.find(t);
      this.entDf[id]!++;
      this.touchTerm(id);
    }
    for (const t of f.anchors) {
      const id = d.find(t);
      this.anchorDf[id]!++;
      this.touchTerm(id);
    }
    this.lengths[slot] = f.length;
    this.chHash[slot] = hash32(f.contentHash);
    this.urlHash[slot] = hash32(f.url);
    this.urlHash2[slot] = hash32b(f.url);
    this.nbrLen[slot] = 0;
    this.nbrMade[slot] = 0;
    this.normVersion[slot] = -1;
  }

  private dictGrew(before: number): void {
    const after = this.dict.size;
    if (after === before) return;
    this.generation++;
    for (let c = Math.floor(before / this.dictChunk); c <= Math.floor((after - 1) / this.dictChunk); c++)
      this.dictGen[c] = this.generation;
  }

  remove(id: string): void {
    this.mutable();
    const slot = this.slotById(id);
    if (slot === undefined) return;
    const f = this.feat(slot);
    this.clearDense();
    this.byId?.delete(id);
    const d = this.dict;
    let i = 0;
    for (const t of f.terms.keys()) {
      const id = d.find(t);
      this.noteDf(id);
      this.df[id]!--;
      this.touchTerm(id);
      if (i++ < POSTED_TERMS) this.removePosting(id, slot);
    }
    for (const t of f.ents.keys()) {
      const id = d.find(t);
      this.entDf[id]!--;
      this.touchTerm(id);
    }
    for (const t of f.anchors) {
      const id = d.find(t);
      this.anchorDf[id]!--;
      this.touchTerm(id);
    }
    this.clearRecord(slot);
    this.hydrated.delete(slot);
    this.epoch[slot] = (this.epoch[slot]! + 1) & 0xff;
    this.nbrLen[slot] = 0;
    this.nbrMade[slot] = 0;
    this.free.push(slot);
    this.count--;
    this.totalLength -= f.length;
    this.version++;
    this.advanceEpoch();
    this.touchSlot(slot);
  }

  // ---- similarity primitives -------------------------------------------------------------

  /**
   * The weight epoch: the store version at which the idf and norm weights were fixed. Every weight
   * is a function of the store as it was at the epoch's start (its size, `epochCount`, and each
   * term's df then, `dfAtStart` for the terms changed since), never of when a cache entry happened
   * to be filled, so a matcher answers the same whatever queries ran in between, and an imported
   * matcher answers as the live one that exported it (a snapshot carries the epoch).
   */
  private epochVersion = 0;
  private epochCount = 0;
  private readonly dfAtStart = new Map<number, number>();

  /** Records a term's df as it was at the epoch's start, before its first change in the epoch. */
  private noteDf(id: number): void {
    if (!this.dfAtStart.has(id)) this.dfAtStart.set(id, this.df[id]!);
  }

  /**
   * After a change: a small store starts a new epoch at every change (exact weights); a larger one
   * when STALE_SHARE of its size in adds and removals has happened since (one add barely moves the
   * idf of a large store, and an add would otherwise recompute the norms of all its neighbours).
   * `force`: now (an import of a snapshot without its epoch).
   */
  private advanceEpoch(force = false): void {
    if (!force && this.count >= SMALL_STORE && this.version - this.epochVersion <= STALE_SHARE * this.count)
      return;
    this.epochVersion = this.version;
    this.epochCount = this.count;
    this.dfAtStart.clear();
  }

  /** Store version the cached idf and norms belong to. */
  private weightEpoch(): number {
    return this.epochVersion;
  }

  private idfOf(id: number): number {
    if (id < 0) return Math.log(1 + (this.epochCount + 0.5) / 0.5);
    const epoch = this.weightEpoch();
    if (this.idfVersion[id] === epoch) return this.idfVal[id]!;
    const df = this.dfAtStart.get(id) ?? this.df[id]!;
    const v = Math.log(1 + (this.epochCount - df + 0.5) / (df + 0.5));
    this.idfVal[id] = v;
    this.idfVersion[id] = epoch;
    return v;
  }

  private entDfOf(t: string): number {
    const id = this.dict.find(t);
    return id < 0 ? 0 : this.entDf[id]!;
  }

  private entIdf(t: string): number {
    return Math.log(1 + (this.count + 1) / (this.entDfOf(t) + 1));
  }

  private anchorIdf(t: string): number {
    const id = this.dict.find(t);
    return Math.log(1 + (this.count + 1) / ((id < 0 ? 0 : this.anchorDf[id]!) + 1));
  }

  /** tf·idf norm of a stored slot, from its record (cached for the store version). */
  private normOf(slot: number): number {
    const epoch = this.weightEpoch();
    if (this.normVersion[slot] === epoch) return this.normVal[slot]!;
    const r = this.reader(slot);
    const n = r.uint();
    let s = 0;
    for (let i = 0; i < n; i++) {
      const id = r.uint();
      const w = tfWeight(r.uint()) * this.idfOf(id);
      s += w * w;
    }
    const norm = Math.sqrt(s) || 1;
    this.normVal[slot] = norm;
    this.normVersion[slot] = epoch;
    return norm;
  }

  private norm(f: ArticleFeatures, slot: number | null): number {
    if (slot !== null) return this.normOf(slot);
    const ids = this.idsOf(f);
    let s = 0;
    for (let i = 0; i < ids.terms.length; i++) s += this.weightId(ids.terms[i]!, ids.termTf[i]!) ** 2;
    return Math.sqrt(s) || 1;
  }

  /** Loads a features object's term weights into the dense scratch vector (once per object). */
  private scatter(f: ArticleFeatures): void {
    if (this.denseOf === f) return;
    this.clearDense();
    this.ensureTerms(this.dict.size);
    const { terms, termTf } = this.idsOf(f);
    for (let i = 0; i < terms.length; i++) {
      const id = terms[i]!;
      if (id < 0) continue;
      this.dense[id] = tfWeight(termTf[i]!) * this.idfOf(id);
      this.denseIds.push(id);
    }
    this.denseOf = f;
  }

  /** `scatter` of a stored slot's features, read from its record (the same ids and weights). */
  private scatterSlot(slot: number): void {
    if (this.denseOf === slot) return;
    this.clearDense();
    this.ensureTerms(this.dict.size);
    const r = this.reader(slot);
    const n = r.uint();
    for (let i = 0; i < n; i++) {
      const id = r.uint();
      this.dense[id] = tfWeight(r.uint()) * this.idfOf(id);
      this.denseIds.push(id);
    }
    this.denseOf = slot;
  }

  private clearDense(): void {
    for (const id of this.denseIds) this.dense[id] = 0;
    this.denseIds.length = 0;
    this.denseOf = null;
  }

  /**
   * Dot product of the scattered bag with a stored slot's term weights. When the slot's norm is
   * not cached for the current weights it is computed in the same pass (one read of the record).
   */
  private denseDot(slot: number): number {
    const epoch = this.weightEpoch();
    const needNorm = this.normVersion[slot] !== epoch;
    const r = this.reader(slot);
    const n = r.uint();
    const dense = this.dense;
    let dot = 0;
    if (!needNorm) {
      for (let i = 0; i < n; i++) {
        const id = r.uint();
        const tf = r.uint();
        const q = dense[id]!;
        if (q !== 0) dot += q * tfWeight(tf) * this.idfOf(id);
      }
      return dot;
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      const id = r.uint();
      const tw = tfWeight(r.uint());
      const idf = this.idfOf(id);
      const w = tw * idf;
      s += w * w;
      const q = dense[id]!;
      if (q !== 0) dot += q * tw * idf;
    }
    this.normVal[slot] = Math.sqrt(s) || 1;
    this.normVersion[slot] = epoch;
    return dot;
  }

  /** Token ids of a features object's bags (cached per object: hydrated ones and queries). */
  private readonly idCache = new WeakMap<ArticleFeatures, TokenIds>();

  private idsOf(f: ArticleFeatures): TokenIds {
    let v = this.idCache.get(f);
    if (v && v.dictSize >= this.dict.size) return v;
    const d = this.dict;
    const ids = (xs: Iterable<string>): Int32Array => Int32Array.from(xs, (t) => d.find(t));
    v = {
      dictSize: d.size,
      terms: ids(f.terms.keys()),
      termTf: Uint32Array.from(f.terms.values()),
      past: ids(f.past.keys()),
      pastTf: Uint32Array.from(f.past.values()),
      ents: ids(f.ents.keys()),
      anchors: ids(f.anchors),
      titleTerms: ids(f.titleTerms),
      leadEnts: ids(f.leadEnts),
    };
    this.idCache.set(f, v);
    return v;
  }

  /** Scratch set over token ids: `mark[id] === stamp` means "in the set"; `markVal` a value. */
  private mark = new Uint32Array(1024);
  private markVal = new Float64Array(1024);
  private stamp = 0;

  private markAll(ids: Int32Array, vals?: Uint32Array): number {
    if (this.mark.length < this.dict.size) {
      this.mark = grow(this.mark, this.dict.size);
      this.markVal = grow(this.markVal, this.dict.size);
    }
    if (++this.stamp === 0xffffffff) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    const s = this.stamp;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      this.mark[id] = s;
      if (vals) this.markVal[id] = vals[i]!;
    }
    return s;
  }

  /** Entity and anchor idf per token id, valid for the store version they were computed at. */
  private readonly entIdfCache = new IdfCache();
  private readonly anchorIdfCache = new IdfCache();

  private entIdfId(id: number): number {
    return this.entIdfCache.get(id, this.entDf, this.count, this.version, this.dict.size);
  }

  private anchorIdfId(id: number): number {
    return this.anchorIdfCache.get(id, this.anchorDf, this.count, this.version, this.dict.size);
  }

  /** tf·idf weight of a term by id. */
  private weightId(id: number, tf: number): number {
    return (1 + Math.log(tf)) * this.idfOf(id);
  }

  /**
   * Past-incident cross similarity: the cosine of one report's recalled-incident terms with the
   * other's own terms (`na` the norm of `b`'s own terms), as the tf·idf cosine of the two bags.
   */
  private pastCos(a: TokenIds, b: TokenIds, nb: number): number {
    if (!a.past.length) return 0;
    const s = this.markAll(b.terms, b.termTf);
    let dot = 0;
    let na = 0;
    for (let i = 0; i < a.past.length; i++) {
      const id = a.past[i]!;
      const w = this.weightId(id, a.pastTf[i]!);
      na += w * w;
      if (id >= 0 && this.mark[id] === s) dot += w * this.weightId(id, this.markVal[id]!);
    }
    if (!dot) return 0;
    return dot / ((Math.sqrt(na) || 1) * nb);
  }

  /** Cosine of two stored slots (the first one's weights stay scattered for the next call). */
  private slotCos(sa: number, sb: number): number {
    this.scatterSlot(sa);
    const dot = this.denseDot(sb);
    return dot ? dot / (this.normOf(sa) * this.normOf(sb)) : 0;
  }

  private entSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.ents.size || !b.ents.size) return 0;
    const ia = this.idsOf(a).ents;
    const ib = this.idsOf(b).ents;
    const s = this.markAll(ib);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const id of ia) {
      const x = this.entIdfId(id);
      na += x * x;
      if (id >= 0 && this.mark[id] === s) dot += x * x;
    }
    for (const id of ib) nb += this.entIdfId(id) ** 2;
    return dot / Math.sqrt(na * nb);
  }

  /** An entity token rare enough to name a participant (in a small store: in ≤ 2 articles). */
  private rareEnt(id: number): boolean {
    return (id < 0 ? 0 : this.entDf[id]!) <= Math.max(2, LEAD_ENT_MAX_DF * this.count);
  }

  /**
   * Participants named in both leads: the summed share of entity tokens (each weighted by its
   * rarity in the store) that the two titles and first sentences have in common.
   */
  private leadShared(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.leadEnts.length || !b.leadEnts.length) return 0;
    const s = this.markAll(this.idsOf(b).leadEnts);
    const max = Math.log(1 + (this.count + 1));
    let sum = 0;
    for (const id of this.idsOf(a).leadEnts) {
      if (id < 0 || this.mark[id] !== s) continue;
      // Tokens in most articles (a generic word capitalised in titles) count for nothing.
      if (this.rareEnt(id)) sum += this.entIdfId(id) / max;
    }
    return sum;
  }

  /**
   * Participants of one lead that the other report never names (rarity-weighted share, mean of
   * both directions): two incidents of one kind told in the same words differ in who took part.
   */
  private leadMiss(a: ArticleFeatures, b: ArticleFeatures): number {
    const side = (x: TokenIds, y: TokenIds): number => {
      const s = this.markAll(y.ents);
      let all = 0;
      let miss = 0;
      for (const id of x.leadEnts) {
        if (!this.rareEnt(id)) continue;
        const w = this.entIdfId(id);
        all += w;
        if (id < 0 || this.mark[id] !== s) miss += w;
      }
      return all ? miss / all : 0;
    };
    const ia = this.idsOf(a);
    const ib = this.idsOf(b);
    return (side(ia, ib) + side(ib, ia)) / 2;
  }

  private anchorSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.anchors.size || !b.anchors.size) return 0;
    const ib = this.idsOf(b).anchors;
    const s = this.markAll(ib);
    let shared = 0;
    let sa = 0;
    let sb = 0;
    for (const id of this.idsOf(a).anchors) {
      const w = this.anchorIdfId(id);
      sa += w;
      if (id >= 0 && this.mark[id] === s) shared += w;
    }
    for (const id of ib) sb += this.anchorIdfId(id);
    // Cosine-like: a page with one anchor that happens to be shared does not score 1.
    return shared / Math.sqrt(sa * sb);
  }

  private titleSim(a: ArticleFeatures, b: ArticleFeatures): number {
    if (!a.titleTerms.length || !b.titleTerms.length) return 0;
    const ib = this.idsOf(b).titleTerms;
    const s = this.markAll(ib);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const id of this.idsOf(a).titleTerms) {
      const x = this.idfOf(id) ** 2;
      na += x;
      if (id >= 0 && this.mark[id] === s) dot += x;
    }
    for (const id of ib) nb += this.idfOf(id) ** 2;
    return dot / Math.sqrt(na * nb);
  }

  // ---- retrieval -------------------------------------------------------------------------

  /** Identity of the current query, for self-exclusion by slot. */
  private selfOf: ArticleFeatures | null = null;
  private selfSlot = -1;
  private selfCh = 0;
  private selfUrl = 0;
  private selfUrl2 = 0;

  /** Whether a stored slot is the query itself (same id, same text or same URL). */
  private isSelfSlot(q: ArticleFeatures, slot: number): boolean {
    if (this.selfOf !== q) {
      this.selfOf = q;
      this.selfSlot = this.slotById(q.id) ?? -1;
      this.selfCh = hash32(q.contentHash);
      this.selfUrl = q.url === null ? -1 : hash32(q.url);
      this.selfUrl2 = hash32b(q.url);
    }
    if (slot === this.selfSlot) return true;
    // The same URL: both 32-bit hashes equal (records do not keep URLs).
    if (this.urlHash[slot] === this.selfUrl && this.urlHash2[slot] === this.selfUrl2) return true;
    if (this.chHash[slot] !== this.selfCh) return false;
    const f = this.feat(slot);
    return f.id === q.id || f.contentHash === q.contentHash;
  }

  /** BM25 over the query's top terms; returns [slot, score] best first, the query excluded. */
  private retrieve(q: ArticleFeatures, k: number, maxTerms = QUERY_TERMS): [number, number][] {
    const { terms, termTf } = this.idsOf(q);
    return this.retrieveIds(terms, termTf, k, maxTerms, (slot) => this.isSelfSlot(q, slot));
  }

  /**
   * `retrieve` for a stored slot's own terms, read from its record (no decoding). Self is what
   * `isSelfSlot` finds for the slot's decoded features (which have no URL): the slot itself, or
   * a slot with the same id or content hash.
   */
  private retrieveSlot(slot: number, k: number, maxTerms: number): [number, number][] {
    const r = this.reader(slot);
    const n = r.uint();
    const terms = new Int32Array(n);
    const tf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      terms[i] = r.uint();
      tf[i] = r.uint();
    }
    const ch = this.chHash[slot];
    let id: string | null = null;
    let contentHash = "";
    const isSelf = (s: number): boolean => {
      if (s === slot) return true;
      if (this.chHash[s] !== ch) return false;
      if (id === null) {
        skimFeatures(this.reader(slot), this.skim);
        id = this.skim.id;
        contentHash = this.skim.contentHash;
      }
      const f = this.feat(s);
      return f.id === id || f.contentHash === contentHash;
    };
    return this.retrieveIds(terms, tf, k, maxTerms, isSelf);
  }

  private retrieveIds(
    qIds: Int32Array,
    qTf: Uint32Array,
    k: number,
    maxTerms: number,
    isSelf: (slot: number) => boolean,
  ): [number, number][] {
    const qs = Array.from(qIds, (id, i) => [id, (1 + Math.log(qTf[i]!)) * this.idfOf(id)] as const);
    qs.sort((x, y) => y[1] - x[1]);
    if (this.acc.length < this.slotCount)
      this.acc = new Float64Array(this.slotCount + (this.slotCount >> 3) + 1024);
    const acc = this.acc;
    let touched = this.touched;
    let nTouched = 0;
    const avg = this.count ? this.totalLength / this.count : 1;
    const lengths = this.lengths;
    const pool = this.pool;
    const maxDf = MAX_DF_SHARE * this.count;
    // In a small store the terms all reports of one event share have the lowest idf and would
    // fall out of the top terms: use every kept term there (it is cheap at that size).
    const nTerms = Math.min(qs.length, this.count < SMALL_STORE ? qs.length : maxTerms);
    for (let qi = 0; qi < nTerms; qi++) {
      const t = qs[qi]![0];
      if (t < 0 || this.head[t] === 0) continue;
      if (this.count >= SMALL_STORE && this.df[t]! > maxDf) continue;
      const idf = this.idfOf(t);
      const tl = this.tail[t]!;
      for (let b = this.head[t]!; b !== 0; b = pool[b * BLOCK]!) {
        const end = b * BLOCK + (b === tl ? this.tailFill[t]! : PER_BLOCK);
        for (let j = b * BLOCK + 1; j <= end; j++) {
          const e = pool[j]!;
          const slot = e >>> TF_BITS;
          const tf = e & TF_MAX;
          const s =
            (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * lengths[slot]!) / avg));
          if (acc[slot] === 0) {
            if (nTouched === touched.length) this.touched = touched = grow(touched, nTouched + 1);
            touched[nTouched++] = slot;
          }
          acc[slot] = acc[slot]! + s;
        }
      }
    }
    // Bounded heap of the k best (score descending, slot ascending), the query excluded.
    const hs = new Float64Array(k);
    const hslot = new Int32Array(k);
    let n = 0;
    const worse = (i: number, j: number): boolean =>
      hs[i]! < hs[j]! || (hs[i] === hs[j] && hslot[i]! > hslot[j]!);
    for (let i = 0; i < nTouched; i++) {
      const slot = touched[i]!;
      const s = acc[slot]!;
      acc[slot] = 0;
      if (n === k && (s < hs[0]! || (s === hs[0] && slot > hslot[0]!))) continue;
      let self: boolean;
      try {
        self = isSelf(slot);
      } catch (e) {
        // A record not loaded yet (NeedRecords): leave the accumulator clean for the retry.
        for (let j = i + 1; j < nTouched; j++) acc[touched[j]!] = 0;
        throw e;
      }
      if (self) continue;
      let p: number;
      if (n < k) {
        p = n++;
        hs[p] = s;
        hslot[p] = slot;
        while (p > 0) {
          const parent = (p - 1) >> 1;
          if (!worse(p, parent)) break;
          swap(hs, hslot, p, parent);
          p = parent;
        }
        continue;
      }
      p = 0;
      hs[0] = s;
      hslot[0] = slot;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < n && worse(l, m)) m = l;
        if (r < n && worse(r, m)) m = r;
        if (m === p) break;
        swap(hs, hslot, p, m);
        p = m;
      }
    }
    const out: [number, number][] = [];
    for (let i = 0; i < n; i++) out.push([hslot[i]!, hs[i]!]);
    out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return out;
  }

  // ---- neighbour lists -------------------------------------------------------------------

  /** Whether a slot's stored neighbour list can be used as it is. */
  private listValid(slot: number): boolean {
    const made = this.nbrMade[slot]!;
    if (!made) return false;
    if (this.count < SMALL_STORE) return this.nbrVersion[slot] === this.version;
    return this.count <= made * LIST_GROWTH && this.count * LIST_GROWTH >= made;
  }

  /**
   * A slot's neighbour list as the store stands: its nearest stored articles by cosine, the
   * cosines quantised as a stored list holds them (so a list reads the same stored or not).
   */
  private computeList(slot: number): Neighbour[] {
    const hits = this.retrieveSlot(slot, CANDIDATES, NEIGHBOUR_TERMS);
    this.need(hits.map(([s]) => s));
    const list: Neighbour[] = hits.map(([s]) => ({ slot: s, cos: this.slotCos(slot, s) }));
    list.sort((a, b) => b.cos - a.cos || a.slot - b.slot);
    return list
      .filter((n) => n.cos >= NEIGHBOUR_FLOOR)
      .slice(0, NEIGHBOUR_KEEP)
      .map((n) => ({ slot: n.slot, cos: quantCos(n.cos) / COS_UNIT }));
  }

  /**
   * Computes and stores a slot's neighbour list. Only changes (add, and the refresh an add
   * drives) store lists: a query never does, so answers do not depend on which queries ran.
   */
  private makeList(slot: number): Neighbour[] {
    const kept = this.computeList(slot);
    const base = slot * NEIGHBOUR_KEEP;
    kept.forEach((n, i) => {
      this.nbr[base + i] = n.slot * 256 + this.epoch[n.slot]!;
      this.nbrCos[base + i] = quantCos(n.cos);
    });
    this.nbrLen[slot] = kept.length;
    this.nbrMade[slot] = Math.max(1, this.count);
    this.nbrVersion[slot] = this.version;
    this.touchList(slot);
    return kept;
  }

  /** Lists computed for reading at `readListsVersion` (stale stored lists, remade by a query). */
  private readonly readLists = new Map<number, Neighbour[]>();
  private readListsVersion = -1;

  /** Puts `other` into a slot's list when it is among the slot's nearest. */
  private insertNeighbour(slot: number, other: number, cos: number): void {
    if (!this.nbrMade[slot]) return;
    const base = slot * NEIGHBOUR_KEEP;
    const len = this.nbrLen[slot]!;
    const qc = quantCos(cos);
    let i = len;
    while (i > 0 && this.nbrCos[base + i - 1]! < qc) i--;
    if (i >= NEIGHBOUR_KEEP) return;
    const last = Math.min(len, NEIGHBOUR_KEEP - 1);
    for (let j = last; j > i; j--) {
      this.nbr[base + j] = this.nbr[base + j - 1]!;
      this.nbrCos[base + j] = this.nbrCos[base + j - 1]!;
    }
    this.nbr[base + i] = other * 256 + this.epoch[other]!;
    this.nbrCos[base + i] = qc;
    this.nbrLen[slot] = last + 1;
    this.touchList(slot);
  }

  /** Remakes a few stale lists (round robin), so that reads rarely find one stale. */
  private refreshSome(except: number): void {
    if (this.count < SMALL_STORE) return;
    let done = 0;
    for (let i = 0; i < REFRESH_SCAN && done < REFRESH_PER_ADD; i++) {
      const s = this.refreshCursor;
      this.refreshCursor = (s + 1) % this.slotCount;
      if (s !== except && this.occupied(s) && !this.listValid(s)) {
        this.makeList(s);
        done++;
      }
    }
  }

  /**
   * A stored article's nearest neighbours by cosine (kept at add; remade by the add-driven
   * refresh when the store has changed much since, computed afresh when read before that; a
   * removed neighbour is left out).
   */
  private neighbours(slot: number): Neighbour[] {
    if (!this.occupied(slot)) return [];
    if (!this.listValid(slot)) {
      // Not stored (a query leaves the index as it was), but kept while the store is unchanged.
      if (this.readListsVersion !== this.version || this.readLists.size >= READ_LISTS_MAX) {
        this.readLists.clear();
        this.readListsVersion = this.version;
      }
      let list = this.readLists.get(slot);
      if (!list) {
        list = this.computeList(slot);
        this.readLists.set(slot, list);
      }
      return list;
    }
    const base = slot * NEIGHBOUR_KEEP;
    const len = this.nbrLen[slot]!;
    const out: Neighbour[] = [];
    for (let i = 0; i < len; i++) {
      const e = this.nbr[base + i]!;
      const s = Math.floor(e / 256);
      // A removed neighbour is left out (its slot emptied or reused since).
      if (!this.occupied(s) || this.epoch[s] !== e % 256) continue;
      out.push({ slot: s, cos: this.nbrCos[base + i]! / COS_UNIT });
    }
    return out;
  }

  // ---- scoring ---------------------------------------------------------------------------

  /** Features of the query: the stored ones when the query is in the store, else computed. */
  private queryFeatures(query: Article): { q: ArticleFeatures; qSlot: number | null } {
    const slot = this.slotById(query.id);
    const stored = slot !== undefined ? this.feat(slot) : null;
    if (slot !== undefined && stored && stored.contentHash === query.contentHash) {
      // The query's own URL counts for self-exclusion (records keep no URL); same token ids.
      const q = withChanges(stored, { url: query.url, title: query.title });
      const ids = this.idCache.get(stored);
      if (ids) this.idCache.set(q, ids);
      return { q, qSlot: slot };
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
    // After a partial import: every candidate's record in one request (then their lists).
    this.need(hits.map(([slot]) => slot));
    const qNorm = this.norm(q, qSlot);
    const list: Candidate[] = hits.map(([slot, bm25]) => {
      const f = this.feat(slot);
      this.scatter(q);
      const dot = this.denseDot(slot);
      return {
        slot,
        f,
        bm25,
        cos: dot ? dot / (qNorm * this.normOf(slot)) : 0,
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
        const nl = this.neighbours(c.slot).filter((n) => n.slot !== qSlot && !this.isSelfSlot(q, n.slot));
        let rr = 0;
        while (rr < nl.length && nl[rr]!.cos > c.cos) rr++;
        recipInv = rr < CANDIDATES ? 1 / (1 + rr) : 0;
        const cTop = nl.slice(0, NEIGHBOURS).map((n) => n.slot);
        let shared = 0;
        for (const s of cTop) if (qTop.has(s)) shared++;
        const denom = Math.min(cTop.length, qTop.size - (qTop.has(c.slot) ? 1 : 0));
        nbrOverlap = shared / (Math.max(0, denom) + 1);
      }
      const qi = this.idsOf(q);
      const ci = this.idsOf(c.f);
      const pastCross = Math.max(this.pastCos(qi, ci, this.normOf(c.slot)), this.pastCos(ci, qi, qNorm));
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
    const la = this.neighbourSlots(sa);
    const lb = this.neighbourSlots(sb);
    // The first NEIGHBOURS of each list without the other article (a list holds a slot once).
    let ta = 0;
    for (let i = 0; i < la.length && ta < NEIGHBOURS; i++) if (la[i] !== sb) ta++;
    let shared = 0;
    let tb = 0;
    for (let i = 0; i < lb.length && tb < NEIGHBOURS; i++) {
      const s = lb[i]!;
      if (s === sa) continue;
      tb++;
      let na = 0;
      for (let j = 0; j < la.length && na < NEIGHBOURS; j++) {
        if (la[j] === sb) continue;
        na++;
        if (la[j] === s) {
          shared++;
          break;
        }
      }
    }
    const denom = Math.min(ta, tb);
    const ra = la.indexOf(sb);
    const rb = lb.indexOf(sa);
    const recip = ((ra < 0 ? 0 : 1 / (1 + ra)) + (rb < 0 ? 0 : 1 / (1 + rb))) / 2;
    return { overlap: shared / (denom + 1), recip };
  }

  /** Slots of `neighbours(slot)`, kept for the current store version (stage 2 reads each often). */
  private nbrSlots = new Map<number, number[]>();
  private nbrSlotsVersion = -1;

  private neighbourSlots(slot: number): number[] {
    if (this.nbrSlotsVersion !== this.version || this.nbrSlots.size > HYDRATED) {
      this.nbrSlots.clear();
      this.nbrSlotsVersion = this.version;
    }
    let v = this.nbrSlots.get(slot);
    if (!v) {
      v = this.neighbours(slot).map((n) => n.slot);
      this.nbrSlots.set(slot, v);
    }
    return v;
  }

  /** Link features between two stored articles (clustering step), in LINK_FEATURES order. */
  linkFeatures(sa: number, sb: number): number[] {
    const a = this.feat(sa);
    const b = this.feat(sb);
    const nb = this.neighbourAgreement(sa, sb);
    return [
      this.slotCos(sa, sb),
      this.entSim(a, b),
      placeOverlap(a.places, b.places),
      this.anchorSim(a, b),
      this.titleSim(a, b),
      Math.max(
        this.pastCos(this.idsOf(a), this.idsOf(b), this.normOf(sb)),
        this.pastCos(this.idsOf(b), this.idsOf(a), this.normOf(sa)),
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
    return this.slotById(id);
  }

  /**
   * Slot of a stored id. After an import the id map is not built: the first lookups scan the
   * slots' 32-bit id hashes (~0.1 ms at 100k) and check the record's id on a match; after
   * ID_SCANS of them the map is built from the records once.
   */
  private slotById(id: string): number | undefined {
    if (this.byId) return this.byId.get(id);
    if (++this.idLookups > ID_SCANS && !this.absentCount) {
      const m = new Map<string, number>();
      for (let slot = 0; slot < this.slotCount; slot++) if (this.occupied(slot)) m.set(this.idOf(slot), slot);
      this.byId = m;
      return m.get(id);
    }
    const h = hash32(id);
    const ids = this.idHash;
    for (let slot = 0; slot < this.slotCount; slot++)
      if (ids[slot] === h && this.occupied(slot) && this.idOf(slot) === id) return slot;
    return undefined;
  }

  /** The id in a slot's record. */
  private idOf(slot: number): string {
    skimFeatures(this.reader(slot), this.skim);
    return this.skim.id;
  }

  private readonly skim: Skim = { terms: [], ents: [], anchors: [], id: "", contentHash: "" };

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

  /**
   * The reports of the query's event and the related incidents, best first. Items carry the id,
   * source and publication date the index keeps; the URL and title a report shows are the
   * stored article's (`Engine.analyze` reads them for the listed items).
   */
  match(query: Article): MatchResult {
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

  /** The keys of a features object's term and entity bags, in order (the last object's kept). */
  private keysFor: ArticleFeatures | null = null;
  private keysVal: { terms: string[]; ents: string[] } = { terms: [], ents: [] };

  private keysOf(f: ArticleFeatures): { terms: string[]; ents: string[] } {
    if (this.keysFor !== f) {
      this.keysVal = { terms: [...f.terms.keys()], ents: [...f.ents.keys()] };
      this.keysFor = f;
    }
    return this.keysVal;
  }

  private why(q: ArticleFeatures, c: ArticleFeatures): Why {
    const people: string[] = [];
    const seen = new Set<string>();
    const placeSet = new Set(c.places);
    const places = q.places.filter((p) => placeSet.has(p)).map(titleCase);
    const placeTokens = new Set(q.places.flatMap((p) => p.split(" ")));
    // By token ids (the bags' order): shared tokens found with a marked set of the candidate's
    // ids, sort keys computed once per token; strings only for what is shown.
    const qi = this.idsOf(q);
    const ci = this.idsOf(c);
    const keys = this.keysOf(q);
    let mk = this.markAll(ci.ents);
    const sharedAt: number[] = [];
    for (let i = 0; i < qi.ents.length; i++) {
      const id = qi.ents[i]!;
      if (id >= 0 && this.mark[id] === mk && !placeTokens.has(keys.ents[i]!)) sharedAt.push(i);
    }
    const entDf = sharedAt.map((i) => this.entDf[qi.ents[i]!]!);
    const entOrder = sharedAt.map((_, j) => j).sort((x, y) => entDf[x]! - entDf[y]!);
    for (const j of entOrder) {
      const t = keys.ents[sharedAt[j]!]!;
      const name = q.entNames.get(t) ?? t;
      if (seen.has(name)) continue;
      seen.add(name);
      people.push(name);
      if (people.length >= 5) break;
    }
    // The six heaviest shared terms, ties in the query's order (what a stable sort gives).
    mk = this.markAll(ci.terms, ci.termTf);
    const topAt: number[] = [];
    const topW: number[] = [];
    for (let k = 0; k < qi.terms.length; k++) {
      const id = qi.terms[k]!;
      if (id < 0 || this.mark[id] !== mk) continue;
      const wk = this.weightId(id, this.markVal[id]!);
      let i = topW.length;
      while (i > 0 && topW[i - 1]! < wk) i--;
      if (i >= 6) continue;
      topAt.splice(i, 0, k);
      topW.splice(i, 0, wk);
      if (topAt.length > 6) {
        topAt.pop();
        topW.pop();
      }
    }
    const terms = topAt.map((k) => keys.terms[k]!);
    let date: string;
    if (q.day !== null && c.day !== null) {
      const d = c.day - q.day;
      date =
        d === 0
          ? `same day (${dayToIso(c.day)})`
          : `${Math.abs(d)} day${Math.abs(d) === 1 ? "" : "s"} ${d < 0 ? "earlier" : "later"} (${dayToIso(c.day)})`;
    } else if (c.day !== null) date = `dated ${dayToIso(c.day)}; the query has no date`;
    else date = "no date to compare";
    return { people, places, date, terms };
  }
}

/** A copy of features with some fields changed (keeping a lazily decoded record's prototype). */
function withChanges(f: ArticleFeatures, changes: Partial<ArticleFeatures>): ArticleFeatures {
  return Object.assign(Object.create(Object.getPrototypeOf(f) as object) as ArticleFeatures, f, changes);
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

/** A listed article as the index knows it: no URL or title (the engine reads those from the store). */
function reportArticle(f: ArticleFeatures): { id: string; source: string | null; published: string | null } {
  return { id: f.id, source: f.source, published: f.published };
}

function titleCase(s: string): string {
  return s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

function swap(s: Float64Array, t: Int32Array, i: number, j: number): void {
  const x = s[i]!;
  s[i] = s[j]!;
  s[j] = x;
  const y = t[i]!;
  t[i] = t[j]!;
  t[j] = y;
}

/** The bytes of a view as a standalone ArrayBuffer (what a snapshot chunk holds). */
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A chunk of typed arrays: u32 count, u32 byte length of each, then each padded to 4 bytes. */
function packParts(parts: ArrayBufferView[]): ArrayBuffer {
  let size = 4 + 4 * parts.length;
  for (const p of parts) size += (p.byteLength + 3) & ~3;
  const out = new Uint8Array(size);
  const head = new Uint32Array(out.buffer, 0, 1 + parts.length);
  head[0] = parts.length;
  let pos = 4 + 4 * parts.length;
  parts.forEach((p, i) => {
    head[1 + i] = p.byteLength;
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), pos);
    pos += (p.byteLength + 3) & ~3;
  });
  return out.buffer;
}

/** The parts of a `packParts` chunk, as byte views over it (null when malformed). */
function unpackParts(buf: ArrayBuffer): Uint8Array[] | null {
  if (buf.byteLength < 4) return null;
  const n = new Uint32Array(buf, 0, 1)[0]!;
  if (4 + 4 * n > buf.byteLength) return null;
  const head = new Uint32Array(buf, 4, n);
  let pos = 4 + 4 * n;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const len = head[i]!;
    if (pos + len > buf.byteLength) return null;
    out.push(new Uint8Array(buf, pos, len));
    pos += (len + 3) & ~3;
  }
  return out;
}

function u32(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
}

function i32(b: Uint8Array): Int32Array {
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
}

function bufferOf(b: Uint8Array): ArrayBuffer {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
    ? (b.buffer as ArrayBuffer)
    : (b.slice().buffer as ArrayBuffer);
}

/** Token ids of one features object's bags, in the bags' order (-1: not in the dictionary). */
interface TokenIds extends RecordIds {
  /** Dictionary size when made (a query's unknown tokens may be added later). */
  dictSize: number;
}
