/**
 * The IndexedDB store steps aside when another context upgrades or deletes the database
 * (versionchange): its connection closes at once (the other side never waits, "blocked"), and
 * it says so (`closed`), so the background opens a new one (src/background/main.ts lazyStore).
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { IdbStore, SCHEMA_VERSION } from "../../src/store/idb.js";

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("hung")), ms))]);

describe("IdbStore and versionchange", () => {
  it("a newer version opened elsewhere: the store closes at once, nothing lost, a reopen sees the data", async () => {
    const name = `vc-${Date.now()}`;
    const store = await IdbStore.open(name);
    await store.add({ id: "a", text: "The harbour reopened after four weeks, the council said." });
    expect(store.closed).toBe(false);
    const newer = await within(
      new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name, SCHEMA_VERSION + 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      }),
      5000,
    );
    expect(store.closed).toBe(true);
    const count = await new Promise<number>((resolve) => {
      const r = newer.transaction("articles").objectStore("articles").count();
      r.onsuccess = () => resolve(r.result);
    });
    expect(count).toBe(1);
    newer.close();
    // This (older) code cannot open the newer schema: a clear error, not a hang.
    await expect(within(IdbStore.open(name), 5000)).rejects.toMatchObject({ name: "VersionError" });
  });

  it("the database deleted elsewhere: closed at once; a new store starts empty and works", async () => {
    const name = `vc-del-${Date.now()}`;
    const store = await IdbStore.open(name);
    await store.add({ id: "a", text: "The bridge was closed for six weeks of repairs." });
    await within(
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error);
      }),
      5000,
    );
    expect(store.closed).toBe(true);
    const again = await IdbStore.open(name);
    expect(await again.count()).toBe(0);
    expect((await again.add({ id: "b", text: "A new article after the reset." })).kind).toBe("imported");
    again.close();
    expect(again.closed).toBe(true);
  });
});
