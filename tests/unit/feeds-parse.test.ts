import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { parseOpml, toOpml } from "../../src/feeds/opml.js";
import { MAX_FEED_CHARS, parseFeed } from "../../src/feeds/parse.js";
import { decodeEntities, htmlToText, resolveHttpUrl, toIsoDate, xmlCharData } from "../../src/feeds/text.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), "utf8");

function feedError(fn: () => unknown): FeedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FeedError) return e;
    throw e;
  }
  throw new Error("expected a FeedError");
}

describe("parseFeed: RSS 2.0", () => {
  const feed = parseFeed(
    fixture("rss2.xml"),
    "application/rss+xml; charset=utf-8",
    "https://news.example.org/feeds/asia.rss",
  );

  it("reads the channel", () => {
    expect(feed.kind).toBe("rss");
    expect(feed.title).toBe("Central Asia Wire — World & Region");
    expect(feed.siteUrl).toBe("https://news.example.org/world/asia/");
    expect(feed.items).toHaveLength(4);
  });

  it("prefers content:encoded, strips script and tags, decodes entities", () => {
    const a = feed.items[0]!;
    expect(a.id).toBe("urn:uuid:6f1c1a8e-almaty-0001");
    expect(a.url).toBe("https://news.example.org/world/asia/almaty-attack-2016-07-18");
    expect(a.published).toBe("2016-07-18T04:42:00.000Z"); // +0600
    expect(a.summaryText).toContain("Kazakhstan’s financial capital Almaty");
    expect(a.summaryText).toContain("terrorist act & ordered");
    expect(a.summaryText).not.toContain("trackView");
    expect(a.summaryText).not.toMatch(/<\/?p>/);
    expect(a.summaryText.split("\n\n")).toHaveLength(3);
  });

  it("decodes escaped HTML in description and entities in titles; resolves relative links; dc:date", () => {
    const b = feed.items[1]!;
    expect(b.title).toBe('Almaty shooting: what we know — "a terrorist act"');
    expect(b.url).toBe(
      "https://news.example.org/world/asia/almaty-what-we-know?utm_source=rss&utm_medium=feed",
    );
    expect(b.id).toBe("https://news.example.org/world/asia/almaty-what-we-know");
    expect(b.published).toBe("2016-07-18T06:15:00.000Z");
    expect(b.summaryText).toBe(
      "Three policemen were killed, the ministry said & a suspect was detained.\n\nUpdates follow.",
    );
  });

  it("uses a permalink guid as the URL; named zones", () => {
    const c = feed.items[2]!;
    expect(c.url).toBe("https://news.example.org/archive/2011/boraldai-shootout");
    expect(c.published).toBe("2011-07-12T13:00:00.000Z"); // EST = -0500
  });

  it("drops non-http links and unreadable dates", () => {
    const d = feed.items[3]!;
    expect(d.url).toBeNull();
    expect(d.published).toBeNull();
    expect(d.id).toBe("podcast-2016-29");
  });
});

describe("parseFeed: RSS 1.0 (RDF)", () => {
  it("reads items beside the channel", () => {
    const feed = parseFeed(fixture("rss1-rdf.xml"), "application/rdf+xml", "https://rdf.example.org/rss");
    expect(feed.kind).toBe("rss");
    expect(feed.title).toBe("RDF Site Summary");
    expect(feed.items.map((i) => i.url)).toEqual(["https://rdf.example.org/a", "https://rdf.example.org/b"]);
    expect(feed.items[1]!.published).toBe("2016-07-18T04:00:00.000Z");
  });
});

describe("parseFeed: Atom", () => {
  const feed = parseFeed(fixture("atom.xml"), "application/atom+xml", "https://blog.example.net/feed.atom");

  it("reads the feed", () => {
    expect(feed.kind).toBe("atom");
    expect(feed.title).toBe("Steppe Notes");
    expect(feed.siteUrl).toBe("https://blog.example.net/");
    expect(feed.items).toHaveLength(3);
  });

  it("xhtml content in document order, html title, alternate link resolved, published over updated", () => {
    const a = feed.items[0]!;
    expect(a.title).toBe("Almaty attack: the toll rises to five");
    expect(a.url).toBe("https://blog.example.net/posts/almaty-toll-rises.html");
    expect(a.published).toBe("2016-07-19T01:30:00.000Z");
    expect(a.summaryText).toBe(
      "The death toll from Monday’s attack in Almaty rose to five police officers, the Interior Ministry said on Tuesday.\n\n" +
        "One civilian was also killed.\n\nOne suspect was detained.\n\nOfficials said 1 < 2 & that is all.",
    );
  });

  it("a text title keeps its angle brackets; CDATA html content; date-only updated", () => {
    const b = feed.items[1]!;
    expect(b.title).toBe("Plain-text title with <angle> brackets");
    expect(b.summaryText).toBe("HTML content in CDATA with an entity: café.");
    expect(b.published).toBe("2016-07-18");
  });

  it("an entry without a link keeps its id and no URL", () => {
    const c = feed.items[2]!;
    expect(c.url).toBeNull();
    expect(c.id).toBe("urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6");
    expect(c.published).toBe("2016-07-17T12:00:00.123Z");
  });
});

describe("parseFeed: JSON Feed", () => {
  const feed = parseFeed(
    fixture("jsonfeed.json"),
    "application/feed+json",
    "https://daily.example.kz/feed.json",
  );

  it("reads version 1.1 items, skipping non-objects", () => {
    expect(feed.kind).toBe("json");
    expect(feed.title).toBe("Kazakh Daily (JSON)");
    expect(feed.siteUrl).toBe("https://daily.example.kz/");
    expect(feed.items.map((i) => i.id)).toEqual(["2016-07-18-almaty", "42", "external-only"]);
  });

  it("content_html is stripped; content_text is kept verbatim as text", () => {
    expect(feed.items[0]!.summaryText).toBe(
      "Gunmen attacked a police station in Almaty on Monday, killing three officers.\n\nA curfew was not declared.",
    );
    expect(feed.items[1]!.summaryText).toBe("Plain text body with <tags> that are not HTML & an ampersand.");
    expect(feed.items[1]!.url).toBe("https://daily.example.kz/2016/07/19/almaty-day-two");
    expect(feed.items[1]!.published).toBe("2016-07-19T06:00:00.000Z");
    expect(feed.items[2]!.url).toBe("https://other.example.com/report");
  });

  it("accepts version 1 and refuses other JSON", () => {
    const v1 = JSON.stringify({
      version: "https://jsonfeed.org/version/1",
      title: "x",
      items: [{ id: "1", url: "https://a.example/1" }],
    });
    expect(parseFeed(v1, "application/json", "https://a.example/f").items).toHaveLength(1);
    const e = feedError(() => parseFeed('{"hello": "world"}', "application/json", "https://a.example/f"));
    expect(e.code).toBe("unsupported");
    expect(feedError(() => parseFeed("{ not json", "application/json", "https://a.example/f")).code).toBe(
      "malformed",
    );
  });
});

describe("parseFeed: refusals in plain words", () => {
  it("an HTML page, even served as XML", () => {
    for (const type of ["text/html; charset=utf-8", "application/xml", null]) {
      const e = feedError(() => parseFeed(fixture("webpage.html"), type, "https://news.example.org/"));
      expect(e.code).toBe("html");
      expect(e.message).toBe("This address returned a web page, not a feed — look for its RSS link.");
    }
    // XHTML without a doctype
    const x = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>';
    expect(feedError(() => parseFeed(x, "application/xhtml+xml", "https://a.example/")).code).toBe("html");
  });

  it("empty, whitespace, plain text", () => {
    expect(feedError(() => parseFeed("", null, "https://a.example/")).code).toBe("empty");
    expect(feedError(() => parseFeed(" \n\ufeff ", null, "https://a.example/")).code).toBe("empty");
    const t = feedError(() => parseFeed("Hello, this is text", "text/plain", "https://a.example/"));
    expect(t.code).toBe("not-feed");
    expect(t.message).toMatch(/neither XML nor JSON/);
  });

  it("a truncated download", () => {
    const e = feedError(() =>
      parseFeed(fixture("truncated.xml"), "application/rss+xml", "https://a.example/"),
    );
    expect(e.code).toBe("truncated");
    expect(e.message).toMatch(/cut off/);
    // cut between two items: no unclosed raw-text element, only the document end is missing
    const full = fixture("rss2.xml");
    const cut = full.slice(0, full.indexOf("</item>") + "</item>".length);
    expect(feedError(() => parseFeed(cut, "application/rss+xml", "https://a.example/")).code).toBe(
      "truncated",
    );
  });

  it("a body over the limit says the limit", () => {
    const huge = `<rss version="2.0"><channel><title>big</title><item><description>${"x".repeat(
      MAX_FEED_CHARS,
    )}</description></item></channel></rss>`;
    expect(huge.length).toBeGreaterThan(MAX_FEED_CHARS);
    const e = feedError(() => parseFeed(huge, "application/rss+xml", "https://a.example/"));
    expect(e.code).toBe("too-large");
    expect(e.message).toContain("5 MB");
  });

  it("OPML and other XML are unsupported, with a hint for OPML", () => {
    const o = feedError(() => parseFeed(fixture("subscriptions.opml"), "text/xml", "https://a.example/"));
    expect(o.code).toBe("unsupported");
    expect(o.message).toMatch(/OPML/);
    const s = feedError(() =>
      parseFeed(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        null,
        "https://a.example/",
      ),
    );
    expect(s.code).toBe("unsupported");
  });

  it("deeply nested XML is refused instead of recursing without bound", () => {
    const deep = `<rss><channel>${"<x>".repeat(5000)}${"</x>".repeat(5000)}</channel></rss>`;
    expect(feedError(() => parseFeed(deep, null, "https://a.example/")).code).toBe("malformed");
  });
});

describe("parseFeed: entity expansion (billion laughs)", () => {
  it("does not expand DOCTYPE entities: fast, small, literal", () => {
    const t0 = performance.now();
    const feed = parseFeed(
      fixture("billion-laughs.xml"),
      "application/rss+xml",
      "https://evil.example.com/rss",
    );
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(feed.title).toBe("Laughs &lol9;");
    const item = feed.items[0]!;
    expect(item.title.length).toBeLessThan(200);
    expect(item.summaryText).toBe("&lol9;".repeat(10));
    expect(item.summaryText).not.toContain("lollol");
  });

  it("a quadratic-blowup document (one big entity used many times) stays linear", () => {
    const big = "x".repeat(50_000);
    const doc = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "${big}">]><rss><channel><title>q</title><item><title>t</title><link>https://a.example/1</link><description>${"&a;".repeat(20_000)}</description></item></channel></rss>`;
    const t0 = performance.now();
    const feed = parseFeed(doc, null, "https://a.example/rss");
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(feed.items[0]!.summaryText).toBe("&a;".repeat(20_000));
  });
});

describe("text helpers", () => {
  it("decodes entities in one pass (no double decoding)", () => {
    expect(decodeEntities("&amp;lt;b&amp;gt; &#x41;&#66; &eacute; &unknown; &#0; &#xD800;")).toBe(
      "&lt;b&gt; AB é &unknown; \ufffd \ufffd",
    );
    expect(xmlCharData("a &amp; <![CDATA[<b>&amp;</b>]]> z")).toBe("a & <b>&amp;</b> z");
  });

  it("htmlToText keeps lone '<' as text, drops comments, style, unterminated tags", () => {
    expect(htmlToText("a < b and c <= d, 1<2")).toBe("a < b and c <= d, 1<2");
    expect(htmlToText('<p>x<!-- hidden --></p><style>p{}</style><p>y</p><img alt="z" src=a')).toBe("x\n\ny");
    expect(htmlToText('<p>one<br>two</p><img src="a.png" alt="Police cordon">')).toBe(
      "one\ntwo\nPolice cordon",
    );
    expect(htmlToText("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("<script>alert(1)</script>");
  });

  it("htmlToText is linear on hostile input", () => {
    const evil = "<script>".repeat(100_000) + "<".repeat(100_000) + "<!--".repeat(50_000);
    const t0 = performance.now();
    htmlToText(evil);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it("resolveHttpUrl keeps only http(s)", () => {
    expect(resolveHttpUrl("../b?x=1", "https://a.example/f/feed.xml")).toBe("https://a.example/b?x=1");
    expect(resolveHttpUrl("javascript:alert(1)", "https://a.example/")).toBeNull();
    expect(resolveHttpUrl("data:text/html,hi", "https://a.example/")).toBeNull();
    expect(resolveHttpUrl("  ", "https://a.example/")).toBeNull();
    expect(resolveHttpUrl("//cdn.example.org/x", "http://a.example/")).toBe("http://cdn.example.org/x");
  });

  it("toIsoDate reads RFC 822, RFC 3339 and W3CDTF", () => {
    expect(toIsoDate("Mon, 18 Jul 2016 10:42:00 +0600")).toBe("2016-07-18T04:42:00.000Z");
    expect(toIsoDate("18 Jul 2016 10:42 GMT")).toBe("2016-07-18T10:42:00.000Z");
    expect(toIsoDate("Monday, 18 July 16 10:42:00 PDT")).toBe("2016-07-18T17:42:00.000Z");
    expect(toIsoDate("2016-07-18T10:42:00.5+06:00")).toBe("2016-07-18T04:42:00.500Z");
    expect(toIsoDate("2016-07-18 10:42:00Z")).toBe("2016-07-18T10:42:00.000Z");
    expect(toIsoDate("2016-07-18")).toBe("2016-07-18");
    expect(toIsoDate("2016-13-40")).toBeNull();
    expect(toIsoDate("yesterday")).toBeNull();
    expect(toIsoDate("Mon, 18 Jul 2016 10:42:00 XYZ")).toBeNull();
  });
});

describe("OPML", () => {
  it("reads nested outlines, dedupes, keeps http(s) only, titles fall back to text then host", () => {
    expect(parseOpml(fixture("subscriptions.opml"))).toEqual([
      { title: "Central Asia Wire", url: "https://news.example.org/feeds/asia.rss?format=rss&v=2" },
      { title: "Steppe Notes", url: "https://blog.example.net/feed.atom" },
      { title: "Kazakh Daily", url: "https://daily.example.kz/feed.json" },
      { title: "No title attr, only url", url: "http://plain.example.com/rss" },
      { title: "untitled.example.com", url: "https://untitled.example.com/rss.xml" },
    ]);
  });

  it("round-trips titles with quotes, ampersands, angle brackets and control characters", () => {
    const feeds = [
      { title: `A "quoted" & <b>bold</b> 'feed'`, url: "https://a.example/rss?a=1&b=2" },
      { title: "Tab\tand\u0001control", url: "https://b.example/feed" },
    ];
    const xml = toOpml(feeds, "Mine & yours", new Date("2026-01-02T03:04:05Z"));
    expect(xml).toContain("<title>Mine &amp; yours</title>");
    expect(xml).not.toContain("\u0001");
    expect(xml).toContain('xmlUrl="https://a.example/rss?a=1&amp;b=2"');
    expect(parseOpml(xml)).toEqual([
      { title: `A "quoted" & <b>bold</b> 'feed'`, url: "https://a.example/rss?a=1&b=2" },
      { title: "Tab andcontrol", url: "https://b.example/feed" },
    ]);
  });

  it("refuses what is not OPML", () => {
    expect(feedError(() => parseOpml(fixture("rss2.xml"))).code).toBe("unsupported");
    expect(feedError(() => parseOpml(fixture("webpage.html"))).code).toBe("html");
    expect(feedError(() => parseOpml("")).code).toBe("empty");
    expect(feedError(() => parseOpml("name,url\nx,https://a")).code).toBe("not-feed");
  });
});
