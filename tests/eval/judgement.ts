/**
 * Evaluation of the judgement (same event / related incident / unrelated) on the ECB+ dev subset.
 *
 *   npx tsx tests/eval/judgement.ts            # figures for both halves, engine vs TF-IDF baseline
 *   npx tsx tests/eval/judgement.ts --train    # re-learn src/engine/judge/weights.ts (tuning half only)
 *   npx tsx tests/eval/judgement.ts --floors   # exit 1 when reporting-half figures fall below floors
 *   npx tsx tests/eval/judgement.ts --quick    # reporting half only, no baseline
 *   npx tsx tests/eval/judgement.ts --tuning   # tuning half only (development; reporting half unseen)
 *   npx tsx tests/eval/judgement.ts --cv       # 3-fold cross-validation over tuning topics only
 *
 * Protocol: the store holds all 486 articles under opaque ids (a hash of the row id; the engine
 * never sees topic, event, subtopic or the id structure) and no publication dates. The 22 topics
 * are split by tests/eval/split.json. Every article of a half is a query; for a query and every
 * other stored article the gold label is SAME (same event), RELATED (same topic, other event) or
 * UNRELATED, and the prediction is SAME if listed in sameEvent, RELATED if listed in related.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hash64, normalizeArticle } from "../../src/engine/article.js";
import {
  articleFeatures,
  decide,
  FEATURES,
  FEATURES2,
  LINK_FEATURES,
  Matcher,
  type ArticleFeatures,
} from "../../src/engine/judge/index.js";
import { fitLogReg, type JudgeModel, type LogReg } from "../../src/engine/judge/model.js";
import { WEIGHTS } from "../../src/engine/judge/weights.js";
import { STOPWORDS, words } from "../../src/engine/text/tokenize.js";
import type { Article } from "../../src/engine/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = new Set(process.argv.slice(2));
const TRAIN = args.has("--train");
const QUICK = args.has("--quick");
const FLOORS = args.has("--floors");
/** Tuning half only (development: the reporting half is not looked at). */
const TUNING_ONLY = args.has("--tuning");
/** Cross-validation inside the tuning half: 3 folds of tuning topics (train on two, test on one). */
const CV = args.has("--cv");

interface Row {
  id: string;
  topic: number;
  event: string;
  title: string;
  text: string;
}

const rows: Row[] = readFileSync(join(root, "tests/fixtures/ecbplus/ecbplus-dev.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);
const split = JSON.parse(readFileSync(join(here, "split.json"), "utf8")) as {
  tuning: number[];
  reporting: number[];
};
const tuningTopics = new Set(split.tuning);

interface Doc {
  row: Row;
  article: Article;
  features: ArticleFeatures;
}
const t0 = performance.now();
const docs: Doc[] = rows.map((row) => {
  const article = normalizeArticle({ id: "d" + hash64("ecb+" + row.id), title: row.title, text: row.text });
  return { row, article, features: articleFeatures(article) };
});
const featureMs = (performance.now() - t0) / docs.length;
const byOpaque = new Map(docs.map((d) => [d.article.id, d]));

type Label = "SAME" | "RELATED" | "UNRELATED";
function gold(a: Row, b: Row): Label {
  if (a.event === b.event) return "SAME";
  return a.topic === b.topic ? "RELATED" : "UNRELATED";
}

interface Figures {
  queries: number;
  p5: number;
  map: number;
  same: { p: number; r: number; f1: number };
  related: { p: number; r: number; f1: number };
  msPerQuery?: number;
}

/** Predictions for one query: ranked same-event ids and the set of related ids. */
interface Prediction {
  same: string[];
  related: Set<string>;
}

function prf(tp: number, pred: number, goldN: number): { p: number; r: number; f1: number } {
  const p = pred ? tp / pred : 0;
  const r = goldN ? tp / goldN : 0;
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return { p: r3(p), r: r3(r), f1: r3(p + r ? (2 * p * r) / (p + r) : 0) };
}

function score(queries: Doc[], store: Doc[], predict: (q: Doc) => Prediction): Figures {
  let sTp = 0;
  let sPred = 0;
  let sGold = 0;
  let rTp = 0;
  let rPred = 0;
  let rGold = 0;
  let p5sum = 0;
  let apSum = 0;
  for (const q of queries) {
    const pr = predict(q);
    const sameSet = new Set(pr.same);
    let nSame = 0;
    for (const d of store) {
      if (d === q) continue;
      const g = gold(q.row, d.row);
      const id = d.article.id;
      const p: Label = sameSet.has(id) ? "SAME" : pr.related.has(id) ? "RELATED" : "UNRELATED";
      if (g === "SAME") nSame++;
      if (g === "SAME") sGold++;
      if (p === "SAME") sPred++;
      if (g === "SAME" && p === "SAME") sTp++;
      if (g === "RELATED") rGold++;
      if (p === "RELATED") rPred++;
      if (g === "RELATED" && p === "RELATED") rTp++;
    }
    const isSame = (id: string): boolean => gold(q.row, byOpaque.get(id)!.row) === "SAME";
    const top5 = pr.same.slice(0, 5).filter(isSame).length;
    p5sum += nSame ? top5 / Math.min(5, nSame) : 1;
    let hits = 0;
    let ap = 0;
    pr.same.forEach((id, i) => {
      if (isSame(id)) ap += ++hits / (i + 1);
    });
    apSum += nSame ? ap / nSame : 1;
  }
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    queries: queries.length,
    p5: r3(p5sum / queries.length),
    map: r3(apSum / queries.length),
    same: prf(sTp, sPred, sGold),
    related: prf(rTp, rPred, rGold),
  };
}

// ---- baseline: plain TF-IDF cosine with two thresholds -------------------------------------

function baselineVectors(store: Doc[]): Map<Doc, Map<string, number>> {
  const df = new Map<string, number>();
  const tfs = new Map<Doc, Map<string, number>>();
  for (const d of store) {
    const tf = new Map<string, number>();
    for (const w of words(d.article.text))
      if (!STOPWORDS.has(w) && /\p{L}/u.test(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
    tfs.set(d, tf);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const out = new Map<Doc, Map<string, number>>();
  for (const [d, tf] of tfs) {
    const v = new Map<string, number>();
    let n = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * Math.log(store.length / (df.get(t) ?? 1));
      v.set(t, w);
      n += w * w;
    }
    n = Math.sqrt(n) || 1;
    for (const [t, w] of v) v.set(t, w / n);
    out.set(d, v);
  }
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let s = 0;
  for (const [t, w] of a) s += w * (b.get(t) ?? 0);
  return s;
}

function baseline(store: Doc[]): { sims: (q: Doc) => [Doc, number][] } {
  const vecs = baselineVectors(store);
  return {
    sims: (q) =>
      store
        .filter((d) => d !== q)
        .map((d) => [d, cosine(vecs.get(q)!, vecs.get(d)!)] as [Doc, number])
        .sort((a, b) => b[1] - a[1]),
  };
}

function basePredict(sims: [Doc, number][], thS: number, thR: number): Prediction {
  return {
    same: sims.filter(([, s]) => s >= thS).map(([d]) => d.article.id),
    related: new Set(sims.filter(([, s]) => s < thS && s >= thR).map(([d]) => d.article.id)),
  };
}

// ---- training ------------------------------------------------------------------------------

const tuningDocs = docs.filter((d) => tuningTopics.has(d.row.topic));
const reportingDocs = docs.filter((d) => !tuningTopics.has(d.row.topic));

function passThrough(d: number, j: number): LogReg {
  return {
    mean: new Array(d).fill(0),
    scale: new Array(d).fill(1),
    w: new Array(d).fill(0).map((_, i) => (i === j ? 1 : 0)),
    b: 0,
  };
}

function storeOf(list: Doc[], model: JudgeModel | null): Matcher {
  const m = new Matcher(model);
  for (const d of list) m.addFeatures(d.features);
  return m;
}

function tuneThresholds(model: JudgeModel, queries: Doc[], store: Doc[]): JudgeModel {
  // The product rule (related needs a shared place or participants) is part of the decision.
  const m = storeOf(store, model);
  // Score candidates once; the decision rule is applied per threshold pair.
  const cache = new Map(queries.map((q) => [q, m.candidates(q.article, model)]));
  const run = (thS: number, thR: number) =>
    score(queries, store, (q) => {
      const { q: qf, list } = cache.get(q)!;
      const same: string[] = [];
      const related = new Set<string>();
      for (const c of list) {
        const d = decide(qf, c, thS, thR);
        if (d === "same") same.push(c.f.id);
        else if (d === "related") related.add(c.f.id);
      }
      return { same, related };
    });
  const grid = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);
  let best = { f: -1, th: 0.5 };
  for (const th of grid) {
    const f = run(th, 2).same.f1;
    if (f > best.f) best = { f, th };
  }
  let bestR = { f: -1, th: 0.5 };
  for (const th of grid) {
    const f = run(best.th, th).related.f1;
    if (f > bestR.f) bestR = { f, th };
  }
  return { ...model, thSame: best.th, thRelated: bestR.th };
}

const LINK_CUT = 0.5;

/** A deterministic PRNG (mulberry32) for the sparse training stores. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Training contexts: the dense tuning store, plus, per tuning query, a sparse store holding the
 * query's topic and a few other tuning articles — so the model also learns what a small store
 * (a new user's, the demo's) looks like, where neighbourhood features are weak.
 */
function* contexts(base: Doc[]): Generator<{ store: Doc[]; queries: Doc[] }> {
  yield { store: base, queries: base };
  const rand = rng(20161118);
  const topics = [...new Set(base.map((d) => d.row.topic))];
  for (const t of topics) {
    const own = base.filter((d) => d.row.topic === t);
    const others = base.filter((d) => d.row.topic !== t);
    for (const extra of [4, 12]) {
      const picked = others
        .map((d) => [rand(), d] as const)
        .sort((a, b) => a[0] - b[0])
        .slice(0, extra)
        .map(([, d]) => d);
      // A part of the query's own event and of the related one, as a young store would hold.
      const part = own.filter(() => rand() < 0.6);
      yield { store: [...part, ...picked], queries: part.slice(0, 6) };
    }
  }
}

function train(base: Doc[] = tuningDocs): JudgeModel {
  const ctxs = [...contexts(base)];
  const xs: number[][] = [];
  const ySame: number[] = [];
  const yTopic: number[] = [];
  const lx: number[][] = [];
  const lySame: number[] = [];
  const lyTopic: number[] = [];
  for (const ctx of ctxs) {
    const m = storeOf(ctx.store, null);
    for (const q of ctx.queries) {
      const sq = m.slotOf(q.article.id)!;
      for (const c of m.candidates(q.article, null).list) {
        const g = gold(q.row, byOpaque.get(c.f.id)!.row);
        xs.push(c.x);
        ySame.push(g === "SAME" ? 1 : 0);
        yTopic.push(g === "UNRELATED" ? 0 : 1);
        // Link models: the same pairs seen as two stored articles (no query-relative features).
        lx.push(m.linkFeatures(sq, c.slot));
        lySame.push(g === "SAME" ? 1 : 0);
        lyTopic.push(g === "UNRELATED" ? 0 : 1);
      }
    }
  }
  const same = fitLogReg(xs, ySame);
  const topic = fitLogReg(xs, yTopic);
  const linkSame = fitLogReg(lx, lySame);
  const linkTopic = fitLogReg(lx, lyTopic);
  const d2 = FEATURES2.length;
  let model: JudgeModel = {
    features: [...FEATURES],
    features2: [...FEATURES2],
    same,
    topic,
    linkFeatures: [...LINK_FEATURES],
    linkSame,
    linkTopic,
    linkCut: LINK_CUT,
    same2: passThrough(d2, 0),
    topic2: passThrough(d2, 1),
    thSame: 0.5,
    thRelated: 0.5,
    provenance: "",
  };
  const x2: number[][] = [];
  const y2s: number[] = [];
  const y2t: number[] = [];
  for (const ctx of ctxs) {
    const m1 = storeOf(ctx.store, model);
    for (const q of ctx.queries) {
      for (const c of m1.candidates(q.article, model).list) {
        const g = gold(q.row, byOpaque.get(c.f.id)!.row);
        x2.push(c.x2);
        y2s.push(g === "SAME" ? 1 : 0);
        y2t.push(g === "UNRELATED" ? 0 : 1);
      }
    }
  }
  model = { ...model, same2: fitLogReg(x2, y2s), topic2: fitLogReg(x2, y2t) };
  model = tuneThresholds(model, base, base);
  model.provenance =
    `logistic regressions fitted by tests/eval/judgement.ts --train on the TUNING half of ` +
    `tests/eval/split.json (${tuningDocs.length} ECB+ dev articles; the dense tuning store plus sparse stores, ${xs.length} candidate pairs); ` +
    `thresholds tuned for SAME F1 then RELATED F1 on the same half`;
  return model;
}

function writeWeights(model: JudgeModel): void {
  const body =
    `// Generated by \`npx tsx tests/eval/judgement.ts --train\` — do not edit by hand.\n` +
    `// Trained on the TUNING half of tests/eval/split.json only (ECB+ dev subset, CC BY 3.0, NewsReader).\n` +
    `import type { JudgeModel } from "./model.js";\n\n` +
    `export const WEIGHTS: JudgeModel = ${JSON.stringify(model, null, 2)};\n`;
  writeFileSync(join(root, "src/engine/judge/weights.ts"), body);
}

// ---- run -----------------------------------------------------------------------------------

if (CV) {
  // Folds of tuning topics; each fold's queries are judged by a model trained on the others,
  // in a store of the whole tuning half. The reporting half is not used.
  const topics = [...new Set(tuningDocs.map((d) => d.row.topic))].sort((a, b) => a - b);
  const preds = new Map<Doc, Prediction>();
  for (let k = 0; k < 3; k++) {
    const held = new Set(topics.filter((_, i) => i % 3 === k));
    const m = train(tuningDocs.filter((d) => !held.has(d.row.topic)));
    const store = storeOf(tuningDocs, m);
    for (const q of tuningDocs.filter((d) => held.has(d.row.topic))) {
      const r = store.match(q.article);
      preds.set(q, { same: r.sameEvent.map((x) => x.id), related: new Set(r.related.map((x) => x.id)) });
    }
  }
  const f = score(tuningDocs, tuningDocs, (q) => preds.get(q)!);
  console.log(
    `cv (3 folds of tuning topics, store = tuning half): P@5 ${f.p5} MAP ${f.map} ` +
      `SAME ${f.same.p}/${f.same.r}/${f.same.f1} RELATED ${f.related.p}/${f.related.r}/${f.related.f1}`,
  );
  process.exit(0);
}

let model: JudgeModel = WEIGHTS;
if (TRAIN) {
  model = train();
  writeWeights(model);
  console.log(`trained: thSame=${model.thSame} thRelated=${model.thRelated}`);
}
if (
  model.features.join() !== FEATURES.join() ||
  model.features2.join() !== FEATURES2.join() ||
  model.linkFeatures.join() !== LINK_FEATURES.join()
) {
  console.error("weights.ts does not match the feature list: run with --train");
  process.exit(2);
}

const full = storeOf(docs, model);
function enginePredict(q: Doc): Prediction {
  const r = full.match(q.article);
  return { same: r.sameEvent.map((x) => x.id), related: new Set(r.related.map((x) => x.id)) };
}
const loose = new Matcher(model, { requireShared: false });
for (const d of docs) loose.addFeatures(d.features);
function loosePredict(q: Doc): Prediction {
  const r = loose.match(q.article);
  return { same: r.sameEvent.map((x) => x.id), related: new Set(r.related.map((x) => x.id)) };
}

const summary: Record<string, unknown> = { featureMsPerArticle: Math.round(featureMs * 100) / 100 };
const halves: [string, Doc[]][] = TUNING_ONLY
  ? [["tuning", tuningDocs]]
  : QUICK
    ? [["reporting", reportingDocs]]
    : [
        ["tuning", tuningDocs],
        ["reporting", reportingDocs],
      ];

let baseTh = { s: 0.3, r: 0.1 };
if (!QUICK && !TUNING_ONLY) {
  const b = baseline(docs);
  const simCache = new Map<Doc, [Doc, number][]>();
  const sims = (q: Doc): [Doc, number][] => {
    let s = simCache.get(q);
    if (!s) simCache.set(q, (s = b.sims(q)));
    return s;
  };
  let best = { f: -1, s: 0.3 };
  for (let s = 0.05; s <= 0.9; s += 0.025) {
    const f = score(tuningDocs, docs, (q) => basePredict(sims(q), s, 2)).same.f1;
    if (f > best.f) best = { f, s };
  }
  let bestR = { f: -1, r: 0.1 };
  for (let r = 0.0; r < best.s; r += 0.0125) {
    const f = score(tuningDocs, docs, (q) => basePredict(sims(q), best.s, r)).related.f1;
    if (f > bestR.f) bestR = { f, r };
  }
  baseTh = { s: Math.round(best.s * 1000) / 1000, r: Math.round(bestR.r * 10000) / 10000 };
  summary.baselineThresholds = baseTh;
  for (const [name, qs] of halves)
    summary[`baseline_${name}`] = score(qs, docs, (q) => basePredict(sims(q), baseTh.s, baseTh.r));
}

for (const [name, qs] of halves) {
  const t = performance.now();
  const fig = score(qs, docs, enginePredict);
  fig.msPerQuery = Math.round(((performance.now() - t) / qs.length) * 100) / 100;
  summary[`engine_${name}`] = fig;
  if (!QUICK) summary[`engineNoSharedRule_${name}`] = score(qs, docs, loosePredict);
}
// Cold timing: a fresh store per measurement batch, so neighbour lists are not cached.
{
  const cold = storeOf(docs, model);
  const sample = (TUNING_ONLY ? tuningDocs : reportingDocs).filter((_, i) => i % 10 === 0);
  const t = performance.now();
  for (const q of sample) cold.match(q.article);
  summary.msPerQueryCold = Math.round(((performance.now() - t) / sample.length) * 100) / 100;
}

function line(label: string, f: Figures | undefined): string {
  if (!f) return `${label.padEnd(22)} (not run)`;
  return (
    `${label.padEnd(22)} P@5 ${f.p5.toFixed(3)}  MAP ${f.map.toFixed(3)}  ` +
    `SAME P/R/F1 ${f.same.p.toFixed(3)}/${f.same.r.toFixed(3)}/${f.same.f1.toFixed(3)}  ` +
    `RELATED P/R/F1 ${f.related.p.toFixed(3)}/${f.related.r.toFixed(3)}/${f.related.f1.toFixed(3)}` +
    (f.msPerQuery !== undefined ? `  ${f.msPerQuery} ms/query` : "")
  );
}
for (const [name] of halves) {
  console.log(`— ${name} half (${name === "tuning" ? tuningDocs.length : reportingDocs.length} queries)`);
  console.log(line("  TF-IDF baseline", summary[`baseline_${name}`] as Figures | undefined));
  console.log(line("  engine", summary[`engine_${name}`] as Figures));
  if (!QUICK) console.log(line("  engine, no shared rule", summary[`engineNoSharedRule_${name}`] as Figures));
}
console.log(JSON.stringify(summary));

/** Conservative floors a little under the measured reporting-half figures. */
const FLOOR = { p5: 0.96, map: 0.9, sameF1: 0.9, relatedF1: 0.63 };
if (FLOORS) {
  const r = summary.engine_reporting as Figures;
  const bad: string[] = [];
  if (r.p5 < FLOOR.p5) bad.push(`P@5 ${r.p5} < ${FLOOR.p5}`);
  if (r.map < FLOOR.map) bad.push(`MAP ${r.map} < ${FLOOR.map}`);
  if (r.same.f1 < FLOOR.sameF1) bad.push(`SAME F1 ${r.same.f1} < ${FLOOR.sameF1}`);
  if (r.related.f1 < FLOOR.relatedF1) bad.push(`RELATED F1 ${r.related.f1} < ${FLOOR.relatedF1}`);
  if (bad.length) {
    console.error("below floors: " + bad.join("; "));
    process.exit(1);
  }
  console.log("floors ok");
}
