/**
 * The feed parser (src/feeds/parse.ts) on random and mutated feeds: the fixtures cut, spliced,
 * with bytes inserted and entities/nesting added, plus random text and JSON. It returns a
 * feed or throws a FeedError with a plain message (no stack, no raw parser dump), in bounded
 * time; every item string is plain text and every URL is absolute http(s) or null.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { MAX_FEED_ITEMS, parseFeed } from "../../src/feeds/parse.js";
import { anyUnicode, params, timed } from "./runs.js";

const dir = new URL("../fixtures/feeds/", import.meta.url);
const FEEDS = [
  "atom.xml",
  "rss2.xml",
  "rss1-rdf.xml",
  "jsonfeed.json",
  "truncated.xml",
  "billion-laughs.xml",
  "webpage.html",
  "subscriptions.opml",
].map((f) => readFileSync(new URL(f, dir), "utf8"));
const TYPES = [
  null,
  "application/rss+xml",
  "application/atom+xml",
  "text/xml",
  "application/json",
  "application/feed+json",
  "text/html; charset=utf-8",
  "text/plain",
];
const FEED_URL = "https://news.example/feed.xml";

const snippet = fc.oneof(
  anyUnicode(50),
  fc.constantFrom(
    "<item><title>x</title></item>",
    "<entry>",
    "</channel>",
    "&amp;",
    "&lol9;",
    "&#x0;",
    "&#1114112;",
    "<![CDATA[<b>x</b>",
    "]]>",
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!ENTITY x SYSTEM "file:///etc/passwd">',
    '<link href="javascript:alert(1)"/>',
    "<link>//evil.example/x</link>",
    '{"items":[{"url":"data:text/html,x"}]}',
    "\u0000",
    '<?xml version="1.0"?>',
  ),
  fc.integer({ min: 1, max: 3000 }).map((n) => "<div>".repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => "[".repeat(n)),
);
type Op = { at: number; cut: number; insert: string };
const op: fc.Arbitrary<Op> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  cut: fc.nat({ max: 200 }),
  insert: snippet,
});
const mutated = fc
  .tuple(fc.nat({ max: FEEDS.length - 1 }), fc.array(op, { maxLength: 5 }))
  .map(([i, ops]) => {
    let s = FEEDS[i]!;
    for (const o of ops) {
      const at = Math.floor(o.at * s.length);
      s = s.slice(0, at) + o.insert + s.slice(at + o.cut);
    }
    return s;
  });
const randomJson = fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v));
const jsonFeedish = fc
  .record({
    version: fc.constantFrom("https://jsonfeed.org/version/1.1", "x"),
    title: fc.jsonValue(),
    items: fc.array(
      fc.dictionary(
        fc.constantFrom("id", "url", "title", "content_html", "content_text", "date_published", "summary"),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      { maxLength: 5 },
    ),
  })
  .map((o) => JSON.stringify(o));
const body = fc.oneof(
  { weight: 4, arbitrary: mutated },
  { weight: 1, arbitrary: anyUnicode(300) },
  { weight: 1, arbitrary: randomJson },
  { weight: 2, arbitrary: jsonFeedish },
);

describe("parseFeed on random and mutated feeds", () => {
  it("a feed or a FeedError with a plain message; bounded time; plain-text items, http(s) URLs", () => {
    let parsed = 0;
    fc.assert(
      fc.property(body, fc.constantFrom(...TYPES), (text, type) => {
        let feed: ReturnType<typeof parseFeed> | null = null;
        const { ms } = timed(() => {
          try {
            feed = parseFeed(text, type, FEED_URL);
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(FeedError);
            const msg = (e as FeedError).message;
            expect(msg.length).toBeGreaterThan(0);
            expect(msg.length).toBeLessThan(400);
            expect(msg).not.toMatch(/\n\s+at /); // no stack trace in the message
          }
        });
        expect(ms).toBeLessThan(5_000);
        if (!feed) return;
        parsed++;
        const f = feed as ReturnType<typeof parseFeed>;
        expect(["rss", "atom", "json"]).toContain(f.kind);
        expect(f.items.length).toBeLessThanOrEqual(MAX_FEED_ITEMS);
        for (const it of f.items) {
          expect(typeof it.id).toBe("string");
          expect(typeof it.title).toBe("string");
          expect(typeof it.summaryText).toBe("string");
          if (it.url !== null) expect(it.url).toMatch(/^https?:\/\//);
          if (it.published !== null) expect(Number.isNaN(Date.parse(it.published))).toBe(false);
        }
        if (f.siteUrl !== null) expect(f.siteUrl).toMatch(/^https?:\/\//);
      }),
      params(400),
    );
    expect(parsed).toBeGreaterThan(0); // not vacuous: some mutated feeds still parse
  });
});
