/**
 * Keyboard commands (manifest `commands`). `_execute_action` (Alt+Shift+P) opens the popup and
 * is handled by the browser itself; `toggle-highlights` (Alt+Shift+H) is handled here.
 */
import type { Background } from "./handlers.js";

export const TOGGLE_HIGHLIGHTS = "toggle-highlights";

/** The slice of the extension API the commands need. */
export interface CommandsApi {
  commands?: {
    onCommand: { addListener(listener: (command: string, tab?: { id?: number }) => void): void };
  };
  tabs: { query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
}

/**
 * Switches the highlights setting on or off (as the popup's switch does) and applies it to
 * `tabId`, or to the active tab of the current window when no tab is given.
 */
export async function toggleHighlights(
  background: Background,
  api: CommandsApi,
  tabId?: number,
): Promise<{ on: boolean; tabId: number | null; applied: boolean }> {
  const on = !(await background.settings.get()).highlights;
  await background.settings.set({ highlights: on });
  let target = tabId ?? null;
  if (target === null) {
    const [tab] = await api.tabs.query({ active: true, currentWindow: true }).catch(() => []);
    target = tab?.id ?? null;
  }
  let applied = false;
  const handler = background.handlers["tab/highlights"];
  if (target !== null && handler) {
    applied = (await handler({ type: "tab/highlights", tabId: target, on }, {})).ok;
  }
  return { on, tabId: target, applied };
}

/** Registers the command listener (at the top level of the background, synchronously). */
export function registerCommands(background: Background, api: CommandsApi): void {
  api.commands?.onCommand.addListener((command, tab) => {
    if (command === TOGGLE_HIGHLIGHTS) void toggleHighlights(background, api, tab?.id);
  });
}
