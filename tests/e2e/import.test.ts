/**
 * Import and export of a large JSONL file through the options page of the built extension, in
 * Chromium and Firefox ESR: the file is set on the page's file input (as a reader would choose
 * it), the progress bar advances batch by batch, Cancel stops midway, choosing the same file
 * again offers to resume after the last stored batch, the finished import counts every good
 * line once and lists the malformed ones by their line number in the file; an import cut
 * short by closing the page resumes the same way; the Export button writes every article.
 * Real IndexedDB, real messaging, no fakes.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Page } from "puppeteer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSERS, launch, stopBackground, type Session } from "./harness.js";
import type { ImportResult } from "../../src/protocol.js";
import type { StoreStats } from "../../src/store/types.js";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const LINES = 5000;
/** Malformed lines, by their 1-based number in the file. */
const BAD_LINES = [7, 1234, 2500, 3777, 4999];
/** Lines that repeat an earlier line exactly (duplicates): line → the line it copies. */
const COPIES: Record<number, number> = { 1500: 10, 3001: 2999, 4500: 4400 };
const UNIQUE = LINES - BAD_LINES.length - Object.keys(COPIES).length;

const WORDS = (
  "river council harbour minister bridge storm market village festival strike court railway " +
  "election farmer museum school hospital airport factory mayor coast forest valley union"
).split(" ");

/** The test file: LINES lines, BAD_LINES malformed, COPIES duplicates, every other line a new article. */
function generatedJsonl(): string {
  const lines: string[] = [];
  for (let n = 1; n <= LINES; n++) {
    if (BAD_LINES.includes(n)) {
      lines.push(n % 2 ? `{"id": "cut-off-${n}", "text": "the line ends` : `not JSON, line ${n}`);
      continue;
    }
    const copy = COPIES[n];
    if (copy !== undefined) {
      lines.push(lines[copy - 1] as string);
      continue;
    }
    const w = (k: number) => WORDS[(n * 7 + k * 13) % WORDS.length] as string;
    lines.push(
      JSON.stringify({
        id: `imp-${n}`,
        url: `https://example.org/imp/${n}`,
        source: `Outlet ${n % 6}`,
        title: `Report ${n} about the ${w(1)}`,
        published: `2021-03-${String((n % 28) + 1).padStart(2, "0")}`,
        text:
          `Report number ${n} says the ${w(1)} near the ${w(2)} was discussed on day ${n % 28} by ` +
          `${(n % 90) + 10} residents. The ${w(3)} and the ${w(4)} came up ${n} times, and officials ` +
          `said the ${w(5)} would reopen after ${(n % 12) + 1} weeks. Serial ${n}-${n * 37}.`,
      }),
    );
  }
  return lines.join("\n") + "\n";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Shown {
  value: number;
  max: number;
  text: string;
}

/** The progress bar and its line of counts, or null when no import is running. */
async function progressShown(page: Page): Promise<Shown | null> {
  return page.evaluate(() => {
    const bar = document.querySelector<HTMLProgressElement>('[data-testid="import-progress"]');
    if (!bar) return null;
    const text = document.querySelector('[data-testid="import-progress-text"]')?.textContent ?? "";
    return { value: bar.value, max: bar.max, text };
  });
}

/** Polls the progress bar until `until` holds; returns every distinct reading seen. */
async function watchProgress(
  page: Page,
  until: (p: Shown) => boolean,
  timeoutMs = 120_000,
): Promise<Shown[]> {
  const seen: Shown[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await progressShown(page);
    if (p && (seen.length === 0 || seen[seen.length - 1]?.value !== p.value)) seen.push(p);
    if (p && until(p)) return seen;
    if (Date.now() > deadline) throw new Error(`progress never got there: ${JSON.stringify(seen.slice(-3))}`);
    await sleep(50);
  }
}

/** Polls `fn` in the page until it returns true (waitForFunction builds a Function, which Firefox's extension CSP refuses). */
async function waitInPage<A extends string | number>(
  page: Page,
  fn: (arg: A) => boolean,
  arg: A,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(fn as (a: string | number) => boolean, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${fn.toString().slice(0, 120)}`);
    await sleep(100);
  }
}

async function stats(s: Session): Promise<StoreStats> {
  return s.sendMessage<StoreStats>({ type: "store/stats" });
}

async function chooseFile(page: Page, file: string): Promise<void> {
  const input = await page.waitForSelector('[data-testid="import-file"]:not([disabled])', {
    timeout: 30_000,
  });
  if (!input) throw new Error("no file input");
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
}

async function text(page: Page, testid: string, timeout = 120_000): Promise<string> {
  // An import that stopped shows why instead of its result: fail with that, not a timeout.
  const el = await page.waitForSelector(`[data-testid="${testid}"], [data-testid="import-failed"]`, {
    timeout,
  });
  const [id, content] =
    (await el?.evaluate((e) => [e.getAttribute("data-testid"), e.textContent ?? ""])) ?? [];
  if (id !== testid) throw new Error(`waiting for ${testid}, the page says: ${content}`);
  return content ?? "";
}

async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(`typeof globalThis.axe === "object"`);
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  return (await page.evaluate(`(async () => {
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => v.id + " (" + v.impact + "): " + v.nodes.map((n) => JSON.stringify(n.target)).join(" "));
  })()`)) as string[];
}

describe.each(BROWSERS)("import and export on the options page, %s (built extension)", (name) => {
  let s: Session;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-import-e2e-"));
    file = path.join(dir, "coverage-5000.jsonl");
    fs.writeFileSync(file, generatedJsonl());
    s = await launch(name);
  });

  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("progress bar, Cancel midway, then the same file resumes: every good line once, bad lines by number", async () => {
    expect((await stats(s)).articles).toBe(0);
    const options = await s.openOptions();
    await options.bringToFront();
    await chooseFile(options, file);

    // The bar advances batch by batch; the options page stays at 0 axe violations while it does.
    const early = await watchProgress(options, (p) => p.value > 0);
    expect(early.at(-1)?.max).toBe(LINES);
    expect(await axeViolations(options)).toEqual([]);
    const seen = await watchProgress(options, (p) => p.value >= 1500);
    await options.click('[data-testid="import-cancel"]');
    const cancelled = await text(options, "import-cancelled");
    const values = [...early, ...seen].map((p) => p.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values.filter((v) => v > 0 && v < LINES)).size).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)?.text).toMatch(new RegExp(`^Line ${seen.at(-1)?.value} of ${LINES}: imported \\d+`));

    // Stopped after the batch in flight: a whole number of batches, short of the end.
    const m = /after line (\d+) of 5000: (\d+) articles imported so far.*resume from line (\d+)/.exec(
      cancelled,
    );
    expect(m, cancelled).not.toBeNull();
    const stoppedAt = Number(m?.[1]);
    const importedBefore = Number(m?.[2]);
    expect(stoppedAt % 500).toBe(0);
    expect(stoppedAt).toBeGreaterThanOrEqual(1500);
    expect(stoppedAt).toBeLessThan(LINES);
    expect(Number(m?.[3])).toBe(stoppedAt + 1);
    const storedBefore = (await stats(s)).articles;
    expect(storedBefore).toBe(importedBefore);
    expect(storedBefore).toBeLessThan(UNIQUE);

    // The same file again: offered to resume after the last stored line.
    await chooseFile(options, file);
    const offer = await text(options, "import-resume-offer");
    expect(offer).toContain(`up to line ${stoppedAt} of ${LINES}`);
    await options.click('[data-testid="import-resume"]');
    const result = await text(options, "import-result");
    expect(await text(options, "import-resumed")).toContain(`Resumed from line ${stoppedAt + 1}`);
    expect(result).toContain(
      `Imported ${UNIQUE}, duplicates ${Object.keys(COPIES).length}, rejected ${BAD_LINES.length}`,
    );
    const rejected = await options.$$eval('[data-testid="import-rejected"] li', (lis) =>
      lis.map((li) => li.textContent ?? ""),
    );
    expect(rejected.map((r) => Number(/^line (\d+):/.exec(r)?.[1]))).toEqual(BAD_LINES);
    expect((await stats(s)).articles).toBe(UNIQUE);
    await waitInPage(
      options,
      (n: number) => document.querySelector('[data-testid="stats-count"]')?.textContent === String(n),
      UNIQUE,
    );
    expect(await axeViolations(options)).toEqual([]);
    await s.screenshot(options, "import-done", { fullPage: true, docs: false });
    await options.close();
    console.log(
      `[${name}] cancelled after line ${stoppedAt} (${importedBefore} imported), resumed to ${UNIQUE}`,
    );
  }, 300_000);

  it("Export writes every stored article: as many lines as articles, and they import back as duplicates", async () => {
    const options = await s.openOptions();
    await options.bringToFront();
    await options.waitForSelector('[data-testid="stats-count"]', { timeout: 30_000 });
    // Keep the Blob the page builds for the download, to read it back.
    await options.evaluate(() => {
      const g = window as unknown as { __exports: Blob[] };
      g.__exports = [];
      const create = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob | MediaSource) => {
        if (b instanceof Blob) g.__exports.push(b);
        return create(b);
      };
    });
    await options.click('[data-testid="export"]');
    expect(await text(options, "export-status", 60_000)).toMatch(/^Export/);
    await waitInPage(
      options,
      (prefix: string) =>
        (document.querySelector('[data-testid="export-status"]')?.textContent ?? "").startsWith(prefix),
      "Exported",
    );
    expect(await text(options, "export-status")).toBe(`Exported ${UNIQUE} articles.`);
    const exported = await options.evaluate(async () => {
      const blobs = (window as unknown as { __exports: Blob[] }).__exports;
      return blobs.length === 1 ? await (blobs[0] as Blob).text() : `blobs: ${blobs.length}`;
    });
    const lines = exported.split("\n").filter(Boolean);
    expect(lines).toHaveLength(UNIQUE);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    expect(ids.size).toBe(UNIQUE);
    const again = await s.sendMessage<ImportResult>({ type: "store/import-jsonl", text: exported });
    expect(again).toEqual({ imported: 0, duplicate: UNIQUE, rejected: [] });
    await options.close();
  }, 180_000);

  it("the options page closed mid-import: reopened, the same file resumes and nothing is stored twice", async () => {
    await s.sendMessage({ type: "store/clear" });
    expect((await stats(s)).articles).toBe(0);
    const first = await s.openOptions();
    await first.bringToFront();
    await chooseFile(first, file);
    await watchProgress(first, (p) => p.value >= 1000);
    await first.close();
    // The batch in flight when the page closed may still be stored by the background.
    await sleep(2000);
    const storedBefore = (await stats(s)).articles;
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(UNIQUE);

    const again = await s.openOptions();
    await again.bringToFront();
    await chooseFile(again, file);
    const offer = await text(again, "import-resume-offer");
    const at = Number(/up to line (\d+)/.exec(offer)?.[1]);
    expect(at).toBeGreaterThanOrEqual(1000);
    await again.click('[data-testid="import-resume"]');
    const result = await text(again, "import-result");
    expect(result).toContain(`rejected ${BAD_LINES.length}`);
    expect((await stats(s)).articles).toBe(UNIQUE);
    const exported = await s.sendMessage<{ jsonl: string; count: number }>({ type: "store/export" });
    expect(exported.count).toBe(UNIQUE);
    expect(new Set(exported.jsonl.split("\n").filter(Boolean)).size).toBe(UNIQUE);
    await again.close();
    console.log(`[${name}] page closed at ${storedBefore} stored; resumed after line ${at}`);
  }, 300_000);

  it("the background stopped mid-import: the page sends the batch again and finishes, every article once", async () => {
    await s.sendMessage({ type: "store/clear" });
    const options = await s.openOptions();
    await options.bringToFront();
    await chooseFile(options, file);
    await watchProgress(options, (p) => p.value >= 1000);
    await stopBackground(s);
    const result = await text(options, "import-result", 180_000);
    expect(await options.$('[data-testid="import-failed"]')).toBeNull();
    expect(result).toContain(`rejected ${BAD_LINES.length}`);
    const counts = /Imported (\d+), duplicates (\d+)/.exec(result);
    // Every good line counted once as imported or duplicate (a resent batch's stored lines are duplicates).
    expect(Number(counts?.[1]) + Number(counts?.[2])).toBe(LINES - BAD_LINES.length);
    expect((await stats(s)).articles).toBe(UNIQUE);
    const rejected = await options.$$eval('[data-testid="import-rejected"] li', (lis) =>
      lis.map((li) => li.textContent ?? ""),
    );
    expect(rejected.map((r) => Number(/^line (\d+):/.exec(r)?.[1]))).toEqual(BAD_LINES);
    await options.close();
    console.log(`[${name}] background stopped mid-import: ${counts?.[0]}`);
  }, 300_000);
});
