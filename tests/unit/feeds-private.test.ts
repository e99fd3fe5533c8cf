/**
 * S8 (docs/security.md): a feed from the internet may not point Parallax at the reader's own
 * machine or local network. Its items on private addresses are not requested (nor is a host
 * permission asked for them), a redirect into the local network is refused; a feed the reader
 * added on a local address (a NAS, a test server) keeps working with local item pages.
 */
import { describe, expect, it } from "vitest";
import { getText, isPrivateUrl, type FetchLike } from "../../src/feeds/fetch.js";
import { newFeedState, pollFeed } from "../../src/feeds/poll.js";
import { MemoryStore } from "../../src/store/memory.js";

describe("isPrivateUrl", () => {
  it.each([
    "http://localhost/",
    "http://localhost:8080/x",
    "http://127.0.0.1/",
    "http://127.9.9.9/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:192.168.0.1]/",
    "http://printer.local/",
    "http://app.localhost/",
    "http://db.internal/",
    "http://nas/",
    "http://router.home.arpa/",
    "http://2130706433/", // 127.0.0.1 written as one number: URL normalises it
    "http://0x7f.1/",
  ])("%s is private", (url) => expect(isPrivateUrl(url)).toBe(true));

  it.each([
    "https://www.reuters.com/a",
    "http://8.8.8.8/",
    "http://172.32.0.1/",
    "http://192.169.0.1/",
    "http://100.128.0.1/",
    "http://[2001:db8::1]/",
    "http://[::ffff:8.8.8.8]/",
    "https://localhost.example.com/",
    "not a url",
  ])("%s is not", (url) => expect(isPrivateUrl(url)).toBe(false));
});

function recorder(pages: Record<string, { body: string; type: string; redirectTo?: string }>) {
  const asked: string[] = [];
  const fetch: FetchLike = async (url) => {
    asked.push(url);
    const p = pages[url];
    if (!p) return { status: 404, url, headers: { get: () => null }, text: async () => "" };
    return {
      status: 200,
      url: p.redirectTo ?? url,
      headers: { get: (n: string) => (n === "content-type" ? p.type : null) },
      text: async () => p.body,
    };
  };
  return { fetch, asked };
}

const ARTICLE = `<html><head><title>Bridge opens</title></head><body><article>${"<p>The council said the new bridge over the river would open in spring after two years of work.</p>".repeat(8)}</article></body></html>`;
const rss = (links: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${links
    .map((l, i) => `<item><title>Item ${i}</title><link>${l}</link><guid>${l}</guid></item>`)
    .join("")}</channel></rss>`;

describe("getText refusePrivate", () => {
  it("refuses a private address before asking, and a redirect into the local network", async () => {
    const { fetch, asked } = recorder({
      "https://pub.example/a": { body: ARTICLE, type: "text/html", redirectTo: "http://192.168.0.10/admin" },
    });
    const opts = { fetch, timeoutMs: 5000, maxBytes: 1e6, what: "The article page", refusePrivate: true };
    await expect(getText("http://127.0.0.1:631/", opts)).rejects.toMatchObject({ code: "private-address" });
    expect(asked).toEqual([]);
    await expect(getText("https://pub.example/a", opts)).rejects.toMatchObject({
      code: "private-address",
      message: expect.stringMatching(/192\.168\.0\.10.*local network/),
    });
    // Without the option (a feed the reader typed), the same request is made.
    await expect(getText("https://pub.example/a", { ...opts, refusePrivate: false })).resolves.toMatchObject({
      status: 200,
    });
  });
});

describe("pollFeed and private item pages", () => {
  const extract = async (html: string, url: string) =>
    html.includes("<article>")
      ? { url, title: "Bridge opens", text: html.replace(/<[^>]+>/g, " ").trim() }
      : null;

  it("a public feed's items on private addresses: not requested, no permission asked, reported", async () => {
    const feedUrl = "https://pub.example/feed.xml";
    const links = ["http://127.0.0.1:8080/a", "http://10.0.0.5/b", "https://pub.example/c"];
    const { fetch, asked } = recorder({
      [feedUrl]: { body: rss(links), type: "application/rss+xml" },
      "https://pub.example/c": { body: ARTICLE, type: "text/html" },
    });
    const store = new MemoryStore();
    const permissionAsked: string[] = [];
    const r = await pollFeed(newFeedState(feedUrl), {
      fetch,
      now: () => new Date("2026-12-01T10:00:00Z"),
      knownItem: async () => false,
      extract,
      add: (a) => store.add(a),
      canFetch: async (u) => {
        permissionAsked.push(u);
        return true;
      },
    });
    expect(asked).toEqual([feedUrl, "https://pub.example/c"]);
    expect(permissionAsked.filter((u) => isPrivateUrl(u))).toEqual([]);
    expect(r.needsPermission).toEqual([]);
    expect(r.added).toBe(1);
    expect(r.failed).toBe(2);
    expect(r.problems.map((p) => p.url)).toEqual(links.slice(0, 2));
    for (const p of r.problems) expect(p.message).toMatch(/local network/);
    // Not transient: the next poll does not try them again.
    const again = recorder({ [feedUrl]: { body: rss(links), type: "application/rss+xml" } });
    const r2 = await pollFeed(r.state, {
      fetch: again.fetch,
      now: () => new Date("2026-12-01T11:00:00Z"),
      knownItem: async (u) => (await store.all()).some((a) => a.url === u),
      extract,
      add: (a) => store.add(a),
    });
    expect(again.asked).toEqual([feedUrl]);
    expect(r2.failed).toBe(0);
  });

  it("a feed the reader added on a local address reads its local pages", async () => {
    const feedUrl = "http://192.168.1.20/feed.xml";
    const { fetch, asked } = recorder({
      [feedUrl]: { body: rss(["http://192.168.1.20/a"]), type: "application/rss+xml" },
      "http://192.168.1.20/a": { body: ARTICLE, type: "text/html" },
    });
    const store = new MemoryStore();
    const r = await pollFeed(newFeedState(feedUrl), {
      fetch,
      now: () => new Date("2026-12-01T10:00:00Z"),
      knownItem: async () => false,
      extract,
      add: (a) => store.add(a),
    });
    expect(asked).toEqual([feedUrl, "http://192.168.1.20/a"]);
    expect(r.added).toBe(1);
    expect(r.problems).toEqual([]);
  });
});
