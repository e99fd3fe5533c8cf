/**
 * The background side of the options page and the toolbar: per-outlet deletion, the highlight
 * colour, scroll-to relayed to the page, the toggle-highlights command and the context menu.
 * Fakes for the browser and the engine (the real ones are tested in their own suites and e2e).
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { toggleHighlights, registerCommands, type CommandsApi } from "../../src/background/commands.js";
import type { EngineLike } from "../../src/background/engine-host.js";
import { Background } from "../../src/background/handlers.js";
import {
  COMPARE_MENU_ID,
  compareWithOtherReports,
  registerMenus,
  type MenusApi,
} from "../../src/background/menus.js";
import type { BrowserLike, StorageAreaLike } from "../../src/background/platform.js";
import { toReportArticle } from "../../src/engine/article.js";
import type { Article, Report } from "../../src/engine/types.js";
import type { ExtractedArticle, HighlightSpec } from "../../src/protocol.js";
import { IdbStore } from "../../src/store/idb.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { Store } from "../../src/store/types.js";

const ORIGIN = "chrome-extension://x/";

function area(): StorageAreaLike {
  const data = new Map<string, unknown>();
  return {
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

/** Every other stored article is a report of the same event; one disputed figure on "four". */
class FakeEngine implements EngineLike {
  readonly articles = new Map<string, Article>();
  add(a: Article) {
    this.articles.set(a.id, a);
  }
  remove(id: string) {
    this.articles.delete(id);
  }
  clear() {
    this.articles.clear();
  }
  get size() {
    return this.articles.size;
  }
  async analyze(q: Article): Promise<Report> {
    const others = [...this.articles.values()].filter((a) => a.id !== q.id);
    return {
      article: toReportArticle(q),
      sameEvent: others.map((a) => ({
        ...toReportArticle(a),
        score: 0.9,
        why: { people: [], places: [], date: null, terms: [] },
        foldedInto: null,
      })),
      related: [],
      figures: [
        {
          quantity: "police killed",
          status: "dispute",
          values: [
            {
              articleId: q.id,
              source: null,
              published: null,
              quote: "Four died.",
              phrase: "Four",
              lo: 4,
              hi: 4,
            },
            {
              articleId: "o",
              source: "Wire",
              published: null,
              quote: "Three died.",
              phrase: "Three",
              lo: 3,
              hi: 3,
            },
          ],
        },
      ],
    };
  }
}

function setup(store: Store = new MemoryStore()) {
  const sent: { tabId: number; message: { type: string } & Record<string, unknown> }[] = [];
  let reply: (message: { type: string }) => Promise<unknown> = async () => ({ marked: 1 });
  const browser: BrowserLike = {
    runtime: { id: "x", getURL: (p) => ORIGIN + p, onMessage: { addListener() {} } },
    tabs: {
      sendMessage: async (tabId, message) => {
        sent.push({ tabId, message: message as { type: string } });
        return reply(message as { type: string });
      },
      onUpdated: { addListener() {} },
      onRemoved: { addListener() {} },
    },
    action: {
      setBadgeText: async () => {},
      setBadgeBackgroundColor: async () => {},
      setTitle: async () => {},
    },
    storage: { local: area(), session: area() },
  };
  const engine = new FakeEngine();
  const bg = new Background({ browser, store, makeEngine: () => engine, demoJsonl: "" });
  return { bg, store, engine, sent, setReply: (r: typeof reply) => (reply = r) };
}

const text = (n: number) =>
  `Police said ${n} people were hurt in the attack on the station in the city. `.repeat(8);
const article = (id: string, source: string | null, n: number): ExtractedArticle => ({
  url: `https://news.example/${id}`,
  title: `Report ${id}`,
  text: text(n),
  byline: null,
  source,
  published: "2016-07-18",
  lang: "en",
});
const tabSender = (tabId: number) => ({
  id: "x",
  url: `https://news.example/${tabId}`,
  tab: { id: tabId },
  frameId: 0,
});

let dbs = 0;
describe.each([
  ["MemoryStore", async (): Promise<Store> => new MemoryStore()],
  // IndexedDB is read page by page (Store.page), never all at once.
  ["IdbStore", async (): Promise<Store> => IdbStore.open(`options-bg-${++dbs}`)],
])("store/delete-source on %s", (_name, makeStore) => {
  it("deletes only that outlet's articles (unknown outlets by the key the statistics use)", async () => {
    const { bg, store, engine } = setup(await makeStore());
    for (const [i, src] of (["Reuters", "Reuters", "NDTV", null] as const).entries())
      await store.add(article(`a${i}`, src, i));
    await bg.engine.get();
    expect((await store.stats()).perSource).toEqual({ Reuters: 2, NDTV: 1, unknown: 1 });
    expect(
      await bg.handlers["store/delete-source"]?.({ type: "store/delete-source", source: "Reuters" }, {}),
    ).toEqual({
      deleted: 2,
    });
    expect((await store.stats()).perSource).toEqual({ NDTV: 1, unknown: 1 });
    expect(engine.size).toBe(2); // the index follows the store
    expect(
      await bg.handlers["store/delete-source"]?.({ type: "store/delete-source", source: "unknown" }, {}),
    ).toEqual({
      deleted: 1,
    });
    expect(
      await bg.handlers["store/delete-source"]?.({ type: "store/delete-source", source: "Nobody" }, {}),
    ).toEqual({
      deleted: 0,
    });
    expect(await store.count()).toBe(1);
  });
});

describe("highlight colour", () => {
  it("keeps only a preset, sends it with the highlights, and re-marks open tabs when it changes", async () => {
    const { bg, store, sent } = setup();
    await store.add(article("w", "Wire", 3));
    const set = (req: Record<string, unknown>) =>
      bg.handlers["settings/set"]!({ type: "settings/set", ...req }, {});
    expect((await set({ highlightColor: "red; background: url(x)" })).highlightColor).toBeUndefined();
    const first = await bg.handlers["page/article"]!(
      { type: "page/article", article: article("p", "Page", 4) },
      tabSender(7),
    );
    expect(first.highlights?.[0]).toMatchObject({ phrase: "Four" });
    expect(first.highlights?.[0]?.color).toBeUndefined();
    expect((await set({ highlightColor: "#e5dbff" })).highlightColor).toBe("#e5dbff");
    const remark = sent.filter((s) => s.message.type === "content/highlights");
    expect(remark.map((s) => s.tabId)).toEqual([7]);
    expect((remark[0]?.message.highlights as HighlightSpec[])[0]?.color).toBe("#e5dbff");
    const again = await bg.handlers["page/article"]!(
      { type: "page/article", article: article("p", "Page", 4) },
      tabSender(7),
    );
    expect(again.highlights?.[0]?.color).toBe("#e5dbff");
    expect((await bg.settings.get()).highlightColor).toBe("#e5dbff");
  });
});

describe("tab/scroll-to", () => {
  it("relays to the page's top frame and passes on its answer; a closed tab is ok: false", async () => {
    const { bg, sent, setReply } = setup();
    setReply(async () => ({ ok: true }));
    expect(await bg.handlers["tab/scroll-to"]!({ type: "tab/scroll-to", tabId: 3, figure: 2 }, {})).toEqual({
      ok: true,
    });
    expect(sent).toEqual([{ tabId: 3, message: { type: "content/scroll-to", figure: 2 } }]);
    setReply(async () => {
      throw new Error("Receiving end does not exist");
    });
    expect(await bg.handlers["tab/scroll-to"]!({ type: "tab/scroll-to", tabId: 3, figure: 2 }, {})).toEqual({
      ok: false,
    });
  });
});

describe("toggle-highlights command", () => {
  it("flips the setting and applies it to the command's tab, else the active tab", async () => {
    const { bg, store, sent } = setup();
    await store.add(article("w", "Wire", 3));
    await bg.handlers["page/article"]!(
      { type: "page/article", article: article("p", "Page", 4) },
      tabSender(5),
    );
    let listener: ((command: string, tab?: { id?: number }) => void) | null = null;
    const api: CommandsApi = {
      commands: { onCommand: { addListener: (l) => (listener = l) } },
      tabs: { query: async () => [{ id: 5 }] },
    };
    expect(await toggleHighlights(bg, api)).toEqual({ on: false, tabId: 5, applied: true });
    expect(sent.at(-1)).toEqual({ tabId: 5, message: { type: "content/highlights", highlights: null } });
    registerCommands(bg, api);
    (listener as unknown as (c: string, t?: { id?: number }) => void)("toggle-highlights", { id: 5 });
    await new Promise((r) => setTimeout(r, 10));
    expect((await bg.settings.get()).highlights).toBe(true);
    expect((sent.at(-1)?.message.highlights as HighlightSpec[])[0]?.phrase).toBe("Four");
    (listener as unknown as (c: string) => void)("something-else");
    await new Promise((r) => setTimeout(r, 10));
    expect((await bg.settings.get()).highlights).toBe(true);
  });
});

describe("Compare with other reports (context menu)", () => {
  function menusApi(openPopup?: () => Promise<void>) {
    const created: unknown[] = [];
    const tabs: string[] = [];
    const listeners: {
      installed?: () => void;
      clicked?: (info: { menuItemId: string }, tab?: { id?: number }) => void;
    } = {};
    const api: MenusApi = {
      contextMenus: {
        create: (p) => created.push(p),
        removeAll: async () => {
          created.length = 0;
        },
        onClicked: { addListener: (l) => (listeners.clicked = l) },
      },
      runtime: { getURL: (p) => ORIGIN + p, onInstalled: { addListener: (l) => (listeners.installed = l) } },
      i18n: { getMessage: (k) => (k === "menuCompare" ? "Compare with other reports" : "") },
      action: openPopup ? { openPopup } : {},
      tabs: {
        create: async ({ url }) => {
          tabs.push(url);
          return { id: 99 };
        },
      },
    };
    return { api, created, tabs, listeners };
  }

  it("creates one entry on pages and selections of http(s) pages, and a click opens the view", async () => {
    const { api, created, tabs, listeners } = menusApi();
    registerMenus(api);
    listeners.installed?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(created).toEqual([
      {
        id: COMPARE_MENU_ID,
        title: "Compare with other reports",
        contexts: ["page", "selection"],
        documentUrlPatterns: ["http://*/*", "https://*/*"],
      },
    ]);
    listeners.clicked?.({ menuItemId: COMPARE_MENU_ID }, { id: 12 });
    await new Promise((r) => setTimeout(r, 0));
    expect(tabs).toEqual([`${ORIGIN}popup/popup.html?tabId=12`]);
  });

  it("opens the popup where the browser allows it, else the popup page for that tab", async () => {
    const ok = menusApi(async () => {});
    expect(await compareWithOtherReports(ok.api, 4)).toEqual({ opened: "popup" });
    expect(ok.tabs).toEqual([]);
    const refused = menusApi(async () => {
      throw new Error("Could not find an active browser window.");
    });
    expect(await compareWithOtherReports(refused.api, 4)).toEqual({
      opened: "tab",
      url: `${ORIGIN}popup/popup.html?tabId=4`,
    });
    expect(await compareWithOtherReports(menusApi().api, undefined)).toEqual({ opened: "nothing" });
  });
});
