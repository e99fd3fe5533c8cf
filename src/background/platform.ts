/**
 * The slice of the WebExtension API the background uses, so handlers take it as a parameter:
 * the real `browser` (webextension-polyfill) in the extension, a small fake in unit tests.
 */
import type { SenderLike } from "../protocol.js";

export interface StorageAreaLike {
  get(key: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string | string[]): Promise<void>;
}

export interface TabChangeInfo {
  status?: string;
  url?: string;
}

export interface BrowserLike {
  runtime: {
    id: string;
    getURL(path: string): string;
    onMessage: {
      addListener(listener: (message: unknown, sender: SenderLike) => Promise<unknown> | undefined): void;
    };
  };
  tabs: {
    sendMessage(tabId: number, message: unknown, options?: { frameId?: number }): Promise<unknown>;
    /** Optional in fakes: used to tell a private window (never captured). */
    get?(tabId: number): Promise<{ incognito?: boolean }>;
    onUpdated: {
      addListener(listener: (tabId: number, changeInfo: TabChangeInfo, tab: { url?: string }) => void): void;
    };
    onRemoved: { addListener(listener: (tabId: number) => void): void };
  };
  action: {
    setBadgeText(details: { text: string; tabId?: number }): Promise<void>;
    setBadgeBackgroundColor(details: { color: string; tabId?: number }): Promise<void>;
    setTitle(details: { title: string; tabId?: number }): Promise<void>;
  };
  storage: {
    local: StorageAreaLike;
    /** Missing in old browsers; the per-tab reports then live in memory only. */
    session?: StorageAreaLike;
  };
}
