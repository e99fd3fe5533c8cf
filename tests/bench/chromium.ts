/**
 * The Chromium half of the benchmark, on the BUILT extension (a copy of dist/chrome, so a build
 * running beside it cannot pull the files away). Fill IndexedDB with N articles, either
 *  - `import`: through the extension's own `store/import-jsonl` message in batches (the real
 *    path: store, features, index saved by the worker) — slow: every article's features are
 *    computed in the worker; or
 *  - `seed` (test-only, the default above 2,000 articles): the articles and a persisted index
 *    written straight into the extension's IndexedDB from an extension page. The index is the
 *    engine's own export (`Matcher.exportIndex`) computed in Node from the same articles, in the
 *    layout the worker writes (schema v3: "articles", "index" chunks, meta "index"). With
 *    `unique` < N the store holds copies of `unique` generated texts under distinct ids and URLs
 *    (features computed once per text): the index has N entries and real posting-list lengths,
 *    but analysis results are degenerate (a query's copies are its closest reports); cold start,
 *    heap and popup figures are what such a seed is for.
 * Then it analyses a seed page in a tab and measures
 *  - the service worker's cold start: stop every worker through the DevTools protocol
 *    (ServiceWorker.stopAllWorkers), clear storage.session (where the worker mirrors tab
 *    reports) so it has to analyse again, then time `popup/report` for the tab: the worker
 *    starts, opens IndexedDB, imports the index, has the page extracted and answers. The
 *    worker's own account of the load (`parallax.engineLoad()`) splits it;
 *  - the worker's JS heap (CDP Runtime.getHeapUsage on the worker target, after a GC);
 *  - the popup's time from navigation start to `performance.mark("parallax-report-painted")`
 *    over `popupOpens` opens (the tab's analysis already done).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CDPSession } from "puppeteer";
import { normalizeArticle } from "../../src/engine/article.js";
import { articleFeatures, Matcher } from "../../src/engine/judge/index.js";
import type { Article } from "../../src/engine/types.js";
import {
  distDir,
  ensureBuilt,
  launch,
  readManifest,
  startFixtureServer,
  setViewport,
  stopBackground,
  type Session,
} from "../e2e/harness.js";
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
  fill: "import" | "seed";
  seed: SeedResult | null;
  storeCount: number;
  /** IndexedDB articles.count() from an extension page, ms. */
  countMs: number;
  /** store/stats, first call: a seeded store has no kept per-outlet figures, so this counts them once. */
  statsMs: number;
  /** store/stats again: from the figures kept in meta (no article read). */
  statsKeptMs: number;
  tabAnalysisMs: number;
  popupPaintMs: Dist;
  /** Navigation start → popup script started / DOMContentLoaded / popup/report answered (marks). */
  popupPhasesMs: {
    scriptStarted: Dist;
    domContentLoaded: Dist;
    reportReceived: Dist;
    /** The first render returned: the DOM holds the first view (the report, when it came in time). */
    rendered: Dist;
    firstContentfulPaint: Dist;
  };
  /** The `compare` build's popup, timed interleaved with this one's (same phases), or null. */
  compare: { dist: string; paintMs: Dist; phasesMs: Record<string, Dist> } | null;
  /**
   * The floor under the popup: a blank test-only extension page (written into the bench's copy of
   * the build, never shipped) opened the same way, navigation start → its first script (a classic
   * script in <head>, as the popup's), → one line of text painted (set at DOMContentLoaded, the
   * mark after the next frame as the popup's: requestAnimationFrame then a task), and → the
   * browser's first contentful paint.
   */
  floorMs: {
    scriptStarted: Dist;
    painted: Dist;
    firstContentfulPaint: Dist;
    /** The same blank page with the popup's first script (its request), one line painted on the answer. */
    withRequest: { scriptStarted: Dist; reportReceived: Dist; painted: Dist; firstContentfulPaint: Dist };
  };
  coldStartMs: Dist;
  /** The worker's account of the last cold start's engine load (parallax.engineLoad()). */
  coldLoads: unknown[];
  warmReportMs: Dist;
  /** Worker heap after a GC, MB (CDP Runtime.getHeapUsage): after a cold start + one analysis. */
  workerHeapMB: WorkerHeap | null;
  errors: string[];
}

export interface WorkerHeap {
  /** JS heap in use. */
  used: number;
  total: number;
  /** ArrayBuffer backing stores (the index's typed arrays), outside `used`. */
  arrayBuffers: number | null;
  embedder: number | null;
}

export interface SeedResult {
  unique: number;
  featuresSeconds: number;
  writeSeconds: number;
  indexBytes: number;
  chunks: number;
}

export interface ChromiumOptions {
  size: number;
  popupOpens: number;
  coldStarts?: number;
  batchSize?: number;
  /** How to fill the store (default: import up to 2,000 articles, seed above). */
  fill?: "import" | "seed";
  /** Seed: distinct texts (default: all N). */
  unique?: number;
  /** A built extension to time instead of this tree's dist/chrome (e.g. another branch's build). */
  dist?: string | undefined;
  /**
   * Another build whose popup is timed too, interleaved with this one's in the same browser and
   * against the same worker (its files copied under `bench-compare/` of the test copy): a
   * before/after under a load that comes and goes.
   */
  compare?: string | undefined;
  log: (s: string) => void;
}

const SEED_NOW = new Date("2026-11-24T00:00:00Z");

/** The service worker's DevTools session (for its heap). */
async function workerCdp(session: Session): Promise<CDPSession> {
  const target = await session.browser.waitForTarget(
    (t) => t.type() === "service_worker" && t.url().startsWith(session.baseUrl),
    { timeout: 30_000 },
  );
  return target.createCDPSession();
}

async function workerHeap(session: Session): Promise<WorkerHeap> {
  const cdp = await workerCdp(session);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const h = (await cdp.send("Runtime.getHeapUsage")) as {
      usedSize: number;
      totalSize: number;
      backingStorageSize?: number;
      embedderHeapUsedSize?: number;
    };
    const mb = (n: number | undefined): number | null => (n === undefined ? null : round(n / 1048576, 1)!);
    // Typed arrays' bytes live outside the JS heap (usedSize): backingStorageSize counts them.
    return {
      used: mb(h.usedSize)!,
      total: mb(h.totalSize)!,
      arrayBuffers: mb(h.backingStorageSize),
      embedder: mb(h.embedderHeapUsedSize),
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Test-only fill: writes the articles and the engine's persisted index straight into the
 * extension's IndexedDB from an extension page (same origin as the worker).
 */
async function seed(
  session: Session,
  size: number,
  unique: number,
  log: (s: string) => void,
): Promise<SeedResult> {
  // The worker opens (and migrates) the database; the page then writes into its stores.
  await session.sendMessage({ type: "store/stats" });
  const put = (records: Article[]): Promise<void> =>
    session.evalInExtension(async (_api, recs: Article[]) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open("parallax");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction("articles", "readwrite");
      for (const a of recs) tx.objectStore("articles").put(a);
      await new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, records);
  const matcher = new Matcher();
  const originals: Article[] = [];
  let featuresMs = 0;
  const w0 = now();
  let batch: Article[] = [];

  const features = new Map<string, ReturnType<typeof articleFeatures>>();
  for (const input of generate(unique)) {
    const a = normalizeArticle(input, SEED_NOW);
    originals.push(a);
    const f0 = now();
    features.set(a.id, articleFeatures(a));
    featuresMs += now() - f0;
    if (originals.length % 1000 === 0) log(`  seed: features ${originals.length}/${unique}`);
  }
  for (let i = 0; i < size; i++) {
    const o = originals[i % unique]!;
    const k = Math.floor(i / unique);
    const a: Article = k === 0 ? o : { ...o, id: `${o.id}~${k}`, url: o.url ? `${o.url}?copy=${k}` : null };
    const f = features.get(o.id)!;
    const f0 = now();
    matcher.addFeatures(k === 0 ? f : { ...f, id: a.id, url: a.url });
    featuresMs += now() - f0;
    batch.push(a);
    if (batch.length >= 1000) {
      await put(batch);
      batch = [];
      if ((i + 1) % 10000 === 0) log(`  seed: ${i + 1}/${size} articles written`);
    }
  }
  if (batch.length) await put(batch);
  const snapshot = matcher.exportIndex();
  let indexBytes = 0;
  for (const c of snapshot.chunks) {
    indexBytes += c.bytes.byteLength;
    await session.evalInExtension(
      async (_api, key: string, b64: string) => {
        const bin = atob(b64);
        const bytes = new Uint8Array(bin.length);
        for (let j = 0; j < bin.length; j++) bytes[j] = bin.charCodeAt(j);
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open("parallax");
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction("index", "readwrite");
        tx.objectStore("index").put(bytes.buffer, key);
        await new Promise((res, rej) => {
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
      },
      c.key,
      Buffer.from(c.bytes).toString("base64"),
    );
  }
  const meta = {
    version: snapshot.version,
    count: snapshot.count,
    generation: snapshot.generation,
    keys: snapshot.keys,
    rebuildAfter: null,
  };
  await session.evalInExtension(async (_api, m: unknown) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("parallax");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction("meta", "readwrite");
    tx.objectStore("meta").put(m, "index");
    tx.objectStore("meta").put((m as { count: number }).count, "articleCount");
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, meta);
  const writeSeconds = (now() - w0 - featuresMs) / 1000;
  log(
    `  seed: ${size} articles (${unique} distinct texts), index ${(indexBytes / 1048576).toFixed(1)} MB in ${snapshot.chunks.length} chunks`,
  );
  return {
    unique,
    featuresSeconds: round(featuresMs / 1000)!,
    writeSeconds: round(writeSeconds)!,
    indexBytes,
    chunks: snapshot.chunks.length,
  };
}

/** Test-only pages the popup's floor is measured on (see `floorMs`), in the bench's copy. Never shipped. */
const FLOOR_PAGE = "bench-floor/blank.html";
const FLOOR_REQUEST_PAGE = "bench-floor/request.html";

function writeFloorPages(dir: string): void {
  fs.mkdirSync(path.join(dir, "bench-floor"), { recursive: true });
  const page = (scripts: string[]): string =>
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n<title>floor</title>\n' +
    scripts.map((src) => `<script src="${src}"></script>\n`).join("") +
    '</head>\n<body>\n<p id="x"></p>\n</body>\n</html>\n';
  fs.writeFileSync(path.join(dir, FLOOR_PAGE), page(["blank.js"]));
  // The popup's request for the report (what popup/early.ts does), then one line painted on the answer.
  fs.writeFileSync(path.join(dir, FLOOR_REQUEST_PAGE), page(["request.js"]));
  const paint = [
    '  document.getElementById("x").textContent = "Parallax";',
    '  requestAnimationFrame(() => setTimeout(() => performance.mark("floor-painted")));',
  ];
  fs.writeFileSync(
    path.join(dir, "bench-floor/blank.js"),
    [
      'performance.mark("floor-script");',
      'document.addEventListener("DOMContentLoaded", () => {',
      ...paint,
      "});",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "bench-floor/request.js"),
    [
      'performance.mark("parallax-popup-script");',
      'const tabId = Number(new URLSearchParams(location.search).get("tabId"));',
      'const report = chrome.runtime.sendMessage({ type: "popup/report", tabId }).then((answer) => {',
      '  performance.mark("parallax-report-received");',
      "  return answer;",
      "});",
      'const ready = new Promise((r) => document.addEventListener("DOMContentLoaded", r));',
      "Promise.all([report, ready]).then(() => {",
      ...paint,
      "});",
      "",
    ].join("\n"),
  );
}

/**
 * Test-only: another build's files under `bench-compare/` of the test copy, its popup page's
 * root-relative references (`/popup/popup.js`, `/style.css`, …) pointed there. Chunks import each
 * other by relative paths, and `popup/report` reaches the same worker: only the popup differs.
 */
function copyCompared(other: string, dir: string): void {
  const to = path.join(dir, "bench-compare");
  fs.cpSync(other, to, { recursive: true });
  const page = path.join(to, readManifest(other).action?.default_popup ?? "popup/popup.html");
  fs.writeFileSync(
    page,
    fs.readFileSync(page, "utf8").replace(/(src|href)="\/(?!\/)/g, '$1="/bench-compare/'),
  );
}

interface OpenVariant {
  url: string;
  doneMark: string;
  /** Result key → mark name. */
  marks: Record<string, string>;
}

/**
 * Opens each variant `opens` times, interleaved (a load that comes and goes weighs on all alike),
 * in a new tab at popup size as `Session.openPopup` does; per variant, per key, the marks' start
 * times, plus DOMContentLoaded and the browser's first contentful paint.
 */
async function timeOpens(
  session: Session,
  variants: OpenVariant[],
  opens: number,
  errors: string[],
): Promise<Record<string, number[]>[]> {
  const out = variants.map((v) => {
    const o: Record<string, number[]> = { fcp: [], domContentLoaded: [] };
    for (const k of Object.keys(v.marks)) o[k] = [];
    return o;
  });
  for (let i = 0; i < opens; i++) {
    for (const [j, v] of variants.entries()) {
      const page = await session.browser.newPage();
      try {
        await setViewport(page, { width: 420, height: 640 });
        await page.goto(v.url, { waitUntil: "load" });
        await page.waitForFunction(
          (m: string) => performance.getEntriesByName(m).length > 0,
          { timeout: 60_000 },
          v.doneMark,
        );
        // The first contentful paint is reported once the frame is presented: wait a moment for it.
        await page
          .waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, {
            timeout: 1000,
          })
          .catch(() => undefined);
        // A string: tsx would wrap a named inner function in a helper the page does not have.
        const t = (await page.evaluate(`(() => {
          const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
          const nav = performance.getEntriesByType("navigation")[0];
          const out = {
            fcp: at("first-contentful-paint"),
            domContentLoaded: nav ? nav.domContentLoadedEventEnd : NaN,
          };
          for (const [k, m] of Object.entries(${JSON.stringify(v.marks)})) out[k] = at(m);
          return out;
        })()`)) as Record<string, number>;
        for (const k of Object.keys(out[j]!)) out[j]![k]!.push(t[k]!);
      } catch (e) {
        errors.push(`${v.url} open ${i}: ${(e as Error).message}`);
      } finally {
        await page.close();
      }
    }
  }
  return out;
}

const finite = (xs: number[] | undefined): Dist => dist((xs ?? []).filter(Number.isFinite));

export async function runChromium(opts: ChromiumOptions): Promise<ChromiumResult> {
  const { log } = opts;
  const batchSize = opts.batchSize ?? 500;
  const errors: string[] = [];
  const src = opts.dist ?? distDir("chromium");
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-bench-ext-"));
  let builtAt: string;
  // Another engineer's build may be rewriting dist/chrome right now: retry the copy.
  for (let attempt = 0; ; attempt++) {
    try {
      if (!opts.dist) ensureBuilt("chromium");
      builtAt = fs.statSync(path.join(src, "manifest.json")).mtime.toISOString();
      fs.rmSync(copy, { recursive: true, force: true });
      fs.cpSync(src, copy, { recursive: true });
      if (fs.existsSync(path.join(copy, "manifest.json"))) break;
    } catch (e) {
      if (attempt >= 10) throw e;
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  writeFloorPages(copy);
  if (opts.compare) copyCompared(opts.compare, copy);
  const server = await startFixtureServer();
  const session = await launch("chromium", { extensionDir: copy });
  const fill = opts.fill ?? (opts.size > 2000 ? "seed" : "import");
  try {
    const batchMs: number[] = [];
    let imported = 0;
    let batch: string[] = [];
    const t0 = now();
    let seeded: SeedResult | null = null;
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
    if (fill === "import") {
      // ---- fill IndexedDB through the extension's import message -----------------------------
      log(`[chromium ${opts.size}] importing through store/import-jsonl, batches of ${batchSize}`);
      for (const a of generate(opts.size)) {
        batch.push(JSON.stringify(a));
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      // The worker saves its index a moment (2 s) after the last add. (Attaching DevTools to the
      // worker to save it now would leave the next worker started paused for the debugger.)
      await new Promise((r) => setTimeout(r, 5000));
    } else {
      log(`[chromium ${opts.size}] seeding IndexedDB directly (test-only path)`);
      seeded = await seed(session, opts.size, Math.min(opts.size, opts.unique ?? opts.size), log);
      imported = opts.size;
    }
    const importSeconds = (now() - t0) / 1000;
    // store/stats (the options page asks for it on open): per-outlet figures kept in meta.
    const s0 = now();
    const stats = await session.sendMessage<{ articles: number }>({ type: "store/stats" });
    const statsMs = now() - s0;
    const k0 = now();
    await session.sendMessage({ type: "store/stats" });
    const statsKeptMs = now() - k0;
    log(`  store/stats: ${statsMs.toFixed(1)} ms first (counted once), ${statsKeptMs.toFixed(1)} ms kept`);

    // IndexedDB count() from an extension page (the popup's handler asks for it on every open).
    const countMs = await session.evalInExtension(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open("parallax");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const t0 = performance.now();
      await new Promise((res) => {
        db.transaction("articles").objectStore("articles").count().onsuccess = res;
      });
      const ms = performance.now() - t0;
      db.close();
      return ms;
    });
    log(`  IndexedDB articles.count(): ${countMs.toFixed(1)} ms`);

    // ---- the tab being read -------------------------------------------------------------------
    const a0 = now();
    const { tabId } = await session.openTab(server.url("/seed-pages/000_7ec41403aca26861.html"));
    const first = await session.sendMessage<{ state: string }>({ type: "popup/report", tabId });
    const tabAnalysisMs = now() - a0;
    if (first.state !== "report") errors.push(`tab state: ${first.state}`);

    // ---- popup paint, and the floor under it (blank extension pages opened the same way) ----------
    const popupPath = readManifest(copy).action?.default_popup ?? "popup/popup.html";
    const popupMarks = {
      painted: "parallax-report-painted",
      script: "parallax-popup-script",
      received: "parallax-report-received",
      rendered: "parallax-popup-rendered",
    };
    const [popupRaw, floorRaw, requestRaw, compareRaw] = await timeOpens(
      session,
      [
        {
          url: `${session.baseUrl}${popupPath}?tabId=${tabId}`,
          doneMark: "parallax-report-painted",
          marks: popupMarks,
        },
        {
          url: `${session.baseUrl}${FLOOR_PAGE}`,
          doneMark: "floor-painted",
          marks: { script: "floor-script", painted: "floor-painted" },
        },
        {
          url: `${session.baseUrl}${FLOOR_REQUEST_PAGE}?tabId=${tabId}`,
          doneMark: "floor-painted",
          marks: {
            script: "parallax-popup-script",
            received: "parallax-report-received",
            painted: "floor-painted",
          },
        },
        ...(opts.compare
          ? [
              {
                url: `${session.baseUrl}bench-compare/${popupPath}?tabId=${tabId}`,
                doneMark: "parallax-report-painted",
                marks: popupMarks,
              },
            ]
          : []),
      ],
      opts.popupOpens,
      errors,
    );
    const floorMs = {
      scriptStarted: finite(floorRaw!.script),
      painted: finite(floorRaw!.painted),
      firstContentfulPaint: finite(floorRaw!.fcp),
      withRequest: {
        scriptStarted: finite(requestRaw!.script),
        reportReceived: finite(requestRaw!.received),
        painted: finite(requestRaw!.painted),
        firstContentfulPaint: finite(requestRaw!.fcp),
      },
    };
    log(`  floor (blank extension page): ${JSON.stringify(floorMs)}`);
    const paints = popupRaw!.painted!;
    log(`  popup paint: ${JSON.stringify(dist(paints))}`);
    const popupPhasesMs = {
      scriptStarted: finite(popupRaw!.script),
      domContentLoaded: finite(popupRaw!.domContentLoaded),
      reportReceived: finite(popupRaw!.received),
      rendered: finite(popupRaw!.rendered),
      firstContentfulPaint: finite(popupRaw!.fcp),
    };
    log(`  popup phases (from navigation start): ${JSON.stringify(popupPhasesMs)}`);
    const compare =
      opts.compare && compareRaw
        ? {
            dist: opts.compare,
            paintMs: finite(compareRaw.painted),
            phasesMs: {
              scriptStarted: finite(compareRaw.script),
              domContentLoaded: finite(compareRaw.domContentLoaded),
              reportReceived: finite(compareRaw.received),
              rendered: finite(compareRaw.rendered),
              firstContentfulPaint: finite(compareRaw.fcp),
            },
          }
        : null;
    if (compare) log(`  compared build's popup: ${JSON.stringify(compare)}`);

    // ---- worker cold start ---------------------------------------------------------------------
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w0 = now();
      await session.sendMessage({ type: "popup/report", tabId });
      warm.push(now() - w0);
    }
    const cold: number[] = [];
    const coldLoads: unknown[] = [];
    let workerHeapMB: ChromiumResult["workerHeapMB"] = null;
    // The worker saves its index 2 s after the last change (the tab's capture above): wait for
    // that, as a worker living its usual 30 s after an event would, so the cold starts below find
    // an empty journal (with entries pending, a start reads every index chunk before replaying).
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < (opts.coldStarts ?? 3); i++) {
      await stopBackground(session);
      log(`  cold start ${i}: workers stopped`);
      await session.evalInExtension(async (api) => {
        const s = (api as unknown as { storage: { session: { clear(): Promise<void> } } }).storage.session;
        await s.clear();
      });
      const c0 = now();
      const res = await session.sendMessage<{ state: string }>({ type: "popup/report", tabId });
      cold.push(now() - c0);
      log(`  cold start ${i}: answered ${res.state} in ${(now() - c0).toFixed(0)} ms`);
      if (res.state !== "report") errors.push(`cold start ${i}: state ${res.state}`);
    }
    // DevTools attaches to the worker only now: a worker started while it is attached waits for
    // the debugger. So the worker's own account and its heap are of the last cold start.
    try {
      const load = await session.evalInBackground((bg) =>
        (bg as { parallax: { engineLoad(): unknown } }).parallax.engineLoad(),
      );
      log(`  last cold start, worker load: ${JSON.stringify(load)}`);
      // The records a cold start left out are read in the background: the heap once they are.
      let filled = load as { filledMs?: number | null };
      for (let t = 0; t < 120 && filled.filledMs === null; t++) {
        await new Promise((r) => setTimeout(r, 250));
        filled = (await session.evalInBackground((bg) =>
          (bg as { parallax: { engineLoad(): unknown } }).parallax.engineLoad(),
        )) as typeof filled;
      }
      coldLoads.push(filled);
      log(`  every record read ${filled.filledMs?.toFixed(0)} ms after the load began`);
      workerHeapMB = await workerHeap(session);
      log(`  worker heap after a cold start and one analysis: ${JSON.stringify(workerHeapMB)} MB`);
    } catch (e) {
      errors.push(`worker load/heap: ${(e as Error).message}`);
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
      fill,
      seed: seeded,
      storeCount: stats.articles,
      countMs: round(countMs)!,
      statsMs: round(statsMs)!,
      statsKeptMs: round(statsKeptMs)!,
      tabAnalysisMs: round(tabAnalysisMs)!,
      popupPaintMs: dist(paints),
      popupPhasesMs,
      floorMs,
      compare,
      coldStartMs: dist(cold),
      coldLoads,
      warmReportMs: dist(warm),
      workerHeapMB,
      errors,
    };
  } finally {
    await session.close();
    await server.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
