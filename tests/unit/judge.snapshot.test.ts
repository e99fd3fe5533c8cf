/**
 * The judgement's index persisted and restored: a matcher imported from a snapshot answers exactly
 * as the one that exported it; incremental exports carry only the chunks that changed; a snapshot
 * of another version is refused. Real articles: the ECB+ dev subset (title and text only).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hash64, normalizeArticle } from "../../src/engine/article.js";
import { INDEX_VERSION, Matcher, NeedRecords, type MatcherSnapshot } from "../../src/engine/judge/index.js";
import type { Article } from "../../src/engine/types.js";

const ROWS = join(__dirname, "..", "fixtures", "ecbplus", "ecbplus-dev.jsonl");
let articles: Article[] = [];

beforeAll(() => {
  articles = readFileSync(ROWS, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; title: string; text: string })
    .map((r) => normalizeArticle({ id: "d" + hash64("snap" + r.id), title: r.title, text: r.text }));
});

/** Structured clone of a snapshot (what IndexedDB stores and hands back). */
function stored(s: MatcherSnapshot): MatcherSnapshot {
  return structuredClone(s);
}

describe("Matcher snapshot", { timeout: 60_000 }, () => {
  it("an imported index answers exactly as the exported one", () => {
    // Below 256 articles every cache is exact, so the answers must be identical.
    const m = new Matcher();
    for (const a of articles.slice(0, 240)) m.add(a);
    m.remove(articles[5]!.id);
    m.remove(articles[77]!.id);
    const s = m.exportIndex();
    expect(s.version).toBe(INDEX_VERSION);
    expect(s.count).toBe(238);
    for (const c of s.chunks) expect(c.bytes).toBeInstanceOf(ArrayBuffer);
    const back = Matcher.importIndex(stored(s));
    expect(back).not.toBeNull();
    expect(back!.size).toBe(m.size);
    for (const i of [0, 13, 100, 239, 401, 485, 5])
      expect(back!.match(articles[i]!)).toEqual(m.match(articles[i]!));
    // A snapshot written before the weight epoch was stored (its last four bytes here: 0 changes
    // behind, the count 238 in two bytes, no df entries) still imports, and answers the same.
    const old = stored(s);
    const meta = old.chunks.find((c) => c.key === "m")!;
    expect([...new Uint8Array(meta.bytes).slice(-4)]).toEqual([0, 238, 1, 0]);
    meta.bytes = meta.bytes.slice(0, meta.bytes.byteLength - 4);
    const fromOld = Matcher.importIndex(old)!;
    for (const i of [0, 13, 401]) expect(fromOld.match(articles[i]!)).toEqual(m.match(articles[i]!));
    // The imported matcher reads records in place; changing it never writes into those bytes,
    // and it goes on answering as the original does after the same changes.
    const input = stored(s);
    const copy = input.chunks.map((c) => new Uint8Array(c.bytes).slice());
    const live = Matcher.importIndex(input)!;
    for (const a of articles.slice(240, 255)) live.add(a);
    live.remove(articles[0]!.id);
    input.chunks.forEach((c, i) => expect(new Uint8Array(c.bytes)).toEqual(copy[i]));
    for (const a of articles.slice(240, 255)) m.add(a);
    m.remove(articles[0]!.id);
    for (const i of [13, 250]) expect(live.match(articles[i]!)).toEqual(m.match(articles[i]!));
  });

  it("a large imported index answers exactly as the live one", () => {
    const m = new Matcher();
    for (const a of articles) m.add(a);
    const back = Matcher.importIndex(stored(m.exportIndex()))!;
    expect(back.size).toBe(articles.length);
    for (const i of [0, 13, 100, 250, 401, 485])
      expect(back.match(articles[i]!)).toEqual(m.match(articles[i]!));
  });

  it("above 256 articles, answers do not depend on which queries ran between changes, nor on an export and import", () => {
    // Weights are fixed at the start of each weight epoch, so cache fill order cannot show.
    const queried = new Matcher();
    const quiet = new Matcher();
    for (const [k, a] of articles.entries()) {
      queried.add(a);
      quiet.add(a);
      if (k > 256 && k % 7 === 0) queried.match(articles[(k * 13) % articles.length]!);
    }
    const probes = [0, 13, 100, 250, 401, 485];
    for (const i of probes) expect(queried.match(articles[i]!)).toEqual(quiet.match(articles[i]!));
    // Exported, imported, then the same changes (and different queries) on both sides.
    for (const a of articles.slice(0, 30)) queried.remove(a.id);
    const back = Matcher.importIndex(stored(queried.exportIndex()))!;
    for (const [k, a] of articles.slice(0, 30).entries()) {
      queried.add(a);
      back.add(a);
      if (k % 3 === 0) queried.match(articles[400 - k]!);
      else back.match(articles[300 + k]!);
    }
    for (const i of probes) expect(back.match(articles[i]!)).toEqual(queried.match(articles[i]!));
  });

  it("exports only the chunks changed since a generation, and lists every key", () => {
    const m = new Matcher();
    for (const a of articles.slice(0, 200)) m.add(a);
    const s1 = m.exportIndex();
    const again = m.exportIndex({ since: s1.generation });
    expect(again.chunks).toEqual([]);
    expect(again.keys).toEqual(s1.keys);
    m.add(articles[200]!);
    const s2 = m.exportIndex({ since: s1.generation });
    expect(s2.generation).toBeGreaterThan(s1.generation);
    expect(s2.chunks.length).toBeGreaterThan(0);
    expect(s2.chunks.length).toBeLessThan(s2.keys.length + 1);
    // The stored chunks, updated with the changed ones, restore the current index.
    const byKey = new Map(s1.chunks.map((c) => [c.key, c.bytes]));
    for (const c of s2.chunks) byKey.set(c.key, c.bytes);
    const merged: MatcherSnapshot = {
      ...s2,
      chunks: s2.keys.map((key) => ({ key, bytes: byKey.get(key)! })),
    };
    const back = Matcher.importIndex(stored(merged))!;
    expect(back.size).toBe(201);
    for (const i of [3, 150, 200]) expect(back.match(articles[i]!)).toEqual(m.match(articles[i]!));
  });

  it("an incremental export merged into the stored chunks equals a full export, byte for byte", () => {
    // Adds and removals on an imported index (its change tracking starts empty) and on a live
    // one: every chunk left out of an incremental export must be unchanged. Small chunks, so
    // that an add leaves most dictionary, per-term and postings chunks alone.
    const m = new Matcher(undefined, { requireShared: true, chunking: { dict: 512, pool: 1024 } });
    for (const a of articles.slice(0, 300)) m.add(a);
    const s1 = m.exportIndex();
    const store = new Map(s1.chunks.map((c) => [c.key, c.bytes]));
    const save = (x: Matcher, since: number): MatcherSnapshot => {
      const s = x.exportIndex({ since });
      for (const c of s.chunks) store.set(c.key, c.bytes);
      return s;
    };
    const expectStoredIsFull = (x: Matcher, s: MatcherSnapshot): void => {
      const full = x.exportIndex();
      expect(s.keys).toEqual(full.keys);
      for (const c of full.chunks)
        expect(new Uint8Array(store.get(c.key)!), c.key).toEqual(new Uint8Array(c.bytes));
    };
    expect(s1.keys.filter((k) => k.startsWith("p/")).length).toBeGreaterThan(20);
    const back = Matcher.importIndex(stored(s1))!;
    for (const i of [3, 40, 41, 200]) back.remove(articles[i]!.id);
    for (const a of articles.slice(300, 340)) back.add(a);
    back.add(articles[40]!);
    const s2 = save(back, s1.generation);
    expectStoredIsFull(back, s2);
    for (const i of [7, 8, 310]) back.remove(articles[i]!.id);
    for (const a of articles.slice(340, 360)) back.add(a);
    const s3 = save(back, s2.generation);
    expectStoredIsFull(back, s3);
    back.add(articles[360]!);
    const s4 = save(back, s3.generation);
    expect(s4.chunks.length).toBeLessThan(s4.keys.length / 2);
    expectStoredIsFull(back, s4);
    const again = Matcher.importIndex({
      ...s3,
      chunks: s3.keys.map((key) => ({ key, bytes: store.get(key)! })),
    })!;
    expect(again.size).toBe(back.size);
    // Ids resolve after an import (hash scan first, then the id map), and removed ones do not.
    for (const a of articles.slice(0, 361)) {
      const want = back.slotOf(a.id);
      expect(again.slotOf(a.id)).toBe(want);
    }
    expect(again.slotOf(articles[3]!.id)).toBeUndefined();
    for (const i of [13, 40, 320, 355]) expect(again.match(articles[i]!)).toEqual(back.match(articles[i]!));
  });

  it("a partial import (records left out) answers as the full one, reading only the records asked for", () => {
    const m = new Matcher();
    for (const a of articles) m.add(a);
    const s = stored(m.exportIndex());
    const isRec = (k: string): boolean => k.startsWith("r/");
    const recs = new Map(s.chunks.filter((c) => isRec(c.key)).map((c) => [c.key, c]));
    expect(recs.size).toBe(Math.ceil(articles.length / 64));
    const rest = s.chunks.filter((c) => !isRec(c.key));
    // Without `partial` a snapshot with chunks left out is refused.
    expect(Matcher.importIndex({ ...s, chunks: rest })).toBeNull();
    const full = Matcher.importIndex(stored(s))!;
    const lazy = Matcher.importIndex({
      ...stored(s),
      chunks: stored(s).chunks.filter((c) => !isRec(c.key)),
      partial: true,
    })!;
    expect(lazy.size).toBe(full.size);
    expect(lazy.missingRecords().sort()).toEqual([...recs.keys()].sort());
    // Changes wait for every record.
    expect(() => lazy.add(articles[0]!)).toThrow(/records still loading/);
    expect(() => lazy.remove(articles[0]!.id)).toThrow(/records still loading/);
    expect(lazy.size).toBe(full.size);
    const asked: string[][] = [];
    const ask = (a: Article): ReturnType<Matcher["match"]> => {
      for (;;) {
        try {
          return lazy.match(a);
        } catch (e) {
          if (!(e instanceof NeedRecords)) throw e;
          asked.push(e.keys);
          lazy.supplyRecords(e.keys.map((k) => recs.get(k)!));
        }
      }
    };
    for (const i of [0, 13, 100, 250, 401, 485]) expect(ask(articles[i]!)).toEqual(full.match(articles[i]!));
    // A few requests per query (the query's own record, then its candidates' at once).
    expect(asked.length).toBeLessThanOrEqual(3 * 6);
    expect(asked.length).toBeGreaterThan(0);
    lazy.supplyRecords([...recs.values()]);
    expect(lazy.missingRecords()).toEqual([]);
    // Then it is the full index: the same export, byte for byte, and the same changes.
    const a = lazy.exportIndex();
    const b = full.exportIndex();
    expect(a.keys).toEqual(b.keys);
    a.chunks.forEach((c, i) =>
      expect(new Uint8Array(c.bytes), c.key).toEqual(new Uint8Array(b.chunks[i]!.bytes)),
    );
    lazy.remove(articles[7]!.id);
    full.remove(articles[7]!.id);
    expect(lazy.match(articles[8]!)).toEqual(full.match(articles[8]!));
  });

  it("a record chunk that does not fit its slots is refused", () => {
    const m = new Matcher();
    for (const a of articles.slice(0, 100)) m.add(a);
    const s = stored(m.exportIndex());
    const lazy = Matcher.importIndex({
      ...s,
      chunks: s.chunks.filter((c) => !c.key.startsWith("r/")),
      partial: true,
    })!;
    const short = new Uint32Array([1, 8, 0, 0]).buffer;
    expect(() => lazy.supplyRecords([{ key: "r/00000", bytes: short }])).toThrow(/short record chunk/);
    expect(() => lazy.supplyRecords([{ key: "a/0000", bytes: short }])).toThrow(/not a record chunk/);
    expect(lazy.missingRecords()).toEqual(["r/00000", "r/00001"]);
  });

  it("refuses a snapshot of another version or with a chunk missing", () => {
    const m = new Matcher();
    for (const a of articles.slice(0, 20)) m.add(a);
    const s = m.exportIndex();
    expect(Matcher.importIndex({ ...s, version: "parallax-index-0" })).toBeNull();
    expect(Matcher.importIndex({ ...s, chunks: s.chunks.slice(1) })).toBeNull();
  });
});
