import type { PopupState } from "../src/protocol.js";

/**
 * The popup's first code: the popup is one classic script in the page's <head> (built by
 * esbuild, see vite.config.ts), and this module is its first import, so it runs before any other
 * module of the bundle is evaluated, while the page is still being parsed. It asks the background
 * for the report at once, with no imports (the polyfill and Preact are set up while the answer is
 * on its way); kept to what the polyfilled `send` does for this one message.
 */
export interface FirstReport {
  tabId: Promise<number | null>;
  /** The answer to `popup/report` for the popup's tab (null when there is no tab). */
  report: Promise<PopupState | null>;
}

interface Api {
  runtime?: { sendMessage?(m: unknown): Promise<unknown> };
  tabs?: { query?(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
}

function ask(): FirstReport | null {
  performance.mark("parallax-popup-script"); // (the bench reads these marks)
  const g = globalThis as { browser?: Api; chrome?: Api };
  const api = g.browser ?? g.chrome;
  const sendMessage = api?.runtime?.sendMessage?.bind(api.runtime);
  const query = api?.tabs?.query?.bind(api.tabs);
  if (!sendMessage || !query || typeof location === "undefined") return null;
  const fromUrl = Number(new URLSearchParams(location.search).get("tabId"));
  const tabId: Promise<number | null> =
    Number.isInteger(fromUrl) && fromUrl > 0
      ? Promise.resolve(fromUrl)
      : query({ active: true, currentWindow: true }).then((tabs) => tabs[0]?.id ?? null);
  const report = tabId.then(async (id) => {
    if (id === null) return null;
    const answer = (await sendMessage({ type: "popup/report", tabId: id })) as
      | (PopupState & { __mozWebExtensionPolyfillReject__?: never })
      | { __mozWebExtensionPolyfillReject__: true; message: string };
    // A handler's rejection, as webextension-polyfill in the background sends it.
    if ("__mozWebExtensionPolyfillReject__" in answer && answer.__mozWebExtensionPolyfillReject__)
      throw new Error(answer.message);
    performance.mark("parallax-report-received"); // …and the background has answered.
    return answer as PopupState;
  });
  report.catch(() => undefined); // handled by the popup
  return { tabId, report };
}

const started = ask();

/** The request sent as the popup's script started; null where there was no extension API to send it. */
export function firstReport(): FirstReport | null {
  return started;
}
