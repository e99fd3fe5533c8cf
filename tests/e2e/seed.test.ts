/**
 * The built extension in real Chromium and Firefox ESR on the seed cluster: the NDTV report
 * of the 2016 Almaty attack (seed 001) against the demo coverage. Real IndexedDB, real
 * messaging, no fakes. Screenshots go to tests/output/screenshots/ (docs/screenshots/ with
 * UPDATE_SCREENSHOTS=1).
 */
import type { ElementHandle, Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSERS, launch, startFixtureServer, type FixtureServer, type Session } from "./harness.js";
import { popupFigures } from "./popup-figures.js";
import { hoverForTooltip, shownTooltip } from "./tooltips.js";

const NDTV = "/seed-pages/001_d11f9d2465d14c55.html";

/** Text of every element matching `selector` inside the popup's section `testid`. */
async function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els.map((e) => ((e as HTMLElement).innerText ?? "").replace(/\s+/g, " ").trim()),
  );
}

/** The page's body as HTML, for before/after comparisons. */
async function bodyHtml(page: Page): Promise<string> {
  // Serialised by the browser (XMLSerializer-free): the page's own markup as the DOM holds it now.
  return page.evaluate(() => document.body.innerHTML);
}

async function marks(page: Page): Promise<string[]> {
  return page.$$eval("mark.parallax-mark", (ms) => ms.map((m) => m.textContent ?? ""));
}

async function waitForState(popup: Page, testid: string): Promise<void> {
  await popup.waitForSelector(`[data-testid="${testid}"], [data-testid="state-error"]`, { timeout: 60_000 });
  const error = await popup.$('[data-testid="state-error"]');
  if (error && testid !== "state-error") {
    throw new Error(`popup shows an error: ${await error.evaluate((e) => e.textContent)}`);
  }
}

describe.each(BROWSERS)("Parallax on %s (built extension, seed cluster)", (name) => {
  let server: FixtureServer;
  let s: Session;
  /** The NDTV page's body before any highlight (empty store), from the first tab. */
  let pristine = "";

  beforeAll(async () => {
    server = await startFixtureServer();
    s = await launch(name);
  });

  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  let emptyPopup: Page;

  it("empty store: the popup offers the demo coverage", async () => {
    const { page, tabId } = await s.openTab(server.url(NDTV));
    emptyPopup = await s.openPopup(tabId);
    await waitForState(emptyPopup, "state-empty");
    expect(await emptyPopup.$('[data-testid="state-empty"] [data-testid="load-demo"]')).not.toBeNull();
    await s.screenshot(emptyPopup, "popup-empty-store");
    expect(await marks(page)).toEqual([]);
    pristine = await bodyHtml(page);
    expect(pristine).toContain("policemen");
  });

  it("the popup's load-demo button fills the store (real IndexedDB) and shows the report", async () => {
    await emptyPopup.bringToFront();
    await emptyPopup.click('[data-testid="load-demo"]');
    await waitForState(emptyPopup, "report");
    expect((await emptyPopup.$$('[data-testid="same-item"]')).length).toBeGreaterThan(0);
    const stats = await s.sendMessage<{ articles: number }>({ type: "store/stats" });
    // Six demo records (Guardian v2 and v3 separately), plus the NDTV page captured before unless a duplicate.
    expect(stats.articles).toBeGreaterThanOrEqual(6);
    await emptyPopup.close();
  });

  it("the options page shows the store and loading the demo again adds nothing", async () => {
    const options = await s.openOptions();
    const count = await options.waitForSelector('[data-testid="stats-count"]');
    expect(Number(await count?.evaluate((e) => e.textContent))).toBeGreaterThanOrEqual(6);
    await options.click('[data-testid="load-demo"]');
    const result = await options.waitForSelector('[data-testid="import-result"]', { timeout: 60_000 });
    expect(await result?.evaluate((e) => e.textContent)).toMatch(/Imported 0, duplicates \d+, rejected 0/);
    await s.screenshot(options, "options", { fullPage: true });
    await options.close();
  });

  let page: Page;
  let popup: Page;

  it("NDTV page: the popup shows a report for the tab", async () => {
    ({ page } = await s.openTab(server.url(NDTV)));
    const tabId = await s.tabIdOf(page);
    popup = await s.openPopup(tabId);
    await waitForState(popup, "report");
    await s.screenshot(popup, "popup-report");
    await s.screenshot(popup, "popup-report-full", { fullPage: true });
  });

  it("under Other reports: Reuters (000), The Guardian and bne IntelliNews, never the page itself", async () => {
    const same = await texts(popup, '[data-testid="section-same"] [data-testid="same-item"]');
    const why = JSON.stringify(same.map((t) => t.slice(0, 100)));
    expect(
      same.some((t) => t.includes("Reuters") && /four policemen/i.test(t)),
      why,
    ).toBe(true);
    expect(
      same.some((t) => t.includes("The Guardian")),
      why,
    ).toBe(true);
    expect(
      same.some((t) => t.includes("bne IntelliNews")),
      why,
    ).toBe(true);
    expect(
      same.some((t) => t.includes("NDTV")),
      why,
    ).toBe(false);
    expect(
      same.some((t) => /Seven killed in clashes/i.test(t)),
      why,
    ).toBe(false);
  });

  it("under Earlier related incidents: the 2011 Boraldai shootout (Reuters, 4 Dec 2011)", async () => {
    const related = await texts(popup, '[data-testid="section-related"] [data-testid="related-item"]');
    expect(
      related.some((t) => /Seven killed in clashes in Kazakhstan/.test(t) && t.includes("2011")),
      JSON.stringify(related.map((t) => t.slice(0, 100))),
    ).toBe(true);
  });

  it("under Differing figures: the police toll with three and four, not marked as agreeing", async () => {
    const figures = await popupFigures(popup);
    const police = figures.find(
      (f) =>
        /polic/i.test(f.quantity) &&
        f.values.some((v) => /\bthree\b/i.test(v)) &&
        f.values.some((v) => /\bfour\b/i.test(v)),
    );
    expect(police, JSON.stringify(figures)).toBeDefined();
    expect(police?.status).not.toBe("Agree");
  });

  it("highlights the disputed numbers in the page, with a tooltip listing the other values", async () => {
    await page.bringToFront();
    await page.waitForSelector("mark.parallax-mark", { timeout: 30_000 });
    const marked = await marks(page);
    expect(
      marked.some((m) => /\bthree\b/i.test(m)),
      JSON.stringify(marked),
    ).toBe(true);

    let three: ElementHandle<Element> | undefined;
    for (const h of await page.$$("mark.parallax-mark")) {
      if (/\bthree\b/i.test((await h.evaluate((e) => e.textContent)) ?? "")) three = h;
    }
    expect(three).toBeDefined();
    // One tooltip host per figure (role=tooltip, light DOM); its text lives in its closed shadow
    // root, which the page (and so page.evaluate) cannot read: read it through the extension.
    await hoverForTooltip(page, three!);
    const tip = (await shownTooltip(s, await s.tabIdOf(page)))?.text ?? "";
    expect(tip).toMatch(/\bfour\b/i);
    await s.screenshot(page, "page-highlights");
  });

  it("switching highlights off removes every mark and restores the page DOM", async () => {
    // Headless Chromium does not act on clicks in a background tab: bring the popup forward.
    await popup.bringToFront();
    const toggle = await popup.waitForSelector('[data-testid="highlights-switch"]');
    expect(await toggle?.evaluate((e) => (e as HTMLInputElement).checked)).toBe(true);
    await toggle?.click();
    expect(await toggle?.evaluate((e) => (e as HTMLInputElement).checked)).toBe(false);
    await page.waitForFunction(() => document.querySelectorAll("mark.parallax-mark").length === 0, {
      timeout: 15_000,
      polling: 100,
    });
    expect(await page.$('[role="tooltip"]')).toBeNull();
    expect(await bodyHtml(page)).toBe(pristine);

    // And back on: the marks return.
    await toggle?.click();
    await page.waitForSelector("mark.parallax-mark", { timeout: 15_000 });
    expect((await marks(page)).length).toBeGreaterThan(0);
  });

  it("a page with no article shows the no-article state", async () => {
    const { tabId } = await s.openTab(server.url("/no-article.html"));
    const p = await s.openPopup(tabId);
    await waitForState(p, "state-no-article");
    expect(await p.$('[data-testid="report"]')).toBeNull();
    await s.screenshot(p, "popup-no-article");
    await p.close();
  });
});
