/**
 * Feeds end to end, in the built extension in Chromium and Firefox ESR: a local HTTP server
 * (127.0.0.1) serves an RSS feed whose items are three seed pages (Reuters 2016, bne 2016,
 * Reuters 2011) and a feed address that answers 404. The feed is added through the options
 * page (typing the address and clicking "Add feed", which asks for the site's permission in
 * the click), "Check all feeds now" is pressed, and then:
 * - the articles are in the store (store/stats, store/export), extracted from the pages
 *   (the feed has no summaries, so only a working extraction — Chrome's offscreen document,
 *   Firefox's event page — can store them);
 * - an analysis of another served page (NDTV, seed 001) finds them;
 * - the 404 feed shows its plain error in the status;
 * - the server saw no request but the feeds and the pages they link to (and the page the
 *   test itself opened).
 *
 * Host permission: the prompt of permissions.request cannot be clicked in either headless
 * browser, so the test runs a TEST-ONLY copy of the build whose manifest also lists
 * `http://127.0.0.1/*` in host_permissions (granted at install in both browsers for an
 * unpacked / temporary add-on). permissions.request for that origin then resolves true at
 * once, and the real click path of the options page still runs. See tests/e2e/README.md.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSERS, ROOT, launch, pollUntil, testOnlyBuild, type Session } from "./harness.js";

const SEED = path.join(ROOT, "tests/fixtures/seed-pages");
const ITEMS = [
  { file: "000_7ec41403aca26861.html", title: "Suspected Islamist militants kill at least four policemen" },
  { file: "003_2f11906d63638778.html", title: "Kazakh city of Almaty on terror alert" },
  { file: "004_844a32d78c3c6d5d.html", title: "Seven killed in clashes in Kazakhstan" },
];
const NDTV = "001_d11f9d2465d14c55.html";

interface FeedServer {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/** The feed, its article pages, the reading page and a 404 for anything else. */
async function startFeedServer(): Promise<FeedServer> {
  const requests: string[] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(p);
    if (p === "/feed.xml") {
      const items = ITEMS.map(
        (it) =>
          `<item><title>${it.title}</title><link>${origin}/articles/${it.file}</link><guid>${origin}/articles/${it.file}</guid></item>`,
      ).join("");
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local wire</title><link>${origin}/</link>${items}</channel></rss>`,
      );
      return;
    }
    const m = /^\/(articles|pages)\/([0-9a-f_]+\.html)$/.exec(p);
    const file = m?.[2] ? path.join(SEED, m[2]) : null;
    if (file && fs.existsSync(file)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(fs.readFileSync(file));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface FeedRow {
  url: string;
  added: string;
  error: string | null;
  polled: string;
}

async function feedRows(page: Page): Promise<FeedRow[]> {
  return page.$$eval('[data-testid="feed-row"]', (rows) =>
    rows.map((r) => ({
      url: r.getAttribute("data-url") ?? "",
      added: r.querySelector('[data-testid="feed-added"]')?.textContent ?? "",
      error: r.querySelector('[data-testid="feed-error"]')?.textContent ?? null,
      polled: r.querySelector('[data-testid="feed-last-polled"]')?.textContent ?? "",
    })),
  );
}

/** Types a feed address into the options page and clicks "Add feed"; waits for its first check. */
async function addFeed(page: Page, url: string): Promise<FeedRow> {
  // Another extension page (the harness's helper) may be in front: a background tab gets no input.
  await page.bringToFront();
  await page.click('[data-testid="feed-url"]');
  await page.type('[data-testid="feed-url"]', url);
  await page.click('[data-testid="feed-add"]');
  // interval polling: requestAnimationFrame never fires in a background tab
  await pollUntil(
    page,
    (u: string) => {
      const row = document.querySelector(`[data-testid="feed-row"][data-url="${u}"]`);
      const polled = row?.querySelector('[data-testid="feed-last-polled"]')?.textContent;
      return !!polled && polled !== "not yet";
    },
    { polling: 200, timeout: 120_000 },
    url,
  );
  const row = (await feedRows(page)).find((r) => r.url === url);
  if (!row) throw new Error(`no row for ${url}`);
  return row;
}

describe.each(BROWSERS)("Feeds on %s (built extension, local server)", (name) => {
  let server: FeedServer;
  let build: { dir: string; remove(): void };
  let s: Session;
  let options: Page;
  let feedUrl = "";

  beforeAll(async () => {
    server = await startFeedServer();
    feedUrl = `${server.origin}/feed.xml`;
    build = testOnlyBuild(name, "feeds");
    s = await launch(name, { extensionDir: build.dir });
  });

  afterAll(async () => {
    await s?.close();
    await server?.close();
    build?.remove();
  });

  it("adds a feed from the options page; its first check stores the three articles", async () => {
    options = await s.openOptions();
    await options.waitForSelector('[data-testid="feeds-empty"]', { timeout: 30_000 });
    const row = await addFeed(options, feedUrl);
    expect(row.error).toBeNull();
    expect(row.added).toBe("3");
    const stats = await s.sendMessage<{ articles: number; perSource: Record<string, number> }>({
      type: "store/stats",
    });
    expect(stats.articles).toBe(3);
    expect(stats.perSource).toEqual({ "Local wire": 3 });
    const { jsonl } = await s.sendMessage<{ jsonl: string }>({ type: "store/export" });
    const stored = jsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { url: string; title: string; text: string });
    for (const item of ITEMS) {
      const a = stored.find((x) => x.url === `${server.origin}/articles/${item.file}`);
      expect(a, `${item.file} stored`).toBeDefined();
      expect(a?.title).toContain(item.title);
      // Extracted from the page: the feed itself carries no text at all.
      expect(a?.text.length).toBeGreaterThan(500);
    }
    expect(stored.find((x) => x.url.endsWith(ITEMS[0]!.file))?.text).toMatch(/four policemen/);

    // The poll alarm exists with the default interval.
    const alarm = await s.evalInExtension((api) =>
      (
        api as unknown as { alarms: { get(n: string): Promise<{ periodInMinutes?: number } | undefined> } }
      ).alarms.get("feeds/poll"),
    );
    expect(alarm?.periodInMinutes).toBe(30);
    if (name === "chromium") {
      // The offscreen document was used for the run and closed after it.
      const contexts = await s.evalInExtension((api) =>
        (api as unknown as { runtime: { getContexts(f: object): Promise<unknown[]> } }).runtime.getContexts({
          contextTypes: ["OFFSCREEN_DOCUMENT"],
        }),
      );
      expect(contexts).toEqual([]);
    }
  });

  it("a 404 feed shows its plain error in the status", async () => {
    const gone = `${server.origin}/gone.xml`;
    const row = await addFeed(options, gone);
    expect(row.error).toMatch(/not found/i);
    expect(row.added).toBe("0");
    await s.screenshot(options, "options-feeds", { fullPage: true });
  });

  it("'Check all feeds now' reads the feeds again and adds nothing twice", async () => {
    const before = server.requests.length;
    await options.bringToFront();
    await options.click('[data-testid="feed-poll-now"]');
    await pollUntil(
      options,

      () => document.querySelector('[data-testid="feed-notice"]')?.textContent === "Checked every feed.",
      { polling: 200, timeout: 120_000 },
    );
    const since = server.requests.slice(before);
    expect(since.filter((p) => p === "/feed.xml")).toHaveLength(1);
    expect(since.filter((p) => p === "/gone.xml")).toHaveLength(1);
    expect(since.filter((p) => p.startsWith("/articles/"))).toEqual([]);
    const rows = await feedRows(options);
    expect(rows.find((r) => r.url === feedUrl)?.added).toBe("3");
    expect(rows.find((r) => r.url.endsWith("/gone.xml"))?.error).toMatch(/not found/i);
    const stats = await s.sendMessage<{ articles: number }>({ type: "store/stats" });
    expect(stats.articles).toBe(3);
  });

  it("an analysis of another served page finds the feed's articles", async () => {
    const { tabId } = await s.openTab(`${server.origin}/pages/${NDTV}`);
    type Item = { url: string | null; title: string };
    let state: { state: string; report?: { sameEvent: Item[]; related: Item[] } } = { state: "" };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      state = await s.sendMessage({ type: "popup/report", tabId });
      if (state.state === "report") break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(state.state).toBe("report");
    const same = state.report?.sameEvent.map((i) => i.url) ?? [];
    const related = state.report?.related.map((i) => i.url) ?? [];
    const why = JSON.stringify({ same, related });
    expect(same, why).toContain(`${server.origin}/articles/${ITEMS[0]!.file}`);
    expect(same, why).toContain(`${server.origin}/articles/${ITEMS[1]!.file}`);
    expect(same, why).not.toContain(`${server.origin}/articles/${ITEMS[2]!.file}`);
  });

  it("the server saw only the feeds, their article pages and the page the test opened", () => {
    const allowed = new Set([
      "/feed.xml",
      "/gone.xml",
      ...ITEMS.map((i) => `/articles/${i.file}`),
      `/pages/${NDTV}`,
      "/favicon.ico", // the browser's own request for the tab the test opened
    ]);
    expect(server.requests.filter((p) => !allowed.has(p))).toEqual([]);
    for (const item of ITEMS) {
      expect(server.requests.filter((p) => p === `/articles/${item.file}`)).toHaveLength(1);
    }
  });
});
