/**
 * The Node half of the benchmark: the engine and both stores at one store size. Every phase has a
 * time budget; a phase that runs out stops where it is and says how far it got (`reached`), with
 * the time per operation at checkpoints so the scaling with N stays visible.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { normalizeArticle } from "../../src/engine/article.js";
import { Engine } from "../../src/engine/engine.js";
import type { Article, ArticleInput } from "../../src/engine/types.js";
import { FileStore } from "../../src/store/file.js";
import { generate, loadPools } from "./corpus.js";
import { dist, heapAfterGc, MB, now, round, type Dist } from "./stats.js";

export interface Checkpoint {
  /** Articles in the engine/store when the slice ended. */
  n: number;
  /** Mean ms per operation over the slice that ended here. */
  msPerOp: number;
}

export interface Throughput {
  /** CPU time (user + system) of the process per operation: the machine may be shared. */
  cpuMsPerOp: number | null;
  target: number;
  reached: number;
  seconds: number;
  perSecond: number | null;
  complete: boolean;
  checkpoints: Checkpoint[];
}

export interface NodeResult {
  size: number;
  generateSeconds: number;
  engineImport: Throughput;
  /** Heap held by the engine (its index and maps), from the heap after GC before and after the import. */
  engineHeapMB: number | null;
  /** Heap after GC of the bench process with everything loaded (inputs, articles, engine). */
  heapUsedMB: number | null;
  /** Heap of the normalised Article objects (what store.all() hands the worker). */
  articlesHeapMB: number | null;
  /** Worker heap estimate: the articles plus the engine (what the service worker holds). */
  workerHeapMB: number | null;
  /** The matcher has no serialised form: the index size is the engine's heap delta (an estimate). */
  indexBytes: number | null;
  indexBytesMethod: string;
  /** analyze() of stored articles drawn evenly from the corpus, caches as the previous query left them. */
  analyzeStored: Dist & { cpu: Dist; budgetHit: boolean };
  /** The page flow: a new article is captured (engine.add) then analysed; each add invalidates the caches. */
  captureThenAnalyze: { add: Dist; analyze: Dist; budgetHit: boolean };
  fileStoreImport: Throughput;
  idbStoreImport: Throughput | { skipped: string };
  /** Cold start from the file store: open + all() + engine rebuild + first answer. */
  coldStartFile: {
    articles: number;
    openMs: number;
    rebuildMs: number | null;
    firstAnswerMs: number | null;
    totalMs: number | null;
    complete: boolean;
  };
  /** Cold read from IndexedDB (fake-indexeddb): open + getAll (the engine rebuild is as above). */
  coldReadIdb: { articles: number; openMs: number; allMs: number } | { skipped: string };
}

export interface NodeOptions {
  /** Seconds per phase before it stops (default 120). */
  budgetS: number;
  queries: number;
  pageFlowQueries: number;
  idb: boolean;
  log: (s: string) => void;
}

const FIXED_NOW = new Date("2026-11-24T00:00:00Z");

function throughput(
  target: number,
  reached: number,
  ms: number,
  checkpoints: Checkpoint[],
  cpuMs: number,
): Throughput {
  return {
    cpuMsPerOp: reached ? round(cpuMs / reached) : null,
    target,
    reached,
    seconds: round(ms / 1000)!,
    perSecond: reached ? round((reached / ms) * 1000, 1) : null,
    complete: reached === target,
    checkpoints,
  };
}

/** Runs `op(i)` for i < n with a time budget, timing slices of n/10 operations. */
async function timed(
  n: number,
  budgetMs: number,
  op: (i: number) => void | Promise<void>,
  log: (s: string) => void,
  label: string,
): Promise<Throughput> {
  const slice = Math.max(1, Math.floor(n / 10));
  const checkpoints: Checkpoint[] = [];
  const t0 = now();
  const c0 = process.cpuUsage();
  let tSlice = t0;
  let i = 0;
  for (; i < n; i++) {
    await op(i);
    if ((i + 1) % slice === 0 || i + 1 === n) {
      const t = now();
      const ops = (i + 1) % slice === 0 ? slice : (i + 1) % slice;
      checkpoints.push({ n: i + 1, msPerOp: round((t - tSlice) / ops)! });
      log(`  ${label}: ${i + 1}/${n} (${((t - tSlice) / ops).toFixed(2)} ms/op)`);
      tSlice = t;
      if (t - t0 > budgetMs && i + 1 < n) {
        i++;
        break;
      }
    }
  }
  const c = process.cpuUsage(c0);
  return throughput(n, i, now() - t0, checkpoints, (c.user + c.system) / 1000);
}

export async function runNode(size: number, opts: NodeOptions): Promise<NodeResult> {
  const { log } = opts;
  const budgetMs = opts.budgetS * 1000;
  log(`[node ${size}] generating`);
  loadPools();
  const heapBase = heapAfterGc();
  let t = now();
  const inputs: ArticleInput[] = [...generate(size)];
  const articles: Article[] = inputs.map((a) => normalizeArticle(a, FIXED_NOW));
  const generateSeconds = round((now() - t) / 1000)!;

  // ---- engine import -------------------------------------------------------------------
  const heap0 = heapAfterGc();
  // Inputs and articles share their text strings: this is about what store.all() hands the worker.
  const articlesHeap = heap0 && heapBase ? heap0.heapUsed - heapBase.heapUsed : null;
  const engine = new Engine();
  const engineImport = await timed(size, budgetMs, (i) => engine.add(articles[i]!), log, "engine.add");
  const heap1 = heapAfterGc();
  const engineHeap = heap0 && heap1 ? heap1.heapUsed - heap0.heapUsed : null;

  // ---- analysis --------------------------------------------------------------------------
  const loaded = engineImport.reached;
  const stored: number[] = [];
  const step = Math.max(1, Math.floor(loaded / opts.queries));
  for (let i = 0; i < loaded && stored.length < opts.queries; i += step) stored.push(i);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let budgetHit = false;
  t = now();
  for (const i of stored) {
    const t0 = now();
    const c0 = process.cpuUsage();
    await engine.analyze(articles[i]!);
    times.push(now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    if (now() - t > budgetMs) {
      budgetHit = times.length < stored.length;
      break;
    }
  }
  const analyzeStored = { ...dist(times), cpu: dist(cpuTimes), budgetHit };
  log(
    `  analyze (stored): n=${analyzeStored.n} median ${analyzeStored.median} ms p95 ${analyzeStored.p95} ms`,
  );

  // The page flow: articles the store has never seen (another seed), captured then analysed.
  const fresh = [...generate(opts.pageFlowQueries, { seed: 777 })].map((a, i) =>
    normalizeArticle({ ...a, id: `fresh-${i}`, url: `${a.url ?? ""}?fresh=${i}` }, FIXED_NOW),
  );
  const addT: number[] = [];
  const anT: number[] = [];
  let flowBudgetHit = false;
  t = now();
  for (const a of fresh) {
    const t0 = now();
    engine.add(a);
    const t1 = now();
    await engine.analyze(a);
    addT.push(t1 - t0);
    anT.push(now() - t1);
    engine.remove(a.id);
    if (now() - t > budgetMs) {
      flowBudgetHit = anT.length < fresh.length;
      break;
    }
  }
  const captureThenAnalyze = { add: dist(addT), analyze: dist(anT), budgetHit: flowBudgetHit };
  log(
    `  capture+analyze: n=${anT.length} analyze median ${captureThenAnalyze.analyze.median} ms p95 ${captureThenAnalyze.analyze.p95} ms`,
  );
  const heap2 = heapAfterGc();
  engine.clear();

  // ---- file store ----------------------------------------------------------------------
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-bench-"));
  const storeDir = path.join(dir, "store");
  let fileStoreImport: Throughput;
  let coldStartFile: NodeResult["coldStartFile"];
  try {
    const fileStore = await FileStore.open(storeDir, { now: () => FIXED_NOW });
    fileStoreImport = await timed(
      size,
      budgetMs,
      async (i) => {
        await fileStore.add(inputs[i]!);
      },
      log,
      "FileStore.add",
    );
    fileStore.close();
    // Cold start: a fresh engine from the store, then the first answer.
    const c0 = now();
    const reader = await FileStore.open(storeDir, { readOnly: true });
    const all = await reader.all();
    const openMs = now() - c0;
    const cold = new Engine();
    const r0 = now();
    let built = 0;
    for (const a of all) {
      cold.add(a);
      built++;
      if ((built & 255) === 0 && now() - r0 > budgetMs) break;
    }
    const rebuildMs = now() - r0;
    const complete = built === all.length;
    let firstAnswerMs: number | null = null;
    if (all.length) {
      const f0 = now();
      await cold.analyze(all[Math.floor(all.length / 2)]!);
      firstAnswerMs = now() - f0;
    }
    coldStartFile = {
      articles: built,
      openMs: round(openMs)!,
      rebuildMs: round(rebuildMs),
      firstAnswerMs: round(firstAnswerMs),
      totalMs: round(openMs + rebuildMs + (firstAnswerMs ?? 0)),
      complete,
    };
    log(`  cold start (file): ${built}/${all.length} articles, ${coldStartFile.totalMs} ms`);
    reader.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // ---- IndexedDB (fake-indexeddb) -------------------------------------------------------------
  let idbStoreImport: NodeResult["idbStoreImport"] = { skipped: "--no-idb" };
  let coldReadIdb: NodeResult["coldReadIdb"] = { skipped: "--no-idb" };
  if (opts.idb) {
    const fakeIdb: string = "fake-indexeddb/auto"; // untyped side-effect module
    await import(fakeIdb);
    const { IdbStore } = await import("../../src/store/idb.js");
    const name = `bench-${size}-${Date.now()}`;
    const idb = await IdbStore.open(name, () => FIXED_NOW);
    idbStoreImport = await timed(
      size,
      budgetMs,
      async (i) => {
        await idb.add(inputs[i]!);
      },
      log,
      "IdbStore.add",
    );
    idb.close();
    const o0 = now();
    const again = await IdbStore.open(name, () => FIXED_NOW);
    const openMs = now() - o0;
    const a0 = now();
    const all = await again.all();
    const allMs = now() - a0;
    coldReadIdb = { articles: all.length, openMs: round(openMs)!, allMs: round(allMs)! };
    log(
      `  cold read (idb): ${all.length} articles, open ${coldReadIdb.openMs} ms, all ${coldReadIdb.allMs} ms`,
    );
    await again.clear();
    again.close();
  }

  return {
    size,
    generateSeconds,
    engineImport,
    engineHeapMB: engineHeap === null ? null : round(engineHeap / MB, 1),
    heapUsedMB: heap2 ? round(heap2.heapUsed / MB, 1) : null,
    articlesHeapMB: articlesHeap === null ? null : round(articlesHeap / MB, 1),
    workerHeapMB:
      articlesHeap === null || engineHeap === null ? null : round((articlesHeap + engineHeap) / MB, 1),
    indexBytes: engineHeap,
    indexBytesMethod:
      "heap delta after GC around the engine import (the matcher exposes no serialised form); the articles themselves were already on the heap",
    analyzeStored,
    captureThenAnalyze,
    fileStoreImport,
    idbStoreImport,
    coldStartFile,
    coldReadIdb,
  };
}
