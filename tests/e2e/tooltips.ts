/**
 * Reading Parallax's tooltips in a web page from the extension's side. Their text lives in
 * CLOSED shadow roots (docs/security.md S1): the page's scripts — and so `page.evaluate` —
 * cannot read it. The test asks the background to ask the tab's content script
 * (`content/tooltips`, answered only to this extension's background), as the extension could.
 */
import type { ElementHandle, Page } from "puppeteer";
import type { Session } from "./harness.js";

export interface TooltipText {
  /** The light-DOM host's id (what the mark's aria-describedby names). */
  id: string;
  /** Heading, one line per other report, footer; "\n" between them. */
  text: string;
  shown: boolean;
}

interface TabsApi {
  tabs: { sendMessage(tabId: number, msg: unknown, opts?: { frameId?: number }): Promise<unknown> };
}

/** Every Parallax tooltip in the tab, in page order. */
export async function tooltips(s: Session, tabId: number): Promise<TooltipText[]> {
  return s.evalInBackground(async (bg, id: number) => {
    const g = bg as { browser?: TabsApi; chrome?: TabsApi };
    const api = (g.browser ?? g.chrome) as TabsApi;
    const res = (await api.tabs.sendMessage(id, { type: "content/tooltips" }, { frameId: 0 })) as {
      tooltips: TooltipText[];
    };
    // Plain copies: in Firefox the objects come from the background window's compartment.
    return res.tooltips.map((t) => ({ id: String(t.id), text: String(t.text), shown: Boolean(t.shown) }));
  }, tabId);
}

/** The tooltip shown now (whitespace collapsed), or null. */
export async function shownTooltip(s: Session, tabId: number): Promise<{ id: string; text: string } | null> {
  const t = (await tooltips(s, tabId)).find((x) => x.shown);
  return t ? { id: t.id, text: t.text.replace(/\s+/g, " ") } : null;
}

/**
 * Hovers a mark and waits until one tooltip host (role=tooltip, light DOM) is displayed. Its
 * text is in a closed shadow root: read it with `shownTooltip`.
 */
export async function hoverForTooltip(page: Page, mark: ElementHandle<Element>): Promise<void> {
  await mark.scrollIntoView();
  await mark.hover();
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[role="tooltip"]')].some((t) => getComputedStyle(t).display !== "none"),
    // Interval polling: the default (requestAnimationFrame) never fires in a background tab.
    { timeout: 10_000, polling: 100 },
  );
}
