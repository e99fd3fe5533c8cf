/**
 * Extraction on the twelve real saved pages (tests/fixtures/pages/<slug>/): one group per
 * slug, compared with the reviewed expected-parallax.json (written as a draft by
 * scripts/new-page-fixture.mjs, then checked by a person) and with the title Readability's own
 * expected-metadata.json gives.
 */
import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractArticle, type ExtractResult } from "../../content/extract.js";
import { initHighlights } from "../../content/highlights.js";
import { dom, fixture, root } from "./helpers.js";
import { summarize, type ExpectedParallax } from "./page-expected.js";

const pagesDir = new URL("tests/fixtures/pages/", root);
const slugs = readdirSync(pagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("page fixtures (meta)", () => {
  it("there are the twelve pages", () => {
    expect(slugs.length).toBeGreaterThanOrEqual(12);
  });
  for (const slug of slugs) {
    it(`${slug} has source.html and a reviewed expected-parallax.json`, () => {
      for (const file of ["source.html", "expected-parallax.json"]) {
        expect(existsSync(new URL(`${slug}/${file}`, pagesDir)), file).toBe(true);
      }
      const expected = JSON.parse(
        fixture(`tests/fixtures/pages/${slug}/expected-parallax.json`),
      ) as ExpectedParallax;
      expect(expected.draft, "still a draft: review it and remove the draft flag").toBeUndefined();
    });
  }
});

for (const slug of slugs) {
  describe(`page ${slug}`, () => {
    const expectedPath = `tests/fixtures/pages/${slug}/expected-parallax.json`;
    if (!existsSync(new URL(expectedPath, root))) return; // the meta-test above fails instead
    const expected = JSON.parse(fixture(expectedPath)) as ExpectedParallax;
    // Readability's own expected metadata: present for the twelve pages taken from its tests,
    // not for pages added later with scripts/new-page-fixture.mjs.
    const metadataPath = `tests/fixtures/pages/${slug}/expected-metadata.json`;
    const metadata = existsSync(new URL(metadataPath, root))
      ? (JSON.parse(fixture(metadataPath)) as { title: string; lang?: string })
      : null;
    // Parsed and extracted once per page (extraction never changes the document).
    let result: ExtractResult | undefined;
    let page: Document | undefined;
    const load = (): Document =>
      (page ??= dom(fixture(`tests/fixtures/pages/${slug}/source.html`), expected.pageUrl).window.document);
    const extract = (): ExtractResult => (result ??= extractArticle(load(), expected.pageUrl));

    it("extracts what the reviewed expected file says", () => {
      expect({ draft: expected.draft, pageUrl: expected.pageUrl, ...summarize(extract()) }).toEqual(expected);
    });

    if (expected.reason === null) {
      it("title as in Readability's expected metadata; non-trivial English text", () => {
        const { article } = extract();
        if (metadata) expect(article?.title).toBe(metadata.title);
        expect(article!.text.length).toBeGreaterThan(1500);
        expect(article!.text.split("\n").length).toBeGreaterThan(5);
        expect(article!.text).not.toMatch(/<[a-z][^>]*>/i); // text, not markup
      });

      it("a number in the extracted text can be highlighted in the live page, and abort restores it", () => {
        const { article } = extract();
        const doc = load();
        // The first sentence of the article text that holds a number (digits or a number
        // word), as the engine would quote it, and that number as the phrase.
        const NUMBER =
          /\b(?:\d[\d,.]*\d|\d|two|three|four|five|six|seven|eight|nine|ten|dozen|hundreds|thousands)\b/i;
        const sentences = article!.text.split(/\n|(?<=[.!?])\s+/);
        const quote = sentences.find((s) => NUMBER.test(s) && s.length > 40);
        expect(quote, "a sentence with a number").toBeDefined();
        const phrase = NUMBER.exec(quote!)![0];
        const before = doc.body.innerHTML;
        const controller = new doc.defaultView!.AbortController();
        const spec = {
          figure: 0,
          quantity: "",
          status: "dispute" as const,
          phrase,
          quote: quote!,
          others: [],
        };
        expect(initHighlights([spec], controller.signal, doc.body)).toBeGreaterThanOrEqual(1);
        const marks = Array.from(doc.querySelectorAll("mark.parallax-mark"));
        const firstGroup = marks.filter((m) => m.getAttribute("data-parallax-figure") === "0");
        expect(firstGroup.map((m) => m.textContent).join("")).toContain(phrase);
        controller.abort();
        expect(doc.querySelectorAll("mark.parallax-mark")).toHaveLength(0);
        expect(doc.body.innerHTML).toBe(before);
      });
    } else {
      it(`no article: ${expected.reason}`, () => {
        if (metadata) expect(metadata.lang && !metadata.lang.startsWith("en")).toBe(true);
        expect(extract()).toEqual({ article: null, reason: expected.reason });
      });
    }
  });
}
