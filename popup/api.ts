import browser from "webextension-polyfill";
import type { MessageType, Messages, Response } from "../src/protocol.js";

/** Sends one typed message to the background. Injected into the components, so tests pass a fake. */
export type Send = <T extends MessageType>(type: T, req: Messages[T]["req"]) => Promise<Response<T>>;

export const send: Send = (type, req) => browser.runtime.sendMessage({ type, ...req }) as never;

/**
 * The tab the popup describes: the active tab of the current window, or `?tabId=N` when the
 * popup page is opened in a tab of its own (end-to-end tests, keyboard users).
 */
export async function targetTabId(): Promise<number | null> {
  const fromUrl = Number(new URLSearchParams(location.search).get("tabId"));
  if (Number.isInteger(fromUrl) && fromUrl > 0) return fromUrl;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/**
 * Asks the tab's page to scroll to a figure's highlight. Relayed by the background
 * (`tab/scroll-to` → `content/scroll-to`): the content script answers only the background,
 * so this works the same from the toolbar popup and from the popup page opened in a tab.
 */
export function scrollTo(tabId: number, figure: number): void {
  void send("tab/scroll-to", { tabId, figure }).catch(() => undefined);
}
