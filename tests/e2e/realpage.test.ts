/**
 * The built extension in real Chromium and Firefox ESR on a REAL saved news page: the
 * Washington Post's report of the 2015 Bardo museum attack (tests/fixtures/pages/wapo-1,
 * "killing at least 19 people, including 17 foreigners"), against one other report of the
 * same event imported with `store/import-jsonl`. Real IndexedDB, real messaging, no fakes.
 */
import type { ElementHandle, Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSERS,
  launch,
  pollUntil,
  startFixtureServer,
  type FixtureServer,
  type Session,
} from "./harness.js";
import { popupFigures } from "./popup-figures.js";
import { hoverForTooltip, shownTooltip } from "./tooltips.js";

const WAPO = "/pages/wapo-1.html";

/**
 * CONSTRUCTED REPORT, written for this test (not a real outlet's text): another outlet's short
 * report of the same attack, paraphrasing the page's lead, dated the same day, giving an
 * incompatible death toll (exactly 12 where the page says "at least 19"). Every other detail
 * agrees with the page.
 */
const CONSTRUCTED = {
  id: "constructed-bardo-wire",
  url: null,
  source: "Constructed Wire",
  title: "Gunmen kill 12 at Tunisia's Bardo museum",
  byline: "Test fixture",
  published: "2015-03-18",
  text: [
    "Gunmen opened fire on visitors at Tunisia's Bardo National Museum in Tunis on Wednesday, killing 12 people, most of them foreign tourists, officials said.",
    "The attackers, wearing military uniforms, stormed the museum in the afternoon and took hostages before security forces raided the building and ended the siege.",
    "Prime Minister Habib Essid said tourists from Italy, Poland, Germany and Spain were among the dead. The museum stands next to the national parliament.",
  ].join("\n"),
};

/** The disputed figure as the page states it, and the constructed report's value. */
const PAGE_VALUE = /\b19\b/;
const OTHER_VALUE = /\b12\b/;

interface Snapshot {
  text: string;
  html: string;
}

/** The article element's text and markup as the DOM holds them now. */
async function article(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const a = document.querySelector("article");
    return { text: a?.textContent ?? "", html: a?.innerHTML ?? "" };
  });
}

async function marks(page: Page): Promise<string[]> {
  return page.$$eval("mark.parallax-mark", (ms) => ms.map((m) => m.textContent ?? ""));
}

/**
 * Every visible, word-bounded occurrence of `source` (a regex source) in the page's
 * <article>, each with whether its text node sits inside a Parallax mark.
 */
async function occurrences(page: Page, source: string): Promise<{ context: string; marked: boolean }[]> {
  return page.evaluate((src) => {
    const re = new RegExp(src, "g");
    const root = document.querySelector("article");
    const out: { context: string; marked: boolean }[] = [];
    if (!root) return out;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || parent.closest("script, style, noscript, template")) continue;
      // Visible only: what a reader can see (hidden gallery templates are not the article).
      if (parent.getClientRects().length === 0) continue;
      const text = n.nodeValue ?? "";
      for (const m of text.matchAll(re)) {
        out.push({
          context: text.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + 40),
          marked: parent.closest("mark.parallax-mark") !== null,
        });
      }
    }
    return out;
  }, source);
}

describe.each(BROWSERS)("Parallax on %s (built extension, real page wapo-1)", (name) => {
  let server: FixtureServer;
  let s: Session;
  /** The article before any highlight (empty store). */
  let pristine: Snapshot = { text: "", html: "" };

  beforeAll(async () => {
    server = await startFixtureServer();
    s = await launch(name);
  });

  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it("empty store: the real page gets no marks; its article is recorded", async () => {
    const { page } = await s.openTab(server.url(WAPO));
    await page.waitForSelector("article");
    pristine = await article(page);
    expect(pristine.text).toContain("killing at least 19 people");
    // Give the content script time to run; with nothing stored it must mark nothing.
    const stats = await s.sendMessage<{ articles: number }>({ type: "store/stats" });
    expect(stats.articles).toBeLessThanOrEqual(1);
    expect(await marks(page)).toEqual([]);
    await page.close();
  });

  it("imports the constructed report of the same event", async () => {
    const res = await s.sendMessage<{ imported: number; rejected: unknown[] }>({
      type: "store/import-jsonl",
      text: JSON.stringify(CONSTRUCTED) + "\n",
    });
    expect(res.imported).toBe(1);
    expect(res.rejected).toEqual([]);
  });

  let page: Page;
  let popup: Page;

  it("popup: the constructed report under Other reports, the death toll 19 vs 12 under Differing figures", async () => {
    ({ page } = await s.openTab(server.url(WAPO)));
    popup = await s.openPopup(await s.tabIdOf(page));
    await pollUntil(
      popup,
      () => document.querySelector('[data-testid="report"], [data-testid="state-error"]') !== null,
      { timeout: 60_000 },
    );
    expect(await popup.$('[data-testid="state-error"]')).toBeNull();

    const same = await popup.$$eval('[data-testid="section-same"] [data-testid="same-item"]', (els) =>
      els.map((e) => (e.textContent ?? "").replace(/\s+/g, " ").trim()),
    );
    expect(
      same.some((t) => t.includes("Constructed Wire")),
      JSON.stringify(same),
    ).toBe(true);
    expect(
      same.some((t) => t.includes("Washington Post")),
      JSON.stringify(same),
    ).toBe(false);

    const figures = await popupFigures(popup);
    const toll = figures.find(
      (f) => f.values.some((v) => PAGE_VALUE.test(v)) && f.values.some((v) => OTHER_VALUE.test(v)),
    );
    expect(toll, JSON.stringify(figures)).toBeDefined();
    expect(toll?.quantity).toMatch(/kill/i);
    expect(toll?.status).not.toBe("Agree");
    await s.screenshot(popup, "realpage-popup-report");
  });

  it("page: every visible occurrence of the disputed 19 in the article is marked; marks hold only the page's 19", async () => {
    await page.bringToFront();
    await page.waitForSelector("mark.parallax-mark", { timeout: 30_000 });
    const found = await occurrences(page, PAGE_VALUE.source);
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.filter((o) => !o.marked),
      JSON.stringify(found),
    ).toEqual([]);
    const marked = await marks(page);
    expect(marked.length).toBeGreaterThan(0);
    // Each mark holds (part of) the page's own figure, never the other report's value.
    for (const m of marked) expect(m, JSON.stringify(marked)).toMatch(/^(at least )?19$|^at least$|^19$/);
    expect(marked.join(" ")).toMatch(PAGE_VALUE);
  });

  it("tooltip: lists the other value with its outlet and date", async () => {
    let mark: ElementHandle<Element> | undefined;
    for (const h of await page.$$("mark.parallax-mark")) {
      if (PAGE_VALUE.test((await h.evaluate((e) => e.textContent)) ?? "")) mark = h;
    }
    expect(mark).toBeDefined();
    await hoverForTooltip(page, mark!);
    const tip = (await shownTooltip(s, await s.tabIdOf(page)))?.text ?? "";
    expect(tip).toMatch(/Constructed Wire, 18 Mar 2015: .*\b12\b/);
    await s.screenshot(page, "realpage-highlights");
  });

  it("switching highlights off restores the article exactly (text and markup)", async () => {
    await popup.bringToFront();
    const toggle = await popup.waitForSelector('[data-testid="highlights-switch"]');
    expect(await toggle?.evaluate((e) => (e as HTMLInputElement).checked)).toBe(true);
    await toggle?.click();
    await page.waitForFunction(() => document.querySelectorAll("mark.parallax-mark").length === 0, {
      timeout: 15_000,
      polling: 100,
    });
    expect(await page.$('[role="tooltip"]')).toBeNull();
    const after = await article(page);
    expect(after.text).toBe(pristine.text);
    expect(after.html).toBe(pristine.html);

    await toggle?.click();
    await page.waitForSelector("mark.parallax-mark", { timeout: 15_000 });
    expect((await marks(page)).length).toBeGreaterThan(0);
  });
});
