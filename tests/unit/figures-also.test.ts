import { describe, expect, it } from "vitest";
import { highlightSpecs } from "../../src/background/highlights.js";
import { normalizeArticle } from "../../src/engine/article.js";
import { Engine } from "../../src/engine/engine.js";

const NOW = new Date("2015-03-19T00:00:00Z");

// Constructed reports of one event (after the 2015 Bardo museum attack): the page states its toll
// in the lead and again in a caption; another outlet gives a different toll.
const page = normalizeArticle(
  {
    url: "https://news.example/world/bardo",
    source: "Example Post",
    published: "2015-03-18T16:00:00Z",
    title: "Gunmen attack Tunisian museum, killing at least 19",
    text: [
      "TUNIS — Gunmen in military uniforms stormed the Bardo museum in the Tunisian capital on Wednesday, killing at least 19 people, including 17 foreigners, in an attack on the country's most famous museum.",
      "The attackers opened fire on tourists as they climbed out of buses outside the museum, then chased them inside, officials said.",
      "Security forces stormed the building and killed two of the gunmen after a standoff of several hours, the prime minister said.",
      "Video: gunmen attacked the museum in Tunis, killing at least 19 people, most of them foreign tourists.",
      "Tunisia has struggled with Islamist militancy since its 2011 revolution.",
    ].join("\n\n"),
  },
  NOW,
);
const other = normalizeArticle(
  {
    url: "https://wire.example/bardo",
    source: "Constructed Wire",
    published: "2015-03-18T15:00:00Z",
    title: "Gunmen attack Bardo museum in Tunis",
    text: [
      "TUNIS — Gunmen in military uniforms stormed the Bardo museum in the Tunisian capital on Wednesday, killing 12 people in an attack on the country's most famous museum.",
      "The attackers opened fire on tourists as they climbed out of buses outside the museum, officials said.",
      "Security forces stormed the building and killed two of the gunmen after a standoff, the prime minister said.",
    ].join("\n\n"),
  },
  NOW,
);

describe("a value stated twice in the page", () => {
  it("is one value in the report, and every place it is stated is highlighted", async () => {
    const engine = new Engine();
    engine.add(other);
    engine.add(page);
    const report = await engine.analyze(page);
    expect(report.sameEvent.map((s) => s.id)).toEqual([other.id]);
    const toll = report.figures.find((f) => f.values.some((v) => v.articleId === other.id && v.lo === 12));
    expect(toll?.status).toBe("dispute");
    const own = toll?.values.filter((v) => v.articleId === page.id) ?? [];
    expect(own).toHaveLength(1);
    expect(own[0]?.quote).toContain("including 17 foreigners");
    expect(own[0]?.also?.map((a) => a.quote)).toEqual([expect.stringContaining("Video: gunmen")]);

    const specs = highlightSpecs(report).filter((h) => h.quantity === toll?.quantity);
    expect(specs.map((h) => [h.phrase, h.quote.slice(0, 12)])).toEqual([
      ["at least 19", "TUNIS — Gunm"],
      ["at least 19", "Video: gunme"],
    ]);
    for (const h of specs) expect(h.quote).toContain(h.phrase);
    expect(specs[1]?.others.map((o) => o.source)).toEqual(["Constructed Wire"]);
  });
});
