import { describe, expect, it } from "vitest";
import { eventKinds, kindSimilarity } from "../../src/engine/text/kinds.js";

describe("eventKinds", () => {
  it("names the kind of the main event from trigger words, with prefixes", () => {
    const q = eventKinds("A 4.6 magnitude earthquake rattled Sonoma County early Thursday; no aftershocks.");
    expect([...q.keys()].sort()).toEqual(["quake"]);
    expect(q.get("quake")).toBe(3);
    const s = eventKinds("Gunmen opened fire on a police station in Almaty, killing three officers.");
    expect(s.has("shooting")).toBe(true);
    expect(s.has("killing")).toBe(true);
    expect(s.has("quake")).toBe(false);
  });

  it("names nothing in a text without trigger words", () => {
    expect(eventKinds("The weather in Paris was mild and sunny.").size).toBe(0);
  });
});

describe("kindSimilarity", () => {
  it("is 1 for one kind, 0 for disjoint kinds and 0 when a side names none", () => {
    const quake = eventKinds("Earthquake hits island");
    expect(kindSimilarity(quake, eventKinds("Quake shakes county"))).toBeCloseTo(1);
    expect(kindSimilarity(quake, eventKinds("Fire guts supermarket"))).toBe(0);
    expect(kindSimilarity(quake, new Map())).toBe(0);
    const mixed = kindSimilarity(eventKinds("Arson fire; two arrested"), eventKinds("Blaze destroys store"));
    expect(mixed).toBeGreaterThan(0);
    expect(mixed).toBeLessThan(1);
  });
});
