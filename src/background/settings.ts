import { HIGHLIGHT_COLORS, type HighlightColor, type Settings } from "../protocol.js";
import type { StorageAreaLike } from "./platform.js";

export const DEFAULT_SETTINGS: Settings = { capture: true, highlights: true };
const KEY = "settings";

function isHighlightColor(v: unknown): v is HighlightColor {
  return typeof v === "string" && (HIGHLIGHT_COLORS as readonly string[]).includes(v);
}

/** Settings persisted in storage.local, with defaults for anything never set. */
export class SettingsStore {
  constructor(private readonly area: StorageAreaLike) {}

  async get(): Promise<Settings> {
    const saved = (await this.area.get(KEY))[KEY];
    const out: Settings = { ...DEFAULT_SETTINGS };
    if (saved && typeof saved === "object") {
      for (const key of Object.keys(DEFAULT_SETTINGS) as ("capture" | "highlights")[]) {
        const v = (saved as Record<string, unknown>)[key];
        if (typeof v === "boolean") out[key] = v;
      }
      const color = (saved as Record<string, unknown>).highlightColor;
      if (isHighlightColor(color)) out.highlightColor = color;
    }
    return out;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.get();
    for (const key of Object.keys(DEFAULT_SETTINGS) as ("capture" | "highlights")[]) {
      const v = patch[key];
      if (typeof v === "boolean") next[key] = v;
    }
    if (isHighlightColor(patch.highlightColor)) next.highlightColor = patch.highlightColor;
    await this.area.set({ [KEY]: next });
    return next;
  }
}
