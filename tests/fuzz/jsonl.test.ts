/**
 * Property tests of the JSONL import: the line parser (src/store/jsonl.ts), the import loop
 * shared by the CLI and the extension (src/store/import.ts, on a MemoryStore) and the CLI
 * `import` command on a file store (src/cli, src/store/file.ts). Inputs mix good lines with
 * random text and bytes, truncated lines, huge fields, duplicate ids and texts, nested junk.
 * Never throws; each bad line is rejected with a reason under its own line number; each good
 * line is imported exactly once; importing the same lines again adds nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHtmlSupport } from "../../src/cli/html.js";
import { main } from "../../src/cli/main.js";
import { FileStore } from "../../src/store/file.js";
import { emptyTally, importJsonl, parseJsonl, type HtmlToText } from "../../src/store/import.js";
import { parseJsonlLine } from "../../src/store/jsonl.js";
import { MemoryStore } from "../../src/store/memory.js";
import { anyUnicode, params } from "./runs.js";

const noHtml: HtmlToText = () => null;
const someHtml: HtmlToText = (html) => ({ text: html.replace(/<[^>]*>/g, " "), title: null });

/** Any single line: no \n or \r (a line of a file), everything else allowed. */
const junkLine = anyUnicode(200).map((s) => s.replace(/[\r\n]/g, " "));

const jsonJunk = fc.jsonValue({ maxDepth: 6 });

describe("parseJsonlLine", () => {
  it("never throws; blank iff the line is blank; a rejection has a reason; an accepted line has text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          junkLine,
          jsonJunk.map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom(noHtml, someHtml),
        (line, html) => {
          const r = parseJsonlLine(line, html);
          if (r.ok === "blank") expect(line.trim()).toBe("");
          else if (r.ok) expect(r.input.text.trim()).not.toBe("");
          else expect(r.reason.length).toBeGreaterThan(0);
        },
      ),
      params(1000),
    );
  });

  it("an object whose fields are nested junk is rejected with the field's name, never accepted", () => {
    const key = fc.constantFrom("id", "url", "source", "title", "published", "text", "html", "byline");
    const nonString = jsonJunk.filter((v) => typeof v !== "string" && v !== null && typeof v !== "number");
    fc.assert(
      fc.property(key, nonString, (k, v) => {
        const r = parseJsonlLine(JSON.stringify({ text: "Some article text.", [k]: v }), someHtml);
        expect(r.ok).toBe(false);
        if (r.ok === false) expect(r.reason).toContain(`"${k}"`);
      }),
      params(300),
    );
  });

  it("a field larger than the limit is rejected, not truncated, and the reason stays short", async () => {
    const line = JSON.stringify({ id: "big", text: "x".repeat(5_000_001) });
    const r = parseJsonlLine(line, noHtml);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/too large/) });
    const items = [];
    for await (const item of parseJsonl([line], noHtml)) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ line: 1, ok: false });
    if (items[0]!.ok === false) expect(items[0]!.reason.length).toBeLessThanOrEqual(200);
  });
});

// ---------------------------------------------------------------------------------------------
// A generated import file, with what each line must come to.

type Expect = "imported" | "revision" | "duplicate" | "rejected" | "blank";
interface Line {
  text: string;
  expect: Expect;
  /** For imported lines: the id and text that must be stored. */
  id?: string;
  body?: string;
}

/** An article text; one in ten is huge (up to 200,000 characters, under the field limit). */
const bodyText = fc
  .tuple(anyUnicode(60), fc.nat({ max: 9 }), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([u, dice, n]) => {
    const core = `happened in the city centre on Tuesday, police said. ${u.replace(/\s+/g, " ")}`;
    return dice === 0 ? core + " word".repeat(Math.floor(n / 5)) : core;
  });

const badLine = fc
  .oneof(
    junkLine.filter((s) => s.trim() !== "" && !/"(?:text|html)"/.test(s)),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) =>
      Buffer.from(b)
        .toString("latin1")
        .replace(/[\r\n]/g, "\u0000"),
    ),
    jsonJunk
      .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
      .map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string({ maxLength: 8 }), jsonJunk, { maxKeys: 5 }).map((o) => {
      delete o.text;
      delete o.html;
      return JSON.stringify(o);
    }),
    jsonJunk.map((v) => JSON.stringify({ id: "nested", text: { deep: [v, { text: "x" }] } })),
    fc.constantFrom('{"id": "c", "text": "unterminated', "{", "[", '{"text":', "null", "0", "true", '""'),
    // Dates V8's lenient Date.parse also refuses; the ones it accepts are a known bug (below).
    fc
      .constantFrom("yesterday-ish", "2016-13-45", "18/07/2016 25:99", "a 13", "--")
      .map((d) => JSON.stringify({ text: "Article text here.", published: d })),
    fc.constantFrom(JSON.stringify({ text: "   \t  " }), JSON.stringify({ title: "no text" })),
  )
  .filter((s) => s.trim() !== "" || s.includes("\u0000")); // else a blank line, skipped

/** Builds the lines of one file: good lines (unique id and text), then the mix, in a shuffled order. */
const importFile = fc
  .tuple(
    fc.array(bodyText, { minLength: 0, maxLength: 8 }),
    fc.array(badLine, { maxLength: 8 }),
    fc.array(fc.nat(), { maxLength: 4 }), // exact copies of a good line → duplicate
    fc.array(fc.nat(), { maxLength: 4 }), // same id, changed text → revision
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 1000 })), { maxLength: 4 }), // truncated good line
    fc.array(fc.constantFrom("", "   ", "\t"), { maxLength: 3 }),
    fc.infiniteStream(fc.nat()),
    fc.boolean(), // extra unknown fields with nested junk
    jsonJunk,
  )
  .map(([bodies, bads, dups, revs, truncs, blanks, order, extra, junk]) => {
    const good: Line[] = bodies.map((b, i) => {
      const id = `art-${i}`;
      const body = `Report ${i}: ${b}`.trim();
      const obj: Record<string, unknown> = {
        id,
        text: body,
        url: null,
        published: i % 2 ? "2016-07-18" : null,
      };
      if (extra) obj.extra = { junk, text: 42 };
      return { text: JSON.stringify(obj), expect: "imported", id, body };
    });
    const rest: Line[] = bads.map((t) => ({ text: t, expect: "rejected" as Expect }));
    for (const [k, cut] of truncs) {
      const g = good[k % Math.max(1, good.length)];
      if (g)
        rest.push({
          text: g.text.slice(0, Math.max(1, Math.min(cut, g.text.length - 1))),
          expect: "rejected",
        });
    }
    for (const b of blanks) rest.push({ text: b, expect: "blank" });
    // Later lines: duplicates and revisions must follow the good line they copy.
    const later: Line[] = [];
    for (const k of dups) {
      const g = good[k % Math.max(1, good.length)];
      if (g) later.push({ text: g.text, expect: "duplicate" });
    }
    const revised = new Set<number>();
    for (const k of revs) {
      const i = k % Math.max(1, good.length);
      if (!good[i] || revised.has(i)) continue;
      revised.add(i);
      later.push({
        text: JSON.stringify({ id: good[i].id, text: `${good[i].body} Updated.` }),
        expect: "revision",
      });
    }
    // Shuffle good and bad lines together (deterministically from the stream), then append.
    const first = [...good, ...rest];
    const it = order[Symbol.iterator]();
    for (let i = first.length - 1; i > 0; i--) {
      const j = it.next().value % (i + 1);
      [first[i], first[j]] = [first[j]!, first[i]!];
    }
    return [...first, ...later];
  });

interface Tally {
  imported: number;
  revisions: number;
  duplicate: number;
  rejected: { line: number | null; reason: string }[];
}

function expected(lines: Line[]) {
  const count = (e: Expect) => lines.filter((l) => l.expect === e).length;
  const rejectedLines = lines.flatMap((l, i) => (l.expect === "rejected" ? [i + 1] : []));
  return {
    imported: count("imported") + count("revision"),
    revisions: count("revision"),
    duplicate: count("duplicate"),
    rejectedLines,
  };
}

function checkTally(t: Tally, lines: Line[]): void {
  const e = expected(lines);
  expect(t.rejected.map((r) => r.line)).toEqual(e.rejectedLines);
  for (const r of t.rejected) {
    expect(r.reason.trim().length).toBeGreaterThan(0);
    expect(r.reason.length).toBeLessThanOrEqual(200);
  }
  expect({ imported: t.imported, revisions: t.revisions, duplicate: t.duplicate }).toEqual({
    imported: e.imported,
    revisions: e.revisions,
    duplicate: e.duplicate,
  });
}

describe("parseJsonlLine: regression cases", () => {
  // KNOWN BUG, reported to the lead: "published" is checked with Date.parse, and V8's legacy
  // parser reads many non-ISO strings as dates ("not-a-date 0" → 2000-01-01, "Tuesday 5" →
  // 2001-05-01), so they are stored as the article's date. Suggested fix in
  // src/store/jsonl.ts: test an ISO 8601 shape first, e.g.
  // /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.
  // Fixed: an ISO 8601 shape is checked before Date.parse.
  for (const date of ["not-a-date 0", "Tuesday 5", "x 1", "foo 2016-07-18"]) {
    it(`"published": "${date}" is rejected as not an ISO date`, () => {
      const r = parseJsonlLine(JSON.stringify({ text: "Article text here.", published: date }), noHtml);
      expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/not an ISO date/) });
    });
  }
});

describe("importJsonl (the import loop of the CLI and the extension)", () => {
  it("bad lines rejected by number with a reason, good lines imported once, re-import adds nothing", async () => {
    await fc.assert(
      fc.asyncProperty(importFile, async (lines) => {
        const store = new MemoryStore();
        const texts = lines.map((l) => l.text);
        const t1 = emptyTally();
        await importJsonl("in.jsonl", texts, store, noHtml, t1);
        checkTally(t1, lines);
        expect(await store.count()).toBe(t1.imported);
        for (const l of lines) {
          if (l.expect !== "imported") continue;
          const a = await store.get(l.id!);
          expect(a?.text).toBe(l.body);
        }
        const t2 = emptyTally();
        await importJsonl("in.jsonl", texts, store, noHtml, t2);
        expect(t2.imported).toBe(0);
        expect(t2.revisions).toBe(0);
        expect(t2.duplicate).toBe(t1.imported + t1.duplicate);
        expect(t2.rejected).toEqual(t1.rejected);
        expect(await store.count()).toBe(t1.imported);
      }),
      params(60),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI on real files

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parallax-fuzz-"));
  await loadHtmlSupport();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** The tally the CLI prints (rejected lines split on "\n" only: a reason may hold U+2028). */
function printed(out: string): Tally {
  const num = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, "m").exec(out)?.[1] ?? NaN);
  const rev = /^imported: \d+ \((\d+) new revisions?\)/m.exec(out);
  const rejected = out
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => {
      const m = /^ {2}.+? line (\d+): (.*)$/s.exec(l);
      return { line: m ? Number(m[1]) : null, reason: m?.[2] ?? "" };
    });
  return {
    imported: num("imported"),
    revisions: rev ? Number(rev[1]) : 0,
    duplicate: num("duplicate"),
    rejected,
  };
}

describe("parallax import (CLI, file store)", () => {
  it("the same guarantees through a file on disk and a reopened store", async () => {
    await fc.assert(
      fc.asyncProperty(importFile, fc.constantFrom("\n", "\r\n"), async (lines, eol) => {
        const case_ = join(dir, `case-${++n}`);
        const file = join(case_ + ".jsonl");
        const store = join(case_, "store");
        writeFileSync(file, lines.map((l) => l.text).join(eol));
        const r1 = await cli("import", file, "--store", store);
        expect(r1.code, r1.err).toBe(0);
        const t1 = printed(r1.out);
        checkTally(t1, lines);
        const r2 = await cli("import", file, "--store", store);
        expect(r2.code, r2.err).toBe(0);
        const t2 = printed(r2.out);
        expect(t2.imported).toBe(0);
        expect(t2.duplicate).toBe(t1.imported + t1.duplicate);
        expect(t2.rejected).toEqual(t1.rejected);
        const s = await FileStore.open(store);
        try {
          expect(s.warnings).toEqual([]);
          expect(await s.count()).toBe(t1.imported);
          for (const l of lines) if (l.expect === "imported") expect((await s.get(l.id!))?.text).toBe(l.body);
        } finally {
          s.close();
        }
      }),
      params(12),
    );
  });

  it("a file of random bytes: exit 0, nothing imported, every rejection names a line of the file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4000 }), async (bytes) => {
        const file = join(dir, `bytes-${++n}.jsonl`);
        writeFileSync(file, bytes);
        const r = await cli("import", file, "--store", join(dir, `bytes-store-${n}`));
        expect(r.code, r.err).toBe(0);
        const t = printed(r.out);
        expect(t.imported).toBe(0);
        const lineCount = Buffer.from(bytes)
          .toString("utf8")
          .split(/\r\n|\r|\n/).length;
        for (const x of t.rejected) {
          expect(x.line).not.toBeNull();
          expect(x.line!).toBeGreaterThanOrEqual(1);
          expect(x.line!).toBeLessThanOrEqual(lineCount);
          expect(x.reason.length).toBeGreaterThan(0);
        }
      }),
      params(25),
    );
  });
});
