import { afterEach, describe, expect, it, vi } from "vitest";
import { extractArticle } from "../../content/extract.js";
import { scrollToFigure, tooltipTexts } from "../../content/highlights.js";
import {
  HighlightController,
  fromBackground,
  handleMessage,
  validHighlights,
} from "../../content/messages.js";
import type { HighlightSpec } from "../../src/protocol.js";
import { dom, fixture } from "./helpers.js";

const PAGE = "tests/fixtures/seed-pages/000_7ec41403aca26861.html";
const URL_000 = "https://news.example/2016/07/18/almaty";
const SPEC: HighlightSpec = {
  figure: 0,
  quantity: "policemen killed",
  status: "dispute",
  phrase: "at least four",
  quote:
    "Suspected Islamist militants gunned down on Monday at least four policemen and one civilian in Kazakhstan’s financial capital Almaty, security and hospital sources said.",
  others: [{ phrase: "at least three", source: "NDTV", published: "2016-07-18" }],
};
const BACKGROUND = { id: "ext-id" };

function setup() {
  const { window } = dom(fixture(PAGE), URL_000);
  const doc = window.document;
  const highlights = new HighlightController(() => doc.body);
  const deps = {
    extensionId: "ext-id",
    extract: () => extractArticle(doc, URL_000),
    highlights,
    scrollTo: (figure: number) => scrollToFigure(figure, doc),
    tooltips: () => tooltipTexts(doc),
  };
  return { window, doc, deps };
}

describe("content script messages", () => {
  it("accepts messages only from this extension's background", () => {
    expect(fromBackground({ id: "ext-id" }, "ext-id")).toBe(true);
    expect(fromBackground({ id: "other" }, "ext-id")).toBe(false);
    expect(fromBackground({ id: "ext-id", tab: { id: 3 } }, "ext-id")).toBe(false); // another content script
    expect(fromBackground({}, "")).toBe(false);
  });

  it("ignores other senders and unknown messages (no answer, nothing marked)", () => {
    const { doc, deps } = setup();
    const msg = { type: "content/highlights", highlights: [SPEC] };
    expect(handleMessage(msg, { id: "evil" }, deps)).toBeUndefined();
    expect(
      handleMessage(msg, { id: "ext-id", tab: { id: 1 }, url: "https://evil.example/" }, deps),
    ).toBeUndefined();
    expect(handleMessage({ type: "nope" }, BACKGROUND, deps)).toBeUndefined();
    expect(handleMessage({ type: "store/clear" }, BACKGROUND, deps)).toBeUndefined();
    expect(doc.querySelectorAll("mark.parallax-mark")).toHaveLength(0);
  });

  it("content/highlights marks, replaces, and null removes every mark", async () => {
    const { doc, deps } = setup();
    const before = doc.body.innerHTML;
    await expect(
      handleMessage({ type: "content/highlights", highlights: [SPEC] }, BACKGROUND, deps),
    ).resolves.toEqual({
      marked: 1,
    });
    const again = handleMessage(
      { type: "content/highlights", highlights: [SPEC, { ...SPEC, figure: 1, phrase: "one" }] },
      BACKGROUND,
      deps,
    );
    await expect(again).resolves.toEqual({ marked: 2 });
    expect(doc.querySelectorAll("mark.parallax-mark[tabindex]")).toHaveLength(2);
    await expect(
      handleMessage({ type: "content/highlights", highlights: null }, BACKGROUND, deps),
    ).resolves.toEqual({
      marked: 0,
    });
    expect(doc.body.innerHTML).toBe(before);
  });

  it("malformed specs are dropped", () => {
    expect(validHighlights("x")).toBeNull();
    expect(
      validHighlights([
        SPEC,
        { ...SPEC, figure: "0" },
        { ...SPEC, status: "other" },
        { ...SPEC, others: [{}] },
        null,
      ]),
    ).toEqual([SPEC]);
  });

  it("content/extract answers with the article; content/scroll-to focuses a figure", async () => {
    const { doc, deps } = setup();
    const res = (await handleMessage({ type: "content/extract" }, BACKGROUND, deps)) as {
      article: { source: string };
    };
    expect(res.article.source).toBe("Reuters");
    await handleMessage(
      { type: "content/highlights", highlights: [{ ...SPEC, figure: 2 }] },
      BACKGROUND,
      deps,
    );
    await expect(
      handleMessage({ type: "content/scroll-to", figure: "2" }, BACKGROUND, deps),
    ).resolves.toEqual({ ok: false });
    await expect(handleMessage({ type: "content/scroll-to", figure: 2 }, BACKGROUND, deps)).resolves.toEqual({
      ok: true,
    });
    expect(doc.activeElement?.className).toBe("parallax-mark");
  });

  it("content/tooltips answers the tooltips' text to the background only", async () => {
    const { deps } = setup();
    await handleMessage({ type: "content/highlights", highlights: [SPEC] }, BACKGROUND, deps);
    const msg = { type: "content/tooltips" };
    expect(handleMessage(msg, { id: "ext-id", tab: { id: 1 } }, deps)).toBeUndefined();
    expect(handleMessage(msg, { id: "evil" }, deps)).toBeUndefined();
    const res = (await handleMessage(msg, BACKGROUND, deps)) as { tooltips: { text: string }[] };
    expect(res.tooltips).toHaveLength(1);
    expect(res.tooltips[0]!.text).toContain("NDTV, 18 Jul 2016: at least three");
  });
});

describe("content/main.ts (entry) with a fake browser API", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
    vi.doUnmock("webextension-polyfill");
  });

  it("on idle, sends page/article and marks the highlights of the answer; answers the background", async () => {
    const { window } = dom(fixture(PAGE), URL_000);
    const sent: unknown[] = [];
    let listener: ((m: unknown, s: unknown) => unknown) | undefined;
    const fake = {
      runtime: {
        id: "ext-id",
        onMessage: { addListener: (fn: typeof listener) => (listener = fn) },
        sendMessage: async (m: unknown) => {
          sent.push(m);
          return { highlights: [SPEC] };
        },
      },
    };
    vi.doMock("webextension-polyfill", () => ({ default: fake }));
    vi.stubGlobal("window", window);
    vi.stubGlobal("document", window.document);
    vi.stubGlobal("location", window.location);
    await import("../../content/main.js");
    await vi.waitFor(
      () => expect(window.document.querySelectorAll("mark.parallax-mark[tabindex]")).toHaveLength(1),
      {
        timeout: 5000,
      },
    );
    expect(sent).toHaveLength(1);
    const msg = sent[0] as { type: string; article: { title: string; source: string; url: string } };
    expect(msg.type).toBe("page/article");
    expect(msg.article.source).toBe("Reuters");
    expect(msg.article.url).toBe(URL_000);
    // The background switches highlights off.
    await expect(
      listener!({ type: "content/highlights", highlights: null }, { id: "ext-id" }),
    ).resolves.toEqual({ marked: 0 });
    expect(window.document.querySelectorAll("mark.parallax-mark")).toHaveLength(0);
    expect(listener!({ type: "content/extract" }, { id: "ext-id", tab: { id: 1 } })).toBeUndefined();
  });

  it("does nothing on a non-http page", async () => {
    const { window } = dom("<p>hi</p>", "file:///tmp/page.html");
    const sendMessage = vi.fn();
    const addListener = vi.fn();
    vi.doMock("webextension-polyfill", () => ({
      default: { runtime: { id: "x", onMessage: { addListener }, sendMessage } },
    }));
    vi.stubGlobal("window", window);
    vi.stubGlobal("document", window.document);
    vi.stubGlobal("location", window.location);
    await import("../../content/main.js");
    await new Promise((r) => setTimeout(r, 500));
    expect(addListener).not.toHaveBeenCalled();
    expect(sendMessage).not.toHaveBeenCalled();
  });
});
