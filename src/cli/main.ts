import { closeSync, openSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";
import demoCoverage from "../../demo/coverage.jsonl?raw";
import { contentHash, normalizeArticle } from "../engine/article.js";
import type { Engine } from "../engine/engine.js";
import type { Article, ArticleInput, Report } from "../engine/types.js";
import { FileStore } from "../store/file.js";
import {
  addCounted,
  exportPages,
  exportRecord,
  emptyTally,
  importJsonl,
  splitLines,
  type ImportTally,
  type Rejection,
} from "../store/import.js";
import { MemoryStore } from "../store/memory.js";
import type { Store } from "../store/types.js";
import { formatFigures, formatReport } from "./format.js";
import { htmlToText, loadHtmlSupport } from "./html.js";
import { expandPaths, InputError, readInputs, UsageError, type InputItem } from "./inputs.js";

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** The seed article the demo reads (the NDTV report). */
export const DEMO_QUERY_ID = "001_d11f9d2465d14c55";

const USAGE = `Usage: parallax <command> [options]

Commands:
  import <file.jsonl|file.txt|file.html|folder>... --store <dir>
                      add articles to a store (created when missing)
  export --store <dir> [--out <file.jsonl>]
                      write every stored article as JSONL (the import format)
  analyze <file.html|file.txt|file.jsonl> --store <dir> [--json]
                      report on an article against the store: other reports of the
                      same event, the figures they give, earlier related incidents
  compare <file>... [--json]
                      the figures of a set of reports of one event (no store)
  demo [--json]       the report on one seed article against the built-in demo coverage

Run \`parallax <command> --help\` for the details of a command.
`;

const HELP: Record<string, string> = {
  import: `Usage: parallax import <file.jsonl|file.txt|file.html|folder>... --store <dir>

Adds articles to the store in <dir> (created when missing).
  .jsonl / .ndjson  one article a line: {"id","url","source","title","published","text"|"html"};
                    only "text" or "html" is required, unknown fields are ignored
  .txt              one article: id = file name, title = first non-empty line, outlet and
                    date when the text states them
  .html / .htm      one saved page: article text and metadata as the extension reads them;
                    known by its address when it states one, else id = file name
  folder            its .txt, .html, .htm, .jsonl and .ndjson files, sorted by name (not
                    recursive; other files are ignored)

Identical text is a duplicate (nothing added); the same URL (or id) with changed text is a
new revision, kept and linked to the earlier one. Prints the imported / duplicate /
rejected counts and, for each rejected input, the file, line and reason.

Exit status: 0 when the import ran (even with rejected lines); 1 for an unreadable file or
store; 2 for unusable arguments.
`,
  export: `Usage: parallax export --store <dir> [--out <file.jsonl>]

Writes every article of the store in <dir> as JSONL, one article a line, in the order they
were stored: {"id","url","source","title","published","byline","text"} (the import format,
as the extension's Export writes it). The store is read page by page and each page written
as it is read. Importing the output again into the same store adds nothing (every line is a
duplicate); into an empty store it gives the same articles.

  --out <file>   write to this file (replaced if it exists) instead of standard output;
                 the number of articles written is printed either way (on standard error
                 when the articles go to standard output)

Exit status: 0 on success; 1 for a missing store or a file that cannot be written; 2 for
unusable arguments.
`,
  analyze: `Usage: parallax analyze <file.html|file.txt|file.jsonl> --store <dir> [--json]

Reports on the article as the extension's popup would, against every article in the store:
other reports of the same event (and why), the figures they give (disputes, updates), and
earlier related incidents. A .jsonl file holds one article a line: one report each, in
input order (lines that cannot be read are reported on stderr and get no report).
The article is never listed as another report of itself (same id, URL or text).

  --json     one JSON report a line (the Report type of src/engine/types.ts)

Exit status: 0 on success; 1 for an unreadable file or a missing store; 2 for unusable arguments.
`,
  compare: `Usage: parallax compare <file>... [--json]

Compares the figures of a given set of reports of one event (no store): the first article
against the rest. Files: .txt, .html/.htm, .jsonl/.ndjson (one article a line). An
article's id is its file name without extension, or its JSONL line's "id".

  --json     prints {"figures": [...]}

Exit status: 0 on success; 1 for an unreadable file; 2 for unusable arguments.
`,
  demo: `Usage: parallax demo [--json]

Prints the report on the NDTV report of the 18 July 2016 Almaty attack (seed ${DEMO_QUERY_ID})
against the built-in demo coverage (the seed cluster), using a temporary in-memory store.

  --json     the report as JSON (the Report type of src/engine/types.ts)
`,
};

interface Options {
  positionals: string[];
  store: string | undefined;
  out: string | undefined;
  json: boolean;
  help: boolean;
}

function parse(command: string, args: string[]): Options {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  if (command === "import" || command === "analyze" || command === "export")
    options.store = { type: "string" };
  if (command === "export") options.out = { type: "string" };
  if (command !== "import" && command !== "export") options.json = { type: "boolean" };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  return {
    positionals: parsed.positionals,
    store: typeof v.store === "string" ? v.store : undefined,
    out: typeof v.out === "string" ? v.out : undefined,
    json: v.json === true,
    help: v.help === true,
  };
}

function where(r: { file: string; line: number | null }): string {
  return r.line === null ? r.file : `${r.file} line ${r.line}`;
}

function printTally(io: Io, tally: ImportTally): void {
  const rev = tally.revisions ? ` (${tally.revisions} new revision${tally.revisions === 1 ? "" : "s"})` : "";
  io.out(
    `imported: ${tally.imported}${rev}\nduplicate: ${tally.duplicate}\nrejected: ${tally.rejected.length}\n`,
  );
  for (const r of tally.rejected) io.out(`  ${where(r)}: ${r.reason}\n`);
}

async function openStore(io: Io, dir: string, mode: "write" | "read"): Promise<FileStore> {
  let store: FileStore;
  try {
    store = await FileStore.open(dir, mode === "write" ? { create: true } : { readOnly: true });
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  for (const w of store.warnings) io.err(`warning: ${w}\n`);
  return store;
}

async function cmdImport(io: Io, o: Options): Promise<number> {
  if (o.positionals.length === 0) throw new UsageError("import needs at least one file or folder");
  if (!o.store) throw new UsageError("import needs --store <dir>");
  const files = expandPaths(o.positionals, true);
  const store = await openStore(io, o.store, "write");
  const tally = emptyTally();
  try {
    for await (const item of readInputs(files)) {
      if (!item.ok) {
        tally.rejected.push({ file: item.file, line: item.line, reason: item.reason });
        continue;
      }
      await addCounted(store, item.input, item, tally);
    }
  } finally {
    store.close();
  }
  printTally(io, tally);
  return 0;
}

async function cmdExport(io: Io, o: Options): Promise<number> {
  if (o.positionals.length > 0) throw new UsageError("export takes no files (use --out <file> to name one)");
  if (!o.store) throw new UsageError("export needs --store <dir>");
  const store = await openStore(io, o.store, "read");
  let fd: number | null = null;
  try {
    if (o.out) {
      try {
        fd = openSync(o.out, "w");
      } catch (e) {
        throw new InputError(`cannot write ${o.out} (${(e as Error).message})`);
      }
    }
    let count = 0;
    for await (const page of exportPages(store, 500)) {
      const text = page.map((a) => JSON.stringify(exportRecord(a)) + "\n").join("");
      if (fd !== null) writeSync(fd, text);
      else io.out(text);
      count += page.length;
    }
    (fd !== null ? io.out : io.err)(`exported: ${count}\n`);
  } finally {
    if (fd !== null) closeSync(fd);
    store.close();
  }
  return 0;
}

async function newEngine(store: Store): Promise<Engine> {
  const { Engine } = await import("../engine/engine.js");
  const engine = new Engine();
  for (const a of await store.all()) engine.add(a);
  return engine;
}

/** Lookups of stored articles by text hash, URL and id (the newest of each). */
interface StoredIndex {
  byHash: Map<string, Article>;
  byUrl: Map<string, Article>;
  byId: Map<string, Article>;
}

function storedIndex(articles: Article[]): StoredIndex {
  const index: StoredIndex = { byHash: new Map(), byUrl: new Map(), byId: new Map() };
  for (const a of articles) {
    if (!index.byHash.has(a.contentHash)) index.byHash.set(a.contentHash, a);
    if (a.url) index.byUrl.set(a.url, a); // stores list older revisions first
    index.byId.set(a.id, a);
  }
  return index;
}

/**
 * The query as an article. When the store holds the same text, the query takes that stored
 * article's id (and fills its missing details from it), so it can never be listed as another
 * report of itself; when it holds an earlier text of the same URL (or, without URL, of the
 * same id), the query is that article's revision, so the outlet's own changes read as updates.
 */
function queryArticle(input: ArticleInput, stored: StoredIndex): Article {
  const query = normalizeArticle(input);
  const same = stored.byHash.get(contentHash(query.text));
  if (same) {
    return {
      ...query,
      id: same.id,
      url: query.url ?? same.url,
      source: query.source ?? same.source,
      published: query.published ?? same.published,
      byline: query.byline ?? same.byline,
      revisionOf: same.revisionOf,
    };
  }
  const earlier = (query.url ? stored.byUrl.get(query.url) : undefined) ?? stored.byId.get(query.id);
  if (!earlier) return query;
  // A changed text under a stored id gets its own id (as a stored revision would), so the
  // earlier text stays visible to the figure comparison.
  const id = earlier.id === query.id ? `${query.id}@${query.contentHash.slice(0, 8)}` : query.id;
  return { ...query, id, revisionOf: earlier.id };
}

/** `x` for a revision id `x@1a2b3c4d`, else the id itself. */
function baseId(id: string): string {
  return /^(.+)@[0-9a-f]{8}$/.exec(id)?.[1] ?? id;
}

/**
 * Belt and braces over the engine's own rule: nothing with the query's id (or an earlier
 * revision of it), URL or text is listed as another report. Earlier revisions still count
 * in the figures (as the outlet's own updates).
 */
function withoutSelf(report: Report, query: Article, engine: Engine): Report {
  const own = new Set<string>([query.id, baseId(query.id)]);
  for (let a = query.revisionOf ? engine.get(query.revisionOf) : undefined; a && !own.has(a.id);) {
    own.add(a.id);
    a = a.revisionOf ? engine.get(a.revisionOf) : undefined;
  }
  if (query.revisionOf) own.add(query.revisionOf);
  const isSelf = (item: { id: string; url: string | null }): boolean => {
    if (own.has(item.id) || own.has(baseId(item.id))) return true;
    if (query.url && item.url === query.url) return true;
    return engine.get(item.id)?.contentHash === query.contentHash;
  };
  return {
    ...report,
    sameEvent: report.sameEvent.filter((i) => !isSelf(i)),
    related: report.related.filter((i) => !isSelf(i)),
  };
}

function printReport(io: Io, report: Report, json: boolean, index: number): void {
  if (json) io.out(JSON.stringify(report) + "\n");
  else io.out((index > 0 ? "\n" + "=".repeat(72) + "\n\n" : "") + formatReport(report));
}

async function cmdAnalyze(io: Io, o: Options): Promise<number> {
  if (o.positionals.length !== 1)
    throw new UsageError("analyze needs exactly one file (.html, .txt or .jsonl)");
  if (!o.store) throw new UsageError("analyze needs --store <dir>");
  const files = expandPaths(o.positionals, false);
  const store = await openStore(io, o.store, "read");
  const engine = await newEngine(store);
  const stored = storedIndex(await store.all());
  let n = 0;
  for await (const item of readInputs(files)) {
    if (!item.ok) {
      io.err(`skipped ${where(item)}: ${item.reason}\n`);
      continue;
    }
    const query = queryArticle(item.input, stored);
    printReport(io, withoutSelf(await engine.analyze(query), query, engine), o.json, n++);
  }
  store.close();
  return 0;
}

async function cmdCompare(io: Io, o: Options): Promise<number> {
  if (o.positionals.length === 0) throw new UsageError("compare needs at least one file");
  const files = expandPaths(o.positionals, false);
  const articles: Article[] = [];
  for await (const item of readInputs(files, "file") as AsyncGenerator<InputItem>) {
    if (!item.ok) {
      io.err(`skipped ${where(item)}: ${item.reason}\n`);
      continue;
    }
    articles.push(normalizeArticle(item.input));
  }
  const [first, ...rest] = articles;
  if (!first) throw new InputError("compare: none of the files holds a readable article");
  const { compareFigures } = await import("../engine/figures/index.js");
  const figures = compareFigures(first, rest);
  if (o.json) io.out(JSON.stringify({ figures }) + "\n");
  else
    io.out(
      `Figures across ${articles.length} report${articles.length === 1 ? "" : "s"}\n${formatFigures(figures).join("\n")}\n`,
    );
  return 0;
}

/** Loads the built-in demo coverage into a fresh in-memory store. */
export async function demoStore(): Promise<{ store: MemoryStore; rejected: Rejection[] }> {
  const store = new MemoryStore();
  const tally = emptyTally();
  if (demoCoverage.includes('"html"')) await loadHtmlSupport();
  await importJsonl("demo/coverage.jsonl", splitLines(demoCoverage), store, htmlToText, tally);
  return { store, rejected: tally.rejected };
}

async function cmdDemo(io: Io, o: Options): Promise<number> {
  if (o.positionals.length > 0) throw new UsageError("demo takes no files");
  const { store, rejected } = await demoStore();
  for (const r of rejected) io.err(`warning: demo coverage ${where(r)}: ${r.reason}\n`);
  const query = await store.get(DEMO_QUERY_ID);
  if (!query) throw new InputError(`the built-in demo coverage lacks the article ${DEMO_QUERY_ID}`);
  const engine = await newEngine(store);
  const report = withoutSelf(await engine.analyze(query), query, engine);
  if (!o.json) io.out(`Demo: ${await store.count()} articles of built-in coverage (the seed cluster).\n\n`);
  printReport(io, report, o.json, 0);
  return 0;
}

const COMMANDS: Record<string, (io: Io, o: Options) => Promise<number>> = {
  import: cmdImport,
  export: cmdExport,
  analyze: cmdAnalyze,
  compare: cmdCompare,
  demo: cmdDemo,
};

/** Runs the CLI with `argv` (without node and script). Returns the exit code; never exits the process. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`parallax: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const options = parse(command, args);
    if (options.help) {
      io.out(HELP[command]!);
      return 0;
    }
    return await run(io, options);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`parallax ${command}: ${e.message}\n\n${HELP[command]}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.err(`parallax ${command}: ${e.message}\n`);
      return 1;
    }
    io.err(`parallax ${command}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
