/**
 * A tiny throwaway extension, written to a temp dir by the harness self-test. It has the same
 * shape as the product's manifest (MV3; Chromium service worker, Firefox background scripts;
 * content script on every http page with no host_permissions; popup + options pages) so the
 * harness recipe is proven independently of the product code.
 */
import fs from "node:fs";
import path from "node:path";
import type { BrowserName } from "./harness.js";

export const THROWAWAY_GECKO_ID = "throwaway-e2e@parallax.invalid";

const BACKGROUND = `
const api = globalThis.browser ?? globalThis.chrome;
const seen = new Map();
globalThis.e2eSeen = seen;
api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (msg.type === "hello" && sender.tab && sender.tab.id !== undefined) {
    seen.set(sender.tab.id, { title: msg.title, url: sender.tab.url });
    sendResponse({ ok: true, tabId: sender.tab.id });
    return;
  }
  if (msg.type === "about-tab") { sendResponse(seen.get(msg.tabId) ?? null); return; }
  if (msg.type === "mark-tab") {
    api.tabs.sendMessage(msg.tabId, { type: "mark", word: msg.word }).then(sendResponse, (e) => sendResponse({ error: String(e) }));
    return true;
  }
});
`;

const CONTENT = `
const api = globalThis.browser ?? globalThis.chrome;
api.runtime.sendMessage({ type: "hello", title: document.title }).then((r) => {
  document.documentElement.dataset.e2eHello = JSON.stringify(r);
});
api.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  if (msg.type !== "mark") return;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let marked = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(msg.word);
    if (i < 0) continue;
    const range = document.createRange();
    range.setStart(n, i); range.setEnd(n, i + msg.word.length);
    const m = document.createElement("mark"); m.className = "e2e-mark";
    range.surroundContents(m); marked++; break;
  }
  sendResponse({ marked });
});
`;

const PAGE_HTML = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>e2e</title></head><body><h1 id="title">Throwaway</h1><p id="out">…</p><script src="${script}"></script></body></html>`;

const POPUP = `
const api = globalThis.browser ?? globalThis.chrome;
const tabId = Number(new URLSearchParams(location.search).get("tabId"));
api.runtime.sendMessage({ type: "about-tab", tabId }).then((r) => {
  document.getElementById("out").textContent = r ? "Tab: " + r.title : "Nothing known";
  document.body.dataset.ready = "1";
});
`;

export function writeThrowawayExtension(dir: string, browser: BrowserName): string {
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = {
    manifest_version: 3,
    name: "Parallax e2e throwaway",
    version: "0.0.1",
    background: browser === "chromium" ? { service_worker: "bg.js" } : { scripts: ["bg.js"] },
    action: { default_popup: "popup/popup.html" },
    options_ui: { page: "popup/options.html", open_in_tab: true },
    content_scripts: [{ matches: ["http://*/*", "https://*/*"], js: ["cs.js"], run_at: "document_idle" }],
    permissions: ["tabs", "storage"],
  };
  if (browser === "firefox") {
    manifest.browser_specific_settings = { gecko: { id: THROWAWAY_GECKO_ID, strict_min_version: "128.0" } };
  }
  fs.mkdirSync(path.join(dir, "popup"), { recursive: true });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, "bg.js"), BACKGROUND);
  fs.writeFileSync(path.join(dir, "cs.js"), CONTENT);
  fs.writeFileSync(path.join(dir, "popup/popup.html"), PAGE_HTML("popup.js"));
  fs.writeFileSync(path.join(dir, "popup/popup.js"), POPUP);
  fs.writeFileSync(path.join(dir, "popup/options.html"), PAGE_HTML("options.js"));
  fs.writeFileSync(path.join(dir, "popup/options.js"), `document.body.dataset.ready = "1";`);
  return dir;
}
