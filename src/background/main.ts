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
import { Background } from "./handlers.js";
import type { BrowserLike } from "./platform.js";
import { listen } from "./router.js";

/** Opens IndexedDB on first use; every call waits for the same open. */
function lazyStore(): Store {
  let opening: Promise<IdbStore> | null = null;
  const db = (): Promise<IdbStore> => {
    opening ??= IdbStore.open();
    opening.catch(() => (opening = null));
    return opening;
  };
  return {
    add: async (input: ArticleInput) => (await db()).add(input),
    get: async (id: string): Promise<Article | undefined> => (await db()).get(id),
    all: async () => (await db()).all(),
    count: async () => (await db()).count(),
    delete: async (id: string) => (await db()).delete(id),
    clear: async () => (await db()).clear(),
    stats: async () => (await db()).stats(),
  };
}

const platform = browser as unknown as BrowserLike;
const background = new Background({
  browser: platform,
  store: lazyStore(),
  makeEngine: () => new Engine(),
  demoJsonl,
});

listen(platform, background.handlers);

platform.tabs.onUpdated.addListener((tabId, changeInfo) => {
  // A navigation to another URL: the old report no longer describes the page.
  if (changeInfo.status === "loading" && changeInfo.url) void background.forgetTab(tabId);
});
platform.tabs.onRemoved.addListener((tabId) => void background.forgetTab(tabId));
