/**
 * Scaling probe of the matcher alone, up to 100k articles without computing 100k feature sets:
 * features are computed once for U distinct synthetic articles, then the store is filled with
 * copies under new ids, URLs and hashes (sharing the feature maps, so the heap figure here is NOT
 * the real index size — see run.ts for that). Posting lists grow linearly with N as in a real
 * store; what this measures is how retrieval, candidate scoring and add() cost grow with N.
 *
 *   node --expose-gc --import tsx tests/bench/scaling.ts [--unique 2000] [--sizes 2000,10000,30000,100000]
 *     [--match-max 30000]   (match() only up to this N: one match at 100k takes about a minute)
 *   node --expose-gc --import tsx tests/bench/scaling.ts --distinct 5000
 *     (N distinct articles, features computed first: CPU ms of add, match, export and import)
 */
import { normalizeArticle } from "../../src/engine/article.js";
import { Matcher, articleFeatures, type ArticleFeatures } from "../../src/engine/judge/index.js";
import type { Article } from "../../src/engine/types.js";
import { generate } from "./corpus.js";
import { dist, now, round, type Dist } from "./stats.js";

interface Probe {
  n: number;
  addMsPerOp: number;
  /** One BM25 retrieval (the private retrieve(), called as the matcher calls it). */
  retrieveMs: Dist;
  /** match() right after an add (the page flow: every add invalidates the caches). */
  matchAfterAdd: Dist;
  /** match() of the same query again (neighbour caches warm). */
  matchWarm: Dist;
  postingsTotal: number;
  longestPosting: number;
}

type Retrieve = (q: ArticleFeatures, k: number) => [number, number][];

export async function scaling(
  unique: number,
  sizes: number[],
  log: (s: string) => void,
  matchMax = Infinity,
): Promise<Probe[]> {
  const FIXED = new Date("2026-11-24T00:00:00Z");
  const t0 = now();
  const base: ArticleFeatures[] = [];
  for (const a of generate(unique)) base.push(articleFeatures(normalizeArticle(a, FIXED)));
  log(`features for ${unique} articles: ${((now() - t0) / unique).toFixed(2)} ms each`);
  const probes = [...generate(30, { seed: 4242 })].map((a, i) =>
    articleFeatures(normalizeArticle({ ...a, id: `probe-${i}`, url: `${a.url ?? ""}?p=${i}` }, FIXED)),
  );
  const out: Probe[] = [];
  for (const n of sizes) {
    const m = new Matcher();
    const a0 = now();
    for (let i = 0; i < n; i++) {
      const f = base[i % unique]!;
      m.addFeatures(
        i < unique
          ? f
          : { ...f, id: `${f.id}~${i}`, url: `${f.url ?? ""}~${i}`, contentHash: `${f.contentHash}~${i}` },
      );
    }
    const addMsPerOp = (now() - a0) / n;
    const retrieve = (m as unknown as { retrieve: Retrieve }).retrieve.bind(m);
    const rt: number[] = [];
    for (const q of probes) {
      const r0 = now();
      retrieve(q, 48);
      rt.push(now() - r0);
    }
    const after: number[] = [];
    const warm: number[] = [];
    for (const q of n <= matchMax ? probes.slice(0, 10) : []) {
      m.addFeatures(q);
      const art = { id: q.id, url: q.url, contentHash: q.contentHash } as unknown as Parameters<
        Matcher["match"]
      >[0];
      const s0 = now();
      m.match(art);
      after.push(now() - s0);
      const w0 = now();
      m.match(art);
      warm.push(now() - w0);
      m.remove(q.id);
    }
    const df = (m as unknown as { df: Uint32Array }).df;
    let total = 0;
    let longest = 0;
    for (const v of df) {
      total += v;
      longest = Math.max(longest, v);
    }
    const probe: Probe = {
      n,
      addMsPerOp: round(addMsPerOp)!,
      retrieveMs: dist(rt),
      matchAfterAdd: dist(after),
      matchWarm: dist(warm),
      postingsTotal: total,
      longestPosting: longest,
    };
    log(
      `N=${n}: add ${probe.addMsPerOp} ms, retrieve median ${probe.retrieveMs.median} ms, match after add median ${probe.matchAfterAdd.median} p95 ${probe.matchAfterAdd.p95} ms, warm median ${probe.matchWarm.median} ms`,
    );
    out.push(probe);
  }
  return out;
}

/** CPU milliseconds of this process so far (the machine may be shared: wall time is not the cost). */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * The matcher alone over N distinct articles (no copies): features are computed first, then
 * timed in CPU ms: Matcher.addFeatures per article, 100 match() calls of stored articles drawn
 * evenly, a full export, and an import of that snapshot.
 */
export function distinct(n: number, log: (s: string) => void): Record<string, unknown> {
  const FIXED = new Date("2026-11-24T00:00:00Z");
  const arts: Article[] = [...generate(n)].map((a) => normalizeArticle(a, FIXED));
  const feats = arts.map((a) => articleFeatures(a));
  log(`features of ${n} articles computed`);
  const m = new Matcher();
  let c = cpuMs();
  for (const f of feats) m.addFeatures(f);
  const addMs = (cpuMs() - c) / n;
  const times: number[] = [];
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 100))) {
    c = cpuMs();
    m.match(arts[i]!);
    times.push(cpuMs() - c);
  }
  c = cpuMs();
  const snap = m.exportIndex();
  const exportMs = cpuMs() - c;
  c = cpuMs();
  const back = Matcher.importIndex(snap);
  const importMs = cpuMs() - c;
  c = cpuMs();
  back?.match(arts[Math.floor(n / 2)]!);
  const firstMatchMs = cpuMs() - c;
  const bytes = snap.chunks.reduce((s, x) => s + x.bytes.byteLength, 0);
  const out = {
    n,
    addCpuMs: round(addMs),
    matchCpuMs: dist(times),
    exportCpuMs: round(exportMs),
    importCpuMs: round(importMs),
    /** The imported matcher's first match() (builds the dictionary's string → id map). */
    firstMatchCpuMs: round(firstMatchMs),
    imported: back?.size ?? null,
    snapshotBytesPerArticle: Math.round(bytes / n),
  };
  log(JSON.stringify(out));
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "-")) {
  const argv = process.argv.slice(2);
  const get = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (get("--distinct")) {
    console.log(
      JSON.stringify(
        distinct(Number(get("--distinct")), (s) => console.error(s)),
        null,
        2,
      ),
    );
    process.exit(0);
  }
  const unique = Number(get("--unique") ?? 2000);
  const sizes = (get("--sizes") ?? "2000,10000,30000,100000").split(",").map(Number);
  const matchMax = Number(get("--match-max") ?? Infinity);
  const res = await scaling(unique, sizes, (s) => console.error(s), matchMax);
  console.log(JSON.stringify(res, null, 2));
}
