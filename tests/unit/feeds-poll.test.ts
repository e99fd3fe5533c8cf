/**
 * pollFeed against a REAL local HTTP server (node:http on 127.0.0.1, random port) with
 * Node's global fetch, a MemoryStore, and Readability on jsdom as the extractor.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readability } from "@mozilla/readability";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ArticleInput } from "../../src/engine/types.js";
import type { FetchLike } from "../../src/feeds/fetch.js";
import { isDue, newFeedState, pollFeed, type FeedState, type PollDeps } from "../../src/feeds/poll.js";
import { pollDueFeeds, singleFlight } from "../../src/feeds/runner.js";
import { MemoryStore } from "../../src/store/memory.js";

/** The little of jsdom used here (jsdom ships no types and @types/jsdom is not installed). */
interface JsdomModule {
  JSDOM: new (html: string, opts: { url: string }) => { window: { document: Document; close(): void } };
}
const { JSDOM } = createRequire(import.meta.url)("jsdom") as JsdomModule;

const seed = (n: string) =>
  readFileSync(new URL(`../fixtures/seeds/${n}`, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
const webpage = readFileSync(new URL("../fixtures/feeds/webpage.html", import.meta.url), "utf8");

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function articlePage(title: string, paragraphs: string[], canonical?: string): string {
  const link = canonical ? `<link rel="canonical" href="${escapeHtml(canonical)}">` : "";
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} | Wire</title>${link}</head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>${escapeHtml(title)}</h1><p class="byline">By Staff Reporter</p>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
</article></main><footer><p>© Wire 2016</p></footer></body></html>`;
}

const LONG_SUMMARY =
  "Kazakhstan's president called the shootings in Almaty a terrorist act. Police said a gunman attacked a district " +
  "police station and a security service office, killing officers, before being detained after a chase through the " +
  "city centre. A second attacker was still being sought on Monday evening.";

function rssFeed(base: string): string {
  const item = (path: string, title: string, date: string, description: string) => `
    <item><title>${title}</title><link>${base}${path}</link><guid isPermaLink="false">${path}</guid>
      <pubDate>${date}</pubDate><description><![CDATA[<p>${description}</p>]]></description></item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Almaty Wire</title><link>${base}/</link>
${item("/article/1", "Gunmen kill four policemen in Almaty", "Mon, 18 Jul 2016 10:42:00 +0600", "Short teaser.")}
${item("/article/2", "Almaty attack: page that errors", "Mon, 18 Jul 2016 11:00:00 +0600", LONG_SUMMARY)}
${item("/article/3", "Redirected article", "Mon, 18 Jul 2016 12:00:00 +0600", "Short teaser.")}
${item("/article/missing", "Removed article", "Mon, 18 Jul 2016 13:00:00 +0600", "Too short.")}
</channel></rss>`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base = "";
const hits = new Map<string, number>();
let routes: Record<string, Handler> = {};

function defaultRoutes(): Record<string, Handler> {
  return {
    "/feed.xml": (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      res
        .writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag: '"v1"' })
        .end(rssFeed(base));
    },
    "/article/1": (_req, res) => {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(
          articlePage("Gunmen kill four policemen in Almaty", seed("000_7ec41403aca26861.txt"), "/article/1"),
        );
    },
    "/article/2": (_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" }).end("boom");
    },
    "/article/3": (_req, res) => {
      res.writeHead(301, { location: "/article/3-final" }).end();
    },
    "/article/3-final": (_req, res) => {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        // The page changes on every request (a live counter), as real pages do: storing it
        // twice would make a revision, not a duplicate.
        .end(
          articlePage("Almaty attack: a terrorist act", [
            ...seed("003_2f11906d63638778.txt"),
            `This page has been read ${hits.get("/article/3-final") ?? 0} times since it was published.`,
          ]),
        );
    },
    "/feed-utm.xml": (_req, res) => {
      const xml = `<rss version="2.0"><channel><title>Tracking links</title><item><title>Four policemen</title><link>${base}/article/1?utm_source=rss&amp;utm_medium=feed</link></item></channel></rss>`;
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(xml);
    },
    "/loop-a": (_req, res) => {
      res.writeHead(302, { location: "/loop-b" }).end();
    },
    "/loop-b": (_req, res) => {
      res.writeHead(302, { location: "/loop-a" }).end();
    },
    "/page.html": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(webpage);
    },
    "/huge-stream": (_req, res) => {
      // 6 MB, chunked, no content-length: the limit must be enforced while reading.
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>');
      const chunk = `<item><title>${"x".repeat(1000)}</title></item>`;
      let sent = 0;
      const pump = () => {
        while (sent < 6 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end("</channel></rss>");
      };
      res.on("error", () => undefined);
      pump();
    },
    "/huge-declared": (_req, res) => {
      res.writeHead(200, {
        "content-type": "application/rss+xml",
        "content-length": String(50 * 1024 * 1024),
      });
      res.write("<rss>");
      // never finishes on its own: the client must refuse on the header
      res.on("error", () => undefined);
    },
    "/slow": (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      const t = setTimeout(() => res.end("<title>late</title></channel></rss>"), 5000);
      res.on("close", () => clearTimeout(t));
    },
    "/gone": (_req, res) => {
      res.writeHead(410).end();
    },
    "/broken": (_req, res) => {
      res.writeHead(503).end();
    },
    "/latin1.xml": (_req, res) => {
      const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\u00e9 Zoë</title><item><title>Ol\u00e9</title><link>${base}/article/1</link></item></channel></rss>`;
      res.writeHead(200, { "content-type": "application/xml" }).end(Buffer.from(xml, "latin1"));
    },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes[path];
    if (handler) handler(req, res);
    else res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits.clear();
  routes = defaultRoutes();
});

const nodeFetch: FetchLike = (url, init) => fetch(url, init);

async function readabilityExtract(html: string, url: string): Promise<ArticleInput | null> {
  const dom = new JSDOM(html, { url });
  try {
    const doc = dom.window.document;
    const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute("href");
    const parsed = new Readability(doc).parse();
    if (!parsed || !parsed.textContent) return null;
    return {
      url: canonical ? new URL(canonical, url).href : url,
      title: parsed.title ?? null,
      byline: parsed.byline ?? null,
      published: parsed.publishedTime ?? null,
      text: parsed.textContent.trim(),
    };
  } finally {
    dom.window.close();
  }
}

function depsFor(store: MemoryStore, extra: Partial<PollDeps> = {}): PollDeps {
  return {
    fetch: nodeFetch,
    now: () => new Date("2026-11-24T10:00:00Z"),
    knownItem: async (url) => (await store.all()).some((a) => a.url === url),
    extract: readabilityExtract,
    add: (input) => store.add(input),
    ...extra,
  };
}

async function urlsIn(store: MemoryStore): Promise<string[]> {
  return (await store.all()).map((a) => a.url ?? "").sort();
}

// Generous timeout: jsdom + Readability on a loaded CI machine can take seconds.
describe("pollFeed against a local HTTP server", { timeout: 30_000 }, () => {
  it("first poll: extracts pages, falls back to the summary, follows redirects, reports the rest", async () => {
    const store = new MemoryStore();
    const r = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    expect(r.error).toBeNull();
    expect(r.itemsInFeed).toBe(4);
    expect(r.added).toBe(3);
    expect(r.fromSummary).toBe(1);
    expect(r.failed).toBe(1);
    expect(r.problems[0]!.message).toMatch(/not found .*404/);
    expect(await urlsIn(store)).toEqual(
      [`${base}/article/1`, `${base}/article/2`, `${base}/article/3-final`].sort(),
    );

    const articles = await store.all();
    const a1 = articles.find((a) => a.url === `${base}/article/1`)!;
    expect(a1.source).toBe("Almaty Wire");
    expect(a1.published).toBe("2016-07-18T04:42:00.000Z");
    expect(a1.title).toBe("Gunmen kill four policemen in Almaty");
    expect(a1.text).toContain("at least four policemen and one civilian");
    expect(a1.text).not.toContain("© Wire 2016");
    const a2 = articles.find((a) => a.url === `${base}/article/2`)!;
    expect(a2.text).toBe(LONG_SUMMARY);
    expect(a2.title).toBe("Almaty attack: page that errors");

    expect(r.state.title).toBe("Almaty Wire");
    expect(r.state.lastOk).toBe("2026-11-24T10:00:00.000Z");
    expect(r.state.lastError).toBeNull();
    // every item was dealt with (the 404 is permanent), so the validator is kept
    expect(r.state.etag).toBe('"v1"');
    expect(r.state.itemsSeen).toHaveLength(4);
  });

  it("re-poll with the ETag: 304, nothing fetched beyond the feed, nothing added", async () => {
    const store = new MemoryStore();
    const first = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    hits.clear();
    const second = await pollFeed(first.state, depsFor(store));
    expect(second.notModified).toBe(true);
    expect(second.added).toBe(0);
    expect(second.state.lastError).toBeNull();
    expect([...hits.keys()]).toEqual(["/feed.xml"]);
    expect(await store.count()).toBe(3);
  });

  it("re-poll when the server ignores validators: every item is known, no page is fetched again", async () => {
    const store = new MemoryStore();
    const first = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    hits.clear();
    const second = await pollFeed({ ...first.state, etag: null, lastModified: null }, depsFor(store));
    expect(second.notModified).toBe(false);
    expect(second.added).toBe(0);
    expect(second.known).toBe(4);
    expect([...hits.keys()]).toEqual(["/feed.xml"]);
    expect(await store.count()).toBe(3);
  });

  it("a poll killed midway and re-run from the old state adds each article exactly once", async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    const killed = await pollFeed(
      newFeedState(`${base}/feed.xml`),
      depsFor(store, {
        signal: controller.signal,
        add: async (input) => {
          const out = await store.add(input);
          controller.abort(); // the worker is killed right after the first article is stored
          return out;
        },
      }),
    );
    expect(killed.aborted).toBe(true);
    expect(killed.added).toBe(1);
    expect(killed.deferred).toBeGreaterThan(0);
    expect(killed.state.etag).toBeNull();
    // The killed poll's state was never saved: re-run from scratch with the same store.
    const rerun = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    expect(rerun.added).toBe(2);
    expect(rerun.known).toBe(1);
    const urls = await urlsIn(store);
    expect(urls).toEqual([...new Set(urls)]);
    expect(urls).toHaveLength(3);
    // and once more, from a blank state: the redirected item is recognised by its final URL
    const third = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    expect(third.added).toBe(0);
    expect(await store.count()).toBe(3);
  });

  it("stores the page's canonical URL, not the feed's tracking link, and knows a page captured before", async () => {
    const store = new MemoryStore();
    const r = await pollFeed(newFeedState(`${base}/feed-utm.xml`), depsFor(store));
    expect(r.added).toBe(1);
    expect(await urlsIn(store)).toEqual([`${base}/article/1`]);
    // The same article was captured in a tab earlier (same canonical URL): nothing is added.
    const other = new MemoryStore();
    await other.add({
      url: `${base}/article/1`,
      text: "Captured from the tab, text as the content script saw it.",
    });
    const r2 = await pollFeed(newFeedState(`${base}/feed-utm.xml`), depsFor(other));
    expect(r2.added).toBe(0);
    expect(r2.known).toBe(1);
    expect(await other.count()).toBe(1);
  });

  it("at most maxItems new items per poll; the rest come next time and the validator is not kept", async () => {
    const store = new MemoryStore();
    const first = await pollFeed(
      newFeedState(`${base}/feed.xml`),
      depsFor(store, { options: { maxItems: 1 } }),
    );
    expect(first.added).toBe(1);
    expect(first.deferred).toBe(3);
    expect(first.state.etag).toBeNull();
    const second = await pollFeed(first.state, depsFor(store, { options: { maxItems: 1 } }));
    expect(second.notModified).toBe(false);
    expect(second.added).toBe(1);
    expect(await store.count()).toBe(2);
  });

  it("a transient page failure with no usable summary clears the validator so the item is retried", async () => {
    routes["/article/1"] = (_req, res) => {
      res.writeHead(503).end();
    };
    const store = new MemoryStore();
    const r = await pollFeed(newFeedState(`${base}/feed.xml`), depsFor(store));
    expect(r.failed).toBe(2);
    expect(r.problems.map((p) => p.message).join(" ")).toMatch(/server problem \(error 503\)/);
    expect(r.state.etag).toBeNull();
    expect(r.state.itemsSeen).not.toContain(`${base}/article/1`);
    routes["/article/1"] = defaultRoutes()["/article/1"]!;
    const again = await pollFeed(r.state, depsFor(store));
    expect(again.added).toBe(1);
    expect(again.known).toBe(3);
  });

  it("feed errors in plain words: 404, 410, 503, redirect loop, web page, unreachable", async () => {
    const cases: [string, string, RegExp][] = [
      ["/no-such-feed.xml", "not-found", /not found at 127\.0\.0\.1:\d+ \(error 404\)/],
      ["/gone", "gone", /removed .*410/],
      ["/broken", "server-error", /server problem \(error 503\)/],
      ["/loop-a", "redirect-loop", /redirect loop/],
      ["/page.html", "html", /^This address returned a web page, not a feed — look for its RSS link\.$/],
    ];
    for (const [path, code, message] of cases) {
      const before: FeedState = {
        ...newFeedState(`${base}${path}`),
        lastOk: "2026-11-01T00:00:00.000Z",
        etag: '"old"',
      };
      const r = await pollFeed(before, depsFor(new MemoryStore()));
      expect(r.error?.code, path).toBe(code);
      expect(r.state.lastError, path).toMatch(message);
      expect(r.state.lastOk).toBe("2026-11-01T00:00:00.000Z");
      expect(r.state.lastPolled).toBe("2026-11-24T10:00:00.000Z");
      expect(r.state.etag).toBe('"old"');
    }
    // a closed port
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await pollFeed(newFeedState(`http://127.0.0.1:${port}/feed.xml`), depsFor(new MemoryStore()));
    expect(r.error?.code).toBe("network");
    expect(r.state.lastError).toMatch(/^Could not reach 127\.0\.0\.1:\d+/);
    const bad = await pollFeed(newFeedState("file:///etc/passwd"), depsFor(new MemoryStore()));
    expect(bad.error?.code).toBe("bad-url");
  });

  it("a store that cannot answer stops the poll with a plain error instead of throwing", async () => {
    const store = new MemoryStore();
    const r = await pollFeed(
      newFeedState(`${base}/feed.xml`),
      depsFor(store, {
        knownItem: async () => {
          throw new Error("IndexedDB is closed");
        },
      }),
    );
    expect(r.error?.code).toBe("store-error");
    expect(r.state.lastError).toBe("Parallax could not check its own store: Error: IndexedDB is closed");
    expect(r.state.etag).toBeNull();
    expect(await store.count()).toBe(0);
    expect([...hits.keys()]).toEqual(["/feed.xml"]);
  });

  it("an oversized body is refused while streaming, and on a declared Content-Length", async () => {
    const t0 = Date.now();
    const r = await pollFeed(newFeedState(`${base}/huge-stream`), depsFor(new MemoryStore()));
    expect(r.error?.code).toBe("too-large");
    expect(r.state.lastError).toMatch(/larger than 5 MB/);
    const d = await pollFeed(newFeedState(`${base}/huge-declared`), depsFor(new MemoryStore()));
    expect(d.error?.code).toBe("too-large");
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("a slow server times out (headers sent, body never finishes)", async () => {
    const t0 = Date.now();
    const r = await pollFeed(
      newFeedState(`${base}/slow`),
      depsFor(new MemoryStore(), { options: { timeoutMs: 300 } }),
    );
    expect(r.error?.code).toBe("timeout");
    expect(r.state.lastError).toMatch(/^127\.0\.0\.1:\d+ did not answer within 0\.3 seconds/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("decodes a feed in the charset its XML declaration names", async () => {
    const store = new MemoryStore();
    const r = await pollFeed(newFeedState(`${base}/latin1.xml`), depsFor(store));
    expect(r.error).toBeNull();
    expect(r.state.title).toBe("Café Zoë");
    expect(r.added).toBe(1);
    expect((await store.all())[0]!.source).toBe("Café Zoë");
  });

  it("without permission: the feed is not fetched; item pages are not fetched, summaries stand in", async () => {
    const denied = await pollFeed(
      newFeedState(`${base}/feed.xml`),
      depsFor(new MemoryStore(), { canFetch: async () => false }),
    );
    expect(denied.error?.code).toBe("no-permission");
    expect(denied.state.lastError).toMatch(/not allowed to read 127\.0\.0\.1:\d+ yet/);
    expect(hits.size).toBe(0);

    const store = new MemoryStore();
    const r = await pollFeed(
      newFeedState(`${base}/feed.xml`),
      depsFor(store, { canFetch: async (url) => new URL(url).pathname === "/feed.xml" }),
    );
    expect([...hits.keys()]).toEqual(["/feed.xml"]);
    expect(r.needsPermission).toEqual([base]);
    expect(r.added).toBe(1); // only item 2 has a summary long enough
    expect(r.fromSummary).toBe(1);
    expect(r.failed).toBe(3);
    // left unseen, so they are tried again once the origin is allowed
    expect(r.state.itemsSeen).toEqual([`${base}/article/2`]);
    const later = await pollFeed(r.state, depsFor(store));
    expect(later.added).toBe(2);
    expect(later.known).toBe(1);
  });
});

describe("pollDueFeeds against the local server", { timeout: 30_000 }, () => {
  it("polls due feeds in order, saves after each, skips the rest, and a second run finds nothing new", async () => {
    const store = new MemoryStore();
    const saved: FeedState[] = [];
    const fresh = newFeedState(`${base}/feed.xml`);
    const broken = newFeedState(`${base}/gone`);
    const notDue: FeedState = {
      ...newFeedState(`${base}/latin1.xml`),
      lastPolled: "2026-11-24T09:55:00.000Z",
      lastOk: "2026-11-24T09:55:00.000Z",
    };
    const save = async (st: FeedState) => {
      saved.push(st);
    };
    const report = await pollDueFeeds([fresh, broken, notDue], depsFor(store), { intervalMinutes: 30, save });
    expect(report.polled.map((p) => p.url)).toEqual([fresh.url, broken.url]);
    expect(report.skipped).toBe(1);
    expect(saved.map((st) => st.url)).toEqual([fresh.url, broken.url]);
    expect(saved[1]!.lastError).toMatch(/410/);
    expect(report.polled[0]!.result.added).toBe(3);
    expect(hits.has("/latin1.xml")).toBe(false);

    // `saved` is both the list polled and where `save` writes: the runner must not chase its tail.
    const forced = await pollDueFeeds(saved, depsFor(store), { intervalMinutes: 30, save, force: true });
    expect(forced.polled).toHaveLength(2);
    expect(forced.polled[0]!.result.notModified).toBe(true);
    expect(await store.count()).toBe(3);
  });

  it("singleFlight shares a run in progress", async () => {
    let runs = 0;
    const run = singleFlight(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return runs;
    });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await run()).toBe(2);
  });
});

describe("pollFeed with a fetch that has no body stream", () => {
  const feedXml = rssFeed("https://a.example");
  const fake =
    (body: string): FetchLike =>
    async (url) => ({
      status: 200,
      url,
      headers: { get: (name: string) => (name === "content-type" ? "application/rss+xml" : null) },
      text: async () => body,
    });

  it("reads text() and still applies the byte limit", async () => {
    const store = new MemoryStore();
    const deps = depsFor(store, { fetch: fake(feedXml), extract: async () => null });
    const ok = await pollFeed(newFeedState("https://a.example/feed.xml"), deps);
    expect(ok.error).toBeNull();
    expect(ok.itemsInFeed).toBe(4);
    const small = await pollFeed(newFeedState("https://a.example/feed.xml"), {
      ...deps,
      options: { maxFeedBytes: 100 },
    });
    expect(small.error?.code).toBe("too-large");
    expect(small.state.lastError).toBe(
      "The feed is larger than 100 bytes, the most Parallax reads; it was skipped.",
    );
  });
});

describe("isDue", () => {
  const now = new Date("2026-11-24T10:00:00Z");
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  it("polls new feeds, waits the interval after a success", () => {
    expect(isDue(newFeedState("https://a.example/f"), now, 30)).toBe(true);
    const ok = { ...newFeedState("https://a.example/f"), lastPolled: at(10), lastOk: at(10) };
    expect(isDue(ok, now, 30)).toBe(false);
    expect(isDue({ ...ok, lastPolled: at(31), lastOk: at(31) }, now, 30)).toBe(true);
  });
  it("backs off while a feed keeps failing, up to a day", () => {
    const failing = (polledAgo: number, okAgo: number | null) => ({
      ...newFeedState("https://a.example/f"),
      lastPolled: at(polledAgo),
      lastOk: okAgo === null ? null : at(okAgo),
      lastError: "down",
    });
    // failing for 4 hours when last polled: wait 4 hours
    expect(isDue(failing(60, 60 + 240), now, 30)).toBe(false);
    expect(isDue(failing(241, 241 + 240), now, 30)).toBe(true);
    // failing for a week: wait at most a day
    expect(isDue(failing(23 * 60, 7 * 24 * 60), now, 30)).toBe(false);
    expect(isDue(failing(24 * 60 + 1, 7 * 24 * 60), now, 30)).toBe(true);
    // never worked: the interval
    expect(isDue(failing(31, null), now, 30)).toBe(true);
  });
});
