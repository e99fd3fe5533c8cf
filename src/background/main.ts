/**
 * The background entry (Chrome service worker / Firefox event page): wires the real browser,
 * the IndexedDB store and the engine into the handlers. Listeners are registered at the top
 * level, synchronously, so a cold worker woken by a message or tab event receives it.
 */
import browser from "webextension-polyfill";
import demoJsonl from "../../demo/coverage.jsonl?raw";
import { Engine } from "../engine/engine.js";
import type { Article, ArticleInput } from "../engine/types.js";
import { IdbStore } from "../store/idb.js";
import type { Store } from "../store/types.js";
import { closeExtractor, pageExtractor } from "./feeds-extract.js";
import { Feeds, type FeedsBrowserLike } from "./feeds.js";
import { registerCommands, toggleHighlights, type CommandsApi } from "./commands.js";
import { Background } from "./handlers.js";
import { compareWithOtherReports, registerMenus, type MenusApi } from "./menus.js";
import type { BrowserLike } from "./platform.js";
import { listen } from "./router.js";

/**
 * Opens IndexedDB on first use; every call waits for the same open. A connection closed under
 * us (another context upgraded or deleted the database: versionchange) is opened again.
 */
function lazyStore(): Store {
  let opening: Promise<IdbStore> | null = null;
  let current: IdbStore | null = null;
  const db = (): Promise<IdbStore> => {
    if (current?.closed) {
      current = null;
      opening = null;
    }
    opening ??= IdbStore.open().then(
      (s) => (current = s),
      (e: unknown) => {
        // Only a newer release of Parallax can have upgraded the store past this one's schema.
        if ((e as { name?: unknown } | null)?.name === "VersionError")
          throw new Error(
            "A newer version of Parallax has upgraded the store; restart the browser to finish the update.",
          );
        throw e;
      },
    );
    opening.catch(() => (opening = null));
    return opening;
  };
  return {
    add: async (input: ArticleInput) => (await db()).add(input),
    // A batch of an import in one transaction; pages of the export through the capturedAt index.
    addMany: async (inputs: ArticleInput[]) => (await db()).addMany(inputs),
    page: async (after, limit) => (await db()).page(after, limit),
    get: async (id: string): Promise<Article | undefined> => (await db()).get(id),
    getMany: async (ids: readonly string[]) => (await db()).getMany(ids),
    all: async () => (await db()).all(),
    count: async () => (await db()).count(),
    delete: async (id: string) => (await db()).delete(id),
    clear: async () => (await db()).clear(),
    stats: async () => (await db()).stats(),
    hasUrl: async (url: string) => (await db()).hasUrl(url),
    indexStore: {
      loadIndex: async (lazy) => (await db()).indexStore.loadIndex(lazy),
      readChunks: async (keys) => (await db()).indexStore.readChunks!(keys),
      saveIndex: async (index, drop) => (await db()).indexStore.saveIndex(index, drop),
      journal: async () => (await db()).indexStore.journal(),
      dropIndex: async () => (await db()).indexStore.dropIndex(),
      articlesAfter: async (after, limit) => (await db()).indexStore.articlesAfter(after, limit),
    },
  };
}

const platform = browser as unknown as BrowserLike;
const store = lazyStore();
const background = new Background({
  browser: platform,
  store,
  // Article texts stay in IndexedDB: an analysis reads the few it compares figures across.
  makeEngine: (snapshot) => {
    const load = (ids: readonly string[]) => store.getMany!(ids);
    // Index records left out of a partial load are read as an analysis needs them.
    const records = (keys: readonly string[]) => store.indexStore!.readChunks!(keys);
    return snapshot ? Engine.fromSnapshot(snapshot, { load, records }) : new Engine({ load, records });
  },
  demoJsonl,
});

// Feeds: polled on an alarm; new articles take the capture path (store, then the engine index).
const feeds = new Feeds({
  browser: browser as unknown as FeedsBrowserLike,
  fetch: (url, init) => fetch(url, init),
  hasUrl: (url) => store.hasUrl?.(url) ?? Promise.resolve(false),
  ingest: async (input) => {
    const outcome = await store.add(input);
    if (outcome.kind === "imported" || outcome.kind === "revision")
      await background.engine.added(outcome.article);
    return outcome;
  },
  extract: pageExtractor(),
  afterAdded: () => background.refreshTabs(),
  idle: closeExtractor,
});
browser.alarms.onAlarm.addListener((alarm) => void feeds.onAlarm(alarm.name));
browser.runtime.onInstalled.addListener(() => void feeds.ensureAlarm());
browser.runtime.onStartup.addListener(() => void feeds.ensureAlarm());

listen(platform, { ...background.handlers, ...feeds.handlers });

platform.tabs.onUpdated.addListener((tabId, changeInfo) => {
  // A navigation to another URL: the old report no longer describes the page.
  if (changeInfo.status === "loading" && changeInfo.url) void background.forgetTab(tabId);
});
platform.tabs.onRemoved.addListener((tabId) => void background.forgetTab(tabId));

// Toolbar shortcut (toggle-highlights) and the context-menu entry; `parallax` on the global
// lets the e2e tests call what the listeners call (puppeteer cannot press either).
registerCommands(background, browser as unknown as CommandsApi);
registerMenus(browser as unknown as MenusApi);
(globalThis as unknown as { parallax: unknown }).parallax = {
  toggleHighlights: (tabId?: number) =>
    toggleHighlights(background, browser as unknown as CommandsApi, tabId),
  compareWithOtherReports: (tabId?: number, allowPopup?: boolean) =>
    compareWithOtherReports(browser as unknown as MenusApi, tabId, { allowPopup }),
  // For the bench and e2e tests: how the engine was loaded, and saving its index now.
  engineLoad: () => background.engine.lastLoad,
  flushIndex: () => background.engine.flush(),
};
