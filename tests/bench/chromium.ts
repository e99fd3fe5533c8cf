/**
 * The Chromium half of the benchmark, on the BUILT extension (a copy of dist/chrome, so a build
 * running beside it cannot pull the files away): fill IndexedDB with N articles through the
 * extension's own `store/import-jsonl` message in batches, analyse a seed page in a tab, then
 *  - the popup's time from navigation start to `performance.mark("parallax-report-painted")`
 *    over `popupOpens` opens (the tab's analysis already done);
 *  - the service worker's cold start: stop every worker through the DevTools protocol
 *    (ServiceWorker.stopAllWorkers), clear storage.session (where the worker mirrors tab
 *    reports) so it has to analyse again, then time `popup/report` for the tab: the worker
 *    starts, loads the store into a new engine, has the page extracted and answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { distDir, ensureBuilt, launch, startFixtureServer, type Session } from "../e2e/harness.js";
import { generate } from "./corpus.js";
import { dist, now, round, type Dist } from "./stats.js";

export interface ChromiumResult {
  size: number;
  extensionBuiltAt: string;
  import: {
    batches: number;
    batchSize: number;
    imported: number;
    seconds: number;
    perSecond: number | null;
    batchMs: Dist;
  };
  storeCount: number;
  statsMs: number;
  tabAnalysisMs: number;
  popupPaintMs: Dist;
  coldStartMs: Dist;
  warmReportMs: Dist;
  errors: string[];
}

export interface ChromiumOptions {
  size: number;
  popupOpens: number;
  coldStarts?: number;
  batchSize?: number;
  log: (s: string) => void;
}

async function stopWorkers(session: Session): Promise<void> {
  const page = await session.browser.newPage();
  try {
    const cdp = await page.createCDPSession();
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await cdp.detach();
  } finally {
    await page.close();
  }
}

export async function runChromium(opts: ChromiumOptions): Promise<ChromiumResult> {
  const { log } = opts;
  const batchSize = opts.batchSize ?? 500;
  const errors: string[] = [];
  const src = distDir("chromium");
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-bench-ext-"));
  let builtAt: string;
  // Another engineer's build may be rewriting dist/chrome right now: retry the copy.
  for (let attempt = 0; ; attempt++) {
    try {
      ensureBuilt("chromium");
      builtAt = fs.statSync(path.join(src, "manifest.json")).mtime.toISOString();
      fs.rmSync(copy, { recursive: true, force: true });
      fs.cpSync(src, copy, { recursive: true });
      if (fs.existsSync(path.join(copy, "manifest.json"))) break;
    } catch (e) {
      if (attempt >= 10) throw e;
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  const server = await startFixtureServer();
  const session = await launch("chromium", { extensionDir: copy });
  try {
    // ---- fill IndexedDB through the extension's import message -------------------------------
    log(`[chromium ${opts.size}] importing through store/import-jsonl, batches of ${batchSize}`);
    const batchMs: number[] = [];
    let imported = 0;
    let batch: string[] = [];
    const t0 = now();
    const flush = async (): Promise<void> => {
      if (!batch.length) return;
      const b0 = now();
      const res = await session.sendMessage<{ imported: number; rejected: unknown[] }>({
        type: "store/import-jsonl",
        text: batch.join("\n") + "\n",
      });
      batchMs.push(now() - b0);
      imported += res.imported;
      if (res.rejected.length) errors.push(`batch ${batchMs.length}: ${res.rejected.length} rejected`);
      log(`  import: ${imported}/${opts.size} (${((now() - b0) / batch.length).toFixed(2)} ms/article)`);
      batch = [];
    };
    for (const a of generate(opts.size)) {
      batch.push(JSON.stringify(a));
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    const importSeconds = (now() - t0) / 1000;
    // store/stats walks the whole store with a cursor (the options page asks for it on open).
    const s0 = now();
    const stats = await session.sendMessage<{ articles: number }>({ type: "store/stats" });
    const statsMs = now() - s0;

    // ---- the tab being read -------------------------------------------------------------------
    const a0 = now();
    const { tabId } = await session.openTab(server.url("/seed-pages/000_7ec41403aca26861.html"));
    const first = await session.sendMessage<{ state: string }>({ type: "popup/report", tabId });
    const tabAnalysisMs = now() - a0;
    if (first.state !== "report") errors.push(`tab state: ${first.state}`);

    // ---- popup paint -----------------------------------------------------------------------
    const paints: number[] = [];
    for (let i = 0; i < opts.popupOpens; i++) {
      const popup = await session.openPopup(tabId);
      try {
        await popup.waitForFunction(
          () => performance.getEntriesByName("parallax-report-painted").length > 0,
          { timeout: 60_000 },
        );
        paints.push(
          await popup.evaluate(() => performance.getEntriesByName("parallax-report-painted")[0]!.startTime),
        );
      } catch (e) {
        errors.push(`popup open ${i}: ${(e as Error).message}`);
      } finally {
        await popup.close();
      }
    }
    log(`  popup paint: ${JSON.stringify(dist(paints))}`);

    // ---- worker cold start ---------------------------------------------------------------------
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w0 = now();
      await session.sendMessage({ type: "popup/report", tabId });
      warm.push(now() - w0);
    }
    const cold: number[] = [];
    for (let i = 0; i < (opts.coldStarts ?? 3); i++) {
      await stopWorkers(session);
      await session.evalInExtension(async (api) => {
        const s = (api as unknown as { storage: { session: { clear(): Promise<void> } } }).storage.session;
        await s.clear();
      });
      const c0 = now();
      const res = await session.sendMessage<{ state: string }>({ type: "popup/report", tabId });
      cold.push(now() - c0);
      if (res.state !== "report") errors.push(`cold start ${i}: state ${res.state}`);
      log(`  cold start ${i}: ${(now() - c0).toFixed(0)} ms`);
    }
    return {
      size: opts.size,
      extensionBuiltAt: builtAt,
      import: {
        batches: batchMs.length,
        batchSize,
        imported,
        seconds: round(importSeconds)!,
        perSecond: imported ? round(imported / importSeconds, 1) : null,
        batchMs: dist(batchMs),
      },
      storeCount: stats.articles,
      statsMs: round(statsMs)!,
      tabAnalysisMs: round(tabAnalysisMs)!,
      popupPaintMs: dist(paints),
      coldStartMs: dist(cold),
      warmReportMs: dist(warm),
      errors,
    };
  } finally {
    await session.close();
    await server.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
