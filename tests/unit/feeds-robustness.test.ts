/**
 * Robustness of the DOM-free feed code on real web pages and on generated input:
 * only FeedError ever escapes parseFeed / parseOpml, and decoding never grows its input.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { parseOpml } from "../../src/feeds/opml.js";
import { parseFeed } from "../../src/feeds/parse.js";
import { decodeEntities, htmlToText, xmlCharData } from "../../src/feeds/text.js";

const pagesDir = new URL("../fixtures/pages/", import.meta.url);
const slugs = readdirSync(pagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof FeedError) return e.code;
    throw e;
  }
}

describe("real news pages are refused as web pages", () => {
  it("has the page fixtures", () => expect(slugs.length).toBeGreaterThanOrEqual(12));
  for (const slug of slugs) {
    it(slug, () => {
      const html = readFileSync(new URL(`${slug}/source.html`, pagesDir), "utf8");
      expect(codeOf(() => parseFeed(html, "text/html; charset=utf-8", `https://example.com/${slug}`))).toBe(
        "html",
      );
      // even when a server mislabels it as XML
      expect(codeOf(() => parseFeed(html, "application/xml", `https://example.com/${slug}`))).toBe("html");
      expect(codeOf(() => parseOpml(html))).toBe("html");
    });
  }
});

describe("a real feed served as text/html is still read", () => {
  it("content type does not override content", () => {
    const rss = readFileSync(new URL("../fixtures/feeds/rss2.xml", import.meta.url), "utf8");
    expect(parseFeed(rss, "text/html", "https://news.example.org/rss").items).toHaveLength(4);
  });
});

const xmlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "<rss>",
        "</rss>",
        "<channel>",
        "</channel>",
        "<item>",
        "</item>",
        "<title>",
        "</title>",
        "<link>",
        "</link>",
        "<feed>",
        "</feed>",
        "<entry>",
        '<content type="xhtml">',
        "</content>",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "&amp;",
        "&#x1F600;",
        "&#0;",
        "&lol;",
        '<!DOCTYPE rss [<!ENTITY lol "&lol;&lol;">]>',
        '<?xml version="1.0"?>',
        '<opml><body><outline xmlUrl="https://a.example/f"/>',
        '{"version":"https://jsonfeed.org/version/1.1","items":[',
        "<",
        ">",
        '"',
        "/",
        "&",
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("no catastrophic backtracking", () => {
  it("a run of comments before the first element is scanned in linear time", () => {
    for (const tail of [
      "x",
      "<rss><channel><title>t</title></channel></rss>",
      "<html><body></body></html>",
    ]) {
      const body = "<!--a-->".repeat(5000) + tail;
      const t0 = performance.now();
      const code = codeOf(() => parseFeed(body, null, "https://a.example/feed"));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(code).toBe(tail === "x" ? "not-feed" : tail.startsWith("<html") ? "html" : "ok");
    }
  });
});

describe("generated input", () => {
  it("parseFeed and parseOpml throw nothing but FeedError", () => {
    fc.assert(
      fc.property(
        fc.oneof(xmlish, fc.string()),
        fc.constantFrom(null, "text/html", "application/json"),
        (body, type) => {
          codeOf(() => parseFeed(body, type, "https://a.example/feed"));
          codeOf(() => parseOpml(body));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("parsed items only ever carry http(s) URLs", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (href) => {
        const xml = `<rss><channel><title>t</title><item><title>x</title><link>${href
          .replace(/&/g, "&amp;")
          .replace(/</g, "&lt;")}</link></item></channel></rss>`;
        let url: string | null = null;
        try {
          url = parseFeed(xml, null, "https://a.example/feed").items[0]?.url ?? null;
        } catch (e) {
          if (!(e instanceof FeedError)) throw e;
        }
        expect(url === null || /^https?:\/\//.test(url)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("entity decoding and HTML stripping never make text longer than their input", () => {
    fc.assert(
      fc.property(xmlish, (s) => {
        expect(decodeEntities(s).length).toBeLessThanOrEqual(s.length);
        expect(xmlCharData(s).length).toBeLessThanOrEqual(s.length);
        expect(htmlToText(s).length).toBeLessThanOrEqual(s.length);
      }),
      { numRuns: 1500 },
    );
  });
});
