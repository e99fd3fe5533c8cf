/**
 * The options page's statistics (`store/stats`) come from meta "sourceStats", kept in the same
 * transaction as every article write, so that they read no article. Checked against the
 * statistics computed from every stored article (computeStats) after each kind of write, and
 * for databases from before the figures were kept.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { IdbStore, openParallaxDb } from "../../src/store/idb.js";
import { computeStats } from "../../src/store/memory.js";
import type { Article } from "../../src/engine/types.js";

let n = 0;
const opened: IdbStore[] = [];
async function fresh(name = `stats-${++n}`): Promise<IdbStore> {
  let t = Date.parse("2026-01-01T00:00:00Z");
  const store = await IdbStore.open(name, () => new Date((t += 1000)));
  opened.push(store);
  return store;
}
afterEach(() => {
  while (opened.length) opened.pop()?.close();
});

/** The statistics as computed by reading every stored article. */
async function fromArticles(store: IdbStore) {
  return computeStats(await store.all());
}

/** The kept record itself matches the articles (before stats() could count it again), and so does stats(). */
async function expectKept(store: IdbStore): Promise<void> {
  const { articles, bytes, perSource } = await fromArticles(store);
  expect(await store.getMeta("sourceStats")).toEqual({ articles, bytes, perSource });
  expect(await store.stats()).toEqual(await fromArticles(store));
}

const wire = (id: string, text: string, extra: Partial<Article> = {}) => ({
  id,
  url: `https://wire.example/${id}`,
  source: "Wire",
  published: "2016-07-18T10:00:00Z",
  text,
  ...extra,
});

function raw(id: string, source: string | null, published: string | null, text: string): Article {
  return {
    id,
    url: null,
    source,
    title: id,
    published,
    byline: null,
    text,
    contentHash: id.padStart(16, "0"),
    capturedAt: `2020-01-01T00:00:0${id.length % 10}Z`,
    revisionOf: null,
  };
}

describe("IdbStore statistics kept in meta", () => {
  it("a new database starts with the figures at zero", async () => {
    const store = await fresh();
    expect(await store.getMeta("sourceStats")).toEqual({ articles: 0, bytes: 0, perSource: {} });
    expect(await store.stats()).toEqual({ articles: 0, bytes: 0, oldest: null, newest: null, perSource: {} });
  });

  it("follows adds, duplicates, revisions, batches, deletes and clear", async () => {
    const store = await fresh();
    await store.add(wire("a", "Four policemen were killed in Almaty on Monday."));
    await expectKept(store);
    await store.add({ id: "g", source: "Guardian", published: "2016-07-19", text: "Another report." });
    await store.add({ id: "u", text: "No source, no date." });
    await store.add({ id: "e", source: "Guardian", published: "", text: "An empty date." });
    expect((await store.add({ id: "dup", text: "NO SOURCE, NO DATE." })).kind).toBe("duplicate");
    await expectKept(store);
    const rev = await store.add(wire("a", "Four policemen were killed in Almaty on Monday. Five now."));
    expect(rev.kind).toBe("revision");
    await expectKept(store);
    await store.addMany([
      { id: "b1", source: "NDTV", published: "2015-01-02", text: "First batch item." },
      { id: "b2", source: "NDTV", published: "2017-03-04", text: "Second batch item." },
      { id: "b3", text: "   " }, // rejected
    ]);
    const stats = await store.stats();
    expect(stats).toEqual(await fromArticles(store));
    expect(stats.articles).toBe(7);
    expect(stats.perSource).toEqual({ Wire: 2, Guardian: 2, unknown: 1, NDTV: 2 });
    expect(stats.oldest).toBe("2015-01-02");
    expect(stats.newest).toBe("2017-03-04");

    await store.delete("g"); // one article
    await store.delete("no-such-id"); // nothing
    await expectKept(store);
    for (const a of await store.all()) if (a.source === "NDTV") await store.delete(a.id); // an outlet
    const after = await store.stats();
    expect(after).toEqual(await fromArticles(store));
    expect(after.perSource).toEqual({ Wire: 2, Guardian: 1, unknown: 1 }); // no NDTV: 0 left behind
    expect(after.oldest).toBe("2016-07-18T10:00:00Z");

    await store.clear();
    await expectKept(store);
    expect((await store.stats()).articles).toBe(0);
    await store.add({ id: "z", source: "Wire", text: "After the clear." });
    await expectKept(store);
  });

  it("answers from meta alone: the kept figures are what stats() reports", async () => {
    const store = await fresh();
    await store.add(wire("a", "Four policemen were killed."));
    // Same article count, other outlets and bytes: a stats() reading articles would not say this.
    await store.setMeta("sourceStats", { articles: 1, bytes: 42, perSource: { Elsewhere: 1 } });
    const stats = await store.stats();
    expect(stats.perSource).toEqual({ Elsewhere: 1 });
    expect(stats.bytes).toBe(42);
    expect(stats.oldest).toBe("2016-07-18T10:00:00Z"); // the date range comes from the index
  });

  it("counts again once when the figures disagree with the article count", async () => {
    const store = await fresh();
    await store.add(wire("a", "Four policemen were killed."));
    await store.add({ id: "b", source: "NDTV", text: "Another one." });
    await store.setMeta("sourceStats", { articles: 5, bytes: 1, perSource: { Elsewhere: 5 } });
    expect(await store.stats()).toEqual(await fromArticles(store));
    await expectKept(store); // and stored
    expect((await store.stats()).perSource).toEqual({ Wire: 1, NDTV: 1 });
  });

  it.each([2, 3])("upgrades a version-%i database: counted once, then kept", async (version) => {
    const name = `stats-upgrade-${++n}`;
    const old = await openParallaxDb(name, version);
    await old.put("articles", raw("old1", "Wire", "2011-07-12", "An older report."));
    await old.put("articles", raw("old22", "Wire", "2012-01-01", "Another older report."));
    await old.put("articles", raw("old333", null, null, "No source."));
    old.close();

    const store = await fresh(name);
    expect(await store.getMeta("sourceStats")).toBeUndefined(); // not counted at upgrade
    const stats = await store.stats();
    expect(stats).toEqual(await fromArticles(store));
    expect(stats.perSource).toEqual({ Wire: 2, unknown: 1 });
    expect(stats.oldest).toBe("2011-07-12");
    expect(await store.getMeta("sourceStats")).toMatchObject({ articles: 3 });
    expect(await store.count()).toBe(3);
    await store.delete("old1");
    await store.add({ id: "new", source: "NDTV", text: "A new one." });
    await expectKept(store);
    expect((await store.stats()).perSource).toEqual({ Wire: 1, unknown: 1, NDTV: 1 });
  });
});
