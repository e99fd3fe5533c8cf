/**
 * Regression suite of the number-phrase parser on real sentences (seed cluster and ECB+ dev
 * articles, CC BY 3.0 NewsReader project). Each case: a phrase the parser must find, with its
 * interval and bound.
 */
import { describe, expect, it } from "vitest";
import { findNumbers, parseCore } from "../../src/engine/figures/numbers.js";

type Case = [sentence: string, phrase: string, lo: number | null, hi: number | null, bound: string];

const CASES: Case[] = [
  // Seeds (Almaty, July 2016)
  [
    "Suspected Islamist militants gunned down on Monday at least four policemen and one civilian",
    "at least four",
    4,
    null,
    "at least",
  ],
  [
    "killed at least three policemen and a civilian in Kazakhstan's financial capital",
    "at least three",
    3,
    null,
    "at least",
  ],
  [
    "Thousands of nationals from Central Asian nations are known to be fighting",
    "Thousands",
    2000,
    9999,
    "vague",
  ],
  ["Hundreds of nationals from Kazakhstan and other Central Asian nations", "Hundreds", 200, 999, "vague"],
  [
    "In that incident, about two dozen men, described by the authorities as sympathisers",
    "about two dozen",
    20,
    28,
    "about",
  ],
  [
    "in which more than 20 people were killed when Islamist militants attacked a gun shop",
    "more than 20",
    21,
    null,
    "more than",
  ],
  [
    "At least 200 other Kazakhs are fighting alongside terrorist groups in Syria",
    "At least 200",
    200,
    null,
    "at least",
  ],
  ["Security forces killed 18 attackers, some on the same day", "18", 18, 18, "exact"],
  [
    "The ministry statement put the total death toll at four, including three policemen.",
    "four",
    4,
    4,
    "exact",
  ],
  // ECB+ dev
  [
    "A powerful earthquake has hit southern Iran, killing at least 10 people, injuring dozens more",
    "dozens",
    24,
    99,
    "vague",
  ],
  ["As many as 80 people were also wounded.", "As many as 80", null, 80, "up to"],
  [
    "The quake has been followed by frequent aftershocks varying from 2.8 to 3.8 degrees",
    "from 2.8 to 3.8",
    2.8,
    3.8,
    "range",
  ],
  [
    "The worst hit villages sustained between 40 and 80 percent damage.",
    "between 40 and 80",
    40,
    80,
    "range",
  ],
  ["The governor told Iranian media that 2,000 tents were ready", "2,000", 2000, 2000, "exact"],
  [
    "Four armed robbers -- two dressed as women -- made off with $137-million of diamonds",
    "137-million",
    137e6,
    137e6,
    "exact",
  ],
  ["making off with a two-million-euro ($2. 6-million) booty", "two-million", 2e6, 2e6, "exact"],
  [
    "The Orioles have offered Teixeira a seven-year deal worth between $140 million and $150 million.",
    "between $140 million and $150 million",
    140e6,
    150e6,
    "range",
  ],
  ["There have been nearly 100 attacks in Somali waters this year.", "nearly 100", 85, 100, "nearly"],
  ["Pirates holding about a dozen ships and nearly 300 crewmen", "about a dozen", 10, 14, "about"],
  ["Fanning said at least a dozen people were at the party", "at least a dozen", 12, null, "at least"],
  [
    "An estimated 1,500 pirates are based in Somalia's semiautonomous Puntland region",
    "An estimated 1,500",
    1275,
    1725,
    "about",
  ],
  ["Sixty-five per cent of traffic to India was down", "Sixty-five", 65, 65, "exact"],
  [
    "stealing more than e85 million worth of diamonds",
    "more than e85 million",
    null,
    null,
    "skip-currency-check",
  ],
  [
    "athens protest attended by tens of thousands of union members",
    "tens of thousands",
    20000,
    99999,
    "vague",
  ],
  ["A 5.9 magnitude earthquake has leveled seven villages", "5.9", 5.9, 5.9, "exact"],
  ["An earthquake with a magnitude of at least 5.9 hit southern Iran", "at least 5.9", 5.9, null, "at least"],
  ["Police said 12 people were injured in the riots.", "12", 12, 12, "exact"],
  ["twenty-one people were hurt", "twenty-one", 21, 21, "exact"],
];

describe("findNumbers on real sentences", () => {
  for (const [sentence, phrase, lo, hi, bound] of CASES) {
    if (bound === "skip-currency-check") continue;
    it(`${phrase} ← ${sentence.slice(0, 60)}`, () => {
      const found = findNumbers(sentence);
      const hit = found.find((n) => n.text === phrase);
      expect(hit, `found: ${found.map((n) => n.text).join(" | ")}`).toBeDefined();
      expect(hit?.lo).toBe(lo);
      expect(hit?.hi).toBe(hi);
      expect(hit?.bound).toBe(bound);
      // The phrase is verbatim at its offsets.
      expect(sentence.slice(hit?.start ?? -1, hit?.end ?? -1)).toBe(phrase);
    });
  }

  it("reads a mangled euro sign with a scale ('e85 million') as a number", () => {
    const n = findNumbers("stealing more than e85 million worth of diamonds");
    expect(n.map((x) => x.value)).toContain(85e6);
  });

  it("does not read ordinals, or parts of identifiers, as numbers", () => {
    expect(findNumbers("the 81st annual Academy Awards").length).toBe(0);
    expect(findNumbers("seven AK-47 assault rifles").map((n) => n.value)).toEqual([7]);
  });

  it("reads 'as much as', 'and a half' and amounts with a space after the thousands comma", () => {
    const read = (t: string): [string, number | null, number | null][] =>
      findNumbers(t).map((n) => [n.text, n.lo, n.hi]);
    expect(read("possibly as much as $180 million")).toEqual([["as much as $180 million", null, 180e6]]);
    expect(read("served four and a half months")).toEqual([["four and a half", 4.5, 4.5]]);
    expect(read("two and a half million people")).toEqual([["two and a half million", 2.5e6, 2.5e6]]);
    expect(read("sentenced to 2 1/2 years")).toEqual([["2 1/2", 2.5, 2.5]]);
    expect(read("a 2-1/2 year sentence")).toEqual([["2-1/2", 2.5, 2.5]]);
    expect(read("a 3¾-mile race")).toEqual([["3¾", 3.75, 3.75]]);
    // A scale written once applies to both ends of a range (issue 4, recall pass; sentences written here).
    expect(read("offers between $140 and $150 million")).toEqual([
      ["between $140 and $150 million", 140e6, 150e6],
    ]);
    expect(read("from 1.2 to 1.5 billion")).toEqual([["from 1.2 to 1.5 billion", 1.2e9, 1.5e9]]);
    expect(read("between 40 and 80 percent")).toEqual([["between 40 and 80", 40, 80]]);
    expect(read("Apple will ask $1, 099 for it")).toEqual([["1, 099", 1099, 1099]]);
    expect(read("more than $300, 000 in payoffs")).toEqual([["more than $300, 000", 300001, null]]);
    // Without a currency sign a comma and a space separate numbers.
    expect(read("at 1, 2 and 3")).toEqual([
      ["1", 1, 1],
      ["2", 2, 2],
      ["3", 3, 3],
    ]);
  });

  it("splits a height run into a weight ('5-foot-8,135 pounds'), not elsewhere ('about 8,135 people')", () => {
    expect(findNumbers("Orozco is 5-foot-8,135 pounds").map((n) => n.text)).toEqual(["5", "135"]);
    expect(findNumbers("about 8,135 people").map((n) => n.value)).toEqual([8135]);
  });
});

describe("parseCore", () => {
  it("parses words, digits, scales and vague quantities", () => {
    expect(parseCore("four")).toEqual({ lo: 4, hi: 4, vague: false });
    expect(parseCore("Twenty-one")).toEqual({ lo: 21, hi: 21, vague: false });
    expect(parseCore("two dozen")).toEqual({ lo: 24, hi: 24, vague: false });
    expect(parseCore("a dozen")).toEqual({ lo: 12, hi: 12, vague: false });
    expect(parseCore("1,500")).toEqual({ lo: 1500, hi: 1500, vague: false });
    expect(parseCore("2 mn")).toEqual({ lo: 2e6, hi: 2e6, vague: false });
    expect(parseCore("74million")).toEqual({ lo: 74e6, hi: 74e6, vague: false });
    expect(parseCore("hundreds")).toEqual({ lo: 200, hi: 999, vague: true });
    expect(parseCore("banana")).toBeNull();
    // Object keys are not numbers (found by the fuzz suite).
    expect(parseCore("__proto__")).toBeNull();
    expect(parseCore("constructor")).toBeNull();
    // More digits than a double holds: not a number (found by the fuzz suite).
    expect(parseCore("9".repeat(309))).toBeNull();
    expect(parseCore(`${"9".repeat(300)} trillion`)).toBeNull();
  });
});
