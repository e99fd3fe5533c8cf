import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeArticle } from "../../src/engine/article.js";
import { Engine } from "../../src/engine/engine.js";
import { words } from "../../src/engine/text/tokenize.js";
import type { Article, ArticleInput } from "../../src/engine/types.js";
import { planAdd } from "../../src/store/dedupe.js";

/** The demo coverage, stored the way a store would (the Guardian v3 becomes a revision of v2). */
function demoEngine(): { engine: Engine; byId: Map<string, Article> } {
  const lines = readFileSync(new URL("../../demo/coverage.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const engine = new Engine();
  const byId = new Map<string, Article>();
  const byUrl = new Map<string, Article>();
  for (const line of lines) {
    const a = normalizeArticle(JSON.parse(line) as ArticleInput, new Date("2026-01-01T00:00:00Z"));
    const outcome = planAdd(a, undefined, a.url ? byUrl.get(a.url) : undefined, byId.get(a.id));
    if (outcome.kind !== "imported" && outcome.kind !== "revision") throw new Error(outcome.kind);
    byId.set(outcome.article.id, outcome.article);
    if (outcome.article.url) byUrl.set(outcome.article.url, outcome.article);
    engine.add(outcome.article);
  }
  return { engine, byId };
}

describe("Engine facade on the demo coverage", async () => {
  const { engine, byId } = demoEngine();
  const ndtv = byId.get("001_d11f9d2465d14c55")!;

  it("lists one report stating the same value twice (headline and body) once", async () => {
    const report = await engine.analyze(ndtv);
    expect(report.figures.length).toBeGreaterThan(0);
    for (const f of report.figures) {
      const keys = f.values.map((v) => `${v.articleId}|${v.lo}|${v.hi}`);
      expect(new Set(keys).size, f.quantity).toBe(keys.length);
    }
    const people = report.figures.find((f) => f.quantity === "people killed");
    expect(people?.values.filter((v) => v.articleId === "003_2f11906d63638778")).toHaveLength(1);
  });

  it("folds the Guardian's earlier revision into its later one", async () => {
    const report = await engine.analyze(ndtv);
    const guardian = report.sameEvent.filter((s) => s.source === "The Guardian");
    expect(guardian).toHaveLength(2);
    expect(guardian.filter((g) => g.foldedInto === null)).toHaveLength(1);
    const top = guardian.find((g) => g.foldedInto === null)!;
    expect(guardian.find((g) => g.foldedInto !== null)!.foldedInto).toBe(top.id);
  });

  it("never lists the page being read, also when it was captured with slightly different text", async () => {
    // The same NDTV page captured from the web: same outlet, a line of boilerplate more.
    const captured = normalizeArticle({
      url: "https://www.ndtv.com/world-news/almaty",
      source: "NDTV",
      published: "2016-07-18",
      title: ndtv.title,
      text: `${ndtv.text}\nShare this story on social media.`,
    });
    const report = await engine.analyze(captured);
    const ids = [...report.sameEvent, ...report.related].map((i) => i.id);
    expect(ids).not.toContain(ndtv.id);
    expect(ids).toContain("000_7ec41403aca26861");
  });

  it("shows each listed report's URL and title as stored (the index keeps neither)", async () => {
    const report = await engine.analyze(ndtv);
    const items = [...report.sameEvent, ...report.related];
    expect(items.length).toBeGreaterThan(2);
    for (const item of items) {
      const a = byId.get(item.id)!;
      expect([item.url, item.title, item.source, item.published]).toEqual([
        a.url,
        a.title,
        a.source,
        a.published,
      ]);
      expect(item.title).not.toBe("");
    }
    // Over a loader (the worker's IndexedDB): the same report; an article the loader no longer
    // finds (deleted while the analysis ran) is not listed.
    const gone = items[0]!.id;
    const loaded = Engine.fromSnapshot(structuredClone(engine.exportIndex()), {
      load: (ids) => Promise.resolve(ids.map((id) => (id === gone ? undefined : byId.get(id)))),
    })!;
    const again = await loaded.analyze(ndtv);
    const ids = [...again.sameEvent, ...again.related].map((i) => i.id);
    expect(ids).not.toContain(gone);
    expect(ids).toEqual(items.map((i) => i.id).filter((id) => id !== gone));
  });

  it("shows key terms as the words the article uses, not as stems", async () => {
    const report = await engine.analyze(ndtv);
    const terms = [...report.sameEvent, ...report.related].flatMap((i) => i.why.terms);
    expect(terms.length).toBeGreaterThan(0);
    const used = new Set(words(ndtv.text));
    for (const t of terms) expect(used.has(t), t).toBe(true);
  });
});
