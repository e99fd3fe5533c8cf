import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { htmlToArticle, loadHtmlSupport, stripInert } from "../../src/cli/html.js";
import { main } from "../../src/cli/main.js";
import { FileStore } from "../../src/store/file.js";

/** Runs the CLI in-process; returns exit code and what it printed. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** The counts and rejected lines of an import's output. */
function tally(out: string) {
  const num = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, "m").exec(out)?.[1] ?? NaN);
  const rejectedLines = [...out.matchAll(/^ {2}(.+?) line (\d+): (.*)$/gm)].map((m) => ({
    file: m[1]!.split(/[\\/]/).pop(),
    line: Number(m[2]),
    reason: m[3]!,
  }));
  return { imported: num("imported"), duplicate: num("duplicate"), rejected: num("rejected"), rejectedLines };
}

const body = (n: number) =>
  `Police said ${n} people were detained after the protest in the city centre on Tuesday.\nA second paragraph, number ${n}, with more detail on the arrests.`;
const line = (o: Record<string, unknown>) => JSON.stringify(o);

let dir: string;
let store: string;
// jsdom takes seconds to load on a busy machine: load it once, outside the tests' time limits.
beforeAll(() => loadHtmlSupport(), 60_000);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parallax-cli-"));
  store = join(dir, "store");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("parallax import", () => {
  it("counts imported, duplicate and rejected lines, with line numbers and reasons", async () => {
    const file = join(dir, "in.jsonl");
    const lines = [
      line({
        id: "a",
        url: "https://x.test/a",
        source: "X",
        title: "A",
        published: "2016-07-18",
        text: body(1),
      }),
      line({ id: "b", text: body(2), extra: { ignored: true } }),
      '{"id": "c", "text": "unterminated',
      line({ id: "d", title: "no text here" }),
      "",
      line({ id: "e", text: "x".repeat(5_000_001) }),
      line({ id: "f", text: body(1) }), // same text as "a": duplicate
      line({ id: "g", published: "yesterday-ish", text: body(7) }),
      '["not", "an", "object"]',
      line({ id: "h", text: body(8) }).slice(0, 30), // a truncated last line, no newline
    ];
    writeFileSync(file, lines.join("\n"));
    const r = await run("import", file, "--store", store);
    expect(r.code).toBe(0);
    const t = tally(r.out);
    expect(t).toMatchObject({ imported: 2, duplicate: 1, rejected: 6 });
    expect(t.rejectedLines.map((x) => x.line)).toEqual([3, 4, 6, 8, 9, 10]);
    expect(t.rejectedLines.every((x) => x.file === "in.jsonl")).toBe(true);
    expect(t.rejectedLines[0]!.reason).toMatch(/not valid JSON/);
    expect(t.rejectedLines[1]!.reason).toMatch(/"text" or "html"/);
    expect(t.rejectedLines[2]!.reason).toMatch(/too large/);
    expect(t.rejectedLines[3]!.reason).toMatch(/not an ISO date/);
    expect(t.rejectedLines[4]!.reason).toMatch(/not a JSON object/);
    // The enormous field is not echoed back.
    expect(r.out.length).toBeLessThan(3000);
    const s = await FileStore.open(store);
    expect((await s.all()).map((a) => a.id)).toEqual(["a", "b"]);
    expect(await s.get("a")).toMatchObject({
      url: "https://x.test/a",
      source: "X",
      title: "A",
      published: "2016-07-18",
    });
  });

  it("re-importing the same lines adds nothing", async () => {
    const file = join(dir, "in.jsonl");
    writeFileSync(file, [1, 2, 3].map((n) => line({ id: `n${n}`, text: body(n) })).join("\n") + "\n");
    expect(tally((await run("import", file, "--store", store)).out)).toMatchObject({
      imported: 3,
      duplicate: 0,
    });
    const before = readFileSync(join(store, "articles.jsonl"));
    const again = await run("import", file, "--store", store);
    expect(tally(again.out)).toMatchObject({ imported: 0, duplicate: 3, rejected: 0 });
    expect(readFileSync(join(store, "articles.jsonl")).equals(before)).toBe(true);
  });

  it("keeps a changed text of the same URL as a revision linked to the earlier one", async () => {
    const v1 = join(dir, "v1.jsonl");
    const v2 = join(dir, "v2.jsonl");
    writeFileSync(v1, line({ id: "g1", url: "https://news.test/story", text: body(1) }) + "\n");
    writeFileSync(v2, line({ id: "g1", url: "https://news.test/story", text: body(2) }) + "\n");
    await run("import", v1, "--store", store);
    const r = await run("import", v2, "--store", store);
    expect(r.out).toMatch(/^imported: 1 \(1 new revision\)$/m);
    const all = await (await FileStore.open(store)).all();
    expect(all).toHaveLength(2);
    const rev = all.find((a) => a.id !== "g1");
    expect(rev?.revisionOf).toBe("g1");
    expect(rev?.url).toBe("https://news.test/story");
  });

  it("reports a binary file: bad lines by number, good lines imported", async () => {
    const file = join(dir, "mixed.jsonl");
    const bin = Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02, 0x80, 0x0a, 0x00, 0x00, 0x9f, 0x0a]);
    writeFileSync(file, Buffer.concat([bin, Buffer.from(line({ id: "ok", text: body(1) }) + "\n")]));
    const r = await run("import", file, "--store", store);
    expect(r.code).toBe(0);
    const t = tally(r.out);
    expect(t).toMatchObject({ imported: 1, rejected: 2 });
    expect(t.rejectedLines.map((x) => [x.line, /binary/.test(x.reason)])).toEqual([
      [1, true],
      [2, true],
    ]);
    // A binary .txt is one rejected file.
    const txt = join(dir, "image.txt");
    writeFileSync(txt, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a, 0xff, 0xd8]));
    const r2 = await run("import", txt, "--store", store);
    expect(r2.code).toBe(0);
    expect(r2.out).toMatch(/^rejected: 1$/m);
    expect(r2.out).toMatch(/image\.txt: binary data/);
  });

  it("imports a folder's .txt, .html and .jsonl files, sorted, not recursive", async () => {
    const folder = join(dir, "in");
    mkdirSync(join(folder, "sub"), { recursive: true });
    copyFileSync(
      new URL("../fixtures/seeds/003_2f11906d63638778.txt", import.meta.url),
      join(folder, "b-bne.txt"),
    );
    writeFileSync(join(folder, "a.jsonl"), line({ id: "j1", text: body(1) }) + "\n");
    writeFileSync(
      join(folder, "c.html"),
      `<!doctype html><html lang="en"><head><title>Storm hits coast</title>
       <meta property="og:site_name" content="Coast Herald">
       <meta property="article:published_time" content="2020-03-01T08:00:00Z">
       <link rel="canonical" href="https://herald.test/storm"></head>
       <body><article><h1>Storm hits coast</h1>${Array.from({ length: 6 }, (_, i) => `<p>${body(i + 10)} The storm damaged houses along the coast and the council said repairs would take weeks.</p>`).join("")}</article></body></html>`,
    );
    writeFileSync(join(folder, "notes.csv"), "a,b\n");
    writeFileSync(join(folder, "sub", "deeper.jsonl"), line({ id: "deep", text: body(9) }) + "\n");
    const r = await run("import", folder, "--store", store);
    expect(r.code).toBe(0);
    expect(tally(r.out)).toMatchObject({ imported: 3, duplicate: 0, rejected: 0 });
    const all = await (await FileStore.open(store)).all();
    // The page states its address: it is known by it and gets the store's id, not its file name.
    expect(all.map((a) => a.id)).toEqual(["j1", "b-bne", expect.stringMatching(/^a-[0-9a-f]{16}$/)]);
    expect(all[1]).toMatchObject({
      title: "Kazakh city of Almaty on terror alert after gunman kills five in attacks",
      source: "bne IntelliNews",
      published: "2016-07-18",
    });
    expect(all[2]).toMatchObject({
      url: "https://herald.test/storm",
      source: "Coast Herald",
      published: "2020-03-01T08:00:00Z",
    });
    expect(all[2]!.title).toMatch(/Storm hits coast/);
    expect(all[2]!.text).toMatch(/council said repairs/);
  });

  it("saved pages with the same file name but their own addresses are different articles", async () => {
    const page = (n: number, canonical: string) =>
      `<!doctype html><html lang="en"><head><title>Page ${n}</title><link rel="canonical" href="${canonical}"></head><body><article>${Array.from({ length: 5 }, (_, i) => `<p>${body(n * 10 + i)} The river rose overnight and the town was evacuated.</p>`).join("")}</article></body></html>`;
    mkdirSync(join(dir, "p1"));
    mkdirSync(join(dir, "p2"));
    mkdirSync(join(dir, "p3"));
    writeFileSync(join(dir, "p1", "source.html"), page(1, "https://a.test/1"));
    writeFileSync(join(dir, "p2", "source.html"), page(2, "https://b.test/2"));
    // Without an address the page is named by its file.
    writeFileSync(join(dir, "p3", "source.html"), page(3, "").replace(/<link[^>]*>/, ""));
    const r = await run(
      "import",
      join(dir, "p1", "source.html"),
      join(dir, "p2", "source.html"),
      join(dir, "p3", "source.html"),
      "--store",
      store,
    );
    expect(r.out).toMatch(/^imported: 3$/m);
    const all = await (await FileStore.open(store)).all();
    expect(all.map((a) => a.url)).toEqual(["https://a.test/1", "https://b.test/2", null]);
    expect(all[2]!.id).toBe("source");
    expect(all.every((a) => a.revisionOf === null)).toBe(true);
  });

  it("extracts the text of an html field", async () => {
    const file = join(dir, "h.jsonl");
    const html = `<html><head><title>Quake</title></head><body><article>${Array.from({ length: 5 }, (_, i) => `<p>${body(i)} The earthquake shook the region overnight.</p>`).join("")}</article></body></html>`;
    writeFileSync(
      file,
      line({ id: "h1", url: "https://q.test/1", html }) + "\n" + line({ id: "h2", html: "<p>x</p>" }),
    );
    const r = await run("import", file, "--store", store);
    const t = tally(r.out);
    expect(t).toMatchObject({ imported: 1, rejected: 1 });
    expect(t.rejectedLines[0]).toMatchObject({ line: 2 });
    const a = await (await FileStore.open(store)).get("h1");
    expect(a?.text).toMatch(/earthquake shook/);
    expect(a?.text).not.toMatch(/<p>/);
  });

  it("warns about a half-written store line left by a killed import and goes on", async () => {
    const file = join(dir, "in.jsonl");
    writeFileSync(file, line({ id: "k1", text: body(1) }) + "\n");
    await run("import", file, "--store", store);
    writeFileSync(
      join(store, "articles.jsonl"),
      readFileSync(join(store, "articles.jsonl"), "utf8") + '{"op":"put","art',
    );
    writeFileSync(file, line({ id: "k2", text: body(2) }) + "\n");
    const r = await run("import", file, "--store", store);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: .*line 2 was half-written/);
    expect(tally(r.out).imported).toBe(1);
    expect((await (await FileStore.open(store)).all()).map((a) => a.id)).toEqual(["k1", "k2"]);
  });
});

describe("parallax export", () => {
  /** A store filled from a folder: a .txt, an .html page and a .jsonl with a revision and a duplicate. */
  async function filledStore(): Promise<number> {
    const folder = join(dir, "in");
    mkdirSync(folder, { recursive: true });
    copyFileSync(
      new URL("../fixtures/seeds/003_2f11906d63638778.txt", import.meta.url),
      join(folder, "a.txt"),
    );
    writeFileSync(
      join(folder, "b.html"),
      `<!doctype html><html lang="en"><head><title>Storm</title><link rel="canonical" href="https://herald.test/storm"></head><body><article>${Array.from({ length: 5 }, (_, i) => `<p>${body(i + 20)} The storm damaged houses along the coast.</p>`).join("")}</article></body></html>`,
    );
    const jsonl = [
      ...Array.from({ length: 30 }, (_, i) =>
        line({ id: `j${i}`, url: `https://x.test/${i}`, source: "X", text: body(100 + i) }),
      ),
      line({ id: "j3", url: "https://x.test/3", text: body(103) + "\nUpdated: one more line." }), // a revision
      line({ id: "copy", text: body(101) }), // a duplicate
    ];
    writeFileSync(join(folder, "c.jsonl"), jsonl.join("\n") + "\n");
    const r = await run("import", folder, "--store", store);
    expect(tally(r.out)).toMatchObject({ imported: 33, duplicate: 1, rejected: 0 });
    return 33;
  }

  it("writes every stored article as one JSONL line, in the order stored, and says how many", async () => {
    const n = await filledStore();
    const r = await run("export", "--store", store);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`exported: ${n}\n`);
    const rows = r.out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(n);
    const stored = await (await FileStore.open(store, { readOnly: true })).all();
    const key = (a: { capturedAt: string; id: string }) => `${a.capturedAt} ${a.id}`;
    const byTime = [...stored].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(rows.map((x) => x.id)).toEqual(byTime.map((a) => a.id));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "id",
      "url",
      "source",
      "title",
      "published",
      "byline",
      "text",
    ]);
    expect(rows.find((x) => x.url === "https://herald.test/storm")?.text).toMatch(/storm damaged houses/);
    expect(rows.filter((x) => x.url === "https://x.test/3")).toHaveLength(2); // the article and its revision
  });

  it("--out writes a file that imports back as all duplicates, and into an empty store as the same articles", async () => {
    const n = await filledStore();
    const out = join(dir, "export.jsonl");
    const r = await run("export", "--store", store, "--out", out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`exported: ${n}\n`);
    expect(readFileSync(out, "utf8").split("\n").filter(Boolean)).toHaveLength(n);
    expect(tally((await run("import", out, "--store", store)).out)).toMatchObject({
      imported: 0,
      duplicate: n,
      rejected: 0,
    });
    const fresh = join(dir, "fresh");
    expect(tally((await run("import", out, "--store", fresh)).out)).toMatchObject({
      imported: n,
      duplicate: 0,
      rejected: 0,
    });
    const hashes = async (d: string) =>
      (await (await FileStore.open(d, { readOnly: true })).all()).map((a) => a.contentHash).sort();
    expect(await hashes(fresh)).toEqual(await hashes(store));
  });

  it("an empty store exports nothing; a missing store or a stray file argument is an error", async () => {
    writeFileSync(join(dir, "empty.jsonl"), "");
    await run("import", join(dir, "empty.jsonl"), "--store", store);
    const empty = await run("export", "--store", store);
    expect(empty).toEqual({ code: 0, out: "", err: "exported: 0\n" });
    const missing = await run("export", "--store", join(dir, "nope"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no Parallax store/);
    expect((await run("export", "x.jsonl", "--store", store)).code).toBe(2);
    expect((await run("export")).code).toBe(2);
  });
});

describe("arguments", () => {
  it("gives help for every command and usage errors exit 2", async () => {
    for (const cmd of ["import", "analyze", "compare", "demo"]) {
      const h = await run(cmd, "--help");
      expect(h.code).toBe(0);
      expect(h.out).toMatch(new RegExp(`^Usage: parallax ${cmd}`));
    }
    expect((await run("--help")).code).toBe(0);
    expect((await run()).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    const unknownFlag = await run("import", join(dir, "x.jsonl"), "--store", store, "--fast");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toMatch(/--fast/);
    expect((await run("demo", "--store", store)).code).toBe(2);
    expect((await run("compare", "--store", store, "a.txt")).code).toBe(2);
    expect((await run("import", join(dir, "x.jsonl"))).err).toMatch(/--store/);
    expect((await run("analyze", "--store", store)).code).toBe(2);
  });

  it("unreadable or missing inputs exit 1 with a clear message and import nothing", async () => {
    const good = join(dir, "good.jsonl");
    writeFileSync(good, line({ text: body(1) }) + "\n");
    const r = await run("import", good, join(dir, "missing.jsonl"), "--store", store);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.jsonl: no such file/);
    expect(r.out).toBe("");
    const wrongType = join(dir, "data.csv");
    writeFileSync(wrongType, "a,b");
    expect((await run("import", wrongType, "--store", store)).code).toBe(2);
    const noStore = await run("analyze", good, "--store", join(dir, "nostore"));
    expect(noStore.code).toBe(1);
    expect(noStore.err).toMatch(/no Parallax store/);
  });
});

describe("reading saved pages", () => {
  it("stripInert drops style sheets and scripts but keeps JSON-LD and the text", () => {
    const html =
      '<head><style>p{color:red}</style><script>var x = "<p>not text</p>";</script>' +
      '<script type="application/ld+json">{"datePublished":"2020-01-01"}</script></head>' +
      "<body><p>Kept text.</p><script src=a.js></script></body>";
    const out = stripInert(html);
    expect(out).not.toMatch(/color:red|not text|a\.js/);
    expect(out).toContain('{"datePublished":"2020-01-01"}');
    expect(out).toContain("<p>Kept text.</p>");
  });

  it("extracts the same article with and without the inert parts", async () => {
    const { JSDOM, VirtualConsole } = (await import("jsdom" as string)) as {
      JSDOM: new (h: string, o: object) => { window: { document: Document } };
      VirtualConsole: new () => unknown;
    };
    const { extractArticle } = await import("../../content/extract.js");
    const html = readFileSync(new URL("../fixtures/pages/bbc-1/source.html", import.meta.url), "utf8");
    const url = "https://www.bbc.com/news/x";
    const full = extractArticle(
      new JSDOM(html, { url, virtualConsole: new VirtualConsole() }).window.document,
      url,
    );
    const viaCli = htmlToArticle(html, url);
    expect(full.article).not.toBeNull();
    expect(viaCli.ok).toBe(true);
    if (!viaCli.ok || !full.article) return;
    expect(viaCli.input.text).toBe(full.article.text);
    expect(viaCli.input.title).toBe(full.article.title);
    expect(viaCli.input.published).toBe(full.article.published);
    expect(viaCli.input.source).toBe(full.article.source);
  }, 60_000);
});
