/**
 * The seed cluster: four reports of the 18 July 2016 Almaty attack and a 2011 Reuters report of
 * an earlier related shootout near Almaty. The seed texts carry no machine-readable dates, so
 * this test CHOOSES publication dates (the README's dates): 000–003 published 2016-07-18,
 * 004 published 2011-12-04. The twelve real pages of tests/fixtures/pages (extracted with
 * jsdom + Readability) are in the store as unrelated negatives.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Readability } from "@mozilla/readability";
import { beforeAll, describe, expect, it } from "vitest";
import { normalizeArticle } from "../../src/engine/article.js";
import { Matcher } from "../../src/engine/judge/index.js";
import type { Article, ArticleInput } from "../../src/engine/types.js";

/** jsdom ships no type declarations: the small typed surface this test uses. */
interface JsdomModule {
  JSDOM: new (
    html: string,
    options: { url: string; virtualConsole: unknown },
  ) => { window: Window & typeof globalThis };
  VirtualConsole: new () => unknown;
}
const { JSDOM, VirtualConsole } = createRequire(import.meta.url)("jsdom") as JsdomModule;

const SEEDS = join(__dirname, "..", "fixtures", "seeds");
const PAGES = join(__dirname, "..", "fixtures", "pages");
const DEMO = join(__dirname, "..", "..", "demo", "coverage.jsonl");
/** Chosen by this test (see the header). */
const PUBLISHED: Record<string, string> = {
  "000": "2016-07-18",
  "001": "2016-07-18",
  "002": "2016-07-18",
  "003": "2016-07-18",
  "004": "2011-12-04",
};

const seeds = new Map<string, Article>();
const pages: Article[] = [];
const matcher = new Matcher();

beforeAll(() => {
  for (const f of readdirSync(SEEDS)
    .filter((n) => n.endsWith(".txt"))
    .sort()) {
    const key = f.slice(0, 3);
    const a = normalizeArticle({
      id: `seed-${key}`,
      text: readFileSync(join(SEEDS, f), "utf8"),
      published: PUBLISHED[key],
    });
    seeds.set(key, a);
    matcher.add(a);
  }
  const quiet = new VirtualConsole();
  for (const slug of readdirSync(PAGES).sort()) {
    const file = join(PAGES, slug, "source.html");
    if (!existsSync(file)) continue;
    const dom = new JSDOM(readFileSync(file, "utf8"), {
      url: `https://example.org/${slug}/`,
      virtualConsole: quiet,
    });
    const parsed = new Readability(dom.window.document).parse();
    dom.window.close();
    if (!parsed?.textContent?.trim()) continue;
    const a = normalizeArticle({ id: `page-${slug}`, title: parsed.title, text: parsed.textContent });
    pages.push(a);
    matcher.add(a);
  }
}, 240_000);

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

describe("seed cluster", () => {
  it("loads five seeds and the real pages", () => {
    expect(seeds.size).toBe(5);
    expect(pages.length).toBeGreaterThanOrEqual(10);
  });

  it("querying 001 (NDTV) lists 000, 002, 003 as the same event and 004 as an earlier related incident", () => {
    const r = matcher.match(seeds.get("001")!);
    expect(new Set(ids(r.sameEvent))).toEqual(new Set(["seed-000", "seed-002", "seed-003"]));
    const rel = r.related.find((x) => x.id === "seed-004");
    expect(rel?.when).toBe("earlier");
    expect(ids(r.related).filter((id) => id.startsWith("page-"))).toEqual([]);
  });

  it("querying 004 (2011) never lists the 2016 reports as the same event; they are later related reports", () => {
    const r = matcher.match(seeds.get("004")!);
    expect(ids(r.sameEvent).filter((id) => id.startsWith("seed-"))).toEqual([]);
    const later = r.related.filter((x) => x.id.startsWith("seed-"));
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const x of later) expect(x.when).toBe("later");
  });

  it("every seed of 2016 finds the other three and no page", () => {
    for (const key of ["000", "002", "003"]) {
      const r = matcher.match(seeds.get(key)!);
      const want = ["000", "001", "002", "003"].filter((k) => k !== key).map((k) => `seed-${k}`);
      expect(new Set(ids(r.sameEvent))).toEqual(new Set(want));
    }
  });

  it("no page is listed as same event or related for any seed", () => {
    for (const a of seeds.values()) {
      const r = matcher.match(a);
      expect([...ids(r.sameEvent), ...ids(r.related)].filter((id) => id.startsWith("page-"))).toEqual([]);
    }
  });

  it("scores lie in [0,1], sameEvent is ordered best first, and why names Almaty", () => {
    const r = matcher.match(seeds.get("001")!);
    for (const x of [...r.sameEvent, ...r.related]) {
      expect(x.score).toBeGreaterThanOrEqual(0);
      expect(x.score).toBeLessThanOrEqual(1);
    }
    const scores = r.sameEvent.map((x) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const x of r.sameEvent) {
      expect(x.why.places).toContain("Almaty");
      expect(x.why.terms.length).toBeGreaterThan(0);
    }
    expect(r.related[0]?.why.date).toMatch(/earlier/);
  });

  it("a revision of the Guardian report (same URL, changed text) is treated like any other report", () => {
    const g = seeds.get("002")!;
    const lines = g.text.split("\n");
    const revised: Article = {
      ...normalizeArticle({
        id: "seed-002-rev",
        text: lines.slice(0, Math.ceil(lines.length * 0.7)).join("\n"),
        published: "2016-07-18T18:00:00Z",
      }),
      url: "https://www.theguardian.com/world/2016/jul/18/two-kazakhstan-police-officers-killed-by-gunmen-say-authorities",
      revisionOf: g.id,
    };
    const m = new Matcher();
    for (const a of seeds.values()) m.add(a);
    m.add(revised);
    const r = m.match(seeds.get("001")!);
    expect(ids(r.sameEvent)).toContain("seed-002-rev");
  });

  it.skipIf(!existsSync(DEMO))(
    "the built-in demo coverage: each 2016 report finds the others, 004 is earlier",
    () => {
      const arts = readFileSync(DEMO, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => normalizeArticle(JSON.parse(l) as ArticleInput));
      const m = new Matcher();
      for (const a of arts) m.add(a);
      const old = arts.filter((a) => (a.published ?? "").startsWith("2011"));
      const recent = arts.filter((a) => (a.published ?? "").startsWith("2016"));
      expect(old.length).toBe(1);
      expect(recent.length).toBeGreaterThanOrEqual(4);
      for (const q of recent) {
        const r = m.match(q);
        // Everything from 2016 except revisions of the same URL (the query itself) is the same event.
        const want = recent
          .filter((a) => a.id !== q.id && (q.url === null || a.url !== q.url))
          .map((a) => a.id);
        expect(new Set(ids(r.sameEvent))).toEqual(new Set(want));
        expect(r.related.map((x) => [x.id, x.when])).toEqual([[old[0]!.id, "earlier"]]);
      }
      const r = m.match(old[0]!);
      expect(r.sameEvent).toEqual([]);
      for (const x of r.related) expect(x.when).toBe("later");
    },
  );
});
