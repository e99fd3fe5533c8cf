/**
 * Compact binary form of an article's judgement features (`ArticleFeatures`): every token is an
 * id of one append-only dictionary, numbers are varints, the sketch is delta-coded. The matcher
 * keeps only these bytes per article and decodes ("hydrates") the few candidates it scores.
 *
 * Record layout (varints unless said): terms (count, then id, tf pairs: first, so that a cosine
 * can read them without decoding the rest), past (count, id, tf), ents (count, then id, tf and
 * name id + 1 or 0), titleTerms, places, home, leadEnts, leadNums (count, ids), kinds (count,
 * id, n), anchors (count, ids), day and refDay (zigzag + 1, 0 = null), sketch (count, sorted
 * flag, deltas of the hashes without their SKETCH_DROP_BITS low bits),
 * source and published (dictionary id + 1, 0 = null), then the id as length-prefixed UTF-8
 * (length + 1, 0 = null) and the content hash (1 and its 8 bytes when it is 16 hex digits, else
 * 0 and the string). The URL and title are not kept: the judgement compares URLs by the
 * matcher's per-slot 64-bit hashes, and a report reads both from the store for the articles it
 * lists. A decoded record has `url` null and `title` "".
 */
import { SKETCH_DROP_BITS, type ArticleFeatures } from "./features.js";

const SKETCH_UNIT = 2 ** SKETCH_DROP_BITS;

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * String ↔ integer id, append-only (ids never change, so stored records stay valid). Strings
 * are kept packed as loaded (one decoded text per part plus the UTF-16 end of each string) or
 * in a list when added; lookups go through an open-addressing table of ids keyed by each
 * string's FNV-1a hash, built from the hashes (kept per id, persisted) on the first lookup, so
 * a loaded dictionary neither slices its strings nor hashes them again.
 */
export class Dict {
  private readonly added: string[] = [];
  private readonly parts: { text: string; ends: Uint32Array }[] = [];
  private packed = 0;
  private partSize = 1;
  private hashes: Uint32Array = new Uint32Array(1024);
  /** id + 1 per cell (0: empty); null until the first lookup after a load. */
  private table: Int32Array | null = new Int32Array(2048);

  get size(): number {
    return this.packed + this.added.length;
  }

  /**
   * Appends `ends.length` strings packed in `text` with their hashes (`fnv1a`); every part but
   * the last holds `partSize` strings. Only before any string is added.
   */
  load(text: string, ends: Uint32Array, hashes: Uint32Array, partSize: number): void {
    if (this.added.length) throw new Error("Dict.load after add");
    this.partSize = partSize;
    this.parts.push({ text, ends });
    this.hashes = grow32(this.hashes, this.packed + ends.length);
    this.hashes.set(hashes, this.packed);
    this.packed += ends.length;
    this.table = null;
  }

  /** The hashes of ids [a, e) (for a snapshot). */
  hashesOf(a: number, e: number): Uint32Array {
    return this.hashes.subarray(a, e);
  }

  private cells(): Int32Array {
    if (this.table && this.table.length >= 2 * this.size) return this.table;
    let n = 2048;
    while (n < 2 * this.size) n *= 2;
    const t = new Int32Array(n);
    const mask = n - 1;
    const hs = this.hashes;
    for (let id = 0; id < this.size; id++) {
      let i = hs[id]! & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = id + 1;
    }
    return (this.table = t);
  }

  /** The cell of `s` (holding its id + 1) or the empty cell where it would go. */
  private cell(t: Int32Array, s: string, h: number): number {
    const mask = t.length - 1;
    let i = h & mask;
    for (;;) {
      const v = t[i]!;
      if (v === 0 || (this.hashes[v - 1] === h && this.str(v - 1) === s)) return i;
      i = (i + 1) & mask;
    }
  }

  id(s: string): number {
    const h = fnv1a(s);
    const t = this.cells();
    const i = this.cell(t, s, h);
    if (t[i] !== 0) return t[i]! - 1;
    const v = this.size;
    this.added.push(s);
    this.hashes = grow32(this.hashes, v + 1);
    this.hashes[v] = h;
    if (2 * this.size > t.length) this.cells();
    else t[i] = v + 1;
    return v;
  }

  /** Id of a known string, or -1 (never adds). */
  find(s: string): number {
    const t = this.cells();
    const v = t[this.cell(t, s, fnv1a(s))]!;
    return v - 1;
  }

  str(id: number): string {
    if (id >= this.packed) return this.added[id - this.packed]!;
    const p = this.parts[Math.floor(id / this.partSize)]!;
    const i = id % this.partSize;
    return p.text.slice(i ? p.ends[i - 1]! : 0, p.ends[i]!);
  }
}

function grow32(a: Uint32Array, need: number): Uint32Array {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Growable byte writer. */
export class Writer {
  buf: Uint8Array;
  pos = 0;

  constructor(size = 2048) {
    this.buf = new Uint8Array(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  uint(v: number): void {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  int(v: number): void {
    this.uint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  str(s: string | null): void {
    if (s === null) return this.uint(0);
    const b = utf8.encode(s);
    this.uint(b.length + 1);
    this.bytes(b);
  }

  u32(v: number): void {
    this.room(4);
    this.buf[this.pos++] = v & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 24) & 0xff;
  }

  f32(v: number): void {
    F32[0] = v;
    this.u32(U32[0]!);
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Byte reader over one buffer. */
export class Reader {
  constructor(
    public buf: Uint8Array,
    public pos = 0,
  ) {}

  uint(): number {
    const b = this.buf;
    let v = b[this.pos++]!;
    if (v < 0x80) return v;
    v &= 0x7f;
    let mul = 128;
    for (;;) {
      const x = b[this.pos++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
  }

  int(): number {
    const v = this.uint();
    return v % 2 ? -(v + 1) / 2 : v / 2;
  }

  str(): string | null {
    const n = this.uint();
    if (n === 0) return null;
    const s = fromUtf8.decode(this.buf.subarray(this.pos, this.pos + n - 1));
    this.pos += n - 1;
    return s;
  }

  u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  f32(): number {
    U32[0] = this.u32();
    return F32[0]!;
  }
}

function writeCounts(w: Writer, dict: Dict, m: ReadonlyMap<string, number>): void {
  w.uint(m.size);
  for (const [k, v] of m) {
    w.uint(dict.id(k));
    w.uint(v);
  }
}

function writeIds(w: Writer, dict: Dict, list: Iterable<string>, n: number): void {
  w.uint(n);
  for (const k of list) w.uint(dict.id(k));
}

function writeNullableId(w: Writer, dict: Dict, s: string | null): void {
  w.uint(s === null ? 0 : dict.id(s) + 1);
}

function writeDay(w: Writer, d: number | null): void {
  if (d === null) w.uint(0);
  else w.int(d + (d >= 0 ? 1 : 0));
}

/** Encodes features into `w` (ids added to `dict` as needed). */
export function encodeFeatures(f: ArticleFeatures, dict: Dict, w: Writer = new Writer()): Uint8Array {
  w.pos = 0;
  writeCounts(w, dict, f.terms);
  writeCounts(w, dict, f.past);
  w.uint(f.ents.size);
  for (const [k, v] of f.ents) {
    w.uint(dict.id(k));
    w.uint(v);
    const name = f.entNames.get(k);
    w.uint(name === undefined ? 0 : dict.id(name) + 1);
  }
  // Names of tokens that are not entity counts (not produced today; kept for a lossless codec).
  const extra = [...f.entNames.keys()].filter((k) => !f.ents.has(k));
  w.uint(extra.length);
  for (const k of extra) {
    w.uint(dict.id(k));
    w.uint(dict.id(f.entNames.get(k)!));
  }
  writeIds(w, dict, f.titleTerms, f.titleTerms.length);
  writeIds(w, dict, f.places, f.places.length);
  writeIds(w, dict, f.home, f.home.length);
  writeIds(w, dict, f.leadEnts, f.leadEnts.length);
  writeIds(w, dict, f.leadNums, f.leadNums.length);
  writeCounts(w, dict, f.kinds);
  writeIds(w, dict, f.anchors, f.anchors.size);
  writeDay(w, f.day);
  writeDay(w, f.refDay);
  w.uint(f.sketch.length);
  let prev = 0;
  let sorted = true;
  for (const h of f.sketch) if (h < prev || !Number.isInteger(h) || h < 0) sorted = false;
  w.uint(sorted ? 1 : 0);
  // Sorted (as features make them): hashes without their SKETCH_DROP_BITS low bits, delta-coded
  // (~1 byte each instead of ~4; `resemblance` compares at that precision).
  for (const h of f.sketch) {
    if (sorted) {
      const v = Math.floor(h / SKETCH_UNIT);
      w.uint(v - prev);
      prev = v;
    } else w.int(h);
  }
  writeNullableId(w, dict, f.source);
  writeNullableId(w, dict, f.published);
  w.str(f.id);
  writeContentHash(w, f.contentHash);
  return w.done();
}

const HEX16 = /^[0-9a-f]{16}$/;

/** A content hash: 1 and 8 bytes when it is 16 lower-case hex digits (as `contentHash()` makes), else 0 and the string. */
function writeContentHash(w: Writer, h: string): void {
  if (HEX16.test(h)) {
    w.uint(1);
    w.u32(parseInt(h.slice(0, 8), 16));
    w.u32(parseInt(h.slice(8), 16));
  } else {
    w.uint(0);
    w.str(h);
  }
}

function readContentHash(r: Reader): string {
  if (r.uint() === 0) return r.str() ?? "";
  return r.u32().toString(16).padStart(8, "0") + r.u32().toString(16).padStart(8, "0");
}

function readCounts(r: Reader, dict: Dict): Map<string, number> {
  const n = r.uint();
  const m = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = dict.str(r.uint());
    m.set(k, r.uint());
  }
  return m;
}

function readIds(r: Reader, dict: Dict): string[] {
  const n = r.uint();
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = dict.str(r.uint());
  return out;
}

function readNullableId(r: Reader, dict: Dict): string | null {
  const v = r.uint();
  return v === 0 ? null : dict.str(v - 1);
}

/** The bottom-k sketch: delta-coded at SKETCH_UNIT precision when sorted, else plain ints. */
function readSketch(r: Reader): number[] {
  const nSketch = r.uint();
  const sorted = r.uint() === 1;
  const sketch = new Array<number>(nSketch);
  let prev = 0;
  for (let i = 0; i < nSketch; i++) {
    if (sorted) sketch[i] = (prev += r.uint()) * SKETCH_UNIT;
    else sketch[i] = r.int();
  }
  return sketch;
}

function readDay(r: Reader): number | null {
  const v = r.int();
  if (v === 0) return null;
  return v > 0 ? v - 1 : v;
}

/** Decodes a record written by `encodeFeatures` (at `r.pos`). */
export function decodeFeatures(r: Reader, dict: Dict): ArticleFeatures {
  const terms = readCounts(r, dict);
  let length = 0;
  for (const v of terms.values()) length += v;
  const past = readCounts(r, dict);
  const nEnts = r.uint();
  const ents = new Map<string, number>();
  const entNames = new Map<string, string>();
  for (let i = 0; i < nEnts; i++) {
    const k = dict.str(r.uint());
    ents.set(k, r.uint());
    const name = r.uint();
    if (name) entNames.set(k, dict.str(name - 1));
  }
  const nExtra = r.uint();
  for (let i = 0; i < nExtra; i++) {
    const k = dict.str(r.uint());
    entNames.set(k, dict.str(r.uint()));
  }
  const titleTerms = readIds(r, dict);
  const places = readIds(r, dict);
  const home = readIds(r, dict);
  const leadEnts = readIds(r, dict);
  const leadNums = readIds(r, dict);
  const kinds = readCounts(r, dict);
  const anchors = new Set(readIds(r, dict));
  const day = readDay(r);
  const refDay = readDay(r);
  const sketch = readSketch(r);
  const source = readNullableId(r, dict);
  const published = readNullableId(r, dict);
  const id = r.str() ?? "";
  const contentHash = readContentHash(r);
  // Not kept in the record (shown only for listed items: the engine reads them from the store).
  const url = null;
  const title = "";
  return {
    id,
    url,
    contentHash,
    title,
    source,
    published,
    terms,
    length,
    past,
    titleTerms,
    ents,
    entNames,
    places,
    home,
    leadEnts,
    leadNums,
    kinds,
    anchors,
    day,
    refDay,
    sketch,
  };
}

/** What building the index needs of a record, read without decoding the rest. */
export interface Skim {
  /** Term ids and frequencies, interleaved. */
  terms: number[];
  ents: number[];
  anchors: number[];
  id: string;
  contentHash: string;
}

function skipCounts(r: Reader): void {
  const n = r.uint();
  for (let i = 0; i < 2 * n; i++) r.uint();
}

function skipIds(r: Reader): void {
  const n = r.uint();
  for (let i = 0; i < n; i++) r.uint();
}

/** Reads the parts of a record the index is built from (into `out`, arrays reused). */
export function skimFeatures(r: Reader, out: Skim): void {
  out.terms.length = 0;
  out.ents.length = 0;
  out.anchors.length = 0;
  const nt = r.uint();
  for (let i = 0; i < 2 * nt; i++) out.terms.push(r.uint());
  skipCounts(r);
  const ne = r.uint();
  for (let i = 0; i < ne; i++) {
    out.ents.push(r.uint());
    r.uint();
    r.uint();
  }
  skipCounts(r);
  for (let i = 0; i < 5; i++) skipIds(r);
  skipCounts(r);
  const na = r.uint();
  for (let i = 0; i < na; i++) out.anchors.push(r.uint());
  r.uint();
  r.uint();
  const ns = r.uint();
  r.uint();
  for (let i = 0; i < ns; i++) r.uint();
  r.uint();
  r.uint();
  out.id = r.str() ?? "";
  out.contentHash = readContentHash(r);
}

/** Token ids of a record's bags, in the bags' order (what pair similarities compare). */
export interface RecordIds {
  terms: Int32Array;
  termTf: Uint32Array;
  past: Int32Array;
  pastTf: Uint32Array;
  ents: Int32Array;
  anchors: Int32Array;
  titleTerms: Int32Array;
  leadEnts: Int32Array;
}

function readPairs(r: Reader): [Int32Array, Uint32Array] {
  const n = r.uint();
  const ids = new Int32Array(n);
  const vals = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = r.uint();
    vals[i] = r.uint();
  }
  return [ids, vals];
}

function readIdArray(r: Reader): Int32Array {
  const n = r.uint();
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = r.uint();
  return ids;
}

/** Reads a record's token ids without building strings (at `r.pos`; stops after the anchors). */
export function readRecordIds(r: Reader): RecordIds {
  const [terms, termTf] = readPairs(r);
  const [past, pastTf] = readPairs(r);
  const ne = r.uint();
  const ents = new Int32Array(ne);
  for (let i = 0; i < ne; i++) {
    ents[i] = r.uint();
    r.uint();
    r.uint();
  }
  skipCounts(r);
  const titleTerms = readIdArray(r);
  skipIds(r);
  skipIds(r);
  const leadEnts = readIdArray(r);
  skipIds(r);
  skipCounts(r);
  const anchors = readIdArray(r);
  return { terms, termTf, past, pastTf, ents, anchors, titleTerms, leadEnts };
}

function skipCountsSum(r: Reader): number {
  const n = r.uint();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    r.uint();
    sum += r.uint();
  }
  return sum;
}

/**
 * A decoded record whose term, past and entity bags (the large ones, mostly compared by token id
 * through `readRecordIds`) are built from the record only when first read. Reads the same values
 * as `decodeFeatures`; the record's bytes must stay as they are while the object is in use.
 */
class LazyFeatures {
  private termsV: Map<string, number> | null = null;
  private pastV: Map<string, number> | null = null;
  private entsV: Map<string, number> | null = null;
  private entNamesV: Map<string, string> | null = null;

  constructor(
    private readonly buf: Uint8Array,
    private readonly termsAt: number,
    private readonly pastAt: number,
    private readonly entsAt: number,
    private readonly dict: Dict,
  ) {}

  get terms(): Map<string, number> {
    return (this.termsV ??= readCounts(new Reader(this.buf, this.termsAt), this.dict));
  }

  get past(): Map<string, number> {
    return (this.pastV ??= readCounts(new Reader(this.buf, this.pastAt), this.dict));
  }

  private readEnts(): void {
    const r = new Reader(this.buf, this.entsAt);
    const nEnts = r.uint();
    const ents = new Map<string, number>();
    const entNames = new Map<string, string>();
    for (let i = 0; i < nEnts; i++) {
      const k = this.dict.str(r.uint());
      ents.set(k, r.uint());
      const name = r.uint();
      if (name) entNames.set(k, this.dict.str(name - 1));
    }
    const nExtra = r.uint();
    for (let i = 0; i < nExtra; i++) {
      const k = this.dict.str(r.uint());
      entNames.set(k, this.dict.str(r.uint()));
    }
    this.entsV = ents;
    this.entNamesV = entNames;
  }

  get ents(): Map<string, number> {
    if (!this.entsV) this.readEnts();
    return this.entsV!;
  }

  get entNames(): Map<string, string> {
    if (!this.entNamesV) this.readEnts();
    return this.entNamesV!;
  }
}

/**
 * `decodeFeatures` with the term, past and entity bags built on first read (see LazyFeatures).
 * The other fields are plain own properties. A copy with other fields must keep the prototype
 * (`Object.assign(Object.create(Object.getPrototypeOf(f)), f, changes)`), not spread.
 */
export function decodeFeaturesLazy(r: Reader, dict: Dict): ArticleFeatures {
  const termsAt = r.pos;
  const length = skipCountsSum(r);
  const pastAt = r.pos;
  skipCounts(r);
  const entsAt = r.pos;
  const nEnts = r.uint();
  for (let i = 0; i < 3 * nEnts; i++) r.uint();
  skipCounts(r);
  const f = new LazyFeatures(r.buf, termsAt, pastAt, entsAt, dict) as unknown as ArticleFeatures;
  f.length = length;
  f.titleTerms = readIds(r, dict);
  f.places = readIds(r, dict);
  f.home = readIds(r, dict);
  f.leadEnts = readIds(r, dict);
  f.leadNums = readIds(r, dict);
  f.kinds = readCounts(r, dict);
  f.anchors = new Set(readIds(r, dict));
  f.day = readDay(r);
  f.refDay = readDay(r);
  f.sketch = readSketch(r);
  f.source = readNullableId(r, dict);
  f.published = readNullableId(r, dict);
  f.id = r.str() ?? "";
  f.contentHash = readContentHash(r);
  f.url = null;
  f.title = "";
  return f;
}
