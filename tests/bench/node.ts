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
import { articleFeatures, Matcher, type MatcherSnapshot } from "../../src/engine/judge/index.js";
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
  /** What Engine.add does per article: articleFeatures() then Matcher.addFeatures(), timed apart below. */
  engineImport: Throughput;
  /** Mean ms per article of articleFeatures() during the import. */
  featuresMs: number | null;
  /** Matcher.addFeatures() alone (given the features): mean ms and articles per second. */
  matcherAdd: { ms: number | null; perSecond: number | null };
  /**
   * Memory held by the matcher (its typed arrays and maps), from heapUsed + arrayBuffers after GC
   * before and after the import (the articles were allocated before).
   */
  engineHeapMB: number | null;
  /** Heap after GC of the bench process with everything loaded (inputs, articles, engine). */
  heapUsedMB: number | null;
  /** Heap of the normalised Article objects (what store.all() hands the worker). */
  articlesHeapMB: number | null;
  /** Worker heap estimate: the articles plus the engine (what the service worker holds). */
  workerHeapMB: number | null;
  /** Size of the index's snapshot (what is persisted): every chunk's bytes. */
  indexBytes: number | null;
  indexBytesMethod: string;
  /** The snapshot: export and import times, chunks, and an incremental export after a few adds. */
  snapshot: {
    chunks: number;
    largestChunkBytes: number;
    exportMs: number;
    importMs: number;
    importedSize: number;
    incremental: { adds: number; chunks: number; bytes: number; ms: number };
  } | null;
  /** Matcher.match() alone (retrieval, scoring, stage 2) for the same stored queries. */
  matchStored: Dist;
  /** engine.analyze() of stored articles drawn evenly from the corpus (match + figures + reading the listed articles). */
  analyzeStored: Dist & { cpu: Dist; budgetHit: boolean };
  /** The page flow: a new article is captured (engine.add) then analysed; each add invalidates the caches. */
  captureThenAnalyze: { add: Dist; analyze: Dist; budgetHit: boolean };
  fileStoreImport: Throughput;
  idbStoreImport: Throughput | { skipped: string };
  /**
   * Cold start from the file store and the persisted index: open + all() (the loader's articles) +
   * Matcher.importIndex(snapshot) + first answer.
   */
  coldStartFile: {
    articles: number;
    openMs: number;
    /** Index import from the snapshot (no feature recomputed). */
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
  const matcher = new Matcher();
  // Engine.add is articleFeatures() + Matcher.addFeatures(): done here apart, to time both.
  let featMs = 0;
  let addMs = 0;
  const engineImport = await timed(
    size,
    budgetMs,
    (i) => {
      const t0 = now();
      const f = articleFeatures(articles[i]!);
      const t1 = now();
      matcher.addFeatures(f);
      featMs += t1 - t0;
      addMs += now() - t1;
    },
    log,
    "features + add",
  );
  const loaded = engineImport.reached;
  const heap1 = heapAfterGc();
  const mem = (h: NonNullable<typeof heap0>): number => h.heapUsed + h.arrayBuffers;
  const engineHeap = heap0 && heap1 ? mem(heap1) - mem(heap0) : null;
  const featuresMs = loaded ? round(featMs / loaded) : null;
  const matcherAdd = {
    ms: loaded ? round(addMs / loaded) : null,
    perSecond: loaded ? round((loaded / addMs) * 1000, 1) : null,
  };
  log(`  features ${featuresMs} ms/article, matcher add ${matcherAdd.ms} ms (${matcherAdd.perSecond}/s)`);
  const byId = new Map(articles.slice(0, loaded).map((a) => [a.id, a]));
  const load = (ids: readonly string[]): Promise<(Article | undefined)[]> =>
    Promise.resolve(ids.map((id) => byId.get(id)));
  const engine = new Engine({ matcher, load });

  // ---- snapshot --------------------------------------------------------------------------
  t = now();
  const snap = matcher.exportIndex();
  const exportMs = now() - t;
  const indexBytes = snap.chunks.reduce((s, c) => s + c.bytes.byteLength, 0);
  const copy: MatcherSnapshot = structuredClone(snap);
  t = now();
  const imported = Matcher.importIndex(copy);
  const importMs = now() - t;
  log(
    `  snapshot: ${(indexBytes / MB).toFixed(1)} MB in ${snap.chunks.length} chunks, export ${exportMs.toFixed(0)} ms, import ${importMs.toFixed(0)} ms`,
  );

  // ---- analysis --------------------------------------------------------------------------
  const stored: number[] = [];
  const step = Math.max(1, Math.floor(loaded / opts.queries));
  for (let i = 0; i < loaded && stored.length < opts.queries; i += step) stored.push(i);
  const matchTimes: number[] = [];
  t = now();
  for (const i of stored) {
    const t0 = now();
    matcher.match(articles[i]!);
    matchTimes.push(now() - t0);
    if (now() - t > budgetMs) break;
  }
  const matchStored = dist(matchTimes);
  log(`  match (stored): n=${matchStored.n} median ${matchStored.median} ms p95 ${matchStored.p95} ms`);
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
    byId.set(a.id, a);
    const t1 = now();
    await engine.analyze(a);
    addT.push(t1 - t0);
    anT.push(now() - t1);
    if (now() - t > budgetMs) {
      flowBudgetHit = anT.length < fresh.length;
      break;
    }
  }
  // The incremental export after those adds: only the changed chunks are written again.
  t = now();
  const inc = matcher.exportIndex({ since: snap.generation });
  const incMs = now() - t;
  const snapshot: NodeResult["snapshot"] = {
    chunks: snap.chunks.length,
    largestChunkBytes: Math.max(...snap.chunks.map((c) => c.bytes.byteLength)),
    exportMs: round(exportMs)!,
    importMs: round(importMs)!,
    importedSize: imported?.size ?? -1,
    incremental: {
      adds: addT.length,
      chunks: inc.chunks.length,
      bytes: inc.chunks.reduce((s, c) => s + c.bytes.byteLength, 0),
      ms: round(incMs)!,
    },
  };
  for (const a of fresh.slice(0, addT.length)) engine.remove(a.id);
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
    const r0 = now();
    const coldMatcher = Matcher.importIndex(copy);
    const rebuildMs = now() - r0;
    const coldById = new Map(all.map((a) => [a.id, a]));
    const cold = new Engine({
      matcher: coldMatcher ?? new Matcher(),
      load: (ids) => Promise.resolve(ids.map((id) => coldById.get(id))),
    });
    const built = coldMatcher?.size ?? 0;
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
    featuresMs,
    matcherAdd,
    indexBytes,
    indexBytesMethod: "bytes of every chunk of Matcher.exportIndex() (what is persisted)",
    snapshot,
    matchStored,
    analyzeStored,
    captureThenAnalyze,
    fileStoreImport,
    idbStoreImport,
    coldStartFile,
    coldReadIdb,
  };
}
