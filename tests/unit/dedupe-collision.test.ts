/**
 * S7 (docs/security.md): the content hash is a fast 64-bit FNV-1a, so a collision can be
 * built on purpose. A stored article whose hash equals a later article's must not make that
 * later article a "duplicate" unless the texts are the same. A real collision is expensive to
 * find, so each store is given a stored record carrying the incoming text's hash with another
 * text: exactly what a crafted colliding feed item or page would leave in the store.
 */
import "fake-indexeddb/auto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { contentHash, normalizeArticle } from "../../src/engine/article.js";
import type { Article } from "../../src/engine/types.js";
import { planAdd, sameContent } from "../../src/store/dedupe.js";
import { FileStore } from "../../src/store/file.js";
import { IdbStore, openParallaxDb } from "../../src/store/idb.js";

const REAL = {
  id: "real-1",
  url: "https://wire.example/almaty",
  source: "Wire",
  title: "Gunmen attack police in Almaty",
  published: "2016-07-18",
  text: "At least four policemen were killed in Almaty on Monday, officials said.",
};
/** A crafted article stored earlier, carrying REAL's hash but other words. */
const forged = (): Article => ({
  ...normalizeArticle({ id: "crafted", url: "https://evil.example/x", text: "Nothing happened anywhere." }),
  contentHash: contentHash(REAL.text),
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe("S7: a content-hash collision does not drop a different article", () => {
  it("sameContent: same hash and same folded text; same hash alone is not enough", () => {
    const a = normalizeArticle(REAL);
    const b = normalizeArticle({
      ...REAL,
      id: "copy",
      text: `  AT least four policemen were killed in Almaty on Monday, officials said. `,
    });
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, forged())).toBe(false);
    expect(sameContent(a, { ...a, contentHash: "0".repeat(16) })).toBe(false);
  });

  it("planAdd: the colliding stored article is not a duplicate; the same text still is", () => {
    const real = normalizeArticle(REAL);
    expect(planAdd(real, forged(), undefined, undefined).kind).toBe("imported");
    expect(planAdd(real, [forged()], undefined, undefined).kind).toBe("imported");
    const copy = normalizeArticle({ ...REAL, id: "earlier" });
    expect(planAdd(real, [forged(), copy], undefined, undefined)).toEqual({
      kind: "duplicate",
      existingId: "earlier",
    });
  });

  it("IdbStore: the real article is imported next to the crafted one; re-adding it is a duplicate", async () => {
    const name = `collision-${Date.now()}`;
    const raw = await openParallaxDb(name);
    await raw.put("articles", forged());
    raw.close();
    const store = await IdbStore.open(name);
    cleanups.push(() => store.close());
    expect((await store.add(REAL)).kind).toBe("imported");
    expect(await store.add({ ...REAL, id: "again", url: null })).toEqual({
      kind: "duplicate",
      existingId: "real-1",
    });
    expect((await store.all()).map((a) => a.id).sort()).toEqual(["crafted", "real-1"]);
    const batch = await store.addMany([{ ...REAL, id: "batch", url: null }]);
    expect(batch[0]).toEqual({ kind: "duplicate", existingId: "real-1" });
  });

  it("FileStore: the same, and after reopening the store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parallax-collision-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const created = await FileStore.open(dir);
    await created.close();
    writeFileSync(join(dir, "articles.jsonl"), JSON.stringify({ op: "put", article: forged() }) + "\n");
    const store = await FileStore.open(dir);
    expect((await store.add(REAL)).kind).toBe("imported");
    expect((await store.add({ ...REAL, id: "again", url: null })).kind).toBe("duplicate");
    await store.close();
    const reopened = await FileStore.open(dir);
    expect((await reopened.add({ ...REAL, id: "third", url: null })).kind).toBe("duplicate");
    expect((await reopened.all()).map((a) => a.id).sort()).toEqual(["crafted", "real-1"]);
    await reopened.close();
  });
});
