/**
 * Feature extraction speed: `articleFeatures()` per article (wall median and p95, CPU mean) on
 * the benchmark's ~600-word recombined articles and on the ECB+ dev articles, and the CPU time
 * of each text function it calls (each run alone over the same inputs). docs/bench.md records it.
 *
 * Bench figures are the best of five passes, each over 1,000 articles not seen before (the text
 * code memoises per word; the machine may be shared); the dev articles are timed once. With
 * `--base DIR` (a copy of an older `src/`, e.g. `git archive <commit> src | tar -x -C DIR`) the
 * older `articleFeatures()` is timed too, its passes interleaved with the current one's so that
 * both see the same load.
 *
 *   npx tsx tests/bench/features.ts [--n 1000] [--base DIR] [--json]
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { normalizeArticle } from "../../src/engine/article.js";
import { articleFeatures, sketchOf } from "../../src/engine/judge/features.js";
import { datelineDate, eventDate, isPastSentence, parsePublished } from "../../src/engine/text/dates.js";
import { extractEntities } from "../../src/engine/text/entities.js";
import { eventKinds } from "../../src/engine/text/kinds.js";
import { extractPlaces } from "../../src/engine/text/places.js";
import { sentences, terms, words } from "../../src/engine/text/tokenize.js";
import type { Article } from "../../src/engine/types.js";
import { featureCorpus } from "../helpers/features-corpus.js";
import { generate } from "./corpus.js";
import { dist, now, round } from "./stats.js";

const argv = process.argv.slice(2);
const arg = (name: string): string | null =>
  argv.includes(name) ? (argv[argv.indexOf(name) + 1] ?? null) : null;
const n = Number(arg("--n")) || 1000;
const baseDir = arg("--base");
const PASSES = 5;
const FIXED = new Date("2026-01-01T00:00:00Z");

type Features = (a: Article) => unknown;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Timing {
  median: number | null;
  p95: number | null;
  cpu: number | null;
}

function pass(f: Features, arts: readonly Article[]): Timing {
  const ms: number[] = [];
  const c0 = cpuMs();
  for (const a of arts) {
    const t = now();
    f(a);
    ms.push(now() - t);
  }
  const d = dist(ms);
  return { median: d.median, p95: d.p95, cpu: round((cpuMs() - c0) / arts.length) };
}

/**
 * Best pass (least CPU) of each function, their passes interleaved. Each pass runs on articles
 * the function has not seen (`sets[p]`): the text code memoises per word, and a pass over the
 * same articles again would find every word cached. `warm` runs first, for the JIT.
 */
function timeFeatures(
  fs: Record<string, Features>,
  warm: readonly Article[],
  sets: readonly (readonly Article[])[],
): Record<string, Timing> {
  const best: Record<string, Timing> = {};
  for (const f of Object.values(fs)) for (const a of warm) f(a);
  for (const arts of sets) {
    for (const [k, f] of Object.entries(fs)) {
      const t = pass(f, arts);
      if (!best[k] || (t.cpu ?? Infinity) < (best[k].cpu ?? Infinity)) best[k] = t;
    }
  }
  return best;
}

/** CPU ms per article of each stage, run alone over the inputs articleFeatures gives it. */
function stages(arts: readonly Article[]): Record<string, number | null> {
  const prepared = arts.map((a) => {
    const sents = sentences(a.text);
    const published = parsePublished(a.published);
    return { a, sents, published, dateline: datelineDate(a.text), lead: [a.title, ...sents.slice(0, 4)] };
  });
  const run = (f: (p: (typeof prepared)[number]) => unknown): number | null => {
    for (const p of prepared.slice(0, 100)) f(p);
    let best = Infinity;
    for (let p = 0; p < PASSES; p++) {
      const c0 = cpuMs();
      for (const x of prepared) f(x);
      best = Math.min(best, cpuMs() - c0);
    }
    return round(best / prepared.length);
  };
  return {
    sentences: run((p) => sentences(p.a.text)),
    datelineDate: run((p) => datelineDate(p.a.text)),
    eventDate: run((p) => eventDate(p.lead, p.published, p.dateline)),
    isPastSentence: run((p) => p.sents.map((s) => isPastSentence(s, 2016))),
    words: run((p) => p.sents.map((s) => words(s))),
    terms: run((p) => p.sents.map((s) => terms(s))),
    extractEntities: run((p) => extractEntities(p.sents)),
    extractPlaces: run((p) => extractPlaces(p.sents.join("\n"), [])),
    eventKinds: run((p) => eventKinds(p.lead.join("\n"))),
    sketchOf: run((p) => sketchOf(p.a.text)),
  };
}

const fns: Record<string, Features> = {};
if (baseDir) {
  const file = path.resolve(baseDir, "src/engine/judge/features.ts");
  const mod = (await import(pathToFileURL(file).href)) as { articleFeatures: Features };
  fns.before = mod.articleFeatures;
}
fns.now = articleFeatures;

// Warm-up set, then PASSES sets of n articles each, all distinct (the generator's stream).
const generated = [...generate(n * (PASSES + 1))].map((a) => normalizeArticle(a, FIXED));
const warm = generated.slice(0, n);
const sets = Array.from({ length: PASSES }, (_, p) => generated.slice(n * (p + 1), n * (p + 2)));
const bench = sets[0] as Article[];
const dev = featureCorpus(0).filter((a) => a.id.startsWith("dev-") || a.id.startsWith("dated-"));
const words600 = bench.reduce((s, a) => s + a.text.split(/\s+/).length, 0) / bench.length;
const onBench = timeFeatures(fns, warm, sets);
// The dev articles once each (their undated and dated copies share words), after the bench.
const onDev = timeFeatures(fns, [], [dev]);
const report = {
  node: process.version,
  words: Math.round(words600),
  articleFeatures: Object.fromEntries(
    Object.keys(fns).flatMap((k) => [
      [`bench ${k}`, { articles: bench.length, ...onBench[k] }],
      [`dev ${k}`, { articles: dev.length, ...onDev[k] }],
    ]),
  ),
  stagesBench: stages(bench),
};
if (argv.includes("--json")) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`articleFeatures, ms/article (node ${report.node}; bench articles ~${report.words} words)`);
  console.table(report.articleFeatures);
  console.log("stages alone, CPU ms/article (bench corpus)");
  console.table(report.stagesBench);
}
