import type { PopupState } from "../src/protocol.js";
import { send, targetTabId } from "./api.js";

interface FirstReport {
  tabId: Promise<number | null>;
  /** The answer to `popup/report` for the popup's tab (null when there is no tab). */
  report: Promise<PopupState | null>;
}

/**
 * The request for the report sent by public/popup/early.js, a plain script that runs before
 * the popup's modules load; asked here when it did not run (e.g. outside the built popup).
 */
export function firstReport(): FirstReport {
  const early = (globalThis as { parallaxFirstReport?: FirstReport }).parallaxFirstReport;
  if (early) return early;
  const tabId = targetTabId();
  const report = tabId.then(async (id) => {
    if (id === null) return null;
    const answer = await send("popup/report", { tabId: id });
    performance.mark("parallax-report-received");
    return answer;
  });
  report.catch(() => undefined); // handled by the popup
  return { tabId, report };
}
