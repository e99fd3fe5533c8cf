/**
 * Query and add CPU of the matcher over N distinct bench articles (no copies), for profiling the
 * query and add paths. Features are computed once and cached on disk (v8-serialised), and with
 * `--snap` the matcher of the first N - adds articles too, so repeated runs (before/after a
 * change, under `node --cpu-prof`) skip the build. Prints CPU ms per add (the bulk build and the
 * last `adds`), match() per query (cold, then `--rounds` warm passes) and a digest of every
 * match() result: a change that must not alter judgement must keep the digest.
 *
 *   node --import tsx tests/bench/qprobe.ts --n 10000 [--queries 100] [--adds 200] [--rounds 1]
 *     [--cache /tmp/parallax-qprobe] [--snap]
 */
import fs from "node:fs";
import v8 from "node:v8";
import { normalizeArticle } from "../../src/engine/article.js";
import {
  Matcher,
  articleFeatures,
  type ArticleFeatures,
  type MatcherSnapshot,
} from "../../src/engine/judge/index.js";
import type { Article } from "../../src/engine/types.js";
import { generate } from "./corpus.js";
import { dist } from "./stats.js";

const argv = process.argv.slice(2);
const get = (k: string): string | undefined => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const n = Number(get("--n") ?? 10000);
const queries = Number(get("--queries") ?? 100);
const adds = Number(get("--adds") ?? 200);
const cache = get("--cache") ?? "/tmp/parallax-qprobe";
const rounds = Number(get("--rounds") ?? 1);
const FIXED = new Date("2026-11-24T00:00:00Z");

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

const file = `${cache}-${n}.bin`;
let feats: ArticleFeatures[];
const arts: Article[] = [...generate(n)].map((a) => normalizeArticle(a, FIXED));
if (fs.existsSync(file)) {
  feats = v8.deserialize(fs.readFileSync(file)) as ArticleFeatures[];
} else {
  feats = arts.map((a) => articleFeatures(a));
  fs.writeFileSync(file, v8.serialize(feats));
}
console.error(`features of ${n} ready`);

const base = n - adds;
const snapFile = `${cache}-${n}-${adds}.snap`;
let m: Matcher;
let c = cpuMs();
let bulkAdd = NaN;
if (argv.includes("--snap") && fs.existsSync(snapFile)) {
  m = Matcher.importIndex(v8.deserialize(fs.readFileSync(snapFile)) as MatcherSnapshot)!;
  console.error(`imported ${m.size} in ${(cpuMs() - c).toFixed(0)} ms CPU`);
} else {
  m = new Matcher();
  for (let i = 0; i < base; i++) m.addFeatures(feats[i]!);
  bulkAdd = (cpuMs() - c) / base;
  if (argv.includes("--snap")) fs.writeFileSync(snapFile, v8.serialize(m.exportIndex()));
}
c = cpuMs();
for (let i = base; i < n; i++) m.addFeatures(feats[i]!);
const lastAdd = (cpuMs() - c) / adds;
const times: number[] = [];
const step = Math.max(1, Math.floor(n / queries));
const results: string[] = [];
for (let i = 0; i < n; i += step) {
  c = cpuMs();
  const r = m.match(arts[i]!);
  times.push(cpuMs() - c);
  results.push(JSON.stringify(r));
}
// Warm second pass (JIT and caches).
const warm: number[] = [];
for (let r = 0; r < rounds; r++)
  for (let i = 0; i < n; i += step) {
    c = cpuMs();
    m.match(arts[i]!);
    warm.push(cpuMs() - c);
  }
const crypto = await import("node:crypto");
const digest = crypto.createHash("sha1").update(results.join("\n")).digest("hex").slice(0, 12);
console.log(
  JSON.stringify({
    n,
    bulkAddCpuMs: +bulkAdd.toFixed(3),
    lastAddsCpuMs: +lastAdd.toFixed(3),
    match: dist(times),
    matchWarm: dist(warm),
    digest,
  }),
);
