/**
 * The judgement's index under change: removals free slots that later articles reuse, neighbour
 * lists that named a removed article are repaired, and nothing removed is ever listed. Real
 * articles (ECB+ dev subset, title and text only); 300 of them, above the size where stored
 * neighbour lists are kept across changes instead of remade.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hash64, normalizeArticle } from "../../src/engine/article.js";
import { Matcher } from "../../src/engine/judge/index.js";
import type { Article } from "../../src/engine/types.js";

const articles: Article[] = readFileSync(
  join(__dirname, "..", "fixtures", "ecbplus", "ecbplus-dev.jsonl"),
  "utf8",
)
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; title: string; text: string })
  .map((r) => normalizeArticle({ id: "d" + hash64("index" + r.id), title: r.title, text: r.text }));

const listed = (m: Matcher, a: Article): string[] => {
  const r = m.match(a);
  return [...r.sameEvent, ...r.related].map((x) => x.id);
};

describe("Matcher index under change", { timeout: 120_000 }, () => {
  it("never lists a removed article, answers like a rebuilt index, and reuses freed slots", () => {
    const m = new Matcher();
    const first = articles.slice(0, 300);
    for (const a of first) m.add(a);
    // Every third article goes; the ones that named them as neighbours must repair their lists.
    const removed = first.filter((_, i) => i % 3 === 0);
    const removedSlots = new Set(removed.map((a) => m.slotOf(a.id)));
    for (const a of removed) m.remove(a.id);
    expect(m.size).toBe(200);
    const gone = new Set(removed.map((a) => a.id));
    const kept = first.filter((a) => !gone.has(a.id));
    let listedSome = 0;
    for (const a of kept.filter((_, i) => i % 7 === 0)) {
      const ids = listed(m, a);
      listedSome += ids.length;
      for (const id of ids) expect(gone.has(id)).toBe(false);
    }
    expect(listedSome).toBeGreaterThan(0);
    // Postings, document frequencies and lists after the removals: as if built from the rest.
    const rebuilt = new Matcher();
    for (const a of kept) rebuilt.add(a);
    for (const a of kept.filter((_, i) => i % 10 === 0)) {
      expect(listed(m, a).sort()).toEqual(listed(rebuilt, a).sort());
    }
    // New articles take the freed slots.
    const more = articles.slice(300, 400);
    for (const a of more) m.add(a);
    const reused = more.filter((a) => removedSlots.has(m.slotOf(a.id)));
    expect(reused.length).toBe(100);
    for (const a of more.filter((_, i) => i % 9 === 0)) {
      for (const id of listed(m, a)) expect(gone.has(id)).toBe(false);
    }
    // Removing a stored query's own article: it is no longer found, and it finds itself nowhere.
    const q = more[5]!;
    m.remove(q.id);
    expect(m.slotOf(q.id)).toBeUndefined();
    expect(listed(m, q)).not.toContain(q.id);
  });

  it("empties completely", () => {
    const m = new Matcher();
    for (const a of articles.slice(0, 40)) m.add(a);
    for (const a of articles.slice(0, 40)) m.remove(a.id);
    expect(m.size).toBe(0);
    expect(m.match(articles[0]!)).toEqual({ sameEvent: [], related: [] });
    m.add(articles[1]!);
    m.add(articles[2]!);
    expect(m.size).toBe(2);
  });
});
