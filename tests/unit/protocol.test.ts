import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Feeds } from "../../src/background/feeds.js";
import { Background } from "../../src/background/handlers.js";
import type { BrowserLike } from "../../src/background/platform.js";
import { isMessage, senderAllowed, senderKinds, type MessageType } from "../../src/protocol.js";
import { MemoryStore } from "../../src/store/memory.js";

const area = { get: async () => ({}), set: async () => {}, remove: async () => {} };
const browser = {
  runtime: { id: "x", getURL: (p: string) => `chrome-extension://x/${p}`, onMessage: { addListener() {} } },
  tabs: {
    sendMessage: async () => undefined,
    onUpdated: { addListener() {} },
    onRemoved: { addListener() {} },
  },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
  storage: { local: area, session: area },
} as BrowserLike;

const bg = new Background({
  browser,
  store: new MemoryStore(),
  makeEngine: () => {
    throw new Error("not needed");
  },
  demoJsonl: "",
});

// The background listens with both handler objects merged, as src/background/main.ts does.
const feeds = new Feeds({
  browser: {
    storage: { local: area },
    alarms: { create() {}, get: async () => undefined, clear: async () => false },
    permissions: { contains: async () => false },
  } as unknown as ConstructorParameters<typeof Feeds>[0]["browser"],
  fetch: async () => {
    throw new Error("no network in this test");
  },
  hasUrl: async () => false,
  ingest: async () => ({ kind: "rejected", reason: "test" }),
  extract: async () => null,
});
const handlers: Record<string, unknown> = { ...bg.handlers, ...feeds.handlers };

describe("protocol conventions", () => {
  const types = Object.keys(senderKinds) as MessageType[];

  it("has a background handler for every message sent to the background, and none for the others", () => {
    for (const type of types) {
      const toBackground = senderKinds[type] !== "background";
      expect([type, typeof handlers[type] === "function"]).toEqual([type, toBackground]);
    }
  });

  it("never lets a web page send extension-page messages, nor anyone send background-only ones", () => {
    const origin = "chrome-extension://x/";
    const content = { id: "x", url: "https://evil.example/", tab: { id: 1 }, frameId: 0 };
    const page = { id: "x", url: `${origin}popup/popup.html` };
    for (const type of types) {
      const kind = senderKinds[type];
      expect(senderAllowed(type, content, "x", origin)).toBe(kind === "content");
      expect(senderAllowed(type, page, "x", origin)).toBe(kind === "extension-page");
      expect(senderAllowed(type, { ...page, id: "other" }, "x", origin)).toBe(false);
    }
  });

  it("recognises only known message types", () => {
    expect(isMessage({ type: "store/stats" })).toBe(true);
    expect(isMessage({ type: "toString" })).toBe(false);
    expect(isMessage({ type: "__proto__" })).toBe(false);
    expect(isMessage(null)).toBe(false);
  });
});
