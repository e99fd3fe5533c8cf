import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_QUERY_ID, main } from "../../src/cli/main.js";
import type { Report } from "../../src/engine/types.js";

/**
 * The report-producing commands (analyze, compare, demo) on the real engine, against the
 * demo coverage (the seed cluster) imported into a temporary file store.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const seeds = join(root, "tests/fixtures/seeds");
const coverage = join(root, "demo/coverage.jsonl");

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const isStr = (v: unknown) => typeof v === "string";
const isStrOrNull = (v: unknown) => v === null || typeof v === "string";
const isNumOrNull = (v: unknown) => v === null || (typeof v === "number" && Number.isFinite(v));

/** Every field of the Report contract (src/engine/types.ts) present with the right type; returns the problems. */
function contractProblems(r: unknown): string[] {
  const p: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || p.push(what));
  const rep = r as Report;
  const article = (a: Record<string, unknown>, at: string) => {
    check(isStr(a.id), `${at}.id`);
    check(isStrOrNull(a.url), `${at}.url`);
    check(isStr(a.title), `${at}.title`);
    check(isStrOrNull(a.source), `${at}.source`);
    check(isStrOrNull(a.published), `${at}.published`);
  };
  const why = (w: Record<string, unknown> | undefined, at: string) => {
    check(!!w && typeof w === "object", `${at}.why`);
    if (!w) return;
    for (const k of ["people", "places", "terms"])
      check(Array.isArray(w[k]) && (w[k] as unknown[]).every(isStr), `${at}.why.${k}`);
    check(isStrOrNull(w.date), `${at}.why.date`);
  };
  check(typeof rep === "object" && rep !== null, "report");
  article(rep.article as unknown as Record<string, unknown>, "article");
  check(Array.isArray(rep.sameEvent), "sameEvent");
  check(Array.isArray(rep.related), "related");
  check(Array.isArray(rep.figures), "figures");
  (rep.sameEvent ?? []).forEach((s, i) => {
    const at = `sameEvent[${i}]`;
    article(s as unknown as Record<string, unknown>, at);
    check(typeof s.score === "number" && s.score >= 0 && s.score <= 1, `${at}.score`);
    why(s.why as unknown as Record<string, unknown>, at);
    check(isStrOrNull(s.foldedInto), `${at}.foldedInto`);
  });
  (rep.related ?? []).forEach((s, i) => {
    const at = `related[${i}]`;
    article(s as unknown as Record<string, unknown>, at);
    check(typeof s.score === "number" && s.score >= 0 && s.score <= 1, `${at}.score`);
    check(["earlier", "later", "unknown"].includes(s.when), `${at}.when`);
    why(s.why as unknown as Record<string, unknown>, at);
  });
  p.push(...figureProblems(rep.figures ?? []));
  return p;
}

function figureProblems(figures: unknown[]): string[] {
  const p: string[] = [];
  figures.forEach((f0, i) => {
    const f = f0 as Record<string, unknown>;
    const at = `figures[${i}]`;
    if (!isStr(f.quantity)) p.push(`${at}.quantity`);
    if (!["dispute", "update", "agree"].includes(f.status as string)) p.push(`${at}.status`);
    if (!Array.isArray(f.values)) p.push(`${at}.values`);
    ((f.values as Record<string, unknown>[]) ?? []).forEach((v, j) => {
      const vt = `${at}.values[${j}]`;
      if (!isStr(v.articleId)) p.push(`${vt}.articleId`);
      if (!isStrOrNull(v.source)) p.push(`${vt}.source`);
      if (!isStrOrNull(v.published)) p.push(`${vt}.published`);
      if (!isStr(v.quote)) p.push(`${vt}.quote`);
      if (!isStr(v.phrase) || !(v.quote as string).includes(v.phrase as string)) p.push(`${vt}.phrase`);
      if (!isNumOrNull(v.lo) || !isNumOrNull(v.hi)) p.push(`${vt}.lo/hi`);
    });
  });
  return p;
}

const listed = (r: Report) => [...r.sameEvent, ...r.related];

let dir: string;
let store: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parallax-report-"));
  store = join(dir, "store");
  const r = await run("import", coverage, "--store", store);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^rejected: 0$/m);
  // Load the engine once, outside the tests' time limits (slow on a busy machine).
  await import("../../src/engine/engine.js");
  await import("../../src/engine/figures/index.js");
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parallax analyze", () => {
  it("--json prints one Report with every contract field, never listing the query itself", async () => {
    // The seed file has the same id (file name) and text as the stored NDTV article.
    const r = await run("analyze", join(seeds, "001_d11f9d2465d14c55.txt"), "--store", store, "--json");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as Report;
    expect(contractProblems(report)).toEqual([]);
    expect(report.article.id).toBe("001_d11f9d2465d14c55");
    expect(listed(report).map((i) => i.id)).not.toContain("001_d11f9d2465d14c55");
    // The other reports of the Almaty attack are found; the 2011 Boraldai report is not one of them.
    const same = report.sameEvent.map((i) => i.id);
    expect(same.length).toBeGreaterThan(0);
    expect(same).not.toContain("004_844a32d78c3c6d5d");
  });

  it("the same text under another name takes the stored id and is not listed as itself", async () => {
    const copy = join(dir, "my-copy.txt");
    const stored = readFileSync(coverage, "utf8")
      .split("\n")
      .map((l) => (l.trim() ? (JSON.parse(l) as { id: string; text: string }) : null))
      .find((a) => a?.id === "003_2f11906d63638778")!;
    writeFileSync(copy, stored.text);
    const r = await run("analyze", copy, "--store", store, "--json");
    const report = JSON.parse(r.out) as Report;
    expect(report.article.id).toBe("003_2f11906d63638778");
    expect(listed(report).map((i) => i.id)).not.toContain("003_2f11906d63638778");
    expect(listed(report).every((i) => !/my-copy/.test(i.id))).toBe(true);
  });

  it("a changed text under a stored id is that article's revision: not listed, its figures an update", async () => {
    const own = join(dir, "own-store");
    const first = join(dir, "first.jsonl");
    writeFileSync(
      first,
      JSON.stringify({
        id: "s1",
        source: "Wire",
        published: "2016-07-18T08:00:00Z",
        text: "Three policemen were killed in an attack on a police station in Almaty on Monday, officials said.\nThe gunman was detained.",
      }) + "\n",
    );
    expect((await run("import", first, "--store", own)).code).toBe(0);
    const later = join(dir, "s1.txt");
    writeFileSync(
      later,
      "Police toll rises\nFive policemen were killed in an attack on a police station in Almaty on Monday, officials said.\nThe gunman was detained.\n",
    );
    const report = JSON.parse((await run("analyze", later, "--store", own, "--json")).out) as Report;
    expect(contractProblems(report)).toEqual([]);
    // Named like a stored revision (planAdd's rule): the file name, then @ and the text hash.
    expect(report.article.id).toMatch(/^s1@[0-9a-f]{8}$/);
    expect(listed(report)).toEqual([]);
    const ids = report.figures.flatMap((f) => f.values.map((v) => v.articleId));
    expect(ids).toContain("s1");
    expect(ids).toContain(report.article.id);
  });

  it("a .jsonl input gives one report line per input line, in order", async () => {
    const file = join(dir, "queries.jsonl");
    const stored = readFileSync(coverage, "utf8")
      .split("\n")
      .filter((l) => l.trim());
    const picks = [stored[4]!, stored[0]!, "", stored[5]!];
    writeFileSync(file, picks.join("\n") + "\n");
    const r = await run("analyze", file, "--store", store, "--json");
    expect(r.code).toBe(0);
    const out = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Report);
    const wanted = [stored[4]!, stored[0]!, stored[5]!].map((l) => (JSON.parse(l) as { id: string }).id);
    expect(out.map((rep) => rep.article.id)).toEqual(wanted);
    for (const rep of out) {
      expect(contractProblems(rep)).toEqual([]);
      expect(listed(rep).map((i) => i.id)).not.toContain(rep.article.id);
    }
  });

  it("without --json prints the three sections", async () => {
    const r = await run("analyze", join(seeds, "000_7ec41403aca26861.txt"), "--store", store);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Other reports of this event \(\d+\)$/m);
    expect(r.out).toMatch(/^Figures the reports give \(\d+\)$/m);
    expect(r.out).toMatch(/^Earlier related incidents \(\d+\)$/m);
  });
});

describe("parallax compare", () => {
  it("--json prints {figures} with article ids from file names and JSONL ids", async () => {
    const a = join(dir, "ndtv.txt");
    copyFileSync(join(seeds, "001_d11f9d2465d14c55.txt"), a);
    const b = join(dir, "guardian.jsonl");
    const stored = readFileSync(coverage, "utf8")
      .split("\n")
      .filter((l) => l.trim());
    writeFileSync(b, stored.filter((l) => l.includes('"002_')).join("\n") + "\n");
    const r = await run("compare", a, b, join(seeds, "000_7ec41403aca26861.txt"), "--json");
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { figures: unknown[] };
    expect(Object.keys(parsed)).toContain("figures");
    expect(Array.isArray(parsed.figures)).toBe(true);
    expect(figureProblems(parsed.figures)).toEqual([]);
    const ids = new Set(
      (parsed.figures as { values: { articleId: string }[] }[]).flatMap((f) =>
        f.values.map((v) => v.articleId),
      ),
    );
    const allowed = new Set([
      "ndtv",
      "002_17178071b6bd281f-v2",
      "002_17178071b6bd281f-v3",
      "000_7ec41403aca26861",
    ]);
    for (const id of ids) expect(allowed.has(id)).toBe(true);
    // The seed cluster disagrees on the police toll: some figure must be found.
    expect(parsed.figures.length).toBeGreaterThan(0);
  });
});

describe("parallax demo", () => {
  it("runs in-process: a report on the NDTV seed against the built-in coverage", async () => {
    const r = await run("demo", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(contractProblems(report)).toEqual([]);
    expect(report.article.id).toBe(DEMO_QUERY_ID);
    expect(listed(report).map((i) => i.id)).not.toContain(DEMO_QUERY_ID);
    expect(report.sameEvent.length).toBeGreaterThan(0);
    const text = await run("demo");
    expect(text.out).toMatch(/^Other reports of this event/m);
  });

  it("the built CLI runs the demo from any directory", async () => {
    const exec = promisify(execFile);
    await exec(process.execPath, [join(root, "scripts/build-cli.mjs")], { cwd: root });
    expect(existsSync(join(root, "dist/cli/parallax.mjs"))).toBe(true);
    const elsewhere = mkdtempSync(join(tmpdir(), "parallax-cwd-"));
    try {
      const { stdout } = await exec(process.execPath, [join(root, "bin/parallax.js"), "demo", "--json"], {
        cwd: elsewhere,
      });
      const report = JSON.parse(stdout) as Report;
      expect(contractProblems(report)).toEqual([]);
      expect(report.article.id).toBe(DEMO_QUERY_ID);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 120_000);
});
