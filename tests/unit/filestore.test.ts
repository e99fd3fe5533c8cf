import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore } from "../../src/store/file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parallax-fs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = (n: number) => `Report number ${n} about the events in the city.\nSecond line ${n}.`;

describe("FileStore", () => {
  it("creates the store with a schema version and refuses to open a missing one without create", async () => {
    await expect(FileStore.open(join(dir, "none"), { create: false })).rejects.toThrow(/no Parallax store/);
    const s = await FileStore.open(join(dir, "s"));
    expect(JSON.parse(readFileSync(join(dir, "s", "store.json"), "utf8"))).toMatchObject({ schema: 1 });
    expect(await s.count()).toBe(0);
  });

  it("refuses to turn a non-empty folder that is not a store into one", async () => {
    writeFileSync(join(dir, "notes.txt"), "mine");
    await expect(FileStore.open(dir)).rejects.toThrow(/not a Parallax store and not empty/);
    expect(existsSync(join(dir, "articles.jsonl"))).toBe(false);
  });

  it("refuses a store written by a newer schema", async () => {
    writeFileSync(join(dir, "store.json"), JSON.stringify({ schema: 99 }));
    await expect(FileStore.open(dir)).rejects.toThrow(/newer Parallax/);
  });

  it("persists, dedupes identical text and links a revision by URL across reopen", async () => {
    const s = await FileStore.open(dir);
    expect((await s.add({ id: "a", url: "https://x.test/1", text: text(1) })).kind).toBe("imported");
    expect((await s.add({ id: "b", text: text(2) })).kind).toBe("imported");
    // Identical text after folding whitespace and case: duplicate.
    expect(await s.add({ id: "c", text: "  " + text(2).toUpperCase() })).toEqual({
      kind: "duplicate",
      existingId: "b",
    });
    s.close();

    const t = await FileStore.open(dir);
    expect(t.warnings).toEqual([]);
    expect(await t.count()).toBe(2);
    expect((await t.add({ id: "a", url: "https://x.test/1", text: text(2) })).kind).toBe("duplicate");
    const rev = await t.add({ id: "a", url: "https://x.test/1", text: text(3) });
    expect(rev.kind).toBe("revision");
    if (rev.kind !== "revision") return;
    expect(rev.previousId).toBe("a");
    expect(rev.article.revisionOf).toBe("a");
    expect(rev.article.id).not.toBe("a");
    // A third text of the same URL is a revision of the newest one.
    const rev2 = await t.add({ id: "a", url: "https://x.test/1", text: text(4) });
    expect(rev2.kind === "revision" && rev2.previousId).toBe(rev.article.id);
    t.close();

    const u = await FileStore.open(dir);
    expect(await u.count()).toBe(4);
    expect((await u.get(rev.article.id))?.revisionOf).toBe("a");
  });

  it("a changed text under the same id without URL is a revision too (newest first)", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "x", text: text(1) });
    const r1 = await s.add({ id: "x", text: text(2) });
    const r2 = await s.add({ id: "x", text: text(3) });
    expect(r1.kind === "revision" && r1.previousId).toBe("x");
    expect(r2.kind === "revision" && r1.kind === "revision" && r2.previousId === r1.article.id).toBe(true);
  });

  it("rejects an input without text", async () => {
    const s = await FileStore.open(dir);
    expect((await s.add({ id: "e", text: "   " })).kind).toBe("rejected");
    expect(await s.count()).toBe(0);
  });

  it("skips a half-written last line with a warning, cuts it off, and keeps appending cleanly", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", text: text(1) });
    await s.add({ id: "b", text: text(2) });
    s.close();
    // A killed write: part of a record, no newline.
    appendFileSync(join(dir, "articles.jsonl"), '{"op":"put","article":{"id":"c","te');
    const t = await FileStore.open(dir);
    expect(await t.count()).toBe(2);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/line 3 was half-written/);
    await t.add({ id: "d", text: text(4) });
    t.close();
    const u = await FileStore.open(dir);
    expect(u.warnings).toEqual([]);
    expect((await u.all()).map((a) => a.id)).toEqual(["a", "b", "d"]);
  });

  it("keeps a complete last record that only lacks its newline", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", text: text(1) });
    s.close();
    const path = join(dir, "articles.jsonl");
    writeFileSync(path, readFileSync(path, "utf8").replace(/\n$/, ""));
    const t = await FileStore.open(dir);
    expect(await t.count()).toBe(1);
    await t.add({ id: "b", text: text(2) });
    t.close();
    expect((await (await FileStore.open(dir)).all()).map((a) => a.id)).toEqual(["a", "b"]);
  });

  it("warns about a corrupt line in the middle and loads the rest", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", text: text(1) });
    s.close();
    appendFileSync(join(dir, "articles.jsonl"), "garbage\n");
    const t = await FileStore.open(dir);
    await t.add({ id: "b", text: text(2) });
    t.close();
    const u = await FileStore.open(dir);
    expect(u.warnings).toEqual([expect.stringMatching(/line 2 is not a valid record/)]);
    expect(await u.count()).toBe(2);
  });

  it("one writer at a time: a live lock holder blocks, a dead one's lock is taken over", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", text: text(1) });
    s.close();
    expect(existsSync(join(dir, "store.lock"))).toBe(false);
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, "store.lock"), String(other.pid));
      await expect(FileStore.open(dir)).rejects.toThrow(
        new RegExp(`in use by another Parallax process \\(pid ${other.pid}\\)`),
      );
      // Readers are not blocked.
      expect(await (await FileStore.open(dir, { readOnly: true })).count()).toBe(1);
    } finally {
      other.kill("SIGKILL");
      await new Promise((r) => other.on("exit", r));
    }
    const t = await FileStore.open(dir);
    expect(readFileSync(join(dir, "store.lock"), "utf8")).toBe(String(process.pid));
    await t.add({ id: "b", text: text(2) });
    t.close();
    expect(existsSync(join(dir, "store.lock"))).toBe(false);
  });

  it("a read-only open neither writes, locks nor repairs", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", text: text(1) });
    s.close();
    const path = join(dir, "articles.jsonl");
    appendFileSync(path, '{"op":"put","arti');
    const before = readFileSync(path, "utf8");
    const r = await FileStore.open(dir, { readOnly: true });
    expect(await r.count()).toBe(1);
    expect(r.warnings).toEqual([expect.stringMatching(/line 2 is not a valid record/)]);
    await expect(r.add({ id: "b", text: text(2) })).rejects.toThrow(/read-only/);
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(existsSync(join(dir, "store.lock"))).toBe(false);
  });

  it("delete and clear survive reopening", async () => {
    const s = await FileStore.open(dir);
    await s.add({ id: "a", url: "https://x.test/a", text: text(1) });
    await s.add({ id: "b", text: text(2) });
    await s.delete("a");
    expect(await s.get("a")).toBeUndefined();
    // The deleted text is no longer a duplicate, and its URL starts afresh.
    expect((await s.add({ id: "a2", url: "https://x.test/a", text: text(1) })).kind).toBe("imported");
    s.close();
    const t = await FileStore.open(dir);
    expect((await t.all()).map((a) => a.id).sort()).toEqual(["a2", "b"]);
    await t.clear();
    expect(await t.count()).toBe(0);
    const u = await FileStore.open(dir);
    expect(await u.count()).toBe(0);
    expect((await u.stats()).articles).toBe(0);
  });
});
