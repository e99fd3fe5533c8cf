import { describe, expect, it } from "vitest";
import {
  foldText,
  initHighlights,
  locate,
  otherLine,
  scrollToFigure,
  shortDate,
  tooltipRoot,
  tooltipTexts,
} from "../../content/highlights.js";
import type { HighlightSpec } from "../../src/protocol.js";
import { dom, fixture } from "./helpers.js";

const seedPage = (name: string) => dom(fixture(`tests/fixtures/seed-pages/${name}.html`));

function spec(partial: Partial<HighlightSpec> & Pick<HighlightSpec, "phrase" | "quote">): HighlightSpec {
  return {
    figure: 0,
    quantity: "policemen killed",
    status: "dispute",
    others: [{ phrase: "at least three", source: "NDTV", published: "2016-07-18" }],
    ...partial,
  };
}

const marks = (doc: Document) => Array.from(doc.querySelectorAll<HTMLElement>("mark.parallax-mark"));
const textNodesOf = (el: Node) => Array.from(el.childNodes).filter((n) => n.nodeType === 3).length;

/**
 * The tooltip a mark points to, and the text it shows. The text is in a closed shadow root:
 * only the module that made it can reach it (`tooltipRoot`), as only the content script can.
 */
function tooltipOf(doc: Document, mark: HTMLElement) {
  const id = mark.getAttribute("aria-describedby");
  const host = id ? doc.getElementById(id) : null;
  return {
    host,
    root: host ? tooltipRoot(host) : null,
    text: (host && tooltipRoot(host)?.textContent) ?? "",
  };
}

const QUOTE_000 =
  "Suspected Islamist militants gunned down on Monday at least four policemen and one civilian in Kazakhstan’s financial capital Almaty, security and hospital sources said.";

describe("initHighlights: finding and marking", () => {
  it("marks a phrase that spans a text node and a link (seed page 000)", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    const n = initHighlights(
      [spec({ phrase: "at least four", quote: QUOTE_000 })],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(1);
    const ms = marks(doc);
    expect(ms.map((m) => m.textContent)).toEqual(["at least ", "four"]);
    expect(ms[1]!.parentElement!.tagName).toBe("A");
    expect(ms.every((m) => m.closest("p")!.textContent!.startsWith("Suspected Islamist militants"))).toBe(
      true,
    );
    // Only the first piece is focusable and described; both carry the figure.
    expect(ms[0]!.getAttribute("tabindex")).toBe("0");
    expect(ms[0]!.getAttribute("role")).toBe("button");
    expect(ms[1]!.hasAttribute("tabindex")).toBe(false);
    expect(ms.map((m) => m.getAttribute("data-parallax-figure"))).toEqual(["0", "0"]);
    const tip = tooltipOf(doc, ms[0]!);
    expect(tip.host?.getAttribute("role")).toBe("tooltip");
    expect(tip.text).toContain("NDTV, 18 Jul 2016: at least three");
  });

  it("marks across nested inline markup (a > em > b), one mark per text node", () => {
    const { window } = dom(
      `<p>Police said <a href="/x">at <em>least <b>four</b></em> officers</a> died, and two more were hurt.</p>`,
    );
    const doc = window.document;
    const n = initHighlights(
      [
        spec({
          phrase: "at least four",
          quote: "Police said at least four officers died, and two more were hurt.",
        }),
      ],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(1);
    expect(marks(doc).map((m) => [m.parentElement!.tagName, m.textContent])).toEqual([
      ["A", "at "],
      ["EM", "least "],
      ["B", "four"],
    ]);
    expect(doc.querySelector("p")!.textContent).toBe(
      "Police said at least four officers died, and two more were hurt.",
    );
  });

  it("folds whitespace (incl. no-break spaces), typographic quotes and case (seed page 003)", () => {
    const { window } = seedPage("003_2f11906d63638778");
    const doc = window.document;
    // The page has "links\u00a0killed five" and curly quotes; the quote here has plain ones.
    const quote =
      'Kazakhstan has declared a "red terror alert" in the city of Almaty after a gunman with Islamist links killed five,   including three police officers, in attacks on July 18.';
    const n = initHighlights(
      [
        spec({ figure: 1, phrase: "killed five", quote }),
        spec({ figure: 2, phrase: "Three Police Officers", quote }),
      ],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(2);
    expect(marks(doc).map((m) => m.textContent)).toEqual(["killed five", "three police officers"]);
    expect(marks(doc)[1]!.parentElement!.tagName).toBe("EM");
  });

  it("marks every occurrence of a quote a page repeats (seed page 001)", () => {
    const { window } = seedPage("001_d11f9d2465d14c55");
    const doc = window.document;
    const quote =
      "Last month men the authorities described as ISIS sympathisers attacked gun stores and a national guard facility, killing seven people.";
    expect(initHighlights([spec({ phrase: "seven", quote })], new AbortController().signal, doc.body)).toBe(
      2,
    );
    expect(marks(doc).map((m) => m.textContent)).toEqual(["seven", "seven"]);
  });

  it("quote not in the page: marks the phrase only in sentences sharing most of the quote's words", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    // Edited wording; the page says "...killed in gun battles with two unidentified gunmen...".
    // "two" also stands in "wounding two before he was detained", which must not be marked.
    const quote =
      "The officers died in gun battles with two gunmen inside a police station in central Almaty.";
    expect(doc.body.textContent).not.toContain(quote);
    const n = initHighlights([spec({ phrase: "two", quote })], new AbortController().signal, doc.body);
    expect(n).toBe(1);
    expect(marks(doc)[0]!.closest("p")!.textContent).toContain("gun battles with two unidentified gunmen");
  });

  it("nothing found → 0 marks, no tooltip host, the page unchanged", () => {
    const { window } = seedPage("004_844a32d78c3c6d5d");
    const doc = window.document;
    const before = doc.body.innerHTML;
    const n = initHighlights(
      [spec({ phrase: "at least four", quote: "Nothing like this sentence is in the page at all." })],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(0);
    expect(doc.body.innerHTML).toBe(before);
  });

  it("locate prefers a word-bounded phrase inside the quote", () => {
    const text = foldText("Thirty-three people died; three were police.");
    const [range] = locate(text, { phrase: "three", quote: "Thirty-three people died; three were police." });
    expect(text.slice(range![0] - 2, range![1])).toBe("; three");
  });
});

describe("initHighlights: abort restores the page", () => {
  for (const name of ["000_7ec41403aca26861", "001_d11f9d2465d14c55", "003_2f11906d63638778"]) {
    it(`${name}: body.innerHTML identical and text nodes re-joined after abort`, () => {
      const { window } = seedPage(name);
      const doc = window.document;
      const before = doc.body.innerHTML;
      const paragraphs = Array.from(doc.querySelectorAll("p, a, em, strong"));
      const nodeCounts = paragraphs.map(textNodesOf);
      const specs = [
        spec({ figure: 0, phrase: "at least four", quote: QUOTE_000 }),
        spec({ figure: 1, phrase: "one", quote: QUOTE_000 }),
        spec({
          figure: 2,
          phrase: "killed five",
          quote: "a gunman with Islamist links killed five, including three police officers",
        }),
        spec({
          figure: 3,
          phrase: "at least three",
          quote: "Suspected Islamist terrorists killed at least three policemen and a civilian",
        }),
        spec({ figure: 4, phrase: "seven", quote: "killing seven people." }),
      ];
      const controller = new AbortController();
      const n = initHighlights(specs, controller.signal, doc.body);
      expect(n).toBeGreaterThan(0);
      expect(doc.body.innerHTML).not.toBe(before);
      controller.abort();
      expect(marks(doc)).toHaveLength(0);
      expect(doc.querySelector("[data-parallax-tooltips]")).toBeNull();
      expect(doc.body.innerHTML).toBe(before);
      expect(paragraphs.map(textNodesOf)).toEqual(nodeCounts);
    });
  }

  it("an already aborted signal marks nothing; marking again after an abort works", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    const aborted = new AbortController();
    aborted.abort();
    expect(
      initHighlights([spec({ phrase: "at least four", quote: QUOTE_000 })], aborted.signal, doc.body),
    ).toBe(0);
    const first = new AbortController();
    initHighlights([spec({ phrase: "at least four", quote: QUOTE_000 })], first.signal, doc.body);
    first.abort();
    expect(
      initHighlights(
        [spec({ phrase: "at least four", quote: QUOTE_000 })],
        new AbortController().signal,
        doc.body,
      ),
    ).toBe(1);
    expect(marks(doc)).toHaveLength(2);
  });
});

describe("tooltips", () => {
  it("show page- and store-derived values as inert text", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    const evil = `<img src=x onerror="window.__pwned=1">`;
    initHighlights(
      [
        spec({
          phrase: "at least four",
          quote: QUOTE_000,
          quantity: "<b>policemen</b>",
          others: [{ phrase: evil, source: "<script>alert(1)</script>", published: "not a date" }],
        }),
      ],
      new AbortController().signal,
      doc.body,
    );
    const { host, text } = tooltipOf(doc, marks(doc)[0]!);
    expect(text).toContain(`<script>alert(1)</script>: ${evil}`);
    expect(text).toContain("<b>policemen</b>");
    expect(tooltipRoot(host!)!.querySelector("img, script, b")).toBeNull();
    expect(doc.querySelector("img")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("live in a shadow root with their own styles, show on focus/hover, hide on Escape and blur", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    initHighlights(
      [spec({ phrase: "at least four", quote: QUOTE_000 })],
      new AbortController().signal,
      doc.body,
    );
    const [first, second] = marks(doc);
    const { host, root } = tooltipOf(doc, first!);
    const shadow = root!;
    const styled = shadow.querySelector("style") !== null || shadow.adoptedStyleSheets.length === 1;
    expect(styled).toBe(true);
    const visible = () => host!.style.getPropertyValue("display") !== "none";
    expect(visible()).toBe(false);
    first!.focus();
    expect(doc.activeElement).toBe(first);
    expect(visible()).toBe(true);
    expect(first!.getAttribute("aria-expanded")).toBe("true");
    doc.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(visible()).toBe(false);
    second!.dispatchEvent(new window.MouseEvent("mouseenter"));
    expect(visible()).toBe(true);
    first!.blur();
    expect(visible()).toBe(false);
  });

  it("keep the other reports' values from the page: closed root, nothing in the light DOM (S1)", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    const secret = { phrase: "exactly 417", source: "Secret Outlet", published: "2016-07-18" };
    initHighlights(
      [spec({ phrase: "at least four", quote: QUOTE_000, others: [secret] })],
      new AbortController().signal,
      doc.body,
    );
    const first = marks(doc)[0]!;
    first.focus(); // shown
    const { host, root } = tooltipOf(doc, first);
    expect(root!.textContent).toContain("Secret Outlet, 18 Jul 2016: exactly 417");
    // What a page script can reach: the host has no readable shadow root, and no light-DOM
    // text, attribute or serialisation carries the other report's outlet or value.
    expect(host!.shadowRoot).toBeNull();
    expect(() => host!.attachShadow({ mode: "open" })).toThrow();
    const html = doc.documentElement.outerHTML;
    for (const leak of ["Secret Outlet", "exactly 417"]) {
      expect(html).not.toContain(leak);
      expect(doc.body.textContent).not.toContain(leak);
    }
    // A host planted by the page is not taken for a tooltip.
    const fake = doc.createElement("div");
    fake.setAttribute("data-parallax-tooltips", "");
    const fakeTip = doc.createElement("div");
    fakeTip.setAttribute("role", "tooltip");
    fakeTip.textContent = "planted";
    fake.appendChild(fakeTip);
    doc.body.appendChild(fake);
    const texts = tooltipTexts(doc);
    expect(texts).toEqual([{ id: host!.id, text: expect.stringContaining("exactly 417"), shown: true }]);
    expect(texts[0]!.text.split("\n")).toEqual([
      "Other reports give a different figure (policemen killed)",
      "Secret Outlet, 18 Jul 2016: exactly 417",
      "Parallax · Esc to close",
    ]);
  });

  it("scrollToFigure focuses the figure's first mark", () => {
    const { window } = seedPage("000_7ec41403aca26861");
    const doc = window.document;
    initHighlights(
      [spec({ figure: 3, phrase: "at least four", quote: QUOTE_000 })],
      new AbortController().signal,
      doc.body,
    );
    expect(scrollToFigure(7, doc)).toBe(false);
    expect(scrollToFigure(3, doc)).toBe(true);
    expect(doc.activeElement).toBe(marks(doc)[0]);
  });

  it("format outlet and date as '18 Jul 2016'", () => {
    expect(shortDate("2016-07-18")).toBe("18 Jul 2016");
    expect(shortDate("2011-12-04T06:08:00Z")).toBe("4 Dec 2011");
    expect(shortDate(null)).toBeNull();
    expect(otherLine({ phrase: "three", source: null, published: null })).toBe("Another report: three");
  });
});

describe("initHighlights: restatements outside the extracted article", () => {
  const html = `<html><body><article>
    <p>Gunmen stormed the museum on Wednesday, killing at least 19 people, including 17 foreigners.</p>
    <figure><figcaption>Police outside the museum, where gunmen attacked and killed at least 19 people.</figcaption></figure>
    <p>The museum reopened after at least 19 days, officials said.</p>
    <p>The 19 people killed were mostly tourists.</p>
  </article></body></html>`;
  const lead = "Gunmen stormed the museum on Wednesday, killing at least 19 people, including 17 foreigners.";

  it("marks the same phrase in a caption that names the quantity, never look-alikes", () => {
    const doc = dom(html).window.document;
    const n = initHighlights(
      [spec({ quantity: "people killed", phrase: "at least 19", quote: lead })],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(2);
    const ms = marks(doc);
    expect(ms.map((m) => m.textContent)).toEqual(["at least 19", "at least 19"]);
    expect(ms[1]!.closest("figcaption")).not.toBeNull();
    // "at least 19 days" does not name people killed; a bare "19" is never restated.
    expect(doc.querySelectorAll("p")[1]!.querySelector("mark")).toBeNull();
    expect(doc.querySelectorAll("p")[2]!.querySelector("mark")).toBeNull();
  });

  it("a bare number is not looked for elsewhere", () => {
    const doc = dom(html).window.document;
    const n = initHighlights(
      [spec({ quantity: "foreigners killed", phrase: "17", quote: lead })],
      new AbortController().signal,
      doc.body,
    );
    expect(n).toBe(1);
  });
});
