// @vitest-environment jsdom
import { h, render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OptionsApp } from "../../popup/OptionsApp.js";
import { HIGHLIGHT_COLORS, type Settings } from "../../src/protocol.js";
import type { StoreStats } from "../../src/store/types.js";
import { fakeSend, flush } from "../helpers/fake-send.js";

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const q = (testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];

describe("options page: outlets, colour", () => {
  it("lists every outlet with its count and deletes one outlet only after confirmation", async () => {
    let perSource: Record<string, number> = { Reuters: 3, NDTV: 1, "The Guardian": 2 };
    const stats = (): StoreStats => ({
      articles: Object.values(perSource).reduce((a, b) => a + b, 0),
      bytes: 5000,
      oldest: "2011-12-04",
      newest: "2016-07-18",
      perSource,
    });
    const { send, calls } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": stats,
      "store/delete-source": ({ source }) => {
        const deleted = perSource[source] ?? 0;
        perSource = Object.fromEntries(Object.entries(perSource).filter(([s]) => s !== source));
        return { deleted };
      },
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    const rows = () => q("source-row").map((r) => r.textContent?.replace(/Delete$/, ""));
    expect(rows()).toEqual(["Reuters3", "The Guardian2", "NDTV1"]);
    expect(q("store-stats")[0]?.textContent).toContain("4 Dec 2011 to 18 Jul 2016");
    const guardian = q("delete-source")[1] as HTMLButtonElement;
    expect(guardian.getAttribute("aria-label")).toBe("Delete the 2 articles of The Guardian");
    await act(() => guardian.click());
    expect(root.textContent).toContain("Delete the 2 articles of The Guardian? This cannot be undone.");
    // Cancel keeps everything.
    await act(() => q("delete-source-cancel")[0]?.click());
    expect(calls.some((c) => c.type === "store/delete-source")).toBe(false);
    await act(() => (q("delete-source")[1] as HTMLButtonElement).click());
    await act(() => q("delete-source-confirm")[0]?.click());
    await flush();
    expect(calls.filter((c) => c.type === "store/delete-source").map((c) => c.req)).toEqual([
      { source: "The Guardian" },
    ]);
    expect(rows()).toEqual(["Reuters3", "NDTV1"]);
    expect(q("stats-count")[0]?.textContent).toBe("4");
    expect(q("delete-source-done")[0]?.textContent).toBe("Deleted 2 articles of The Guardian.");
  });

  it("offers the colour presets, shows the saved one and saves a new choice", async () => {
    let saved: Settings = { capture: true, highlights: true, highlightColor: "#c5f6fa" };
    const { send, calls } = fakeSend({
      "settings/get": () => saved,
      "settings/set": (patch) => (saved = { ...saved, ...patch }),
      "store/stats": () => ({ articles: 0, bytes: 0, oldest: null, newest: null, perSource: {} }),
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    const radios = q("colour-option") as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual([...HIGHLIGHT_COLORS]);
    expect(radios.filter((r) => r.checked).map((r) => r.value)).toEqual(["#c5f6fa"]);
    // Every option has a visible name (its label) and a sample in its colour.
    expect(radios.map((r) => r.closest("label")?.textContent)).toEqual([
      "at least fourOrange",
      "at least fourYellow",
      "at least fourLight blue",
      "at least fourLavender",
    ]);
    await act(() => {
      radios[3]?.click();
    });
    await flush();
    expect(calls.filter((c) => c.type === "settings/set").map((c) => c.req)).toEqual([
      { highlightColor: "#e5dbff" },
    ]);
    expect((q("colour-option") as HTMLInputElement[]).filter((r) => r.checked).map((r) => r.value)).toEqual([
      "#e5dbff",
    ]);
  });

  it("says plainly what stays on the device, and a failed action in words", async () => {
    const { send } = fakeSend({
      "settings/get": () => ({ capture: true, highlights: true }),
      "store/stats": () => ({ articles: 1, bytes: 10, oldest: null, newest: null, perSource: { X: 1 } }),
    });
    await act(() => render(h(OptionsApp, { send, download: () => {} }), root));
    await flush();
    expect(root.textContent).toContain("Parallax sends nothing anywhere");
    await act(() => (q("delete-source")[0] as HTMLButtonElement).click());
    await act(() => q("delete-source-confirm")[0]?.click());
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe(
      "Could not delete the articles of X: no answer for store/delete-source",
    );
  });
});
