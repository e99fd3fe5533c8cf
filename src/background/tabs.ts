import type { Report } from "../engine/types.js";
import { t, tn } from "../i18n.js";
import type { NoArticleReason } from "../protocol.js";
import type { BrowserLike, StorageAreaLike } from "./platform.js";

/** What the background knows about one tab's page. */
export type TabState =
  | { kind: "report"; url: string; report: Report }
  | { kind: "no-article"; url: string | null; reason: NoArticleReason };

const key = (tabId: number): string => `tab:${tabId}`;

/**
 * Per-tab state in memory, mirrored into storage.session (where the browser has it) so a
 * worker that was stopped and restarted still knows the report of each open tab.
 */
export class TabStates {
  private readonly memory = new Map<number, TabState>();

  constructor(private readonly session: StorageAreaLike | undefined) {}

  async get(tabId: number): Promise<TabState | undefined> {
    const known = this.memory.get(tabId);
    if (known || !this.session) return known;
    try {
      const saved = (await this.session.get(key(tabId)))[key(tabId)] as TabState | undefined;
      if (saved) this.memory.set(tabId, saved);
      return saved;
    } catch {
      return undefined;
    }
  }

  async set(tabId: number, state: TabState): Promise<void> {
    this.memory.set(tabId, state);
    await this.session?.set({ [key(tabId)]: state }).catch(() => undefined);
  }

  async delete(tabId: number): Promise<void> {
    this.memory.delete(tabId);
    await this.session?.remove(key(tabId)).catch(() => undefined);
  }

  /** Every tab with a known state (memory, and storage.session for a restarted worker). */
  async entries(): Promise<[number, TabState][]> {
    const out = new Map<number, TabState>(this.memory);
    if (this.session) {
      const all = await this.session.get(null).catch(() => ({}) as Record<string, unknown>);
      for (const [k, v] of Object.entries(all)) {
        const id = Number(k.slice(4));
        if (k.startsWith("tab:") && !out.has(id)) out.set(id, v as TabState);
      }
    }
    return [...out];
  }

  async clearAll(): Promise<number[]> {
    const ids = [...this.memory.keys()];
    this.memory.clear();
    if (this.session) {
      const all = await this.session.get(null).catch(() => ({}) as Record<string, unknown>);
      const keys = Object.keys(all).filter((k) => k.startsWith("tab:"));
      for (const k of keys) {
        const id = Number(k.slice(4));
        if (!ids.includes(id)) ids.push(id);
      }
      if (keys.length) await this.session.remove(keys).catch(() => undefined);
    }
    return ids;
  }
}

/** Number of figures the reader should look at: disputes and updates. */
export function badgeCount(report: Report | null): number {
  return report ? report.figures.filter((f) => f.status === "dispute" || f.status === "update").length : 0;
}

const DISPUTE_COLOUR = "#b3261e";
const UPDATE_COLOUR = "#8a5a00";

export async function setBadge(browser: BrowserLike, tabId: number, report: Report | null): Promise<void> {
  const n = badgeCount(report);
  try {
    await browser.action.setBadgeText({ tabId, text: n > 0 ? String(n) : "" });
    // The badge's meaning in words, for screen readers and tooltips.
    await browser.action.setTitle({
      tabId,
      title: n === 0 ? t("extName") : tn("badgeTitle", n),
    });
    if (n > 0) {
      const dispute = report?.figures.some((f) => f.status === "dispute");
      await browser.action.setBadgeBackgroundColor({
        tabId,
        color: dispute ? DISPUTE_COLOUR : UPDATE_COLOUR,
      });
    }
  } catch {
    // the tab closed meanwhile
  }
}
