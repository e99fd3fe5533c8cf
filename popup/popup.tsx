import { render } from "preact";
import type { PopupState } from "../src/protocol.js";
import { scrollTo, send } from "./api.js";
import { firstReport as early } from "./early.js";
import { PopupApp } from "./PopupApp.js";
import "./style.css";

/**
 * How long the first render waits for the report, so that a warm worker's answer is painted in
 * one pass; a slower one (a cold worker) shows "analysing" first.
 */
const WAIT_FOR_REPORT_MS = 150;

const root = document.getElementById("app");
if (root) {
  // Usually on its way already (public/popup/early.js, run before these modules).
  const { tabId, report: firstReport } = early();
  const settled = firstReport.then(
    (state): { state: PopupState | null; error?: unknown } => ({ state }),
    (error: unknown) => ({ state: null, error }),
  );
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_FOR_REPORT_MS));
  void Promise.all([tabId.catch(() => null), Promise.race([settled, timeout])]).then(([id, first]) =>
    render(
      <PopupApp
        send={send}
        tabId={id}
        scrollTo={scrollTo}
        first={first && !first.error && first.state ? first.state : firstReport}
      />,
      root,
    ),
  );
}
