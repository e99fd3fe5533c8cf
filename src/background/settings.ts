import type { Settings } from "../protocol.js";
import type { StorageAreaLike } from "./platform.js";

export const DEFAULT_SETTINGS: Settings = { capture: true, highlights: true };
const KEY = "settings";

/** Settings persisted in storage.local, with defaults for anything never set. */
export class SettingsStore {
  constructor(private readonly area: StorageAreaLike) {}

  async get(): Promise<Settings> {
    const saved = (await this.area.get(KEY))[KEY];
    const out: Settings = { ...DEFAULT_SETTINGS };
    if (saved && typeof saved === "object") {
      for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
        const v = (saved as Record<string, unknown>)[key];
        if (typeof v === "boolean") out[key] = v;
      }
    }
    return out;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.get();
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const v = patch[key];
      if (typeof v === "boolean") next[key] = v;
    }
    await this.area.set({ [KEY]: next });
    return next;
  }
}
