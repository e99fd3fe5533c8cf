/**
 * Proves the harness recipe in both browsers on a throwaway extension (not product code):
 * (a) load the extension, (b) open an extension page and read its DOM, (c) a content script
 * runs on a localhost page, (d) messages flow content → background → popup and
 * background → content, plus code evaluated in the background.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSERS, launch, startFixtureServer, type FixtureServer, type Session } from "./harness.js";
import { writeThrowawayExtension } from "./throwaway-extension.js";

describe.each(BROWSERS)("harness on %s (throwaway extension)", (name) => {
  let server: FixtureServer;
  let session: Session;
  let extDir: string;

  beforeAll(async () => {
    server = await startFixtureServer({
      "/hello.html":
        "<!doctype html><html><head><title>Hello page</title></head><body><p>The quick brown fox.</p></body></html>",
    });
    extDir = writeThrowawayExtension(fs.mkdtempSync(path.join(os.tmpdir(), "parallax-throwaway-")), name);
    session = await launch(name, { extensionDir: extDir });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (extDir) fs.rmSync(extDir, { recursive: true, force: true });
  });

  it("(a) loads the extension and knows its base URL", async () => {
    expect(session.extensionId).toBeTruthy();
    expect(session.baseUrl).toMatch(
      name === "chromium" ? /^chrome-extension:\/\/[a-p]{32}\/$/ : /^moz-extension:\/\//,
    );
    const id = await session.evalInExtension((api) => api.runtime.getURL(""));
    expect(id).toBe(session.baseUrl);
  });

  it("(b)-(d) content script runs, messages flow both ways, popup reads the background", async () => {
    const { page, tabId } = await session.openTab(server.url("/hello.html"));
    // (c) the content script ran and the background answered it with this tab's id.
    await page.waitForFunction(() => document.documentElement.dataset.e2eHello, {
      timeout: 15_000,
      polling: 100,
    });
    const hello = JSON.parse(
      (await page.evaluate(() => document.documentElement.dataset.e2eHello)) as string,
    );
    expect(hello).toEqual({ ok: true, tabId });

    // (b) + (d) the popup page, opened as a tab with ?tab=<id>, shows what the background knows.
    const popup = await session.openPopup(tabId);
    await popup.waitForSelector("body[data-ready='1']");
    expect(await popup.$eval("#out", (e) => e.textContent)).toBe("Tab: Hello page");
    await session.screenshot(popup, "harness-popup", { docs: false });

    // (d) background → content: the content script marks a word in the page.
    const res = await session.sendMessage({ type: "mark-tab", tabId, word: "brown" });
    expect(res).toEqual({ marked: 1 });
    expect(await page.$$eval("mark.e2e-mark", (ms) => ms.map((m) => m.textContent))).toEqual(["brown"]);

    // Code evaluated in the background sees its globals.
    const seenTabs = await session.evalInBackground((bg) => {
      const seen = (bg as { e2eSeen: Map<number, unknown> }).e2eSeen;
      return [...seen.keys()];
    });
    expect(seenTabs).toContain(tabId);

    // Only the fixture server was asked for anything.
    expect(server.requests).toContain("/hello.html");
  });
});
