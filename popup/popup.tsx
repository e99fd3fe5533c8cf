// First import: sends `popup/report` before the rest of the bundle is evaluated (see early.ts).
import { firstReport as early } from "./early.js";
import { render } from "preact";
import type { PopupState } from "../src/protocol.js";
import { scrollTo, send, targetTabId } from "./api.js";
import { PopupApp } from "./PopupApp.js";

/**
 * How long the first render waits for the report, so that a warm worker's answer is painted in
 * one pass; a slower one (a cold worker) shows "analysing" first.
 */
const WAIT_FOR_REPORT_MS = 150;

/** The script runs in <head>: the body (and #app) is there once the parser is done. */
const parsed = new Promise<void>((resolve) => {
  if (document.readyState !== "loading") resolve();
  else document.addEventListener("readystatechange", () => resolve(), { once: true });
});

function firstReport(): { tabId: Promise<number | null>; report: Promise<PopupState | null> } {
  const sent = early();
  if (sent) return sent;
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

const { tabId, report: first } = firstReport();
const settled = first.then(
  (state): { state: PopupState | null; error?: unknown } => ({ state }),
  (error: unknown) => ({ state: null, error }),
);
const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_FOR_REPORT_MS));
void Promise.all([tabId.catch(() => null), Promise.race([settled, timeout]), parsed]).then(([id, answer]) => {
  const root = document.getElementById("app");
  if (!root) return;
  render(
    <PopupApp
      send={send}
      tabId={id}
      scrollTo={scrollTo}
      first={answer && !answer.error && answer.state ? answer.state : first}
    />,
    root,
  );
  performance.mark("parallax-popup-rendered"); // the first view is in the DOM (the bench splits on it)
});
