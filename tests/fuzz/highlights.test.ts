/**
 * The inline highlighter (content/highlights.ts) with random specs on the real and seed pages:
 * quotes and phrases cut from the page's own text (so they are found), changed slightly, or
 * random Unicode. After `abort()` the body's HTML is exactly what it was; while marked, no
 * mark holds text outside its phrase; nothing throws.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldText, initHighlights, MARK_CLASS } from "../../content/highlights.js";
import type { HighlightSpec } from "../../src/protocol.js";
import { dom, type JsdomInstance, loadPages } from "./pages.js";
import { anyUnicode, params, timed } from "./runs.js";

const pages = loadPages();
/** One jsdom per page, reused across runs: every run must leave it exactly as it found it. */
const cache = new Map<number, { jsdom: JsdomInstance; body: string; sentences: string[] }>();
function page(i: number) {
  let c = cache.get(i);
  if (!c) {
    const jsdom = dom(pages[i]!.html);
    const body = jsdom.window.document.body;
    const text = (body.textContent ?? "").replace(/\s+/g, " ");
    // Sentence-like stretches of visible-ish text with a digit or a number word in them.
    const sentences = text
      .split(/(?<=[.!?])\s+/)
      .filter(
        (s) => s.length > 20 && s.length < 400 && /\d|\b(?:one|two|three|four|five|ten|dozen)\b/i.test(s),
      );
    c = { jsdom, body: body.innerHTML, sentences: sentences.length ? sentences : [text.slice(0, 200)] };
    cache.set(i, c);
  }
  return c;
}

const fold = (s: string) => foldText(s).replace(/\s+/g, " ").trim();

/** A spec drawn from a sentence of the page: phrase = a slice of it, maybe altered. */
const specFor = (sentences: string[]) =>
  fc
    .tuple(
      fc.nat({ max: sentences.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(
        "as-is",
        "as-is",
        "quote-upper",
        "quote-truncated",
        "phrase-random",
        "quote-random",
        "both-random",
      ),
      anyUnicode(30),
      fc.constantFrom("dispute", "update", "agree") as fc.Arbitrary<HighlightSpec["status"]>,
      fc.nat({ max: 20 }),
      fc.array(
        fc.record({
          phrase: anyUnicode(20),
          source: fc.option(anyUnicode(20)),
          published: fc.option(fc.constantFrom("2016-07-18", "junk")),
        }),
        { maxLength: 3 },
      ),
    )
    .map(([k, a, b, how, junk, status, figure, others]): HighlightSpec => {
      const quote = sentences[k]!;
      const from = Math.floor(a * quote.length);
      const to = Math.min(quote.length, from + 1 + Math.floor(b * 30));
      let phrase = quote.slice(from, to);
      let q = quote;
      if (how === "quote-upper") q = quote.toUpperCase();
      if (how === "quote-truncated") q = quote.slice(0, Math.max(to, Math.floor(quote.length / 2)));
      if (how === "phrase-random") phrase = junk;
      if (how === "quote-random") q = junk;
      if (how === "both-random") [q, phrase] = [junk, junk.slice(0, 5)];
      return { figure, quantity: "people killed", status, phrase, quote: q, others };
    });

describe("initHighlights on real pages with random specs", () => {
  it("abort restores body.innerHTML exactly; marks hold only text of their phrase", () => {
    let marked = 0;
    fc.assert(
      fc.property(
        fc
          .nat({ max: pages.length - 1 })
          .chain((i) =>
            fc.tuple(fc.constant(i), fc.array(specFor(page(i).sentences), { minLength: 1, maxLength: 6 })),
          ),
        ([i, specs]) => {
          const c = page(i);
          const doc = c.jsdom.window.document;
          const ctrl = new AbortController();
          const { value: n, ms } = timed(() => initHighlights(specs, ctrl.signal, doc.body));
          expect(ms).toBeLessThan(20_000);
          const marks = Array.from(doc.querySelectorAll<HTMLElement>(`mark.${MARK_CLASS}`));
          expect(n).toBeLessThanOrEqual(marks.length);
          marked += n;
          for (const m of marks) {
            const spec = specs.find((s) => String(s.figure) === m.getAttribute("data-parallax-figure"));
            expect(spec, "a mark for a figure that was not asked").toBeDefined();
            const candidates = specs.filter(
              (s) => String(s.figure) === m.getAttribute("data-parallax-figure"),
            );
            const piece = fold(m.textContent ?? "");
            expect(piece.length, "an empty mark").toBeGreaterThan(0);
            expect(
              candidates.some((s) => fold(s.phrase).includes(piece)),
              `mark "${m.textContent}" not inside phrase(s) ${candidates.map((s) => JSON.stringify(s.phrase)).join(", ")}`,
            ).toBe(true);
          }
          ctrl.abort();
          expect(doc.querySelectorAll(`mark.${MARK_CLASS}`).length).toBe(0);
          expect(doc.body.innerHTML === c.body, `${pages[i]!.name}: body differs after abort`).toBe(true);
        },
      ),
      { ...params(8, 10), endOnFailure: true },
    );
    // Not vacuous: phrases cut from the page are found and marked.
    expect(marked).toBeGreaterThan(0);
  });
});
