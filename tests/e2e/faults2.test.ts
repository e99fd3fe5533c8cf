/**
 * More faults on the built extension, Chromium and Firefox ESR (real IndexedDB, real feeds
 * over HTTP, no fakes):
 * 1. the IndexedDB schema upgraded while another extension page holds a connection at an old
 *    version (the background opens the current one), and a newer version opened while the
 *    background holds its connection: versionchange is honoured, nothing is lost, nothing hangs;
 * 2. the background stopped in the middle of a feed poll, then the feed checked again: every
 *    item stored exactly once;
 *
 * The storage quota running out is NOT tested here: neither browser lets automation shrink an
 * extension's quota (see tests/e2e/README.md, "Faults not reproducible"); tests/unit/idb.test.ts
 * covers it with a quota-refusing IndexedDB.
 *
 * Runs on a TEST-ONLY copy of the build with host_permissions for http://127.0.0.1/* (the feed
 * server; see feeds.test.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSERS, launch, stopBackground, testOnlyBuild, type Session } from "./harness.js";
import type { ImportResult } from "../../src/protocol.js";
import type { StoreStats } from "../../src/store/types.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const WORDS = (
  "river council harbour minister bridge storm market village festival strike court railway " +
  "election farmer museum school hospital airport factory mayor coast forest valley union"
).split(" ");
const w = (i: number, k: number) => WORDS[(i * 7 + k * 13) % WORDS.length] as string;

/** One unique, article-like paragraph set for item `i` (enough text for extraction). */
function articleText(i: number): string[] {
  return [0, 1, 2, 3, 4].map(
    (p) =>
      `Report ${i}, part ${p}: the ${w(i, p + 1)} near the ${w(i, p + 2)} was discussed on day ${i % 28} by ` +
      `${(i % 90) + 10 + p} residents, who said the ${w(i, p + 3)} and the ${w(i, p + 4)} had been ` +
      `closed for ${(i % 12) + 1 + p} weeks. Officials promised that the ${w(i, p + 5)} would reopen. Serial ${i}-${p}-${i * 31}.`,
  );
}

function articlePage(i: number): string {
  const paras = articleText(i)
    .map((t) => `<p>${t}</p>`)
    .join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local report ${i}</title></head>` +
    `<body><article><h1>Local report ${i} about the ${w(i, 1)}</h1>${paras}</article></body></html>`
  );
}

const FEED_ITEMS = 24;
const PAGE_DELAY_MS = 350;

interface FeedServer {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/** A feed of FEED_ITEMS items whose pages answer slowly, so a poll takes several seconds. */
async function startFeedServer(): Promise<FeedServer> {
  const requests: string[] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(p);
    if (p === "/feed.xml") {
      const items = Array.from(
        { length: FEED_ITEMS },
        (_, i) =>
          `<item><title>Local report ${i}</title><link>${origin}/a/${i}.html</link><guid>${origin}/a/${i}.html</guid></item>`,
      ).join("");
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      res.end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow wire</title>${items}</channel></rss>`,
      );
      return;
    }
    const m = /^\/a\/(\d+)\.html$/.exec(p);
    if (m && Number(m[1]) < FEED_ITEMS) {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(articlePage(Number(m[1])));
      }, PAGE_DELAY_MS);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A message, retried while the background (re)starts. */
async function send<R>(s: Session, msg: { type: string } & Record<string, unknown>, ms = 30_000): Promise<R> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await s.sendMessage<R>(msg);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(300);
    }
  }
}

const stats = (s: Session) => send<StoreStats>(s, { type: "store/stats" });

async function exported(s: Session): Promise<{ id: string; url: string | null; text: string }[]> {
  const { jsonl } = await send<{ jsonl: string }>(s, { type: "store/export" });
  return jsonl
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; url: string | null; text: string });
}

/** Resolves with `p`'s value, or rejects when it takes longer than `ms` (a hang). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    sleep(ms).then(() => {
      throw new Error(`${what}: no answer within ${ms} ms`);
    }),
  ]);
}

function generatedJsonl(n: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    lines.push(
      JSON.stringify({
        id: `gen-${i}`,
        url: `https://example.org/gen/${i}`,
        source: `Outlet ${i % 5}`,
        title: `Generated report ${i}`,
        published: `2020-02-${String((i % 28) + 1).padStart(2, "0")}`,
        text: articleText(i).join("\n"),
      }),
    );
  }
  return lines.join("\n") + "\n";
}

describe.each(BROWSERS)("more faults on %s (test-only copy of the build)", (name) => {
  let s: Session;
  let feeds: FeedServer;
  let build: { dir: string; remove(): void };

  beforeAll(async () => {
    feeds = await startFeedServer();
    build = testOnlyBuild(name, "faults2");
    s = await launch(name, { extensionDir: build.dir });
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await feeds?.close();
    build?.remove();
  });

  it("schema upgraded while an extension page holds an old-version connection: it steps aside, nothing lost", async () => {
    // Start from no database, then an extension page of an OLDER release opens schema v1 (as
    // MIGRATIONS[0] made it), stores three articles and keeps its connection open. The delete
    // and the v1 open are issued in the same task, so the v1 open is queued before the
    // background's own reopen (the deletion closes the background's connection and the store
    // reopens it: issued apart, the background could recreate the current version first).
    // Like every connection the product opens (openParallaxDb's `blocking`), the old page's
    // closes when a newer version asks.
    await s.evalInExtension(async () => {
      const deleted = new Promise<boolean>((resolve, reject) => {
        const del = indexedDB.deleteDatabase("parallax");
        del.onsuccess = () => resolve(true);
        del.onerror = () => reject(del.error);
      });
      // The old release's connection answers versionchange from the moment it is open (its
      // handler is set in onsuccess, before any other task can deliver the event); its three
      // articles are written in the upgrade transaction itself, so no later transaction can
      // meet a connection that has already stepped aside.
      const g = globalThis as unknown as { __old: { events: string[] } };
      g.__old = { events: [] };
      await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("parallax", 1);
        req.onupgradeneeded = () => {
          const d = req.result;
          const a = d.createObjectStore("articles", { keyPath: "id" });
          a.createIndex("contentHash", "contentHash");
          a.createIndex("url", "url");
          a.createIndex("capturedAt", "capturedAt");
          d.createObjectStore("meta");
          for (let i = 0; i < 3; i++) {
            a.put({
              id: `old-${i}`,
              url: `https://example.org/old/${i}`,
              source: "Old wire",
              title: `Old report ${i}`,
              published: "2015-05-0" + (i + 1),
              byline: null,
              text: `An old report number ${i} about the harbour, kept from an earlier version of the store.`,
              contentHash: `00000000000000${i}${i}`,
              capturedAt: `2015-05-0${i + 1}T00:00:00.000Z`,
              revisionOf: null,
            });
          }
        };
        req.onsuccess = () => {
          const db = req.result;
          db.onversionchange = (e) => {
            g.__old.events.push(`${e.oldVersion}->${e.newVersion}`);
            db.close();
          };
          resolve(db);
        };
        req.onerror = () => reject(req.error);
      });
      await deleted;
      return true;
    });
    // The background (whose connection the deletion closed) opens the current version again:
    // the old page's connection gets versionchange, closes, the upgrade runs, and the answer
    // comes (no "blocked" hang, no restart needed).
    const st = await within(s.sendMessage<StoreStats>({ type: "store/stats" }), 20_000, "store/stats");
    expect(st.articles).toBe(3);
    const events = await s.evalInExtension(
      () => (globalThis as unknown as { __old: { events: string[] } }).__old.events,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^1->\d+$/);
    const upgradedTo = Number(events[0]!.split("->")[1]);
    expect(upgradedTo).toBeGreaterThan(1);
    const rows = await exported(s);
    expect(rows.map((r) => r.id).sort()).toEqual(["old-0", "old-1", "old-2"]);
    expect(rows.every((r) => r.text.startsWith("An old report number"))).toBe(true);
    // The upgraded store works: an import adds to it.
    const res = await s.sendMessage<ImportResult>({
      type: "store/import-jsonl",
      text: generatedJsonl(2, 900),
    });
    expect(res).toEqual({ imported: 2, duplicate: 0, rejected: [] });
    expect((await stats(s)).articles).toBe(5);
    console.log(`[${name}] old page (v1) stepped aside: ${events.join(", ")}`);
    await send(s, { type: "store/clear" });
  }, 90_000);

  it("background stopped in the middle of a feed poll, then checked again: every item stored exactly once", async () => {
    expect((await stats(s)).articles).toBe(0);
    const feedUrl = `${feeds.origin}/feed.xml`;
    // Subscribe (its first check starts at once) without waiting for the answer.
    await s.evalInExtension((api, url: string) => {
      const g = globalThis as unknown as { __poll?: Promise<unknown> };
      g.__poll = api.runtime.sendMessage({ type: "feeds/add", url }).catch((e) => e);
      return true;
    }, feedUrl);
    let stored = 0;
    const deadline = Date.now() + 60_000;
    while (stored < 3 && Date.now() < deadline) {
      await sleep(150);
      stored = (await stats(s)).articles;
    }
    expect(stored).toBeGreaterThanOrEqual(3);
    await stopBackground(s);
    const after = (await stats(s)).articles;
    // The stop cut the poll short (otherwise this test would prove nothing).
    expect(after).toBeLessThan(FEED_ITEMS);

    // The reader (or the alarm) checks the feed again.
    const view = await send<{ feeds: { url: string; error: string | null }[] }>(
      s,
      { type: "feeds/poll-now" },
      120_000,
    );
    expect(view.feeds.map((f) => f.url)).toEqual([feedUrl]);
    expect(view.feeds[0]?.error ?? null).toBeNull();
    const rows = await exported(s);
    const want = Array.from({ length: FEED_ITEMS }, (_, i) => `${feeds.origin}/a/${i}.html`);
    expect(rows.map((r) => r.url).sort()).toEqual([...want].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(FEED_ITEMS);
    expect(new Set(rows.map((r) => r.text)).size).toBe(FEED_ITEMS);
    expect(
      rows.every((r) => !r.id.includes("@")),
      "no item stored as a revision of itself",
    ).toBe(true);
    for (const r of rows) {
      const i = Number(/\/a\/(\d+)\.html$/.exec(r.url ?? "")?.[1]);
      expect(r.text, r.url ?? "").toContain(`Serial ${i}-0-${i * 31}`);
    }
    expect((await stats(s)).articles).toBe(FEED_ITEMS);
    // Another check adds nothing.
    await send(s, { type: "feeds/poll-now" }, 120_000);
    expect((await stats(s)).articles).toBe(FEED_ITEMS);
    const pages = feeds.requests.filter((p) => p.startsWith("/a/")).length;
    console.log(
      `[${name}] feed poll stopped at ${after}/${FEED_ITEMS}; after the next check ${FEED_ITEMS} stored once (${pages} page requests)`,
    );
    await send(s, { type: "feeds/remove", url: feedUrl });
    await send(s, { type: "store/clear" });
  }, 240_000);

  it("a newer schema opened while the background holds its connection: the background steps aside at once", async () => {
    await send(s, { type: "store/import-jsonl", text: generatedJsonl(4, 500) });
    const st = await stats(s); // the background's connection is open now
    const seen = await within(
      s.evalInExtension(async () => {
        const current = (await indexedDB.databases()).find((d) => d.name === "parallax")?.version ?? 0;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open("parallax", current + 1);
          req.onupgradeneeded = () => req.result.createObjectStore("from-a-newer-release");
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
          req.onblocked = () => undefined; // waits: the test's timeout says whether it hung
        });
        const count = await new Promise<number>((resolve) => {
          const r = db.transaction("articles").objectStore("articles").count();
          r.onsuccess = () => resolve(r.result);
        });
        db.close();
        return { from: current, count };
      }),
      20_000,
      "opening a newer version",
    );
    expect(seen.count).toBe(st.articles);
    // The background, still the older release, must not hang on its next request: it opens
    // again, cannot use the newer schema, and says so in plain words at once.
    const next = await within(
      s.sendMessage<StoreStats>({ type: "store/stats" }).then(
        (v) => `answered ${v.articles}`,
        (e: Error) => `failed: ${e.message}`,
      ),
      20_000,
      "store/stats after the upgrade",
    );
    expect(next).toMatch(/^failed: .*A newer version of Parallax has upgraded the store/);
    console.log(
      `[${name}] newer version ${seen.from + 1} opened with ${seen.count} articles; background then ${next}`,
    );
  }, 90_000);
});
