import "fake-indexeddb/auto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Background, type BackgroundDeps } from "../../src/background/handlers.js";
import type { EngineLike } from "../../src/background/engine-host.js";
import type { BrowserLike, StorageAreaLike } from "../../src/background/platform.js";
import { route } from "../../src/background/router.js";
import type { Article, Figure, Report } from "../../src/engine/types.js";
import { toReportArticle } from "../../src/engine/article.js";
import type { ExtractedArticle, SenderLike } from "../../src/protocol.js";
import { IdbStore, StorageFullError } from "../../src/store/idb.js";
import { MemoryStore } from "../../src/store/memory.js";

const EXT_ID = "parallax-test";
const ORIGIN = `chrome-extension://${EXT_ID}/`;

function memoryArea(): StorageAreaLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get(key) {
      if (key === null) return Object.fromEntries(data);
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
}

interface FakeBrowser extends BrowserLike {
  badges: Map<number, string>;
  colours: Map<number, string>;
  titles: Map<number, string>;
  sent: { tabId: number; message: unknown }[];
  contentReply: (tabId: number, message: unknown) => Promise<unknown>;
}

function fakeBrowser(session = memoryArea()): FakeBrowser {
  const b: FakeBrowser = {
    badges: new Map(),
    colours: new Map(),
    titles: new Map(),
    sent: [],
    contentReply: async () => {
      throw new Error("Could not establish connection. Receiving end does not exist.");
    },
    runtime: { id: EXT_ID, getURL: (p) => ORIGIN + p, onMessage: { addListener() {} } },
    tabs: {
      sendMessage: (tabId, message) => {
        b.sent.push({ tabId, message });
        return b.contentReply(tabId, message);
      },
      onUpdated: { addListener() {} },
      onRemoved: { addListener() {} },
    },
    action: {
      async setBadgeText({ text, tabId }) {
        b.badges.set(tabId ?? -1, text);
      },
      async setBadgeBackgroundColor({ color, tabId }) {
        b.colours.set(tabId ?? -1, color);
      },
      async setTitle({ title, tabId }) {
        b.titles.set(tabId ?? -1, title);
      },
    },
    storage: { local: memoryArea(), session },
  };
  return b;
}

/**
 * A stand-in engine (the real one is tested by its own suite): every other stored article is
 * a report of the same event; figures come from `figuresFor`, so tests control the badge.
 */
class FakeEngine implements EngineLike {
  readonly articles = new Map<string, Article>();
  analyses = 0;
  constructor(private readonly figuresFor: (q: Article, others: Article[]) => Figure[] = () => []) {}
  add(a: Article): void {
    this.articles.set(a.id, a);
  }
  remove(id: string): void {
    this.articles.delete(id);
  }
  clear(): void {
    this.articles.clear();
  }
  get size(): number {
    return this.articles.size;
  }
  async analyze(q: Article): Promise<Report> {
    this.analyses++;
    const others = [...this.articles.values()].filter(
      (a) => a.id !== q.id && a.contentHash !== q.contentHash,
    );
    return {
      article: toReportArticle(q),
      sameEvent: others.map((a) => ({
        ...toReportArticle(a),
        score: 0.9,
        why: { people: [], places: ["Almaty"], date: null, terms: [] },
        foldedInto: null,
      })),
      related: [],
      figures: this.figuresFor(q, others),
    };
  }
}

function figure(status: Figure["status"], queryId: string, phrase = "four"): Figure {
  return {
    quantity: `police killed (${status})`,
    status,
    values: [
      {
        articleId: queryId,
        source: "Page",
        published: null,
        quote: `At least ${phrase} policemen died.`,
        phrase,
        lo: 4,
        hi: null,
      },
      {
        articleId: "other",
        source: "Wire",
        published: "2016-07-18",
        quote: "Three policemen died.",
        phrase: "Three",
        lo: 3,
        hi: 3,
      },
    ],
  };
}

let dbn = 0;
async function setup(opts: Partial<BackgroundDeps> & { engine?: FakeEngine } = {}) {
  const browser = (opts.browser as FakeBrowser | undefined) ?? fakeBrowser();
  const store = opts.store ?? (await IdbStore.open(`bg-${++dbn}`));
  const engine = opts.engine ?? new FakeEngine();
  let made = 0;
  const bg = new Background({
    browser,
    store,
    makeEngine: () => {
      made++;
      return engine;
    },
    demoJsonl: opts.demoJsonl ?? readFileSync(new URL("../../demo/coverage.jsonl", import.meta.url), "utf8"),
  });
  const send = (message: { type: string } & Record<string, unknown>, sender: SenderLike) =>
    route(bg.handlers, message, sender, EXT_ID, ORIGIN);
  return { bg, browser, store, engine, send, made: () => made };
}

const demoCount = () =>
  readFileSync(new URL("../../demo/coverage.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim()).length;

const popupSender: SenderLike = { id: EXT_ID, url: `${ORIGIN}popup/popup.html` };
const tabSender = (tabId: number, url = "https://news.example/story"): SenderLike => ({
  id: EXT_ID,
  url,
  tab: { id: tabId },
  frameId: 0,
});
const page = (text: string, url = "https://news.example/story"): ExtractedArticle => ({
  url,
  title: "A story",
  text,
  byline: null,
  source: "News Example",
  published: "2016-07-19",
  lang: "en",
});

describe("message routing", () => {
  it("accepts each message only from its kind of sender", async () => {
    const { send } = await setup();
    const stats = { type: "store/stats" };
    expect(send(stats, popupSender)).toBeInstanceOf(Promise);
    // a web page's content script may not read or change the store
    expect(send(stats, tabSender(1))).toBeUndefined();
    expect(send({ type: "store/clear" }, tabSender(1))).toBeUndefined();
    // another extension may not either
    expect(send(stats, { ...popupSender, id: "someone-else" })).toBeUndefined();
    // page/article comes only from a top-frame content script, never from an extension page
    expect(send({ type: "page/article", article: null }, popupSender)).toBeUndefined();
    expect(send({ type: "page/article", article: null }, { ...tabSender(1), frameId: 3 })).toBeUndefined();
    expect(send({ type: "page/article", article: null }, tabSender(1))).toBeInstanceOf(Promise);
    // background → content messages are never handled by the background
    expect(send({ type: "content/extract" }, popupSender)).toBeUndefined();
    // unknown types and non-messages are ignored
    expect(send({ type: "store/drop-everything" }, popupSender)).toBeUndefined();
    expect(route({}, "hello", popupSender, EXT_ID, ORIGIN)).toBeUndefined();
  });
});

describe("store messages", () => {
  it("loads the demo coverage once: a second load adds nothing", async () => {
    const { send, store } = await setup();
    const demoLines = readFileSync(new URL("../../demo/coverage.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim()).length;
    const first = (await send({ type: "store/load-demo" }, popupSender)) as {
      imported: number;
      duplicate: number;
      rejected: unknown[];
    };
    expect(first.rejected).toEqual([]);
    expect(first.imported).toBe(demoLines);
    expect(await store.count()).toBe(demoLines);
    const second = (await send({ type: "store/load-demo" }, popupSender)) as typeof first;
    expect(second).toEqual({ imported: 0, duplicate: demoLines, rejected: [] });
    expect(await store.count()).toBe(demoLines);
  });

  it("reports bad import lines by number and keeps the good ones", async () => {
    const { send, store, engine } = await setup();
    const text = [
      JSON.stringify({ id: "a", source: "Wire", text: "First good article." }),
      "{not json",
      JSON.stringify({ id: "h", html: "<p>Only markup here.</p>" }),
      "",
      JSON.stringify({ id: "d", published: "yesterday-ish", text: "Bad date." }),
      JSON.stringify({ id: "b", text: "Second good article." }),
      JSON.stringify({ id: "a2", text: "first GOOD article." }),
    ].join("\n");
    const res = (await send({ type: "store/import-jsonl", text }, popupSender)) as {
      imported: number;
      duplicate: number;
      rejected: { line: number; reason: string }[];
    };
    expect(res.imported).toBe(2);
    expect(res.duplicate).toBe(1);
    expect(res.rejected.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(res.rejected[0]?.reason).toMatch(/not valid JSON/);
    expect(res.rejected[1]?.reason).toMatch(/html.*options page/);
    expect(res.rejected[2]?.reason).toMatch(/published/);
    expect((await store.all()).map((a) => a.id).sort()).toEqual(["a", "b"]);
    expect([...engine.articles.keys()].sort()).toEqual(["a", "b"]);
  });

  it("exports JSONL that imports back into an empty store unchanged", async () => {
    const a = await setup();
    await a.send({ type: "store/load-demo" }, popupSender);
    const out = (await a.send({ type: "store/export" }, popupSender)) as { jsonl: string; count: number };
    expect(out.count).toBe(await a.store.count());
    const b = await setup();
    const res = (await b.send({ type: "store/import-jsonl", text: out.jsonl }, popupSender)) as {
      imported: number;
    };
    expect(res.imported).toBe(out.count);
    const texts = (s: Article[]) => s.map((x) => x.contentHash).sort();
    expect(texts(await b.store.all())).toEqual(texts(await a.store.all()));
  });

  it("clears the store, the engine and every tab's badge", async () => {
    const { send, store, engine, browser } = await setup({
      engine: new FakeEngine((q) => [figure("dispute", q.id)]),
    });
    await send({ type: "store/load-demo" }, popupSender);
    await send({ type: "page/article", article: page("Four policemen died in Almaty.") }, tabSender(7));
    expect(browser.badges.get(7)).toBe("1");
    await send({ type: "store/clear" }, popupSender);
    expect(await store.count()).toBe(0);
    expect(engine.size).toBe(0);
    expect(browser.badges.get(7)).toBe("");
    const stats = (await send({ type: "store/stats" }, popupSender)) as { articles: number };
    expect(stats.articles).toBe(0);
  });
});

describe("a full store", () => {
  class FullAfter extends MemoryStore {
    full = false;
    override async add(input: Parameters<MemoryStore["add"]>[0]) {
      if (this.full) throw new StorageFullError();
      return super.add(input);
    }
  }

  it("rejects the remaining import lines with the reason, and still analyses pages it cannot save", async () => {
    const store = new FullAfter();
    const { send, browser } = await setup({
      store,
      engine: new FakeEngine((q) => [figure("dispute", q.id)]),
    });
    await send({ type: "store/load-demo" }, popupSender);
    store.full = true;
    const text = [JSON.stringify({ text: "One more." }), JSON.stringify({ text: "And another." })].join("\n");
    const res = (await send({ type: "store/import-jsonl", text }, popupSender)) as {
      imported: number;
      rejected: { line: number; reason: string }[];
    };
    expect(res.imported).toBe(0);
    expect(res.rejected.map((r) => r.line)).toEqual([1, 2]);
    expect(res.rejected[0]?.reason).toMatch(/^storage is full/);
    expect(await store.count()).toBe(demoCount());
    browser.contentReply = async () => ({ article: page("Four policemen died, a new page.") });
    const state = (await send({ type: "popup/report", tabId: 30 }, popupSender)) as {
      state: string;
      report: Report;
    };
    expect(state.state).toBe("report");
    expect(state.report.sameEvent.length).toBe(demoCount());
    expect(browser.badges.get(30)).toBe("1");
  });
});

describe("settings", () => {
  it("defaults to capture and highlights on, and persists changes", async () => {
    const { send, browser } = await setup();
    expect(await send({ type: "settings/get" }, popupSender)).toEqual({ capture: true, highlights: true });
    expect(await send({ type: "settings/set", highlights: false }, popupSender)).toEqual({
      capture: true,
      highlights: false,
    });
    const again = await setup({ browser });
    expect(await again.send({ type: "settings/get" }, popupSender)).toEqual({
      capture: true,
      highlights: false,
    });
  });
});

describe("page/article", () => {
  it("captures the page, analyses it against the others and sets the badge to disputes + updates", async () => {
    const engine = new FakeEngine((q) => [
      figure("dispute", q.id),
      figure("update", q.id, "five"),
      figure("agree", q.id),
    ]);
    const { send, store, browser } = await setup({ engine });
    await send({ type: "store/load-demo" }, popupSender);
    const before = await store.count();
    const res = (await send(
      { type: "page/article", article: page("Four policemen died in Almaty.") },
      tabSender(3),
    )) as {
      highlights: { figure: number; phrase: string; status: string; others: unknown[] }[] | null;
    };
    expect(await store.count()).toBe(before + 1);
    expect(browser.badges.get(3)).toBe("2");
    expect(browser.colours.get(3)).toBe("#b3261e");
    expect(browser.titles.get(3)).toBe("Parallax: 2 figures differ between reports");
    expect(res.highlights?.map((h) => [h.figure, h.status, h.phrase])).toEqual([
      [0, "dispute", "four"],
      [1, "update", "five"],
    ]);
    expect(res.highlights?.[0]?.others).toEqual([
      { phrase: "Three", source: "Wire", published: "2016-07-18" },
    ]);
  });

  it("leaves the badge empty when nothing differs, and replies without highlights when they are off", async () => {
    const { send, browser } = await setup({ engine: new FakeEngine((q) => [figure("agree", q.id)]) });
    await send({ type: "store/load-demo" }, popupSender);
    await send({ type: "settings/set", highlights: false }, popupSender);
    const res = await send({ type: "page/article", article: page("Four policemen died.") }, tabSender(4));
    expect(browser.badges.get(4)).toBe("");
    expect(res).toEqual({ highlights: null });
  });

  it("links a changed page at the same URL as a revision of the earlier capture", async () => {
    const { send, store, engine } = await setup();
    await send({ type: "page/article", article: page("Two policemen were killed.") }, tabSender(5));
    await send(
      { type: "page/article", article: page("Four policemen were killed, officials said.") },
      tabSender(5),
    );
    const all = await store.all();
    expect(all).toHaveLength(2);
    const first = all.find((a) => a.text.startsWith("Two"));
    const second = all.find((a) => a.text.startsWith("Four"));
    expect(second?.revisionOf).toBe(first?.id);
    expect(engine.articles.get(second?.id ?? "")?.revisionOf).toBe(first?.id);
  });

  it("captures the article even when the analysis fails", async () => {
    const engine = new FakeEngine();
    engine.analyze = () => {
      throw new Error("engine exploded");
    };
    const { send, store } = await setup({ engine });
    await expect(
      send({ type: "page/article", article: page("Kept anyway.") }, tabSender(6)),
    ).rejects.toThrow();
    expect((await store.all()).map((a) => a.text)).toEqual(["Kept anyway."]);
  });

  it("does not store the page when capture is off", async () => {
    const { send, store } = await setup();
    await send({ type: "settings/set", capture: false }, popupSender);
    await send({ type: "page/article", article: page("Not kept.") }, tabSender(6));
    expect(await store.count()).toBe(0);
  });

  it("never stores a page read in a private window, but still analyses it", async () => {
    const { send, store } = await setup();
    await send({ type: "store/load-demo" }, popupSender);
    const before = await store.count();
    const privateTab: SenderLike = { ...tabSender(8), tab: { id: 8, incognito: true } };
    await send({ type: "page/article", article: page("Read in private.") }, privateTab);
    expect(await store.count()).toBe(before);
    await send({ type: "page/article", article: page("Read in the open.") }, tabSender(9));
    expect(await store.count()).toBe(before + 1);
  });

  it("loads the stored coverage into the engine once, on first need", async () => {
    const { send, made, engine } = await setup();
    await send({ type: "store/load-demo" }, popupSender);
    const n = engine.size;
    await Promise.all([
      send({ type: "page/article", article: page("One.", "https://a.example/1") }, tabSender(1)),
      send({ type: "page/article", article: page("Two.", "https://a.example/2") }, tabSender(2)),
    ]);
    expect(made()).toBe(1);
    expect(engine.size).toBe(n + 2);
  });
});

describe("popup/report", () => {
  it("returns the known report of a tab, also after the worker restarted", async () => {
    const session = memoryArea();
    const browser = fakeBrowser(session);
    const first = await setup({ browser, engine: new FakeEngine((q) => [figure("dispute", q.id)]) });
    await first.send({ type: "store/load-demo" }, popupSender);
    await first.send({ type: "page/article", article: page("Four policemen died.") }, tabSender(9));
    // a new Background on the same storage = a restarted worker with empty memory
    const second = await setup({ browser, store: first.store });
    const state = (await second.send({ type: "popup/report", tabId: 9 }, popupSender)) as {
      state: string;
      report: Report;
    };
    expect(state.state).toBe("report");
    expect(state.report.figures).toHaveLength(1);
    expect(state.report.sameEvent.length).toBeGreaterThan(0);
    expect(browser.sent).toEqual([]); // it did not need to ask the page
  });

  it("asks the page to extract when the tab is not known yet", async () => {
    const { send, browser } = await setup();
    await send({ type: "store/load-demo" }, popupSender);
    browser.contentReply = async () => ({ article: page("Fresh page about Almaty.") });
    const state = (await send({ type: "popup/report", tabId: 11 }, popupSender)) as { state: string };
    expect(browser.sent[0]).toEqual({ tabId: 11, message: { type: "content/extract" } });
    expect(state.state).toBe("report");
  });

  it("explains pages it cannot read and pages without an article", async () => {
    const { send, browser } = await setup();
    const none = (await send({ type: "popup/report", tabId: 12 }, popupSender)) as {
      state: string;
      reason: string;
      message: string;
    };
    expect(none).toMatchObject({ state: "no-article", reason: "not-a-page" });
    expect(none.message).toMatch(/cannot read this page/);
    browser.contentReply = async () => ({ article: null, reason: "not-english" });
    const fr = (await send({ type: "popup/report", tabId: 13 }, popupSender)) as {
      state: string;
      message: string;
    };
    expect(fr).toMatchObject({ state: "no-article", reason: "not-english" });
  });

  it("says the store is empty when it holds nothing but the page itself", async () => {
    const { send, browser } = await setup();
    browser.contentReply = async () => ({ article: page("A lonely article.") });
    expect(await send({ type: "popup/report", tabId: 14 }, popupSender)).toEqual({ state: "empty-store" });
    // known tab, still nothing else stored
    expect(await send({ type: "popup/report", tabId: 14 }, popupSender)).toEqual({ state: "empty-store" });
    await send({ type: "store/load-demo" }, popupSender);
    const after = (await send({ type: "popup/report", tabId: 14 }, popupSender)) as {
      state: string;
      report: Report;
    };
    expect(after.state).toBe("report");
    // the tab's report was analysed again with the demo coverage in the store
    expect(after.report.sameEvent.length).toBe(demoCount());
  });

  it("re-analyses open tabs when coverage is imported, updating their badges", async () => {
    const engine = new FakeEngine((q, others) => (others.length ? [figure("dispute", q.id)] : []));
    const { send, browser } = await setup({ engine });
    await send({ type: "page/article", article: page("Four policemen died.") }, tabSender(21));
    expect(browser.badges.get(21)).toBe("");
    await send({ type: "store/load-demo" }, popupSender);
    expect(browser.badges.get(21)).toBe("1");
    expect(browser.sent).toEqual([]);
  });

  it("forgets a tab's report and badge when it navigates away", async () => {
    const { bg, send, browser } = await setup({ engine: new FakeEngine((q) => [figure("dispute", q.id)]) });
    await send({ type: "store/load-demo" }, popupSender);
    await send({ type: "page/article", article: page("Four policemen died.") }, tabSender(15));
    expect(browser.badges.get(15)).toBe("1");
    await bg.forgetTab(15);
    expect(browser.badges.get(15)).toBe("");
    expect(await bg.tabs.get(15)).toBeUndefined();
  });

  it("turns an unexpected failure into an error state in plain words", async () => {
    const engine = new FakeEngine();
    engine.analyze = () => {
      throw new Error("index is corrupt");
    };
    const { send, browser } = await setup({ engine });
    browser.contentReply = async () => ({ article: page("Some page.") });
    expect(await send({ type: "popup/report", tabId: 16 }, popupSender)).toEqual({
      state: "error",
      message: "Something went wrong: index is corrupt",
    });
  });
});

describe("tab/highlights", () => {
  it("sends the tab's highlights when on, and null when off", async () => {
    const { send, browser } = await setup({ engine: new FakeEngine((q) => [figure("dispute", q.id)]) });
    await send({ type: "store/load-demo" }, popupSender);
    await send({ type: "page/article", article: page("Four policemen died.") }, tabSender(20));
    browser.contentReply = async () => ({ marked: 1 });
    expect(await send({ type: "tab/highlights", tabId: 20, on: false }, popupSender)).toEqual({ ok: true });
    expect(browser.sent.at(-1)).toEqual({
      tabId: 20,
      message: { type: "content/highlights", highlights: null },
    });
    await send({ type: "tab/highlights", tabId: 20, on: true }, popupSender);
    const msg = browser.sent.at(-1)?.message as { highlights: { phrase: string }[] };
    expect(msg.highlights.map((h) => h.phrase)).toEqual(["four"]);
  });
});
