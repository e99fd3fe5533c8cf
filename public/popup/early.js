// @ts-check
/* global performance, location, URLSearchParams */
/**
 * The popup's first script: a plain (classic) script in <head>, run as the page is parsed,
 * before the popup's modules are fetched and evaluated. It asks the background for the report
 * at once; popup/early.ts picks the answer up. Plain JavaScript with no imports on purpose (the
 * built modules load after it); kept to what the polyfilled `send` does for this one message.
 */
(() => {
  performance.mark("parallax-popup-script"); // (the bench reads these marks)
  /** @type {any} */
  const g = globalThis;
  const api = g.browser ?? g.chrome;
  if (!api?.runtime?.sendMessage || !api?.tabs?.query) return;
  const fromUrl = Number(new URLSearchParams(location.search).get("tabId"));
  /** @type {Promise<number | null>} */
  const tabId =
    Number.isInteger(fromUrl) && fromUrl > 0
      ? Promise.resolve(fromUrl)
      : api.tabs
          .query({ active: true, currentWindow: true })
          .then((/** @type {{ id?: number }[]} */ tabs) => tabs[0]?.id ?? null);
  const report = tabId.then((id) =>
    id === null
      ? null
      : api.runtime.sendMessage({ type: "popup/report", tabId: id }).then((/** @type {any} */ answer) => {
          // A handler's rejection, as webextension-polyfill in the background sends it.
          if (answer && answer.__mozWebExtensionPolyfillReject__) throw new Error(answer.message);
          performance.mark("parallax-report-received"); // …and the background has answered.
          return answer;
        }),
  );
  report.catch(() => undefined); // handled by the popup
  g.parallaxFirstReport = { tabId, report };
})();
