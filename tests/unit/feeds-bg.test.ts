/**
 * The background's feed handlers (src/background/feeds.ts) with fakes: storage.local,
 * alarms, permissions and fetch are in-memory; the store is the real MemoryStore.
 */
import { describe, expect, it } from "vitest";
import type { ArticleInput } from "../../src/engine/types.js";
import {
  DEFAULT_INTERVAL_MINUTES,
  FEEDS_ALARM,
  Feeds,
  normalizeFeedUrl,
  originPattern,
  type FeedsBrowserLike,
} from "../../src/background/feeds.js";
import type { FetchInit, ResponseLike } from "../../src/feeds/index.js";
import type { Request } from "../../src/protocol.js";
import { MemoryStore } from "../../src/store/memory.js";

const FEED = "https://news.example/rss.xml";

function para(topic: string): string {
  return `${topic} was reported on Monday by several witnesses who spoke to reporters in the city centre. `.repeat(
    6,
  );
}

function page(title: string, body: string): string {
  return `<html><head><title>${title}</title></head><body><article>${body}</article></body></html>`;
}

function rss(items: { link: string; title: string; description?: string }[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.link}</guid>${
          i.description ? `<description>${i.description}</description>` : ""
        }</item>`,
    )
    .join("")}</channel></rss>`;
}

type Route = { status: number; body: string; type?: string };

class World {
  storage = new Map<string, unknown>();
  alarms = new Map<string, { name: string; periodInMinutes?: number }>();
  granted = new Set<string>();
  routes = new Map<string, Route>();
  fetched: string[] = [];
  now = new Date("2026-11-24T10:00:00Z");
  store = new MemoryStore();
  afterAdded = 0;
  idle = 0;
  /** Resolves a pending fetch of this URL (to hold a poll in flight). */
  gate: { url: string; wait: Promise<void> } | null = null;

  browser: FeedsBrowserLike = {
    storage: {
      local: {
        get: async (key) => {
          if (key === null) return Object.fromEntries(this.storage);
          const v = this.storage.get(key);
          return v === undefined ? {} : { [key]: structuredClone(v) };
        },
        set: async (items) => {
          for (const [k, v] of Object.entries(items)) this.storage.set(k, structuredClone(v));
        },
        remove: async (key) => {
          for (const k of Array.isArray(key) ? key : [key]) this.storage.delete(k);
        },
      },
    },
    alarms: {
      create: (name, info) => {
        this.alarms.set(name, { name, periodInMinutes: info.periodInMinutes });
      },
      get: async (name) => this.alarms.get(name),
      clear: async (name) => this.alarms.delete(name),
    },
    permissions: { contains: async (p) => p.origins.every((o) => this.granted.has(o)) },
  };

  fetch = async (url: string, _init: FetchInit): Promise<ResponseLike> => {
    this.fetched.push(url);
    if (this.gate?.url === url) await this.gate.wait;
    const r = this.routes.get(url) ?? { status: 404, body: "not found", type: "text/plain" };
    return {
      status: r.status,
      url,
      headers: new Headers({ "content-type": r.type ?? "text/html; charset=utf-8" }),
      text: async () => r.body,
    };
  };

  /** A stand-in for DOMParser + extractArticle: the <article> element's text. */
  extract = async (html: string, url: string): Promise<ArticleInput | null> => {
    const m = /<article>([\s\S]*)<\/article>/.exec(html);
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
    return m ? { url, title, text: m[1] ?? "" } : null;
  };

  feeds(): Feeds {
    return new Feeds({
      browser: this.browser,
      fetch: this.fetch,
      hasUrl: async (url) => (await this.store.all()).some((a) => a.url === url),
      ingest: (input) => this.store.add(input),
      extract: this.extract,
      afterAdded: async () => {
        this.afterAdded++;
      },
      idle: async () => {
        this.idle++;
      },
      now: () => this.now,
    });
  }

  serveFeed(items: { link: string; title: string; description?: string }[], url = FEED): void {
    this.routes.set(url, { status: 200, body: rss(items), type: "application/rss+xml" });
  }
}

function call<T extends keyof Feeds["handlers"]>(f: Feeds, type: T, req: object) {
  const h = f.handlers[type] as (r: Request<T>, s: object) => Promise<unknown>;
  return h({ type, ...req } as Request<T>, { id: "x", url: "chrome-extension://x/popup/options.html" });
}

function twoItems(w: World): void {
  w.serveFeed([
    { link: "https://news.example/a", title: "Blast in Almaty" },
    { link: "https://news.example/b", title: "Floods in Dhaka" },
  ]);
  w.routes.set("https://news.example/a", {
    status: 200,
    body: page("Blast in Almaty", para("A blast in Almaty")),
  });
  w.routes.set("https://news.example/b", {
    status: 200,
    body: page("Floods in Dhaka", para("Flooding in Dhaka")),
  });
}

describe("feed helpers", () => {
  it("normalises typed addresses and builds port-free origin patterns", () => {
    expect(normalizeFeedUrl(" news.example/rss ")).toBe("https://news.example/rss");
    expect(normalizeFeedUrl("http://127.0.0.1:8080/feed.xml#x")).toBe("http://127.0.0.1:8080/feed.xml");
    expect(normalizeFeedUrl("javascript:alert(1)")).toBeNull();
    expect(normalizeFeedUrl("file:///etc/passwd")).toBeNull();
    expect(normalizeFeedUrl("   ")).toBeNull();
    expect(originPattern("http://127.0.0.1:8080/feed.xml")).toBe("http://127.0.0.1/*");
    expect(originPattern("https://news.example")).toBe("https://news.example/*");
    expect(originPattern("ftp://x/")).toBeNull();
  });
});

describe("Feeds (background handlers)", () => {
  it("adds a feed, creates the alarm, polls it once and stores its articles through ingest", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    twoItems(w);
    const f = w.feeds();
    const res = (await call(f, "feeds/add", { url: "news.example/rss.xml" })) as Awaited<
      ReturnType<Feeds["add"]>
    >;
    expect(res.error).toBeNull();
    expect(res.feed).toMatchObject({
      url: FEED,
      title: "Example News",
      lastError: null,
      added: 2,
      lastAdded: 2,
    });
    expect(w.alarms.get(FEEDS_ALARM)?.periodInMinutes).toBe(DEFAULT_INTERVAL_MINUTES);
    expect((await w.store.all()).map((a) => a.url).sort()).toEqual([
      "https://news.example/a",
      "https://news.example/b",
    ]);
    expect((await w.store.all()).every((a) => a.source === "Example News")).toBe(true);
    // Privacy: the feed and the pages it links to, nothing else.
    expect(w.fetched).toEqual([FEED, "https://news.example/a", "https://news.example/b"]);
    expect(w.afterAdded).toBe(1);
    expect(w.idle).toBe(1);

    const again = (await call(f, "feeds/add", { url: FEED })) as Awaited<ReturnType<Feeds["add"]>>;
    expect(again.error).toBe("You already follow this feed.");
    expect((w.storage.get("feeds") as unknown[]).length).toBe(1);
  });

  it("re-polls without adding anything twice, and counts per feed", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    twoItems(w);
    const f = w.feeds();
    await f.add(FEED);
    w.serveFeed([
      { link: "https://news.example/a", title: "Blast in Almaty" },
      { link: "https://news.example/b", title: "Floods in Dhaka" },
      { link: "https://news.example/c", title: "Storm in Lima" },
    ]);
    w.routes.set("https://news.example/c", {
      status: 200,
      body: page("Storm in Lima", para("A storm in Lima")),
    });
    w.fetched = [];
    const view = (await call(f, "feeds/poll-now", {})) as Awaited<ReturnType<Feeds["view"]>>;
    expect(w.fetched).toEqual([FEED, "https://news.example/c"]);
    expect(view.feeds[0]).toMatchObject({ added: 3, lastAdded: 1, lastError: null });
    expect(await w.store.count()).toBe(3);
    await call(f, "feeds/poll-now", {});
    expect(await w.store.count()).toBe(3);
    expect((await f.view()).feeds[0]).toMatchObject({ added: 3, lastAdded: 0 });
  });

  it("keeps a 404 feed with its plain error and adds nothing", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    const f = w.feeds();
    const res = await f.add("https://news.example/missing.xml");
    expect(res.feed?.lastError).toMatch(/not found/i);
    expect(res.feed?.added).toBe(0);
    expect(res.feed?.lastPolled).toBe(w.now.toISOString());
    expect(await w.store.count()).toBe(0);
    expect(w.afterAdded).toBe(0);
  });

  it("does not fetch a feed whose site is not allowed, and says so", async () => {
    const w = new World();
    twoItems(w);
    const res = await w.feeds().add(FEED);
    expect(res.feed?.lastError).toMatch(/not allowed to read news\.example/);
    expect(w.fetched).toEqual([]);
  });

  it("lists the sites of item pages it may not read, until they are allowed", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    w.serveFeed([
      {
        link: "https://cdn.other.example/x",
        title: "Elsewhere",
        description: para("A summary that stands in"),
      },
    ]);
    const f = w.feeds();
    const res = await f.add(FEED);
    expect(w.fetched).toEqual([FEED]); // the other site's page is not requested
    expect(res.feed?.added).toBe(1); // from the feed's own summary
    expect((await f.view()).originsToAllow).toEqual(["https://cdn.other.example/*"]);
    w.granted.add("https://cdn.other.example/*");
    expect((await f.view()).originsToAllow).toEqual([]);
  });

  it("removes a feed with its counts; a feed removed during its poll stays removed", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    twoItems(w);
    const f = w.feeds();
    await f.importOpml(`<opml version="2.0"><body><outline text="N" xmlUrl="${FEED}"/></body></opml>`);
    let release!: () => void;
    w.gate = { url: "https://news.example/a", wait: new Promise<void>((r) => (release = r)) };
    const polling = f.pollAll(true);
    while (!w.fetched.includes("https://news.example/a")) await new Promise((r) => setTimeout(r, 1));
    expect(await call(f, "feeds/remove", { url: FEED })).toEqual({ ok: true });
    release();
    const view = await polling;
    expect(view.feeds).toEqual([]);
    expect(w.storage.get("feeds")).toEqual([]);
    expect(w.storage.get("feedStats")).toEqual({});
    expect(await call(f, "feeds/remove", { url: FEED })).toEqual({ ok: false });
  });

  it("imports OPML (new and duplicate feeds) and exports the list back", async () => {
    const w = new World();
    const f = w.feeds();
    await f.add(FEED); // not allowed: stays in the list with its error
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="Group"><outline text="A" xmlUrl="https://a.example/feed"/>
      <outline text="Same" xmlUrl="${FEED}"/></outline>
      <outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>`;
    expect(await call(f, "feeds/import-opml", { text: opml })).toEqual({
      added: 1,
      duplicate: 1,
      error: null,
    });
    expect(w.fetched).toEqual([]); // imported feeds wait for the next poll
    const { opml: out } = (await call(f, "feeds/export-opml", {})) as { opml: string };
    expect(out).toContain(`xmlUrl="${FEED}"`);
    expect(out).toContain('xmlUrl="https://a.example/feed"');
    const bad = (await call(f, "feeds/import-opml", { text: "<html><body>hi</body></html>" })) as {
      error: string | null;
    };
    expect(bad.error).toMatch(/web page, not an OPML/);
  });

  it("polls on the alarm only the feeds that are due, at the interval the reader chose", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    twoItems(w);
    const f = w.feeds();
    await f.add(FEED);
    expect(await f.setInterval(1)).toBe(5);
    expect(
      (await call(f, "feeds/set-interval", { minutes: 60 })) as { intervalMinutes: number },
    ).toMatchObject({
      intervalMinutes: 60,
    });
    expect(w.alarms.get(FEEDS_ALARM)?.periodInMinutes).toBe(60);
    w.fetched = [];
    expect(f.onAlarm("something-else")).toBeUndefined();
    w.now = new Date(w.now.getTime() + 30 * 60_000);
    await f.onAlarm(FEEDS_ALARM);
    expect(w.fetched).toEqual([]);
    w.now = new Date(w.now.getTime() + 31 * 60_000);
    await f.onAlarm(FEEDS_ALARM);
    expect(w.fetched).toEqual([FEED]);
  });

  it("shares a run in progress with an alarm that fires meanwhile", async () => {
    const w = new World();
    w.granted.add("https://news.example/*");
    twoItems(w);
    const f = w.feeds();
    await f.importOpml(`<opml version="2.0"><body><outline xmlUrl="${FEED}"/></body></opml>`);
    const a = f.pollAll(false);
    const b = f.onAlarm(FEEDS_ALARM);
    expect(b).toBe(a);
    await Promise.all([a, b]);
    expect(w.fetched.filter((u) => u === FEED)).toHaveLength(1);
    expect(await w.store.count()).toBe(2);
  });

  it("refuses an address that is not http(s)", async () => {
    const w = new World();
    const res = await w.feeds().add("javascript:alert(1)");
    expect(res).toEqual({ feed: null, error: expect.stringMatching(/not a web address/) });
    expect(w.storage.get("feeds")).toBeUndefined();
  });
});

describe("the background's message map (main.ts: Background's handlers + Feeds' handlers)", () => {
  it("has a handler for every message sent to the background, and none for background-only ones", async () => {
    const { Background } = await import("../../src/background/handlers.js");
    const { senderKinds } = await import("../../src/protocol.js");
    const area = { get: async () => ({}), set: async () => {}, remove: async () => {} };
    const bg = new Background({
      browser: {
        runtime: {
          id: "x",
          getURL: (p: string) => `chrome-extension://x/${p}`,
          onMessage: { addListener() {} },
        },
        tabs: {
          sendMessage: async () => undefined,
          onUpdated: { addListener() {} },
          onRemoved: { addListener() {} },
        },
        action: {
          setBadgeText: async () => {},
          setBadgeBackgroundColor: async () => {},
          setTitle: async () => {},
        },
        storage: { local: area, session: area },
      },
      store: new MemoryStore(),
      makeEngine: () => {
        throw new Error("not needed");
      },
      demoJsonl: "",
    });
    const handlers: Record<string, unknown> = { ...bg.handlers, ...new World().feeds().handlers };
    for (const [type, kind] of Object.entries(senderKinds)) {
      expect([type, typeof handlers[type] === "function"]).toEqual([type, kind !== "background"]);
    }
  });
});
