/**
 * Feature extraction speed: `articleFeatures()` per article (wall median and p95, CPU mean) on
 * the benchmark's ~600-word recombined articles and on the ECB+ dev articles, and the share of
 * each text function it calls (each run alone over the same inputs). docs/bench.md records it.
 *
 * Each figure is the best of five passes (the machine may be shared).
 *
 *   npx tsx tests/bench/features.ts [--n 1000] [--json]
 */
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
const n = Number(argv[argv.indexOf("--n") + 1]) || 1000;
const PASSES = 5;
const FIXED = new Date("2026-01-01T00:00:00Z");

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeFeatures(arts: readonly Article[]): {
  median: number | null;
  p95: number | null;
  cpu: number | null;
} {
  for (const a of arts.slice(0, 200)) articleFeatures(a); // warm-up
  const ms: number[] = [];
  const c0 = cpuMs();
  for (const a of arts) {
    const t = now();
    articleFeatures(a);
    ms.push(now() - t);
  }
  const d = dist(ms);
  return { median: d.median, p95: d.p95, cpu: round((cpuMs() - c0) / arts.length) };
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
    for (let pass = 0; pass < PASSES; pass++) {
      const c0 = cpuMs();
      for (const p of prepared) f(p);
      best = Math.min(best, cpuMs() - c0);
    }
    return round(best / prepared.length);
  };
  return {
    sentences: run((p) => sentences(p.a.text)),
    datelineDate: run((p) => datelineDate(p.a.text)),
    eventDate: run((p) => eventDate(p.lead, p.published, p.dateline)),
    isPastSentence: run((p) => p.sents.map((s) => isPastSentence(s, 2016))),
    terms: run((p) => p.sents.map((s) => terms(s))),
    extractEntities: run((p) => extractEntities(p.sents)),
    extractPlaces: run((p) => extractPlaces(p.sents.join("\n"), [])),
    words: run((p) => p.sents.map((s) => words(s))),
    eventKinds: run((p) => eventKinds(p.lead.join("\n"))),
    sketchOf: run((p) => sketchOf(p.a.text)),
  };
}

const bench = [...generate(n)].map((a) => normalizeArticle(a, FIXED));
const dev = featureCorpus(0).filter((a) => a.id.startsWith("dev-") || a.id.startsWith("dated-"));
const words600 = bench.reduce((s, a) => s + a.text.split(/\s+/).length, 0) / bench.length;
const report = {
  node: process.version,
  bench: { articles: bench.length, words: Math.round(words600), ...timeFeatures(bench) },
  dev: { articles: dev.length, ...timeFeatures(dev) },
  stagesBench: stages(bench),
};
if (argv.includes("--json")) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`articleFeatures, ms/article (node ${report.node})`);
  console.table({ bench: report.bench, dev: report.dev });
  console.log("stages alone, CPU ms/article (bench corpus)");
  console.table(report.stagesBench);
}
