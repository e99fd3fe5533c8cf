import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Background, IMPORT_CHECKPOINT_KEY } from "../../src/background/handlers.js";
import type { EngineLike } from "../../src/background/engine-host.js";
import type { BrowserLike, StorageAreaLike } from "../../src/background/platform.js";
import { route } from "../../src/background/router.js";
import { toReportArticle } from "../../src/engine/article.js";
import type { Article, Report } from "../../src/engine/types.js";
import type { ImportCheckpoint, MessageType, Messages, SenderLike } from "../../src/protocol.js";
import { IdbStore } from "../../src/store/idb.js";
import { exportPages, splitLines } from "../../src/store/import.js";
import { chunkLines, lineBatches, LineCounter } from "../../src/store/lines.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { Store } from "../../src/store/types.js";
import type { Send } from "../../popup/api.js";
import { exportParts } from "../../popup/ImportPanel.js";
import { countFileLines, resumable, runImport, type ImportProgress } from "../../popup/importer.js";

const EXT_ID = "parallax-test";
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const optionsSender: SenderLike = { id: EXT_ID, url: `${ORIGIN}popup/options.html` };

function memoryArea(): StorageAreaLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get(key) {
      if (key === null) return Object.fromEntries(data);
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
}

/** Just enough of the extension API for the import and export handlers. */
function fakeBrowser(): BrowserLike & { local: ReturnType<typeof memoryArea> } {
  const local = memoryArea();
  return {
    local,
    runtime: { id: EXT_ID, getURL: (p) => ORIGIN + p, onMessage: { addListener() {} } },
    tabs: {
      sendMessage: async () => undefined,
      onUpdated: { addListener() {} },
      onRemoved: { addListener() {} },
    },
    action: { async setBadgeText() {}, async setBadgeBackgroundColor() {}, async setTitle() {} },
    storage: { local, session: memoryArea() },
  };
}

/** An engine that only keeps what it is given (the real one has its own suite). */
class KeepingEngine implements EngineLike {
  readonly ids = new Set<string>();
  add(a: Article): void {
    this.ids.add(a.id);
  }
  remove(id: string): void {
    this.ids.delete(id);
  }
  clear(): void {
    this.ids.clear();
  }
  get size(): number {
    return this.ids.size;
  }
  async analyze(q: Article): Promise<Report> {
    return { article: toReportArticle(q), sameEvent: [], related: [], figures: [] };
  }
}

let dbn = 0;

/** The real background handlers on a real store, reached through the router as the options page would. */
async function background(store?: Store) {
  const browser = fakeBrowser();
  const st = store ?? (await IdbStore.open(`import-batches-${++dbn}`));
  const engine = new KeepingEngine();
  const bg = new Background({ browser, store: st, makeEngine: () => engine, demoJsonl: "" });
  const calls: { type: string; req: unknown }[] = [];
  /** A hook to make a message fail, as a stopped background would. */
  let fail: ((type: string, req: unknown) => boolean) | null = null;
  const send = (async <T extends MessageType>(type: T, req: Messages[T]["req"]) => {
    calls.push({ type, req });
    if (fail?.(type, req)) throw new Error("Could not establish connection. Receiving end does not exist.");
    const res = await route(bg.handlers, { type, ...req }, optionsSender, EXT_ID, ORIGIN);
    if (res === undefined) throw new Error(`no handler for ${type}`);
    return res;
  }) as Send;
  return { bg, browser, store: st, engine, send, calls, setFail: (f: typeof fail) => (fail = f) };
}

const WORDS =
  "river council harbour minister bridge storm market village festival strike court railway".split(" ");

/**
 * A JSONL file of `n` lines: unique articles, with a malformed line every 97th line and a copy of
 * an earlier line every 89th (a duplicate). Returns the text, the line numbers of the bad lines
 * and the number of distinct good articles.
 */
function generated(n: number): { text: string; bad: number[]; unique: number } {
  const lines: string[] = [];
  const bad: number[] = [];
  let unique = 0;
  for (let i = 1; i <= n; i++) {
    if (i % 97 === 0) {
      lines.push(i % 2 ? `{"id": "broken-${i}", "text": ` : `not json at all ${i}`);
      bad.push(i);
    } else if (i % 89 === 0) {
      lines.push(lines[i - 40] as string); // a line seen before: a duplicate
    } else {
      const w = (k: number) => WORDS[(i * 7 + k * 5) % WORDS.length];
      lines.push(
        JSON.stringify({
          id: `gen-${i}`,
          url: `https://example.org/gen/${i}`,
          source: `Outlet ${i % 4}`,
          title: `Report ${i} on the ${w(1)}`,
          text: `Report ${i}: the ${w(1)} by the ${w(2)} was discussed by ${i % 50} residents. Serial ${i * 31}.`,
        }),
      );
      unique++;
    }
  }
  return { text: lines.join("\r\n") + "\r\n", bad, unique };
}

function fileOf(text: string, name = "big.jsonl", lastModified = 1_700_000_000_000) {
  const blob = new Blob([text]);
  return { name, size: blob.size, lastModified, slice: (a?: number, b?: number) => blob.slice(a, b) };
}

describe("reading a file in pieces", () => {
  it("chunkLines gives the same lines as splitting the whole text, wherever the chunks are cut", async () => {
    const text = 'a\r\nbb\n\nccc\r\n{"x":"é"}\nlast';
    for (const size of [1, 2, 3, 5, 7, 100]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const got: string[] = [];
      for await (const line of chunkLines(chunks)) got.push(line);
      expect(got, `chunks of ${size}`).toEqual([...splitLines(text)]);
    }
  });

  it("LineCounter counts the lines chunkLines yields, with or without a last newline", async () => {
    for (const text of ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "x\n\ny"]) {
      const counter = new LineCounter();
      const bytes = new TextEncoder().encode(text);
      counter.push(bytes.slice(0, 1));
      counter.push(bytes.slice(1));
      const got: string[] = [];
      for await (const line of chunkLines([text])) got.push(line);
      const n = got.length;
      expect(counter.lines, JSON.stringify(text)).toBe(n);
      expect(await countFileLines(fileOf(text))).toBe(n);
    }
  });

  it("lineBatches numbers batches by their first line in the file, skips a done prefix, caps characters", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    const batches = [];
    for await (const b of lineBatches(lines, { maxLines: 5, maxChars: 1e6, skip: 3 })) batches.push(b);
    expect(batches.map((b) => [b.firstLine, b.lines.length])).toEqual([
      [4, 5],
      [9, 4],
    ]);
    expect(batches[0]?.lines[0]).toBe("line 4");
    const big = ["x".repeat(50), "y".repeat(50), "z".repeat(120), "w"];
    const byChars = [];
    for await (const b of lineBatches(big, { maxLines: 100, maxChars: 110 })) byChars.push(b.firstLine);
    expect(byChars).toEqual([1, 3, 4]);
  });
});

describe("import of a large file in batches, cancel and resume (real handlers, IndexedDB store)", () => {
  const N = 1234;

  it("imports every good line once, reports bad lines by their line number in the whole file", async () => {
    const { text, bad, unique } = generated(N);
    const { send, store, calls } = await background();
    const seen: ImportProgress[] = [];
    const final = await runImport({
      send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: (p) => seen.push(p),
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    expect(final.phase).toBe("done");
    expect(final.totalLines).toBe(N);
    expect(final.rejected.map((r) => r.line)).toEqual(bad);
    expect(final.rejectedCount).toBe(bad.length);
    expect(final.imported).toBe(unique);
    expect(final.duplicate).toBe(N - unique - bad.length);
    expect(await store.count()).toBe(unique);
    // 13 batches of at most 100 lines, numbered from their first line; progress only goes up.
    const firstLines = calls
      .filter((c) => c.type === "store/import-jsonl")
      .map((c) => (c.req as { firstLine: number }).firstLine);
    expect(firstLines).toEqual(Array.from({ length: 13 }, (_, i) => i * 100 + 1));
    const done = seen.filter((p) => p.phase === "importing").map((p) => p.linesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(N);
    // A finished import leaves no checkpoint behind.
    expect((await send("store/import-checkpoint", {})).checkpoint).toBeNull();
  });

  it("cancelled after 4 batches, then resumed: stops after the batch in flight, resumes after it, nothing twice", async () => {
    const { text, bad, unique } = generated(N);
    const { send, store, calls } = await background();
    const file = fileOf(text);
    let batchesSent = 0;
    const first = await runImport({
      send: ((type: MessageType, req: never) => {
        if (type === "store/import-jsonl") batchesSent++;
        return send(type, req);
      }) as Send,
      file,
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: () => batchesSent >= 4,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    expect(first.phase).toBe("cancelled");
    expect(first.linesDone).toBe(400);
    const { checkpoint } = await send("store/import-checkpoint", {});
    expect(checkpoint).toMatchObject({ line: 400, totalLines: N, imported: first.imported });
    expect(await store.count()).toBe(first.imported);

    // The same file chosen again (a new File object: same name, size, date and first KB).
    const again = fileOf(text);
    const offer = resumable(checkpoint, {
      name: again.name,
      size: again.size,
      lastModified: again.lastModified,
      head: (checkpoint as ImportCheckpoint).file.head,
    });
    expect(offer?.line).toBe(400);
    calls.length = 0;
    const second = await runImport({
      send,
      file: again,
      resumeFrom: offer,
      onProgress: () => undefined,
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    expect(second.phase).toBe("done");
    expect(second.resumedAfter).toBe(400);
    // Only lines after 400 were sent again.
    const firstLines = calls
      .filter((c) => c.type === "store/import-jsonl")
      .map((c) => (c.req as { firstLine: number }).firstLine);
    expect(firstLines[0]).toBe(401);
    // Totals of the whole file, as if it had never been interrupted.
    expect(second.imported).toBe(unique);
    expect(second.rejected.map((r) => r.line)).toEqual(bad);
    expect(await store.count()).toBe(unique);
  });

  it("a different file (or the same name changed) is not offered a resume", async () => {
    const { text } = generated(300);
    const { send } = await background();
    await runImport({
      send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: (() => {
        let n = 0;
        return () => ++n > 1;
      })(),
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    const { checkpoint } = await send("store/import-checkpoint", {});
    expect(checkpoint?.line).toBe(100);
    const cp = checkpoint as ImportCheckpoint;
    expect(resumable(cp, cp.file)).not.toBeNull();
    expect(resumable(cp, { ...cp.file, lastModified: cp.file.lastModified + 1 })).toBeNull();
    expect(resumable(cp, { ...cp.file, head: "00000000" })).toBeNull();
    expect(resumable(cp, { ...cp.file, size: cp.file.size + 1 })).toBeNull();
    // Deleting the store drops the checkpoint: the next import starts from line 1.
    await send("store/clear", {});
    expect((await send("store/import-checkpoint", {})).checkpoint).toBeNull();
  });

  it("the page closed after a batch was stored but before its checkpoint: the resume stores nothing twice", async () => {
    const { text, unique } = generated(500);
    const { send, store, setFail } = await background();
    let checkpoints = 0;
    // Checkpoints after batches 1 and 2 are saved; then the page "dies" right after batch 3 is stored.
    setFail((type) => type === "store/import-checkpoint-set" && ++checkpoints === 3);
    let stop = false;
    const first = await runImport({
      send: ((type: MessageType, req: never) =>
        send(type, req).finally(() => {
          if (type === "store/import-checkpoint-set") stop = checkpoints >= 3;
        })) as Send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: () => stop,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    expect(first.phase).toBe("cancelled");
    const stored = await store.count();
    expect(stored).toBe(first.imported);
    const { checkpoint } = await send("store/import-checkpoint", {});
    expect(checkpoint?.line).toBe(200); // batch 3 (lines 201-300) stored, but not recorded
    setFail(null);
    const second = await runImport({
      send,
      file: fileOf(text),
      resumeFrom: checkpoint,
      onProgress: () => undefined,
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
    });
    expect(second.phase).toBe("done");
    expect(await store.count()).toBe(unique);
    // Batch 3's articles came back as duplicates instead of being stored again.
    expect(second.imported + second.duplicate).toBeGreaterThan(unique);
  });

  it("a batch the background does not answer is sent again; past the attempts the import stops resumable", async () => {
    const { text, unique } = generated(300);
    const { send, store, setFail } = await background();
    let failures = 0;
    setFail(
      (type, req) =>
        type === "store/import-jsonl" && (req as { firstLine: number }).firstLine === 101 && failures++ < 2,
    );
    const ok = await runImport({
      send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
      retryDelayMs: 1,
    });
    expect(ok.phase).toBe("done");
    expect(failures).toBe(3);
    expect(await store.count()).toBe(unique);

    const other = await background();
    other.setFail(
      (type, req) => type === "store/import-jsonl" && (req as { firstLine: number }).firstLine === 201,
    );
    const failed = await runImport({
      send: other.send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 100,
      attempts: 2,
      retryDelayMs: 1,
    });
    expect(failed.phase).toBe("failed");
    expect(failed.error).toMatch(/Receiving end does not exist/);
    expect(failed.linesDone).toBe(200);
    expect((await other.send("store/import-checkpoint", {})).checkpoint?.line).toBe(200);
  });

  it("the background refuses a malformed checkpoint", async () => {
    const { send, browser } = await background();
    await send("store/import-checkpoint-set", {
      checkpoint: { file: { name: "x" }, line: -1 } as unknown as ImportCheckpoint,
    });
    expect(browser.local.data.has(IMPORT_CHECKPOINT_KEY)).toBe(false);
  });
});

describe("export in pages", () => {
  it("after an import of M articles, the paged export has exactly M lines, which re-import as M duplicates", async () => {
    const { text, unique } = generated(1234);
    const a = await background();
    await runImport({
      send: a.send,
      file: fileOf(text),
      resumeFrom: null,
      onProgress: () => undefined,
      cancelled: () => false,
      convert: (t) => ({ text: t, converted: 0 }),
      batchLines: 250,
    });
    const pages: [number, number][] = [];
    const parts = await exportParts(a.send, (done, total) => pages.push([done, total]));
    const lines = parts.join("").split("\n").filter(Boolean);
    expect(lines).toHaveLength(unique);
    expect(pages.length).toBe(Math.ceil(unique / 500));
    expect(pages.at(-1)).toEqual([unique, unique]);
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(ids).size).toBe(unique);
    const again = await a.send("store/import-jsonl", { text: parts.join("") });
    expect(again).toEqual({ imported: 0, duplicate: unique, rejected: [] });
    // Into an empty store they import as M new articles.
    const b = await background(new MemoryStore());
    const fresh = await b.send("store/import-jsonl", { text: parts.join("") });
    expect(fresh.imported).toBe(unique);
  });

  it("IndexedDB pages cover every article once, in capture order, ties in capture time included", async () => {
    const name = `pages-${++dbn}`;
    const fixed = () => new Date("2024-05-01T00:00:00Z");
    // Two store instances with the same clock: their capture times collide.
    const s1 = await IdbStore.open(name, fixed);
    const s2 = await IdbStore.open(name, fixed);
    for (let i = 0; i < 7; i++) {
      await s1.add({ id: `a${i}`, text: `first store article ${i}` });
      await s2.add({ id: `b${i}`, text: `second store article ${i}` });
    }
    const all: Article[] = [];
    for await (const page of exportPages(s1, 3)) {
      expect(page.length).toBeLessThanOrEqual(3);
      all.push(...page);
    }
    expect(all.map((a) => a.id).sort()).toEqual([...(await s1.all()).map((a) => a.id)].sort());
    expect(all).toHaveLength(14);
    const keys = all.map((a) => `${a.capturedAt} ${a.id}`);
    expect(keys).toEqual([...keys].sort());
    s1.close();
    s2.close();
  });
});
