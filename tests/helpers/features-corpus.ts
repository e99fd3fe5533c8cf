/**
 * The articles the feature golden test and the feature benchmark run on: the ECB+ dev articles
 * (as the eval loads them, undated, and again with a publication date so that the date code
 * runs), the seed documents, the figures fixtures, the English real pages' paragraph text and
 * a slice of the benchmark's recombined corpus (datelines, dates, ~600 words each).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeArticle } from "../../src/engine/article.js";
import type { Article } from "../../src/engine/types.js";
import { generate } from "../bench/corpus.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NOW = new Date("2026-01-01T00:00:00Z");

function pageText(html: string): string {
  const body = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, " ");
  const out: string[] = [];
  for (const m of body.matchAll(/<(p|h1|h2)[\s>][\s\S]*?<\/\1>/gi)) {
    const t = m[0]
      .replace(/<[^>]*>/g, " ")
      .replace(/&nbsp;/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/&[a-z]+;|&#\d+;/g, " ")
      .replace(/[ \t]+/g, " ")
      .trim();
    if (t) out.push(t);
  }
  return out.join("\n");
}

const FIXTURE_TEXTS: [string, string[]][] = [
  [
    "tests/fixtures/seeds",
    [
      "000_7ec41403aca26861.txt",
      "001_d11f9d2465d14c55.txt",
      "002_17178071b6bd281f.txt",
      "003_2f11906d63638778.txt",
      "004_844a32d78c3c6d5d.txt",
    ],
  ],
  ["tests/fixtures/figures", ["guardian-v2.txt", "guardian-v3.txt"]],
];
const PAGES = (
  "bbc-1 cnn guardian-1 herald-sun-1 lemonde-1 nytimes-1 nytimes-2 salon-1 seattletimes-1 telegraph wapo-1 " +
  "yahoo-1"
).split(" ");

/** `bench` = how many recombined benchmark articles to add (default 600). */
export function featureCorpus(bench = 600): Article[] {
  const out: Article[] = [];
  const lines = fs
    .readFileSync(path.join(ROOT, "tests/fixtures/ecbplus/ecbplus-dev.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean);
  lines.forEach((line, i) => {
    const row = JSON.parse(line) as { id: string; title: string; text: string };
    out.push(normalizeArticle({ id: "dev-" + row.id, title: row.title, text: row.text }, NOW));
    const published = new Date(Date.UTC(2012, 0, 1) + i * 7 * 86_400_000).toISOString();
    out.push(normalizeArticle({ id: "dated-" + row.id, title: row.title, text: row.text, published }, NOW));
  });
  // A fixed list (not the folders' listing): fixtures added later must not change the corpus.
  for (const [dir, files] of FIXTURE_TEXTS) {
    for (const f of files) {
      const text = fs.readFileSync(path.join(ROOT, dir, f), "utf8");
      out.push(normalizeArticle({ id: `${dir}/${f}`, text }, NOW));
      out.push(normalizeArticle({ id: `${dir}/${f}#dated`, text, published: "2016-07-19T08:00:00Z" }, NOW));
    }
  }
  const pagesDir = path.join(ROOT, "tests/fixtures/pages");
  for (const slug of PAGES) {
    const file = path.join(pagesDir, slug, "source.html");
    if (!fs.existsSync(file)) continue;
    const text = pageText(fs.readFileSync(file, "utf8"));
    if (text)
      out.push(normalizeArticle({ id: "page-" + slug, text, published: "2016-02-02T10:00:00Z" }, NOW));
  }
  for (const a of generate(bench)) out.push(normalizeArticle(a, NOW));
  return out;
}
