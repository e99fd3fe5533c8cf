// @vitest-environment jsdom
import axe from "axe-core";
import { h, render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Report } from "../../src/engine/types.js";
import type { PopupState } from "../../src/protocol.js";
import type { Send } from "../../popup/api.js";
import { ReportView } from "../../popup/components.js";
import { convertHtmlLines, htmlToText } from "../../popup/convert.js";
import { fileIdentity } from "../../popup/importer.js";
import { OptionsApp } from "../../popup/OptionsApp.js";
import { PopupApp } from "../../popup/PopupApp.js";
import { fakeSend, flush } from "../helpers/fake-send.js";

const HOSTILE = `<img src=x onerror=alert(1)>`;

function report(): Report {
  const why = {
    people: ["Kassym-Jomart Tokayev"],
    places: ["Almaty"],
    date: "18 July 2016",
    terms: ["police station"],
  };
  return {
    article: {
      id: "q",
      url: "https://news.example/q",
      title: "Attack in Almaty",
      source: "Page",
      published: "2016-07-18",
    },
    sameEvent: [
      {
        id: "w",
        url: "https://wire.example/w",
        title: `Wire ${HOSTILE}`,
        source: "Wire",
        published: "2016-07-18T10:00:00Z",
        score: 0.9,
        why,
        foldedInto: null,
      },
      {
        id: "s",
        url: "https://syndic.example/s",
        title: "Copy",
        source: "Syndicator",
        published: "2016-07-18",
        score: 0.88,
        why,
        foldedInto: "w",
      },
      {
        id: "g",
        url: "javascript:alert(1)",
        title: "Guardian",
        source: null,
        published: null,
        score: 0.7,
        why: { people: [], places: [], date: null, terms: [] },
        foldedInto: null,
      },
    ],
    related: [
      {
        id: "r",
        url: "https://wire.example/2011",
        title: "Shootout at Boraldai",
        source: "Wire",
        published: "2011-07-12",
        score: 0.5,
        when: "earlier",
        why,
      },
    ],
    figures: [
      {
        quantity: "police killed",
        status: "dispute",
        values: [
          {
            articleId: "q",
            source: "Page",
            published: "2016-07-18",
            quote: `At least four ${HOSTILE} policemen were killed.`,
            phrase: "at least four",
            lo: 4,
            hi: null,
          },
          {
            articleId: "w",
            source: "Wire",
            published: "2016-07-18",
            quote: "Three policemen were killed.",
            phrase: "Three",
            lo: 3,
            hi: 3,
          },
        ],
      },
      { quantity: "people killed", status: "update", values: [] },
      { quantity: "attackers", status: "agree", values: [] },
    ],
  };
}

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const q = (testid: string) => root.querySelectorAll(`[data-testid="${testid}"]`);

describe("report view", () => {
  it("shows the three sections with their items, folding syndicated copies", async () => {
    await act(() => render(h(ReportView, { report: report() }), root));
    expect(q("section-same")).toHaveLength(1);
    expect(q("section-figures")).toHaveLength(1);
    expect(q("section-related")).toHaveLength(1);
    expect(q("same-item")).toHaveLength(2); // the syndicated copy is folded into the wire report
    expect(q("same-item")[0]?.textContent).toContain("also published by Syndicator");
    expect(q("same-item")[0]?.textContent).toContain("places: Almaty");
    expect(q("figure-item")).toHaveLength(3);
    expect([...q("figure-status")].map((e) => e.textContent)).toEqual(["Conflict", "Update", "Agree"]);
    expect(q("related-item")[0]?.textContent).toContain("Shootout at Boraldai");
    expect(q("related-item")[0]?.textContent).toContain("12 Jul 2011");
    expect(q("related-item")[0]?.textContent).toContain("earlier");
    const marks = [...root.querySelectorAll("mark")].map((m) => m.textContent);
    expect(marks).toEqual(["At least four", "Three"]);
    expect(q("figure-item")[0]?.textContent).toContain("This page");
  });

  it("shows hostile strings as text and links only http(s) addresses, in a new tab", async () => {
    await act(() => render(h(ReportView, { report: report() }), root));
    expect(root.querySelector("img")).toBeNull();
    expect(root.textContent).toContain(HOSTILE);
    const links = [...root.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual([
      "https://wire.example/w",
      "https://wire.example/2011",
    ]);
    for (const a of links) {
      expect(a.target).toBe("_blank");
      expect(a.rel).toContain("noopener");
    }
    expect(root.textContent).toContain("Guardian"); // the javascript: one stays, as plain text
    expect(root.textContent).toContain("Unknown outlet");
  });

  it("lists conflicts first, then updates, and folds agreeing figures away", async () => {
    const r = report();
    r.figures.reverse(); // agree, update, dispute
    await act(() => render(h(ReportView, { report: r }), root));
    expect([...q("figure-status")].map((e) => e.textContent)).toEqual(["Conflict", "Update", "Agree"]);
    const folded = q("figures-agree")[0];
    expect(folded?.tagName).toBe("DETAILS");
    expect(folded?.querySelectorAll('[data-testid="figure-item"]')).toHaveLength(1);
    expect(folded?.textContent).toContain("1 figure the reports agree on");
  });

  it("marks the moment the report is painted", async () => {
    const mark = vi.spyOn(performance, "mark");
    await act(() => render(h(ReportView, { report: report() }), root));
    await flush();
    expect(mark).toHaveBeenCalledWith("parallax-report-painted");
    mark.mockRestore();
  });
});

describe("popup app", () => {
  it("shows Analysing… until the report arrives, then the report", async () => {
    let resolve: (s: PopupState) => void = () => {};
    const send = (async () => new Promise<PopupState>((r) => (resolve = r))) as unknown as Send;
    await act(() => render(h(PopupApp, { send, tabId: 5 }), root));
    expect(q("state-analysing")[0]?.textContent).toMatch(/Reading this page and comparing/);
    await act(async () => resolve({ state: "report", report: report(), highlights: true }));
    await flush();
    expect(q("section-figures")).toHaveLength(1);
    expect(root.querySelector("h1")?.textContent).toBe("Parallax");
  });

  it("paints a report asked for before it rendered in its first pass, without asking again", async () => {
    const { send, calls } = fakeSend({});
    const first: PopupState = { state: "report", report: report(), highlights: true };
    await act(() => render(h(PopupApp, { send, tabId: 5, first }), root));
    expect(q("state-analysing")).toHaveLength(0); // no "Analysing…" pass before it
    expect(q("section-figures")).toHaveLength(1);
    await flush();
    expect(calls).toEqual([]);
  });

  it("waits on the early request still under way, and shows its failure", async () => {
    let resolve: (s: PopupState) => void = () => {};
    const { send, calls } = fakeSend({});
    const pending = new Promise<PopupState>((r) => (resolve = r));
    await act(() => render(h(PopupApp, { send, tabId: 5, first: pending }), root));
    expect(q("state-analysing")).toHaveLength(1);
    await act(async () => resolve({ state: "report", report: report(), highlights: true }));
    await flush();
    expect(q("section-figures")).toHaveLength(1);
    expect(calls).toEqual([]); // the early request's answer, not a second one
    render(null, root);
    const failed = Promise.reject(new Error("the background stopped"));
    await act(() => render(h(PopupApp, { send, tabId: 5, first: failed }), root));
    await flush();
    expect(q("state-error")[0]?.textContent).toContain("the background stopped");
  });

  it("asks the page to scroll to a figure by its index in the report, only when highlights are on", async () => {
    const r = report();
    r.figures.reverse(); // the dispute is figure 2 but is listed first
    const scrollTo = vi.fn();
    const on = fakeSend({ "popup/report": () => ({ state: "report", report: r, highlights: true }) });
    await act(() => render(h(PopupApp, { send: on.send, tabId: 4, scrollTo }), root));
    await flush();
    const buttons = q("show-in-page");
    expect(buttons).toHaveLength(1); // only the figure this page has a value for
    await act(() => (buttons[0] as HTMLButtonElement).click());
    expect(scrollTo).toHaveBeenCalledWith(4, 2);
    render(null, root);
    const off = fakeSend({ "popup/report": () => ({ state: "report", report: r, highlights: false }) });
    await act(() => render(h(PopupApp, { send: off.send, tabId: 4, scrollTo }), root));
    await flush();
    expect(q("show-in-page")).toHaveLength(0);
  });

  it("offers the demo coverage when the store is empty, then asks again", async () => {
    let loaded = false;
    const { send, calls } = fakeSend({
      "popup/report": () =>
        loaded ? { state: "report", report: report(), highlights: true } : { state: "empty-store" },
      "store/load-demo": () => {
        loaded = true;
        return { imported: 6, duplicate: 0, rejected: [] };
      },
    });
    await act(() => render(h(PopupApp, { send, tabId: 5 }), root));
    await flush();
    expect(q("state-empty")).toHaveLength(1);
    expect(root.textContent).toContain("Your coverage store is empty");
    await act(() => (q("load-demo")[0] as HTMLButtonElement).click());
    await flush();
    expect(calls.map((c) => c.type)).toEqual(["popup/report", "store/load-demo", "popup/report"]);
    expect(q("same-item").length).toBeGreaterThan(0);
  });

  it("explains a page without an article, and failures, in plain words", async () => {
    const msg = "This page does not look like a news article.";
    const a = fakeSend({
      "popup/report": () => ({ state: "no-article", reason: "no-article", message: msg }),
    });
    await act(() => render(h(PopupApp, { send: a.send, tabId: 5 }), root));
    await flush();
    expect(q("state-no-article")[0]?.textContent).toContain("No article on this page");
    expect(q("state-no-article")[0]?.textContent).toContain(msg);
    render(null, root);
    const b = fakeSend({}); // the background does not answer
    await act(() => render(h(PopupApp, { send: b.send, tabId: 5 }), root));
    await flush();
    expect(q("state-error")[0]?.textContent).toContain("no answer for popup/report");
  });

  it("switches highlights for the tab and remembers the setting", async () => {
    const { send, calls } = fakeSend({
      "popup/report": () => ({ state: "report", report: report(), highlights: true }),
      "settings/set": (req) => ({ capture: true, highlights: req.highlights ?? true }),
      "tab/highlights": () => ({ ok: true }),
    });
    await act(() => render(h(PopupApp, { send, tabId: 8 }), root));
    await flush();
    const box = q("highlights-switch")[0] as HTMLInputElement;
    expect(box.checked).toBe(true);
    await act(() => box.click());
    await flush();
    expect(calls.slice(1)).toEqual([
      { type: "settings/set", req: { highlights: false } },
      { type: "tab/highlights", req: { tabId: 8, on: false } },
    ]);
    expect((q("highlights-switch")[0] as HTMLInputElement).checked).toBe(false);
  });
});

describe("options page", () => {
  const stats = {
    articles: 6,
    bytes: 40_000,
    oldest: "2011-07-12",
    newest: "2016-07-18",
    perSource: { Reuters: 2, NDTV: 1 },
  };

  it("shows statistics and deletes everything only after confirmation", async () => {
    let count = 6;
    const { send, calls } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => ({ ...stats, articles: count }),
      "store/clear": () => {
        count = 0;
        return { ok: true };
      },
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    expect(q("stats-count")[0]?.textContent).toBe("6");
    expect(root.textContent).toContain("What stays on your device");
    await act(() => (q("delete-all")[0] as HTMLButtonElement).click());
    expect(calls.some((c) => c.type === "store/clear")).toBe(false);
    await act(() => (q("delete-confirm")[0] as HTMLButtonElement).click());
    await flush();
    expect(calls.some((c) => c.type === "store/clear")).toBe(true);
    expect(q("stats-count")[0]?.textContent).toBe("0");
  });

  it("imports a file, converting html-only lines first, and lists rejected lines with reasons", async () => {
    const { send, calls } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => stats,
      "store/import-jsonl": () => ({
        imported: 2,
        duplicate: 1,
        rejected: [{ line: 3, reason: "not valid JSON" }],
      }),
      "store/import-checkpoint": () => ({ checkpoint: null }),
      "store/import-checkpoint-set": () => ({ ok: true }),
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    const html =
      "<html><body><article><h1>Title</h1><p>" +
      "Four policemen were killed in Almaty on Monday. ".repeat(12) +
      "</p></article></body></html>";
    const file = new File(
      [[JSON.stringify({ id: "x", html }), JSON.stringify({ id: "y", text: "plain" }), "{bad"].join("\n")],
      "c.jsonl",
    );
    const input = q("import-file")[0] as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    await act(() => {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await flush();
    await vi.waitFor(() => expect(q("import-result")).toHaveLength(1));
    const sent = calls.find((c) => c.type === "store/import-jsonl")?.req as {
      text: string;
      firstLine: number;
    };
    expect(sent.firstLine).toBe(1);
    const lines = sent.text.split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ id: "x" });
    expect(JSON.parse(lines[0] ?? "").text).toContain("Four policemen were killed");
    expect(JSON.parse(lines[0] ?? "").html).toBeUndefined();
    expect(lines[2]).toBe("{bad");
    expect(q("import-result")[0]?.textContent).toContain(
      "Imported 2, duplicates 1, rejected 1 (1 converted from HTML)",
    );
    expect(q("import-rejected")[0]?.textContent).toContain("line 3: not valid JSON");
  });

  it("offers to resume an interrupted import of the same file, and sends only the lines after it", async () => {
    const text = [1, 2, 3, 4].map((n) => JSON.stringify({ id: `a${n}`, text: `Article ${n}.` })).join("\n");
    const file = new File([text], "big.jsonl", { lastModified: 1_700_000_000_000 });
    const checkpoint = {
      file: await fileIdentity(file),
      line: 2,
      totalLines: 4,
      imported: 1,
      duplicate: 0,
      rejected: [{ line: 2, reason: "not valid JSON" }],
      rejectedCount: 1,
      converted: 0,
    };
    const { send, calls } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => stats,
      "store/import-checkpoint": () => ({ checkpoint }),
      "store/import-checkpoint-set": () => ({ ok: true }),
      "store/import-jsonl": (req) => ({
        imported: req.text.split("\n").length,
        duplicate: 0,
        rejected: [],
      }),
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    const input = q("import-file")[0] as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    await act(() => {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await vi.waitFor(() => expect(q("import-resume-offer")).toHaveLength(1));
    expect(q("import-resume-offer")[0]?.textContent).toContain("big.jsonl was imported up to line 2 of 4");
    expect(calls.some((c) => c.type === "store/import-jsonl")).toBe(false);
    await act(() => (q("import-resume")[0] as HTMLButtonElement).click());
    await vi.waitFor(() => expect(q("import-result")).toHaveLength(1));
    const sent = calls.filter((c) => c.type === "store/import-jsonl").map((c) => c.req);
    expect(sent).toEqual([
      {
        text: [3, 4].map((n) => JSON.stringify({ id: `a${n}`, text: `Article ${n}.` })).join("\n"),
        firstLine: 3,
      },
    ]);
    expect(q("import-resumed")[0]?.textContent).toContain("Resumed from line 3");
    expect(q("import-result")[0]?.textContent).toContain("Imported 3, duplicates 0, rejected 1");
    expect(q("import-rejected")[0]?.textContent).toContain("line 2: not valid JSON");
    // Finished: the checkpoint is dropped.
    expect(calls.filter((c) => c.type === "store/import-checkpoint-set").at(-1)?.req).toEqual({
      checkpoint: null,
    });
  });

  it("exports the store as a .jsonl download", async () => {
    const download = vi.fn();
    const { send } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => stats,
      "store/export": (req) =>
        req.after
          ? { jsonl: '{"id":"b","text":"u"}\n', count: 1, next: null, total: 2 }
          : {
              jsonl: '{"id":"a","text":"t"}\n',
              count: 1,
              next: { capturedAt: "2020-01-01T00:00:00.000Z", id: "a" },
              total: 2,
            },
    });
    await act(() => render(h(OptionsApp, { send, download }), root));
    await flush();
    await act(() => (q("export")[0] as HTMLButtonElement).click());
    await flush();
    expect(download).toHaveBeenCalledWith("parallax-coverage.jsonl", [
      '{"id":"a","text":"t"}\n',
      '{"id":"b","text":"u"}\n',
    ]);
    expect(q("export-status")[0]?.textContent).toBe("Exported 2 articles.");
  });
});

describe("html conversion in the options page", () => {
  it("keeps the article text and drops scripts", () => {
    const out = htmlToText(
      "<html><head><title>T</title><script>evil()</script></head><body><nav>Menu</nav><article><p>" +
        "The toll rose to five, officials said on Tuesday. ".repeat(10) +
        "</p><p>Second paragraph here with more words in it for the reader.</p></article></body></html>",
      "https://news.example/a",
    );
    expect(out?.text).toContain("The toll rose to five");
    expect(out?.text.split("\n").length).toBeGreaterThanOrEqual(2);
    expect(out?.text).not.toContain("evil()");
  });

  it("leaves lines with text, bad JSON and empty html alone", () => {
    const input = [
      JSON.stringify({ text: "a", html: "<p>b</p>" }),
      "{oops",
      JSON.stringify({ html: "" }),
    ].join("\n");
    expect(convertHtmlLines(input, () => ({ text: "converted", title: null }))).toEqual({
      text: input,
      converted: 0,
    });
  });
});

describe("accessibility (axe-core, rules that need no layout)", () => {
  async function violations(): Promise<string[]> {
    const res = await axe.run(root, {
      rules: { "color-contrast": { enabled: false }, region: { enabled: false } },
    });
    expect(res.passes.length).toBeGreaterThan(5); // the rules did run on the rendered markup
    return res.violations.map((v) => `${v.id}: ${v.nodes.length}`);
  }

  it("finds no violations in the report, the empty state and the options page", async () => {
    const { send } = fakeSend({
      "popup/report": () => ({ state: "report", report: report(), highlights: true }),
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => ({ articles: 1, bytes: 10, oldest: null, newest: null, perSource: { Wire: 1 } }),
    });
    await act(() => render(h(PopupApp, { send, tabId: 1 }), root));
    await flush();
    expect(q("report")).toHaveLength(1);
    expect(await violations()).toEqual([]);
    render(null, root);
    const empty = fakeSend({ "popup/report": () => ({ state: "empty-store" }) });
    await act(() => render(h(PopupApp, { send: empty.send, tabId: 1 }), root));
    await flush();
    expect(await violations()).toEqual([]);
    render(null, root);
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    expect(await violations()).toEqual([]);
  });
});
