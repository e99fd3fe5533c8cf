/**
 * Faults on the built extension in Chromium and Firefox ESR: the background stopped in the
 * middle of a large import (then the user retries), two tabs analysed at the same time, and a
 * ~10 MB page. Real IndexedDB, real messaging, no fakes.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSERS,
  launch,
  startFixtureServer,
  stopBackground,
  type FixtureServer,
  type Session,
} from "./harness.js";
import type { ImportResult, PopupState } from "../../src/protocol.js";
import type { StoreStats } from "../../src/store/types.js";

const REUTERS = "/seed-pages/000_7ec41403aca26861.html";
const NDTV = "/seed-pages/001_d11f9d2465d14c55.html";

const IMPORT_SIZE = 3000;

const WORDS = (
  "river council harbour minister bridge storm market village festival strike court railway " +
  "election farmer museum school hospital airport factory mayor coast forest valley union"
).split(" ");

/** `n` articles with unique texts, as the JSONL import format (one object a line). */
function generatedJsonl(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length] as string;
    const text =
      `Article number ${i} reports that the ${w(1)} near the ${w(2)} was discussed on day ${i % 28} ` +
      `by ${(i % 90) + 10} residents. The ${w(3)} and the ${w(4)} were mentioned ${i} times, ` +
      `and officials said the ${w(5)} would reopen after ${(i % 12) + 1} weeks. Serial ${i}-${i * 31}.`;
    lines.push(
      JSON.stringify({
        id: `fault-${i}`,
        url: `https://example.org/fault/${i}`,
        source: `Outlet ${i % 5}`,
        title: `Generated report ${i} about the ${w(1)}`,
        published: `2020-01-${String((i % 28) + 1).padStart(2, "0")}`,
        text,
      }),
    );
  }
  return lines.join("\n") + "\n";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** store/stats, retried while the background (re)starts. */
async function stats(s: Session): Promise<StoreStats> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await s.sendMessage<StoreStats>({ type: "store/stats" });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(300);
    }
  }
}

/** popup/report until the state is no longer "analysing". */
async function popupState(s: Session, tabId: number): Promise<PopupState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const st = await s.sendMessage<PopupState>({ type: "popup/report", tabId });
    if (st.state !== "analysing" || Date.now() > deadline) return st;
    await sleep(200);
  }
}

/** A server of our own that generates one ~10 MB article-like page. */
async function startBigPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const para =
    "The committee met again on Tuesday to review the harbour plan, and the minutes record every " +
    "objection raised by residents of the valley in considerable and repetitive detail. ";
  const parts = [
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>A very long page</title></head>",
    "<body><article><h1>A very long page</h1>",
  ];
  let size = 0;
  for (let i = 0; size < 10_000_000; i++) {
    const p = `<p>Paragraph ${i}. ${para}</p>\n`;
    parts.push(p);
    size += p.length;
  }
  parts.push("</article></body></html>");
  const body = parts.join("");
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/big.html")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", connection: "close" });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/big.html`,
    // Drop kept-alive sockets too, or close() waits for the browser to let go of them.
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe.each(BROWSERS)("faults on %s (built extension)", (name) => {
  let server: FixtureServer;
  let s: Session;

  beforeAll(async () => {
    server = await startFixtureServer();
    s = await launch(name);
  });

  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it("background stopped mid-import, then the same import again: every article stored exactly once", async () => {
    const jsonl = generatedJsonl(IMPORT_SIZE);
    expect((await stats(s)).articles).toBe(0);

    // Start the import from an extension page without waiting for its answer.
    await s.evalInExtension((api, text: string) => {
      const g = globalThis as unknown as { __faultImport?: Promise<unknown> };
      g.__faultImport = api.runtime.sendMessage({ type: "store/import-jsonl", text }).catch((e) => e);
      return true;
    }, jsonl);
    // Wait until the import is under way (some articles stored), then stop the background.
    let before = 0;
    const deadline = Date.now() + 30_000;
    while (before === 0 && Date.now() < deadline) {
      await sleep(100);
      before = (await stats(s)).articles;
    }
    expect(before).toBeGreaterThan(0);
    await stopBackground(s);
    const after = (await stats(s)).articles;
    // The stop really cut the import short (otherwise this test would prove nothing).
    expect(after).toBeLessThan(IMPORT_SIZE);

    // The user retries the same file.
    const retry = await s.sendMessage<ImportResult>({ type: "store/import-jsonl", text: jsonl });
    expect(retry.rejected).toEqual([]);
    expect(retry.imported + retry.duplicate).toBe(IMPORT_SIZE);
    expect(retry.duplicate).toBe(after);

    expect((await stats(s)).articles).toBe(IMPORT_SIZE);
    const exported = await s.sendMessage<{ jsonl: string; count: number }>({ type: "store/export" });
    expect(exported.count).toBe(IMPORT_SIZE);
    const rows = exported.jsonl
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string });
    expect(rows.length).toBe(IMPORT_SIZE);
    expect(new Set(rows.map((r) => r.id)).size).toBe(IMPORT_SIZE);
    expect(new Set(rows.map((r) => r.text)).size).toBe(IMPORT_SIZE);
    expect(
      rows.every((r) => !r.id.includes("@")),
      "no article stored as a revision of itself",
    ).toBe(true);
    console.log(`[${name}] import stopped at ${after}/${IMPORT_SIZE}; retry imported ${retry.imported}`);
  }, 90_000);

  it("two tabs analysed at once: each gets its own report and a badge", async () => {
    await s.sendMessage({ type: "store/load-demo" });
    const [a, b] = await Promise.all([s.openTab(server.url(REUTERS)), s.openTab(server.url(NDTV))]);
    const [ra, rb] = await Promise.all([popupState(s, a.tabId), popupState(s, b.tabId)]);
    expect(ra.state, JSON.stringify(ra).slice(0, 300)).toBe("report");
    expect(rb.state, JSON.stringify(rb).slice(0, 300)).toBe("report");
    if (ra.state !== "report" || rb.state !== "report") return;
    const h1 = (p: Page) => p.evaluate(() => (document.querySelector("h1")?.textContent ?? "").trim());
    const [ta, tb] = [await h1(a.page), await h1(b.page)];
    // Each report is about its own tab's article. The Reuters page's text equals the demo's
    // Reuters record, so its report names that stored record (the demo's wording of the title).
    expect(ra.report.article.source).toBe("Reuters");
    expect(ta).toMatch(/at least four policemen and one civilian in Almaty/);
    expect(ra.report.article.title).toMatch(/at least four policemen and one civilian in Almaty/);
    expect(rb.report.article.source).toBe("NDTV");
    expect(rb.report.article.title).toBe(tb);
    // …and lists the other tab's outlet among the other reports, never itself.
    expect(ra.report.sameEvent.map((x) => x.source)).toContain("NDTV");
    expect(ra.report.sameEvent.map((x) => x.id)).not.toContain(ra.report.article.id);
    expect(rb.report.sameEvent.map((x) => x.source)).toContain("Reuters");
    expect(rb.report.sameEvent.map((x) => x.id)).not.toContain(rb.report.article.id);
    const badges = await s.evalInExtension(
      (api, ids: number[]) => {
        const action = (api as unknown as { action: { getBadgeText(d: { tabId: number }): Promise<string> } })
          .action;
        return Promise.all(ids.map((tabId) => action.getBadgeText({ tabId })));
      },
      [a.tabId, b.tabId],
    );
    expect(badges.map(Number), JSON.stringify(badges)).toEqual([expect.any(Number), expect.any(Number)]);
    for (const t of badges) expect(Number(t), JSON.stringify(badges)).toBeGreaterThan(0);
    await a.page.close();
    await b.page.close();
  }, 60_000);

  it("a ~10 MB page stays responsive and the popup shows a clear state", async () => {
    const big = await startBigPageServer();
    try {
      const page = await s.browser.newPage();
      await page.goto(big.url, { waitUntil: "load", timeout: 60_000 });
      // While the content script looks at the page, the page keeps answering.
      const lags: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = Date.now();
        const v = await Promise.race([page.evaluate(() => 1), sleep(2000).then(() => "timeout")]);
        lags.push(Date.now() - t0);
        expect(v, `evaluate #${i} took ${lags[i]} ms`).toBe(1);
        await sleep(200);
      }
      const tabId = await s.tabIdOf(page);
      const popup = await s.openPopup(tabId);
      await popup.waitForSelector(
        '[data-testid="state-no-article"], [data-testid="report"], [data-testid="state-error"]',
        { timeout: 30_000 },
      );
      expect(await popup.$('[data-testid="state-error"]')).toBeNull();
      const state = await popupState(s, tabId);
      expect(["no-article", "report"]).toContain(state.state);
      if (state.state === "no-article") {
        expect(state.reason).toBe("too-large");
        const shown = await popup.$eval('[data-testid="state-no-article"]', (e) => e.textContent ?? "");
        expect(shown).toMatch(/too large/i);
      }
      console.log(`[${name}] 10 MB page: evaluate lags ${lags.join(",")} ms; state ${state.state}`);
      await popup.close();
      await page.close();
    } finally {
      await big.close();
    }
  }, 90_000);
});
