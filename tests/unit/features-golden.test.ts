/**
 * articleFeatures() must give the same features as the snapshot in
 * tests/fixtures/features-golden.json, on every article of tests/helpers/features-corpus.ts:
 * a guard for speed work on src/engine/text and the feature code. The snapshot holds, per
 * article, a hash of the canonical JSON of its features without the sketch and a hash of the
 * sketch (kept apart so that a deliberate change of the shingle hash can be re-snapshotted
 * alone), plus the full canonical features of a few articles to show what differs.
 * Regenerate only for an intended change: UPDATE_GOLDEN=1 npx vitest run --project unit features-golden
 * (also when the corpus itself changes — tests/bench/corpus.ts, the dev set or a listed fixture:
 * then regenerate from a commit whose feature code is unchanged, and re-apply the feature work).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { articleFeatures, type ArticleFeatures } from "../../src/engine/judge/features.js";
import { featureCorpus } from "../helpers/features-corpus.js";

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/features-golden.json");
const FULL = ["dev-2_1ecb", "dated-2_1ecb", "tests/fixtures/seeds/000_7ec41403aca26861.txt#dated", "bench-0"];

interface Golden {
  articles: Record<string, [string, string]>;
  full: Record<string, unknown>;
}

/** Features as plain JSON; Maps and Sets as entry lists in their insertion order (order matters). */
function canonical(f: ArticleFeatures, withSketch: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(f).sort() as (keyof ArticleFeatures)[]) {
    if (k === "sketch" && !withSketch) continue;
    const v = f[k];
    out[k] = v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v;
  }
  return out;
}

const hash = (x: unknown): string => createHash("sha1").update(JSON.stringify(x)).digest("hex").slice(0, 16);

describe("articleFeatures golden", () => {
  it("gives the snapshot's features on the golden corpus", () => {
    const corpus = featureCorpus();
    const got: Golden = { articles: {}, full: {} };
    for (const a of corpus) {
      const f = articleFeatures(a);
      got.articles[a.id] = [hash(canonical(f, false)), hash(f.sketch)];
      if (FULL.includes(a.id)) got.full[a.id] = canonical(f, true);
    }
    if (process.env.UPDATE_GOLDEN === "1") {
      fs.writeFileSync(FILE, JSON.stringify(got, null, 1) + "\n");
      return;
    }
    const want = JSON.parse(fs.readFileSync(FILE, "utf8")) as Golden;
    expect(got.full).toEqual(want.full);
    expect(Object.keys(got.articles)).toEqual(Object.keys(want.articles));
    const features = Object.keys(want.articles).filter(
      (id) => got.articles[id]?.[0] !== want.articles[id]?.[0],
    );
    const sketches = Object.keys(want.articles).filter(
      (id) => got.articles[id]?.[1] !== want.articles[id]?.[1],
    );
    expect(features).toEqual([]);
    expect(sketches).toEqual([]);
    expect(corpus.length).toBeGreaterThan(1500);
  }, 300_000);
});
