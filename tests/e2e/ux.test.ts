/**
 * The reader's experience in the built extension, in Chromium and Firefox ESR: popup layout
 * and states, light and dark themes, keyboard use, axe-core on the popup, the options page
 * and Parallax's own marks and tooltips in a news page, the badge, the highlight colour, the
 * toggle-highlights command and the "Compare with other reports" menu entry.
 *
 * axe-core is injected by evaluating the source of axe.min.js as a string (puppeteer's
 * page.evaluate → CDP Runtime.evaluate / BiDi script.evaluate). That is not subject to the
 * extension pages' CSP (`script-src 'self'`), which refuses page.addScriptTag's inline
 * script; the same call works in web pages. Shortcuts and context menus cannot be pressed by
 * puppeteer: the tests call what their listeners call (`parallax.*` on the background global).
 *
 * Screenshots: tests/output/screenshots/<browser>-ux-*.png; with UPDATE_SCREENSHOTS=1 also
 * docs/screenshots/.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSERS,
  distDir,
  FIREFOX_EXTENSION_UUID,
  FIREFOX_PATH,
  launch,
  readManifest,
  pollUntil,
  SCREENSHOT_DIR,
  setViewport,
  DOCS_SCREENSHOT_DIR,
  startFixtureServer,
  type BrowserName,
  type FixtureServer,
  type Session,
} from "./harness.js";
import { shownTooltip, tooltips } from "./tooltips.js";

const NDTV = "/seed-pages/001_d11f9d2465d14c55.html";
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const POPUP_VIEWPORT = { width: 400, height: 600 };

interface AxeResult {
  violations: {
    id: string;
    impact: string | null;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
  passes: number;
  nodes: number;
}

/**
 * Runs axe-core (WCAG 2.x A/AA + best practices) in `page` on `include` (CSS selectors;
 * default the whole document). Returns violations with their targets for readable failures.
 */
async function axe(page: Page, include?: string[]): Promise<AxeResult> {
  const loaded = await page.evaluate(`typeof globalThis.axe === "object"`);
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const context = include ? JSON.stringify({ include: include.map((s) => [s]) }) : "document";
  const expr = `(async () => {
    const r = await axe.run(${context}, { resultTypes: ["violations", "passes"] });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
      passes: r.passes.length,
      nodes: r.passes.reduce((a, p) => a + p.nodes.length, 0),
    };
  })()`;
  return (await page.evaluate(expr)) as AxeResult;
}

const summary = (r: AxeResult) =>
  r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(" ")}`);

async function waitForState(popup: Page, testid: string): Promise<void> {
  await popup.waitForSelector(`[data-testid="${testid}"], [data-testid="state-error"]`, { timeout: 60_000 });
  const error = await popup.$('[data-testid="state-error"]');
  if (error && testid !== "state-error") {
    throw new Error(`popup shows an error: ${await error.evaluate((e) => e.textContent)}`);
  }
}

/**
 * Chromium: emulate prefers-color-scheme (CDP). Firefox: puppeteer's emulateMediaFeatures
 * needs CDP, which Firefox does not speak; its theme comes from the profile instead (the
 * default profile is light; the dark block below launches one with a dark system theme).
 * Either way the page must then match the asked-for scheme.
 */
async function setTheme(page: Page, theme: "light" | "dark", name: BrowserName = "chromium"): Promise<void> {
  if (name === "chromium") await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme }]);
  const applied = await page.evaluate(
    (dark: boolean) => matchMedia(`(prefers-color-scheme: ${dark ? "dark" : "light"})`).matches,
    theme === "dark",
  );
  expect(applied, `prefers-color-scheme: ${theme} emulated`).toBe(true);
}

async function marks(page: Page): Promise<{ text: string; figure: string | null; bg: string }[]> {
  return page.$$eval("mark.parallax-mark", (ms) =>
    ms.map((m) => ({
      text: m.textContent ?? "",
      figure: m.getAttribute("data-parallax-figure"),
      bg: getComputedStyle(m).backgroundColor,
    })),
  );
}

async function badgeText(s: Session, tabId: number): Promise<string> {
  return s.evalInExtension(
    (api, id: number) =>
      (
        api as unknown as { action: { getBadgeText(d: { tabId: number }): Promise<string> } }
      ).action.getBadgeText({
        tabId: id,
      }),
    tabId,
  );
}

describe.each(BROWSERS)("the reader's experience on %s", (name) => {
  let server: FixtureServer;
  let s: Session;
  let page: Page;
  let tabId: number;
  let popup: Page;

  beforeAll(async () => {
    server = await startFixtureServer();
    s = await launch(name);
    const loaded = await s.sendMessage<{ imported: number }>({ type: "store/load-demo" });
    expect(loaded.imported).toBeGreaterThanOrEqual(6);
    ({ page, tabId } = await s.openTab(server.url(NDTV)));
    await page.waitForSelector("mark.parallax-mark", { timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it("badge: the number of differing figures on the tab, in words in its title", async () => {
    const report = await s.sendMessage<{ state: string; report?: { figures: { status: string }[] } }>({
      type: "popup/report",
      tabId,
    });
    expect(report.state).toBe("report");
    const differing = report.report?.figures.filter((f) => f.status !== "agree").length ?? 0;
    expect(differing).toBeGreaterThan(0);
    expect(await badgeText(s, tabId)).toBe(String(differing));
  });

  it("popup: fits 400 px without horizontal scrolling, 0 axe violations (light theme)", async () => {
    popup = await s.openPopup(tabId);
    await setViewport(popup, POPUP_VIEWPORT);
    await waitForState(popup, "report");
    await setTheme(popup, "light", name);
    const overflow = await popup.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(overflow.scroll, "no horizontal scrolling").toBeLessThanOrEqual(overflow.client);
    const background = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(255, 255, 255)");
    const result = await axe(popup);
    expect(result.passes).toBeGreaterThan(10);
    expect(summary(result), "light popup").toEqual([]);
    await s.screenshot(popup, "ux-popup-light");
  });

  it("popup: every other report opens in a new tab; the keyboard reaches every control", async () => {
    const links = await popup.$$eval('[data-testid="same-item"] a, [data-testid="related-item"] a', (as) =>
      as.map((a) => ({
        href: a.getAttribute("href"),
        target: a.getAttribute("target"),
        rel: a.getAttribute("rel"),
      })),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.href).toMatch(/^https?:\/\//);
      expect(l.target).toBe("_blank");
      expect(l.rel).toContain("noopener");
    }
    // Tab through the popup: every link, button, switch and summary takes the focus in turn.
    await popup.bringToFront();
    await popup.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const focusable = await popup.$$eval(
      "a[href], button:not([disabled]), input:not([disabled]), summary",
      (els) => els.length,
    );
    const seen = new Set<string>();
    for (let i = 0; i < focusable + 2; i++) {
      await popup.keyboard.press("Tab");
      const id = await popup.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return "";
        const all = [...document.querySelectorAll("a[href], button, input, summary")];
        return `${e.tagName}#${all.indexOf(e)}`;
      });
      if (id) seen.add(id);
    }
    expect(seen.size).toBe(focusable);
  });

  it("popup: 'Show in the page' scrolls the page to that figure's highlight and focuses it", async () => {
    await popup.bringToFront();
    const button = await popup.waitForSelector('[data-testid="show-in-page"]');
    const figure = await button?.evaluate((b) => {
      const items = [...document.querySelectorAll('[data-testid="figure-item"]')];
      return items.indexOf(b.closest('[data-testid="figure-item"]') as Element);
    });
    expect(figure).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    // Focus moves inside the page (its document.activeElement) even while the popup is in front.
    await button?.click();
    await page.waitForFunction(
      () => (document.activeElement as HTMLElement | null)?.classList.contains("parallax-mark") === true,
      { timeout: 10_000, polling: 100 },
    );
    const focused = await page.evaluate(() => {
      const m = document.activeElement as HTMLElement;
      const r = m.getBoundingClientRect();
      return { figure: m.getAttribute("data-parallax-figure"), top: r.top, bottom: r.bottom, h: innerHeight };
    });
    expect(focused.figure).not.toBeNull();
    expect(focused.top).toBeGreaterThanOrEqual(0);
    expect(focused.bottom).toBeLessThanOrEqual(focused.h);
  });

  it("page: each mark is focusable, its tooltip shows on focus, is described by it, and Escape hides it", async () => {
    await page.bringToFront();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await shownTooltip(s, tabId)).toBeNull();
    const focusable = await page.$$eval("mark.parallax-mark[tabindex='0']", (ms) =>
      ms.map((m) => ({
        describedby: m.getAttribute("aria-describedby"),
        figure: m.getAttribute("data-parallax-figure"),
      })),
    );
    expect(focusable.length).toBeGreaterThan(0);
    // Reach the first mark with the keyboard: Tab from the element just before it.
    await page.evaluate(() => {
      const first = document.querySelector("mark.parallax-mark[tabindex='0']") as HTMLElement;
      const before = document.createElement("button");
      before.id = "e2e-before";
      before.textContent = "before";
      first.parentNode?.insertBefore(before, first);
      before.focus();
    });
    await page.keyboard.press("Tab");
    const active = await page.evaluate(() => ({
      cls: document.activeElement?.className,
      describedby: document.activeElement?.getAttribute("aria-describedby"),
    }));
    await page.evaluate(() => document.getElementById("e2e-before")?.remove());
    expect(active.cls).toBe("parallax-mark");
    const tip = await shownTooltip(s, tabId);
    expect(tip?.id).toBe(active.describedby);
    expect(tip?.text).toMatch(/Other reports|updated/);
    if (name === "chromium") {
      // What a screen reader gets: the browser's accessibility tree gives the mark the
      // tooltip's text (in its shadow root) as its description.
      const cdp = await page.createCDPSession();
      const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
      const { nodeId } = await cdp.send("DOM.querySelector", {
        nodeId: root.nodeId,
        selector: "mark.parallax-mark[tabindex='0']",
      });
      const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
      const description = String(nodes[0]?.description?.value ?? "");
      // The tooltip itself (role=tooltip) is named by its content, closed shadow root included.
      const host = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: `#${tip?.id}` });
      const tipAx = await cdp.send("Accessibility.getPartialAXTree", {
        nodeId: host.nodeId,
        fetchRelatives: false,
      });
      await cdp.detach();
      expect(String(tipAx.nodes[0]?.role?.value)).toBe("tooltip");
      expect(String(tipAx.nodes[0]?.name?.value ?? "")).toMatch(/^Other reports|^This figure was updated/);
      expect(description).toMatch(/^Other reports give a different figure|^This figure was updated/);
      // The tooltip's lines (heading, one per other report, footer), from the extension's side.
      const lines = ((await tooltips(s, tabId)).find((t) => t.id === tip?.id)?.text ?? "")
        .split("\n")
        .slice(1, -1);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(description).toContain(line);
    }
    // axe on Parallax's own nodes only (the news page has violations of its own).
    const result = await axe(page, ["mark.parallax-mark", "[data-parallax-tooltips]"]);
    expect(result.nodes).toBeGreaterThan(0);
    // axe runs as a page script and so cannot see into the tooltips' CLOSED shadow roots (by
    // design, docs/security.md S1): it reports role=tooltip without a name. The browser's own
    // accessibility tree names it from that content (checked above through CDP in Chromium).
    const blind = (v: AxeResult["violations"][number]) =>
      v.id === "aria-tooltip-name" &&
      v.nodes.every((n) => JSON.stringify(n.target) === JSON.stringify([`#${tip?.id}`]));
    expect(summary({ ...result, violations: result.violations.filter((v) => !blind(v)) })).toEqual([]);
    await s.screenshot(page, "ux-page-tooltip");
    await page.keyboard.press("Escape");
    expect(await shownTooltip(s, tabId)).toBeNull();
  });

  it("the highlight colour chosen in the options recolours the marks", async () => {
    const before = await marks(page);
    expect(before.length).toBeGreaterThan(0);
    await s.sendMessage({ type: "settings/set", highlightColor: "#e5dbff" });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("mark.parallax-mark")].every(
          (m) => getComputedStyle(m).backgroundColor === "rgb(229, 219, 255)",
        ) && document.querySelectorAll("mark.parallax-mark").length > 0,
      { timeout: 10_000, polling: 100 },
    );
    expect((await marks(page)).map((m) => m.text)).toEqual(before.map((m) => m.text));
    const result = await axe(page, ["mark.parallax-mark"]);
    expect(summary(result)).toEqual([]);
  });

  it("toggle-highlights (Alt+Shift+H): what the command listener calls switches the marks off and on", async () => {
    type Bg = { parallax: { toggleHighlights(tabId?: number): Promise<{ on: boolean; applied: boolean }> } };
    const off = await s.evalInBackground((bg, id: number) => (bg as Bg).parallax.toggleHighlights(id), tabId);
    expect(off).toMatchObject({ on: false, applied: true });
    await page.waitForFunction(() => document.querySelectorAll("mark.parallax-mark").length === 0, {
      timeout: 10_000,
      polling: 100,
    });
    const settings = await s.sendMessage<{ highlights: boolean }>({ type: "settings/get" });
    expect(settings.highlights).toBe(false);
    const on = await s.evalInBackground((bg, id: number) => (bg as Bg).parallax.toggleHighlights(id), tabId);
    expect(on).toMatchObject({ on: true, applied: true });
    await page.waitForSelector("mark.parallax-mark", { timeout: 10_000 });
  });

  it("'Compare with other reports' menu: registered, and opens the popup page for that tab", async () => {
    // The entry exists: updating an unknown menu id is an error in both browsers.
    const exists = await s.evalInBackground(async (bg) => {
      const g = bg as {
        browser?: { menus?: { update(id: string, p: object): Promise<void> } };
        chrome?: unknown;
      };
      const menus =
        g.browser?.menus ??
        (
          globalThis as unknown as {
            chrome: { contextMenus: { update(id: string, p: object): Promise<void> } };
          }
        ).chrome.contextMenus;
      try {
        await menus.update("parallax-compare", {});
        return "yes";
      } catch (e) {
        return String(e);
      }
    });
    expect(exists).toBe("yes");
    type Bg = {
      parallax: {
        compareWithOtherReports(
          tabId?: number,
          allowPopup?: boolean,
        ): Promise<{ opened: string; url?: string }>;
      };
    };
    const res = await s.evalInBackground(
      (bg, id: number) => (bg as Bg).parallax.compareWithOtherReports(id, false),
      tabId,
    );
    expect(res.opened).toBe("tab");
    expect(res.url).toBe(`${s.baseUrl}popup/popup.html?tabId=${tabId}`);
    const deadline = Date.now() + 10_000;
    let opened: { id?: number; url?: string } | undefined;
    while (!opened && Date.now() < deadline) {
      const tabs = await s.evalInExtension((api) => api.tabs.query({}));
      opened = tabs.find((t) => t.url === res.url);
    }
    expect(opened?.id).toBeTypeOf("number");
    if (name === "chromium") {
      const target = await s.browser.waitForTarget((t) => t.url() === res.url, { timeout: 10_000 });
      const p = await target.page();
      if (!p) throw new Error("no page for the opened popup tab");
      await waitForState(p, "report");
      await p.close();
    }
  });

  it("options page: statistics per outlet, 0 axe violations (light theme), colours by keyboard", async () => {
    const options = await s.openOptions();
    await setViewport(options, { width: 900, height: 900 });
    await options.waitForSelector('[data-testid="source-row"]', { timeout: 30_000 });
    const rows = await options.$$eval('[data-testid="source-row"]', (rs) =>
      rs.map((r) => r.querySelector("th")?.textContent ?? ""),
    );
    expect(rows).toEqual(expect.arrayContaining(["Reuters", "NDTV", "bne IntelliNews"]));
    await setTheme(options, "light", name);
    const result = await axe(options);
    expect(result.passes).toBeGreaterThan(10);
    expect(summary(result), "light options").toEqual([]);
    await s.screenshot(options, "ux-options-light", { fullPage: true });
    // The colour presets are one radio group: an arrow key moves the choice, and it is saved.
    await options.bringToFront();
    const values = await options.$$eval('[data-testid="colour-option"]', (rs) =>
      rs.map((r) => (r as HTMLInputElement).value),
    );
    const before = await options.$eval(
      '[data-testid="colour-option"]:checked',
      (r) => (r as HTMLInputElement).value,
    );
    const next = values[(values.indexOf(before) + 1) % values.length] ?? "";
    expect(next).not.toBe(before);
    await options.focus('[data-testid="colour-option"]:checked');
    await options.keyboard.press("ArrowRight");
    await pollUntil(
      options,

      (v: string) =>
        (document.activeElement as HTMLInputElement | null)?.checked === true &&
        (document.activeElement as HTMLInputElement).value === v,
      { timeout: 5_000, polling: 100 },
      next,
    );
    const deadline = Date.now() + 5_000;
    let saved = "";
    while (saved !== next && Date.now() < deadline) {
      saved =
        (await s.sendMessage<{ highlightColor?: string }>({ type: "settings/get" })).highlightColor ?? "";
    }
    expect(saved).toBe(next);
    await options.close();
  });

  it("options page: deleting one outlet asks first, then removes only its articles", async () => {
    const options = await s.openOptions();
    await options.bringToFront();
    await options.waitForSelector('[data-testid="source-row"]', { timeout: 30_000 });
    const before = await s.sendMessage<{ articles: number; perSource: Record<string, number> }>({
      type: "store/stats",
    });
    const n = before.perSource["bne IntelliNews"] ?? 0;
    expect(n).toBeGreaterThan(0);
    const row = await options.$$('[data-testid="source-row"]');
    let target: (typeof row)[number] | undefined;
    for (const r of row)
      if ((await r.evaluate((e) => e.querySelector("th")?.textContent)) === "bne IntelliNews") target = r;
    await (await target?.$('[data-testid="delete-source"]'))?.click();
    expect((await s.sendMessage<{ articles: number }>({ type: "store/stats" })).articles).toBe(
      before.articles,
    );
    await (await target?.$('[data-testid="delete-source-confirm"]'))?.click();
    await options.waitForSelector('[data-testid="delete-source-done"]', { timeout: 15_000 });
    const after = await s.sendMessage<{ articles: number; perSource: Record<string, number> }>({
      type: "store/stats",
    });
    expect(after.articles).toBe(before.articles - n);
    expect(after.perSource["bne IntelliNews"]).toBeUndefined();
    expect(after.perSource.Reuters).toBe(before.perSource.Reuters);
    await options.close();
  });

  it("popup states: no article tells the reader what to do; the badge clears when the tab navigates", async () => {
    expect(await badgeText(s, tabId)).not.toBe("");
    await page.goto(server.url("/no-article.html"), { waitUntil: "load" });
    const deadline = Date.now() + 10_000;
    let text = await badgeText(s, tabId);
    while (text !== "" && Date.now() < deadline) text = await badgeText(s, tabId);
    expect(text).toBe("");
    const p = await s.openPopup(tabId);
    await setViewport(p, POPUP_VIEWPORT);
    await waitForState(p, "state-no-article");
    expect(await p.$eval('[data-testid="state-no-article"]', (e) => e.textContent)).toMatch(
      /Open Parallax on a news article/,
    );
    await setTheme(p, "light", name);
    expect(summary(await axe(p))).toEqual([]);
    await s.screenshot(p, "ux-popup-no-article-light");
    await p.close();
  });
});

// ---------------------------------------------------------------------------------------
// Dark theme
// ---------------------------------------------------------------------------------------

/** What the dark-theme block needs of a browser with the extension installed. */
interface ThemedSession {
  name: BrowserName;
  openTab(url: string): Promise<{ page: Page; tabId: number }>;
  openPopup(tabId: number): Promise<Page>;
  openOptions(): Promise<Page>;
  sendMessage<R = unknown>(msg: { type: string } & Record<string, unknown>): Promise<R>;
  close(): Promise<void>;
}

/** Chromium: the harness session; each page emulates prefers-color-scheme: dark (CDP). */
async function darkChromium(): Promise<ThemedSession> {
  const s = await launch("chromium");
  const dark = async (p: Page) => {
    await setTheme(p, "dark", "chromium");
    return p;
  };
  return {
    name: "chromium",
    openTab: (url) => s.openTab(url),
    openPopup: async (tabId) => dark(await s.openPopup(tabId)),
    openOptions: async () => dark(await s.openOptions()),
    sendMessage: (msg) => s.sendMessage(msg),
    close: () => s.close(),
  };
}

/**
 * Firefox: a profile whose system theme is dark (`ui.systemUsesDarkTheme`, and web content
 * following it), launched as the harness does (same fixed add-on UUID, same navigation wait
 * for moz-extension pages: see tests/e2e/README.md), since emulateMediaFeatures needs CDP.
 */
async function darkFirefox(): Promise<ThemedSession> {
  const dir = distDir("firefox");
  const manifest = readManifest(dir);
  const geckoId = manifest.browser_specific_settings?.gecko?.id ?? "";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-e2e-dark-"));
  const browser: Browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: path.join(tmp, "profile"),
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "app.update.enabled": false,
      "extensions.update.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "extensions.webextensions.uuids": JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID }),
      "ui.systemUsesDarkTheme": 1,
      "layout.css.prefers-color-scheme.content-override": 0, // 0 = dark
    },
    defaultViewport: { width: 1100, height: 900 },
  });
  await browser.installExtension(dir);
  const base = `moz-extension://${FIREFOX_EXTENSION_UUID}/`;
  const open = async (rel: string): Promise<Page> => {
    const page = await browser.newPage();
    const url = base + rel;
    page.goto(url, { timeout: 60_000 }).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await page
        .evaluate((u: string) => location.href === u && document.readyState === "complete", url)
        .catch(() => false);
      if (ok) return page;
      if (Date.now() > deadline) throw new Error(`${url} did not load`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const helper = await open(manifest.options_ui?.page ?? "popup/options.html");
  const sendMessage = async <R>(msg: object): Promise<R> =>
    (await helper.evaluate(`browser.runtime.sendMessage(${JSON.stringify(msg)})`)) as R;
  let serial = 0;
  return {
    name: "firefox",
    async openTab(url) {
      const u = new URL(url);
      u.searchParams.set("e2e-dark", String(++serial));
      const page = await browser.newPage();
      await page.goto(u.href, { waitUntil: "load" });
      for (let i = 0; i < 100; i++) {
        const tabs = (await helper.evaluate(`browser.tabs.query({})`)) as { id?: number; url?: string }[];
        const tab = tabs.find((t) => t.url === u.href);
        if (tab?.id !== undefined) return { page, tabId: tab.id };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no tab for ${u.href}`);
    },
    openPopup: (tabId) => open(`${manifest.action?.default_popup ?? "popup/popup.html"}?tabId=${tabId}`),
    openOptions: () => open(manifest.options_ui?.page ?? "popup/options.html"),
    sendMessage,
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Same place and naming as the harness's screenshots (docs/screenshots/ with UPDATE_SCREENSHOTS=1). */
async function shot(page: Page, name: BrowserName, shotName: string, fullPage = false): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}-${shotName}.png`) as `${string}.png`;
  await page.screenshot({ path: file, fullPage });
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_SCREENSHOT_DIR, path.basename(file)));
  }
}

describe.each(BROWSERS)("dark theme on %s", (name) => {
  let server: FixtureServer;
  let s: ThemedSession;

  beforeAll(async () => {
    server = await startFixtureServer();
    s = name === "chromium" ? await darkChromium() : await darkFirefox();
    const loaded = await s.sendMessage<{ imported: number }>({ type: "store/load-demo" });
    expect(loaded.imported).toBeGreaterThanOrEqual(6);
  }, 180_000);

  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it("popup report: dark colours, no horizontal scrolling, 0 axe violations", async () => {
    const { page, tabId } = await s.openTab(server.url(NDTV));
    await page.waitForSelector("mark.parallax-mark", { timeout: 60_000 });
    const popup = await s.openPopup(tabId);
    await setViewport(popup, POPUP_VIEWPORT);
    await waitForState(popup, "report");
    await setTheme(popup, "dark", name);
    const view = await popup.evaluate(() => ({
      bg: getComputedStyle(document.body).backgroundColor,
      fg: getComputedStyle(document.body).color,
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(view.bg).toBe("rgb(23, 25, 29)");
    expect(view.fg).toBe("rgb(232, 234, 238)");
    expect(view.scroll).toBeLessThanOrEqual(view.client);
    const result = await axe(popup);
    expect(result.passes).toBeGreaterThan(10);
    expect(summary(result), "dark popup").toEqual([]);
    await shot(popup, name, "ux-popup-dark");
    await popup.close();
  });

  it("options page and the no-article popup: 0 axe violations in the dark theme", async () => {
    const options = await s.openOptions();
    await setViewport(options, { width: 900, height: 900 });
    await options.waitForSelector('[data-testid="source-row"]', { timeout: 30_000 });
    await setTheme(options, "dark", name);
    const result = await axe(options);
    expect(result.passes).toBeGreaterThan(10);
    expect(summary(result), "dark options").toEqual([]);
    await shot(options, name, "ux-options-dark", true);
    await options.close();
    const { tabId } = await s.openTab(server.url("/no-article.html"));
    const p = await s.openPopup(tabId);
    await setViewport(p, POPUP_VIEWPORT);
    await waitForState(p, "state-no-article");
    await setTheme(p, "dark", name);
    expect(summary(await axe(p)), "dark no-article popup").toEqual([]);
    await p.close();
  });
});
