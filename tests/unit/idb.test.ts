import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { IdbStore, openParallaxDb, SCHEMA_VERSION, StorageFullError } from "../../src/store/idb.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { Store } from "../../src/store/types.js";

let n = 0;
const opened: IdbStore[] = [];
async function fresh(): Promise<IdbStore> {
  let t = Date.parse("2026-01-01T00:00:00Z");
  const store = await IdbStore.open(`test-${++n}`, () => new Date((t += 1000)));
  opened.push(store);
  return store;
}
afterEach(() => {
  while (opened.length) opened.pop()?.close();
});

const base = {
  id: "wire-1",
  url: "https://example.com/almaty",
  source: "Wire",
  title: "Gunmen attack police in Almaty",
  published: "2016-07-18T10:00:00Z",
  text: "At least four policemen were killed in Almaty on Monday.",
};

// The same behaviour is required of the IndexedDB store and the in-memory one used in tests.
describe.each([
  ["IdbStore", fresh],
  ["MemoryStore", async (): Promise<Store> => new MemoryStore()],
])("%s", (_name, make) => {
  it("stores, gets, counts and lists", async () => {
    const store = await make();
    const out = await store.add(base);
    expect(out.kind).toBe("imported");
    expect(await store.count()).toBe(1);
    const got = await store.get("wire-1");
    expect(got?.title).toBe(base.title);
    expect(got?.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect((await store.all()).map((a) => a.id)).toEqual(["wire-1"]);
  });

  it("treats the same text (up to case and spacing) as a duplicate", async () => {
    const store = await make();
    await store.add(base);
    const out = await store.add({
      ...base,
      id: "copy",
      url: "https://other.example/x",
      text: base.text.toUpperCase() + "  ",
    });
    expect(out).toEqual({ kind: "duplicate", existingId: "wire-1" });
    expect(await store.count()).toBe(1);
  });

  it("keeps changed text at the same URL as a revision linked to the newest earlier one", async () => {
    const store = await make();
    await store.add(base);
    const r1 = await store.add({ ...base, text: base.text + " The toll rose to five." });
    expect(r1.kind).toBe("revision");
    if (r1.kind !== "revision") return;
    expect(r1.previousId).toBe("wire-1");
    expect(r1.article.id).not.toBe("wire-1");
    expect(r1.article.revisionOf).toBe("wire-1");
    const r2 = await store.add({ ...base, text: base.text + " The toll rose to six." });
    expect(r2.kind).toBe("revision");
    if (r2.kind !== "revision") return;
    expect(r2.article.revisionOf).toBe(r1.article.id);
    expect(await store.count()).toBe(3);
    expect((await store.get(r1.article.id))?.revisionOf).toBe("wire-1");
  });

  it("links a changed text under the same id (no URL) as a revision", async () => {
    const store = await make();
    await store.add({ id: "doc", text: "One version." });
    const out = await store.add({ id: "doc", text: "Another version." });
    expect(out.kind).toBe("revision");
    if (out.kind === "revision") expect(out.article.revisionOf).toBe("doc");
  });

  it("rejects an article without text and stores nothing", async () => {
    const store = await make();
    const out = await store.add({ id: "x", text: "   " });
    expect(out.kind).toBe("rejected");
    expect(await store.count()).toBe(0);
  });

  it("reports statistics, deletes and clears", async () => {
    const store = await make();
    await store.add(base);
    await store.add({ id: "b", source: "Guardian", published: "2016-07-19", text: "Another report." });
    await store.add({ id: "c", text: "No source, no date." });
    const stats = await store.stats();
    expect(stats.articles).toBe(3);
    expect(stats.bytes).toBeGreaterThan(0);
    expect(stats.oldest).toBe("2016-07-18T10:00:00Z");
    expect(stats.newest).toBe("2016-07-19");
    expect(stats.perSource).toEqual({ Wire: 1, Guardian: 1, unknown: 1 });
    await store.delete("b");
    expect(await store.get("b")).toBeUndefined();
    expect(await store.count()).toBe(2);
    await store.clear();
    expect(await store.count()).toBe(0);
  });
});

describe("IdbStore.addMany", () => {
  it("applies the dedupe and revision rule in order within one batch", async () => {
    const store = await fresh();
    const out = await store.addMany([
      base,
      { ...base, id: "copy", text: base.text.toUpperCase() },
      { ...base, text: base.text + " The toll rose to five." },
      { id: "empty", text: "" },
      { ...base, text: base.text + " The toll rose to six." },
    ]);
    expect(out.map((o) => o.kind)).toEqual(["imported", "duplicate", "revision", "rejected", "revision"]);
    const [, , r1, , r2] = out;
    if (r1?.kind !== "revision" || r2?.kind !== "revision") throw new Error("expected revisions");
    expect(r1.article.revisionOf).toBe("wire-1");
    expect(r2.article.revisionOf).toBe(r1.article.id); // the newest, though captured in the same batch
    expect(await store.count()).toBe(3);
  });

  it("stores nothing of a batch the quota refuses", async () => {
    const store = await fresh();
    const proto = globalThis.IDBObjectStore.prototype;
    const realPut = proto.put;
    let puts = 0;
    proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["put"]>) {
      if (++puts === 3) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return realPut.apply(this, args);
    };
    try {
      const batch = [1, 2, 3, 4].map((i) => ({ id: `b${i}`, text: `Article number ${i}.` }));
      await expect(store.addMany(batch)).rejects.toThrow(StorageFullError);
    } finally {
      proto.put = realPut;
    }
    expect(await store.count()).toBe(0);
  });
});

describe("IdbStore schema", () => {
  it("migrates a version-1 database on reopen, keeping its articles", async () => {
    const name = `migrate-${++n}`;
    const v1 = await openParallaxDb(name, 1);
    expect([...v1.objectStoreNames].sort()).toEqual(["articles", "meta"]);
    expect([...v1.transaction("articles").store.indexNames].sort()).toEqual([
      "capturedAt",
      "contentHash",
      "url",
    ]);
    await v1.put("articles", {
      id: "old",
      url: null,
      source: "Wire",
      title: "Old",
      published: "2011-07-12",
      byline: null,
      text: "An older report.",
      contentHash: "0000000000000001",
      capturedAt: "2020-01-01T00:00:00Z",
      revisionOf: null,
    });
    v1.close();

    const store = await IdbStore.open(name);
    opened.push(store);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect((await store.get("old"))?.title).toBe("Old");
    const db = await openParallaxDb(name); // same version: no upgrade runs
    const byDate = await db.getAllFromIndex("articles", "published", "2011-07-12");
    expect(byDate.map((a) => a.id)).toEqual(["old"]);
    db.close();
  });

  it("surfaces a full quota as a clear error and leaves the store consistent", async () => {
    const store = await fresh();
    await store.add(base);
    const proto = globalThis.IDBObjectStore.prototype;
    const realPut = proto.put;
    proto.put = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    try {
      await expect(store.add({ id: "new", text: "Something new." })).rejects.toThrow(StorageFullError);
      await expect(store.add({ id: "new", text: "Something new." })).rejects.toThrow(/storage is full/);
    } finally {
      proto.put = realPut;
    }
    expect(await store.count()).toBe(1);
    expect((await store.add({ id: "new", text: "Something new." })).kind).toBe("imported");
    expect(await store.count()).toBe(2);
  });
});
