import { describe, expect, it } from "vitest";
import { normalizeArticle } from "../../src/engine/article.js";
import { averageLinkage, dateDecay, decide, Matcher } from "../../src/engine/judge/index.js";
import { fitLogReg, predict } from "../../src/engine/judge/model.js";
import type { Article } from "../../src/engine/types.js";

const QUAKE_A =
  "An earthquake of magnitude 5.9 struck Qeshm island in southern Iran on Sunday, killing ten people in the village of Zirang.\n" +
  "Governor Heydar Alishvandi said rescue teams reached the damaged villages of Qeshm.\n" +
  "The quake destroyed homes and injured dozens, the Red Crescent said.\n" +
  "Iranian television showed villagers sleeping in tents near Bandar Abbas.";
const QUAKE_A2 =
  "Ten people died when a magnitude 5.9 quake hit the Iranian island of Qeshm on Sunday.\n" +
  "Qeshm governor Heydar Alishvandi said Zirang village was the worst hit and rescue teams were at work.\n" +
  "Dozens were injured and homes were destroyed, the Red Crescent said, and villagers slept in tents.";
const OTHER = [
  "Apple unveiled a new MacBook Pro with a retina display at its developer conference in San Francisco.\nThe laptop ships next month, Tim Cook said.",
  "The Red Sox made an offer to first baseman Mark Teixeira, the Boston Herald reported.\nThe Yankees and Angels are also bidding for the free agent.",
  "Ellen DeGeneres will host the Academy Awards, the Academy announced.\nThe comedian hosted the Oscars once before.",
  "Police in Paris said four armed robbers stole jewels worth millions from a store on Avenue Montaigne.\nTwo of the robbers were dressed as women.",
  "A fire destroyed a Waitrose supermarket in Wellington, Somerset.\nFire crews fought the blaze for hours and police suspect arson.",
  "A gunman killed two co-workers at a Kraft plant in Philadelphia, police said.\nThe suspect, Yvonne Hiller, was taken into custody.",
];

function article(id: string, text: string, extra: Partial<Article> = {}): Article {
  return { ...normalizeArticle({ id, text }), ...extra };
}

function store(): { m: Matcher; a: Article; a2: Article } {
  const m = new Matcher();
  const a = article("qa", QUAKE_A);
  const a2 = article("qa2", QUAKE_A2);
  m.add(a);
  m.add(a2);
  OTHER.forEach((t, i) => m.add(article(`o${i}`, t)));
  return { m, a, a2 };
}

describe("Matcher", () => {
  it("finds another report of the same event and not unrelated stories", () => {
    const { m, a } = store();
    const r = m.match(a);
    expect(r.sameEvent.map((x) => x.id)).toEqual(["qa2"]);
    expect(r.related).toEqual([]);
    expect(r.sameEvent[0]?.why.places).toContain("Qeshm");
    expect(r.sameEvent[0]?.why.people.join(" ")).toMatch(/Alishvandi/);
    expect(r.sameEvent[0]?.why.date).toBe("no date to compare");
  });

  it("never lists the query itself: same id, same URL or same content hash", () => {
    const { m, a } = store();
    m.add(article("copy-by-hash", QUAKE_A));
    m.add(article("copy-by-url", QUAKE_A2 + "\nUpdated.", { url: "https://example.org/q" }));
    const q = { ...a, url: "https://example.org/q" };
    const listed = [...m.match(q).sameEvent, ...m.match(q).related].map((x) => x.id);
    expect(listed).not.toContain("qa");
    expect(listed).not.toContain("copy-by-hash");
    expect(listed).not.toContain("copy-by-url");
    // Records keep no URL: the matcher compares two 32-bit hashes of it, also after an import;
    // another URL (one character apart) is another page.
    const back = Matcher.importIndex(structuredClone(m.exportIndex()))!;
    const ids = (r: ReturnType<Matcher["match"]>): string[] =>
      [...r.sameEvent, ...r.related].map((x) => x.id);
    expect(ids(back.match(q))).not.toContain("copy-by-url");
    expect(ids(back.match({ ...q, url: "https://example.org/r" }))).toContain("copy-by-url");
    expect(ids(m.match({ ...q, url: "https://example.org/r" }))).toContain("copy-by-url");
  });

  it("folds a syndicated copy into the best-scored copy of its group", () => {
    const { m, a } = store();
    m.add(article("qa2-syndicated", QUAKE_A2 + "\n© Wire service 2005"));
    const r = m.match(a);
    const ids = r.sameEvent.map((x) => x.id);
    expect(ids).toContain("qa2");
    expect(ids).toContain("qa2-syndicated");
    const heads = r.sameEvent.filter((x) => x.foldedInto === null);
    expect(heads).toHaveLength(1);
    const folded = r.sameEvent.find((x) => x.foldedInto !== null)!;
    expect(folded.foldedInto).toBe(heads[0]!.id);
  });

  it("forgets removed articles", () => {
    const { m, a } = store();
    m.remove("qa2");
    expect(m.match(a).sameEvent).toEqual([]);
    expect(m.size).toBe(OTHER.length + 1);
  });

  it("reports 'unknown' for when without dates and earlier/later with them, and decays P(same) with time", () => {
    const m = new Matcher();
    const old = article("old", QUAKE_A2, { published: "2005-11-28" });
    m.add(old);
    OTHER.forEach((t, i) => m.add(article(`o${i}`, t)));
    const q = article("new", QUAKE_A, { published: "2008-09-10" });
    const r = m.match(q);
    expect(r.sameEvent.map((x) => x.id)).not.toContain("old");
    expect(r.related.find((x) => x.id === "old")?.when).toBe("earlier");
    expect(dateDecay(100, 103)).toBe(1);
    expect(dateDecay(100, 400)).toBeLessThan(0.001);
    expect(dateDecay(null, 400)).toBe(1);
  });
});

describe("averageLinkage", () => {
  it("clusters the query with its strong links and stops at the cut", () => {
    const p = [
      [0, 0.9, 0.8, 0.1],
      [0.9, 0, 0.7, 0.2],
      [0.8, 0.7, 0, 0.1],
      [0.1, 0.2, 0.1, 0],
    ];
    expect([...averageLinkage(p, 0.5)].sort()).toEqual([0, 1, 2]);
    expect([...averageLinkage(p, 0.95)]).toEqual([0]);
  });
});

describe("fitLogReg", () => {
  it("learns a separable rule", () => {
    const xs = [[0], [0.1], [0.2], [0.8], [0.9], [1]];
    const lr = fitLogReg(xs, [0, 0, 0, 1, 1, 1], { iters: 500 });
    expect(predict(lr, [0.05])).toBeLessThan(0.5);
    expect(predict(lr, [0.95])).toBeGreaterThan(0.5);
  });
});

describe("related-incident rule", () => {
  const ANGELS =
    "The Los Angeles Angels withdrew their eight-year offer to free agent Mark Teixeira, general manager Tony Reagins said.\n" +
    "Reagins said the club would not bid again.";
  const RED_SOX =
    "The Boston Red Sox made an eight-year offer to first baseman Mark Teixeira, owner John Henry said.\n" +
    "Henry said the talks in Texas went well.";
  const VANCOUVER =
    "A 61-year-old man was charged with murder after a shooting at a Vancouver office tower killed one worker.\n" +
    "Police said the gunman had worked there.";
  const MICHIGAN =
    "A shooting at a Detroit office killed one person and wounded two, the sheriff said.\n" +
    "The suspect had worked at the firm, police said.";

  function pair(a: string, b: string) {
    const m = new Matcher();
    m.add(article("b", b));
    OTHER.forEach((t, i) => m.add(article(`o${i}`, t)));
    const { q, list } = m.candidates(article("a", a));
    const c = list.find((x) => x.f.id === "b")!;
    return { q, c };
  }

  it("counts a rare name in both leads as shared participants", () => {
    const { q, c } = pair(ANGELS, RED_SOX);
    expect(q.leadEnts).toContain("teixeira");
    expect(c.leadShared).toBeGreaterThan(0.3);
    // Forced to 'same kind' and not the same event, the shared participant makes it related.
    expect(decide(q, { ...c, pSame: 0, pTopic: 0.9 }, 0.5, 0.5)).toBe("related");
  });

  it("leaves the same kind of event elsewhere, with no shared place or name, unrelated", () => {
    const { q, c } = pair(VANCOUVER, MICHIGAN);
    expect(c.leadShared ?? 0).toBe(0);
    expect(decide(q, { ...c, pSame: 0, pTopic: 0.9 }, 0.5, 0.5)).toBeNull();
    expect(decide(q, { ...c, pSame: 0, pTopic: 0.9 }, 0.5, 0.5, false)).toBe("related");
  });
});

describe("neighbour lists in a larger store", () => {
  it("never lists a removed article and finds one added after the lists were cached", () => {
    const m = new Matcher();
    const vocab = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split(" ");
    for (let i = 0; i < 300; i++) {
      const w = (k: number): string => `${vocab[(i + k) % vocab.length]!}${Math.floor(i / 7) + k}`;
      m.add(
        article(`f${i}`, `Report ${w(0)} ${w(1)} ${w(2)} on the ${w(3)} council.\nThe ${w(4)} vote ${w(5)}.`),
      );
    }
    const a = article("qa", QUAKE_A);
    m.add(a);
    m.add(article("qa2", QUAKE_A2));
    expect(m.match(a).sameEvent.map((x) => x.id)).toEqual(["qa2"]);
    m.remove("qa2");
    expect(m.match(a).sameEvent).toEqual([]);
    m.add(article("qa3", QUAKE_A2 + "\nRescue work went on through the night."));
    expect(m.match(a).sameEvent.map((x) => x.id)).toEqual(["qa3"]);
  });
});
