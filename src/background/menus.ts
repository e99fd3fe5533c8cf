/**
 * The context-menu entry "Compare with other reports" (page or selection, on http(s) pages).
 * It opens the popup where `action.openPopup` works, else the popup page in a new tab for
 * that tab (`popup/popup.html?tabId=N`, which popup/api.ts reads).
 */
import { t } from "../i18n.js";

export const COMPARE_MENU_ID = "parallax-compare";

interface MenusLike {
  create(props: { id: string; title: string; contexts: string[]; documentUrlPatterns?: string[] }): unknown;
  removeAll(): Promise<void> | void;
  onClicked: {
    addListener(listener: (info: { menuItemId: string | number }, tab?: { id?: number }) => void): void;
  };
}

/** The slice of the extension API the menu needs (Firefox `menus`, Chrome `contextMenus`). */
export interface MenusApi {
  menus?: MenusLike;
  contextMenus?: MenusLike;
  runtime: {
    getURL(path: string): string;
    onInstalled?: { addListener(listener: () => void): void };
    onStartup?: { addListener(listener: () => void): void };
  };
  i18n?: { getMessage(key: string): string };
  action: { openPopup?: () => Promise<void> };
  tabs: { create(props: { url: string; active?: boolean }): Promise<{ id?: number }> };
}

export function menusOf(api: MenusApi): MenusLike | undefined {
  return api.menus ?? api.contextMenus;
}

/** The popup page for one tab, as an extension URL. */
export function popupUrlFor(api: MenusApi, tabId: number, popupPath = "popup/popup.html"): string {
  return api.runtime.getURL(`${popupPath}?tabId=${tabId}`);
}

/**
 * What the menu entry does: open the popup (it describes the active tab, which is the tab
 * the menu was used in), or, where the browser cannot open it from here, the popup page in
 * a new tab for `tabId`.
 */
export async function compareWithOtherReports(
  api: MenusApi,
  tabId: number | undefined,
  opts: { allowPopup?: boolean } = {},
): Promise<{ opened: "popup" | "tab" | "nothing"; url?: string }> {
  if (opts.allowPopup !== false && typeof api.action.openPopup === "function") {
    try {
      await api.action.openPopup();
      return { opened: "popup" };
    } catch {
      // no focused window, or the browser wants a user gesture: fall back to a tab
    }
  }
  if (tabId === undefined || tabId < 0) return { opened: "nothing" };
  const url = popupUrlFor(api, tabId);
  await api.tabs.create({ url, active: true });
  return { opened: "tab", url };
}

/** Creates the menu entry (again) and listens for clicks; call at the background's top level. */
export function registerMenus(api: MenusApi): void {
  const menus = menusOf(api);
  if (!menus) return;
  const create = async () => {
    await menus.removeAll();
    menus.create({
      id: COMPARE_MENU_ID,
      title: api.i18n?.getMessage("menuCompare") || t("menuCompare"),
      contexts: ["page", "selection"],
      documentUrlPatterns: ["http://*/*", "https://*/*"],
    });
  };
  // Menu entries persist across restarts of the worker; they are made on install/update and
  // on browser start (Firefox forgets them for a temporary add-on's event page on restart).
  api.runtime.onInstalled?.addListener(() => void create().catch(() => undefined));
  api.runtime.onStartup?.addListener(() => void create().catch(() => undefined));
  menus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === COMPARE_MENU_ID) void compareWithOtherReports(api, tab?.id);
  });
}
