/**
 * The engine's index persisted in IndexedDB (fake-indexeddb) by the background's EngineHost: a
 * cold start imports it instead of recomputing features, replays the article writes it had not
 * caught up with, rebuilds when its version changed, and forgets what was deleted.
 * Real articles: the demo coverage (a revision, figures) and part of the ECB+ dev subset.
 */
import "fake-indexeddb/auto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EngineHost, type EngineLike, type MakeEngine } from "../../src/background/engine-host.js";
import { hash64 } from "../../src/engine/article.js";
import { Engine } from "../../src/engine/engine.js";
import { INDEX_VERSION } from "../../src/engine/judge/snapshot.js";
import type { ArticleInput, Report } from "../../src/engine/types.js";
import { IdbStore, openParallaxDb } from "../../src/store/idb.js";

const FIXTURES = join(__dirname, "..", "fixtures");
let inputs: ArticleInput[] = [];

beforeAll(() => {
  const demo = readFileSync(join(__dirname, "..", "..", "demo", "coverage.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ArticleInput);
  const ecb = readFileSync(join(FIXTURES, "ecbplus", "ecbplus-dev.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; title: string; text: string })
    .filter((_, i) => i % 4 === 0) // ~120 articles: every event, fewer reports each
    .map((r) => ({ id: "e" + hash64("persist" + r.id), title: r.title, text: r.text }));
  inputs = [...demo, ...ecb];
});

let n = 0;
const opened: IdbStore[] = [];
async function open(name: string): Promise<IdbStore> {
  let t = Date.parse("2026-01-01T00:00:00Z");
  const store = await IdbStore.open(name, () => new Date((t += 1000)));
  opened.push(store);
  return store;
}
afterEach(() => {
  while (opened.length) opened.pop()?.close();
});

/**
 * The worker's wiring (src/background/main.ts), counting the articles indexed from text. With
 * `lazy` the engine reads index records itself (as in the worker), so a cold start leaves them out.
 */
function wiring(
  store: IdbStore,
  lazy = false,
): { make: MakeEngine; indexed: () => number; loaded: () => string[]; records: () => string[] } {
  let indexed = 0;
  const loaded: string[] = [];
  const recordKeys: string[] = [];
  const records = lazy
    ? (keys: readonly string[]) => {
        recordKeys.push(...keys);
        return store.indexStore.readChunks!(keys);
      }
    : undefined;
  const load = async (ids: readonly string[]) => {
    loaded.push(...ids);
    return store.getMany(ids);
  };
  const counting = (e: Engine | null): EngineLike | null => {
    if (!e) return null;
    const add = e.add.bind(e);
    e.add = (a) => {
      indexed++;
      add(a);
    };
    return e;
  };
  return {
    make: (s) => counting(s ? Engine.fromSnapshot(s, { load, records }) : new Engine({ load, records })),
    indexed: () => indexed,
    loaded: () => loaded,
    records: () => recordKeys,
  };
}

/** A host as a fresh worker has it: nothing in memory, the database as the last one left it. */
function host(store: IdbStore, rebuildBatch = 40, lazy = false) {
  const w = wiring(store, lazy);
  const h = new EngineHost(store, w.make, { saveDelayMs: 60_000, rebuildBatch });
  return { host: h, ...w };
}

async function reports(engine: EngineLike, store: IdbStore): Promise<Report[]> {
  const out: Report[] = [];
  for (const a of await store.all()) out.push(await engine.analyze(a));
  return out;
}

/** What the engine answers with every article in memory (no store, no persisted index). */
async function inMemory(store: IdbStore): Promise<Report[]> {
  const e = new Engine();
  for (const a of await store.all()) e.add(a);
  return reports(e, store);
}

describe("persisted index (IndexedDB)", { timeout: 60_000 }, () => {
  it("a cold start imports the saved index: no article re-indexed, the same reports as a full rebuild", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    const first = host(store);
    await first.host.get(); // an empty store: an empty index
    const outcomes = await store.addMany(inputs);
    for (const o of outcomes)
      if (o.kind === "imported" || o.kind === "revision") await first.host.added(o.article);
    await first.host.flush();
    expect((await store.indexStore.journal()).length).toBe(0);
    const saved = (await store.indexStore.loadIndex()).index!;
    expect(saved.version).toBe(INDEX_VERSION);
    expect(saved.count).toBe(await store.count());
    expect(saved.rebuildAfter).toBeNull();

    const cold = host(await open(name));
    const engine = await cold.host.get();
    expect(cold.indexed()).toBe(0);
    expect(engine.size).toBe(await store.count());
    const got = await reports(engine, store);
    expect(got).toEqual(await inMemory(store));
    // Some answers list other reports and compare figures: the test is not vacuous.
    expect(got.filter((r) => r.sameEvent.length > 0).length).toBeGreaterThan(10);
    expect(got.some((r) => r.figures.some((f) => f.status === "dispute" || f.status === "update"))).toBe(
      true,
    );
    // Texts are read per analysis, only of the articles listed and their revisions.
    const perAnalysis = cold.loaded().length / got.length;
    expect(perAnalysis).toBeLessThan(40);
  });

  it("a cold start can leave the records out: it answers the same, reading them on demand and then in the background", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    const first = host(store);
    await first.host.get();
    const outcomes = await store.addMany(inputs);
    for (const o of outcomes)
      if (o.kind === "imported" || o.kind === "revision") await first.host.added(o.article);
    await first.host.flush();
    const want = await inMemory(store);
    const stored = async (): Promise<Map<string, Uint8Array>> => {
      const { index } = await store.indexStore.loadIndex();
      return new Map(index!.chunks.map((c) => [c.key, new Uint8Array(c.bytes)]));
    };
    const before = await stored();
    const recordKeys = [...before.keys()].filter((k) => k.startsWith("r/"));
    expect(recordKeys.length).toBeGreaterThan(1);

    // A worker that answers from a partial load and is stopped before the rest is read: the
    // first answer is the full index's, and the stored index is untouched.
    const stopped = host(await open(name), 40, true);
    const partial = await stopped.host.get();
    const load = stopped.host.lastLoad!;
    expect(load.mode).toBe("imported");
    expect(load.deferred).toBe(recordKeys.length);
    expect(load.chunks).toBe(before.size - recordKeys.length);
    const all = await store.all();
    expect(await partial.analyze(all[3]!)).toEqual(want[3]);
    expect(stopped.records().length).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);

    // Another worker: every report as with every article in memory; then the rest read.
    const cold = host(await open(name), 40, true);
    const engine = await cold.host.get();
    expect(cold.indexed()).toBe(0);
    expect(await reports(engine, store)).toEqual(want);
    await cold.host.ready();
    expect(engine.missingRecords!()).toEqual([]);
    expect(cold.host.lastLoad!.filledMs).not.toBeNull();

    // An article added right after a partial load waits for the records, then is indexed and saved.
    const late = host(await open(name), 40, true);
    await late.host.get();
    const [added] = await store.addMany([
      { id: "late-1", title: "Later report", text: inputs[0]!.text + "\nMore." },
    ]);
    expect(added!.kind).toBe("imported");
    await late.host.added((added as { article: Parameters<EngineLike["add"]>[0] }).article);
    await late.host.flush();
    expect((await store.indexStore.journal()).length).toBe(0);
    const again = host(await open(name), 40, true);
    const e2 = await again.host.get();
    expect(again.indexed()).toBe(0);
    expect(e2.size).toBe(await store.count());
    expect(await reports(e2, store)).toEqual(await inMemory(store));
  });

  it("picks up an article stored after the index was last saved (a worker stopped before its save)", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    const first = host(store);
    await store.addMany(inputs.slice(0, 60));
    await first.host.ready(); // no index yet: built from the articles, and saved
    expect(first.indexed()).toBe(60);
    // Stored, but the worker stops before the engine hears of it or the index is saved.
    const late = inputs[60]!;
    const [outcome] = await store.addMany([late]);
    if (outcome?.kind !== "imported") throw new Error(outcome?.kind);
    // …and one more that reached the engine but not the saved index.
    const [second] = await store.addMany([inputs[61]!]);
    if (second?.kind !== "imported") throw new Error(second?.kind);
    await first.host.added(second.article);

    const cold = host(await open(name));
    const engine = (await cold.host.get()) as Engine;
    expect(cold.indexed()).toBe(2); // only the two the saved index missed
    expect(engine.has(outcome.article.id)).toBe(true);
    expect(engine.has(second.article.id)).toBe(true);
    expect(engine.size).toBe(62);
    expect(await reports(engine, store)).toEqual(await inMemory(store));
    await cold.host.flush();
    expect(await store.indexStore.journal()).toEqual([]);
    expect((await store.indexStore.loadIndex()).index?.count).toBe(62);
  });

  it("rebuilds an index of another version from the articles and saves the new one", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    await store.addMany(inputs.slice(0, 50));
    const first = host(store);
    await first.host.ready();
    const db = await openParallaxDb(name);
    const meta = (await db.get("meta", "index")) as { version: string };
    await db.put("meta", { ...meta, version: "parallax-index-0" }, "index");
    db.close();

    const cold = host(await open(name), 16);
    // It answers after the first batch, from what is indexed so far, while the rest is indexed.
    const engine = await cold.host.get();
    expect(engine.size).toBe(16);
    await cold.host.ready();
    expect(cold.indexed()).toBe(50);
    expect(engine.size).toBe(50);
    expect(await reports(engine, store)).toEqual(await inMemory(store));
    const saved = (await store.indexStore.loadIndex()).index!;
    expect(saved.version).toBe(INDEX_VERSION);
    expect(saved.count).toBe(50);
    expect(saved.rebuildAfter).toBeNull();
    // The next start imports it.
    const again = host(await open(name));
    await again.host.get();
    expect(again.indexed()).toBe(0);
  });

  it("a rebuild stopped half-way resumes where it was", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    await store.addMany(inputs.slice(0, 30));
    const first = host(store, 10);
    // The worker stops during the second batch's read.
    const real = store.indexStore.articlesAfter;
    let reads = 0;
    store.indexStore.articlesAfter = async (after, limit) => {
      if (++reads === 2) throw new Error("worker stopped");
      return real(after, limit);
    };
    expect((await first.host.get()).size).toBe(10);
    await expect(first.host.ready()).rejects.toThrow("worker stopped");
    store.indexStore.articlesAfter = real;
    const partial = (await store.indexStore.loadIndex()).index!;
    expect(partial.count).toBe(10);
    expect(partial.rebuildAfter).not.toBeNull();

    const cold = host(await open(name), 10);
    await cold.host.ready();
    const engine = await cold.host.get();
    expect(cold.indexed()).toBe(20);
    expect(engine.size).toBe(30);
    expect((await store.indexStore.loadIndex()).index?.rebuildAfter).toBeNull();
  });

  it("forgets a deleted article, also when the worker stops before saving", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    await store.addMany(inputs.slice(0, 40));
    const first = host(store);
    await first.host.ready();
    const gone = (await store.all())[7]!;
    await store.delete(gone.id);
    await first.host.removed(gone.id);
    // (no save: the worker stops here)

    const cold = host(await open(name));
    const engine = (await cold.host.get()) as Engine;
    expect(cold.indexed()).toBe(0);
    expect(engine.has(gone.id)).toBe(false);
    expect(engine.size).toBe(39);
    for (const r of await reports(engine, store))
      expect([...r.sameEvent, ...r.related].map((i) => i.id)).not.toContain(gone.id);
    await cold.host.flush();
    expect((await store.indexStore.loadIndex()).index?.count).toBe(39);
  });

  it("deleting everything clears the persisted index too", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    await store.addMany(inputs.slice(0, 30));
    const first = host(store);
    expect((await first.host.get()).size).toBe(30);
    await first.host.clear();
    expect(await store.count()).toBe(0);
    const after = await store.indexStore.loadIndex();
    expect(after.index).toBeNull();
    expect(after.journal).toEqual([]);
    expect((await first.host.get()).size).toBe(0);

    // Coverage added after the clear is indexed and saved as usual.
    for (const o of await store.addMany(inputs.slice(30, 35)))
      if (o.kind === "imported") await first.host.added(o.article);
    await first.host.flush();
    const cold = host(await open(name));
    expect((await cold.host.get()).size).toBe(5);
    expect(cold.indexed()).toBe(0);
  });

  it("indexes afresh when the store holds articles the index and its journal never saw", async () => {
    const name = `persist-${++n}`;
    const store = await open(name);
    await store.addMany(inputs.slice(0, 20));
    await host(store).host.ready();
    // Written behind the store's back: no journal entry, the kept count bumped by hand.
    const donor = await open(`donor-${++n}`);
    await donor.addMany([inputs[20]!]);
    const [stray] = await donor.all();
    const db = await openParallaxDb(name);
    await db.put("articles", stray!);
    await db.put("meta", 21, "articleCount");
    db.close();

    const cold = host(await open(name));
    const engine = (await cold.host.get()) as Engine;
    expect(cold.host.lastLoad?.mismatch).toEqual({ index: 20, store: 21 });
    expect(cold.host.lastLoad?.mode).toBe("rebuilt");
    expect(engine.has(stray!.id)).toBe(true);
    expect(engine.size).toBe(21);
  });

  it("indexes the articles of a version-2 database on the first start after the upgrade", async () => {
    const name = `persist-${++n}`;
    const v2 = await openParallaxDb(name, 2);
    expect([...v2.objectStoreNames].sort()).toEqual(["articles", "meta"]);
    const donor = await open(`donor-${n}`);
    await donor.addMany(inputs.slice(0, 12));
    for (const a of await donor.all()) await v2.put("articles", a);
    v2.close();

    const store = await open(name);
    const db = await openParallaxDb(name);
    expect([...db.objectStoreNames].sort()).toEqual(["articles", "index", "journal", "meta"]);
    db.close();
    expect(await store.count()).toBe(12); // counted once by the upgrade, kept from then on
    const cold = host(store);
    expect((await cold.host.get()).size).toBe(12);
    expect(cold.indexed()).toBe(12);
    await store.add({ text: "One more report of something else entirely, with enough words." });
    await store.delete("nothing-with-this-id");
    expect(await store.count()).toBe(13);
    expect((await store.indexStore.loadIndex()).index?.count).toBe(12);
  });
});
