import {
  openDB,
  type DBSchema,
  type IDBPDatabase,
  type IDBPObjectStore,
  type IDBPTransaction,
  type StoreNames,
} from "idb";
import type { Article, ArticleInput } from "../engine/types.js";
import { planAdd } from "./dedupe.js";
import { articleBytes, newest, normalizeOrReject } from "./memory.js";
import type {
  AddOutcome,
  IndexJournalEntry,
  IndexStore,
  PageCursor,
  Store,
  StoreStats,
  StoredIndex,
} from "./types.js";

export const DB_NAME = "parallax";

interface ParallaxDB extends DBSchema {
  articles: {
    key: string;
    value: Article;
    indexes: { contentHash: string; url: string; capturedAt: string; published: string };
  };
  meta: { key: string; value: unknown };
  /** The persisted search index: binary chunks by key (described by meta "index"). */
  index: { key: string; value: ArrayBuffer };
  /** Article writes since the index was last saved (see IndexStore). */
  journal: { key: number; value: { op: "put" | "delete"; id: string } };
}

/** Meta "index": the stored index's description (its chunks are in the "index" store). */
type IndexMeta = Omit<StoredIndex, "chunks">;

/**
 * Meta "sourceStats": what the options page's statistics need besides the date range, kept in
 * the same transaction as every article write (as "articleCount" is), so that `stats()` reads
 * no article. Missing (a database from before it) or out of step with "articleCount": counted
 * once by `stats()` and stored.
 */
interface SourceStats {
  articles: number;
  bytes: number;
  perSource: Record<string, number>;
}

type MetaStore = IDBPObjectStore<ParallaxDB, StoreNames<ParallaxDB>[], "meta", "readwrite">;

function sourceOf(a: Article): string {
  return a.source ?? "unknown";
}

type UpgradeTx = IDBPTransaction<ParallaxDB, StoreNames<ParallaxDB>[], "versionchange">;
type Migration = (db: IDBPDatabase<ParallaxDB>, tx: UpgradeTx) => void;

/**
 * The schema, one step per version: `MIGRATIONS[i]` upgrades a database from version i to
 * i + 1. Never edit a released step; append a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  // v1: articles keyed by id, looked up by content hash (duplicates), URL (revisions) and capture time.
  (db) => {
    const articles = db.createObjectStore("articles", { keyPath: "id" });
    articles.createIndex("contentHash", "contentHash");
    articles.createIndex("url", "url");
    articles.createIndex("capturedAt", "capturedAt");
    db.createObjectStore("meta");
  },
  // v2: an index on the publication date, for the coverage range and date-ordered listings.
  (_db, tx) => {
    tx.objectStore("articles").createIndex("published", "published");
  },
  // v3: the persisted search index (binary chunks) and the journal of article writes it has not
  // caught up with yet. Existing articles are indexed on the next start (no index stored yet).
  // The article count is kept in meta "articleCount" from here on (IndexedDB count() walks
  // the store: ~0.75 s at 10k articles in Chromium, and the popup asks on every open).
  (db, tx) => {
    db.createObjectStore("index");
    db.createObjectStore("journal", { autoIncrement: true });
    void tx
      .objectStore("articles")
      .count()
      .then((n) => tx.objectStore("meta").put(n, "articleCount"));
  },
  // v4: per-outlet counts and total bytes in meta "sourceStats", kept by every article write, so
  // the options page's statistics read no article. An empty database starts them at zero; one
  // with articles has them counted once by the first stats() (bytes need the stored values).
  (_db, tx) => {
    void tx
      .objectStore("articles")
      .openKeyCursor()
      .then((cursor) => {
        if (!cursor) void tx.objectStore("meta").put({ articles: 0, bytes: 0, perSource: {} }, "sourceStats");
      });
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (and migrates) the database at `version` — the latest unless a test asks for an older one. */
export async function openParallaxDb(
  name: string = DB_NAME,
  version: number = SCHEMA_VERSION,
  /** Called when the connection was closed under us (versionchange, or the browser closed it). */
  onClosed?: () => void,
): Promise<IDBPDatabase<ParallaxDB>> {
  const db = await openDB<ParallaxDB>(name, version, {
    upgrade(database, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) MIGRATIONS[v]?.(database, tx);
      void tx.objectStore("meta").put(newVersion ?? version, "schemaVersion");
    },
    blocking() {
      // A newer version wants to open (an updated extension) or the database is being
      // deleted: step aside, so that never waits on us.
      db.close();
      onClosed?.();
    },
    terminated() {
      onClosed?.();
    },
  });
  return db;
}

export class StorageFullError extends Error {
  constructor() {
    super(
      "storage is full: the browser refused to store more. Delete some coverage in the options page, or free disk space.",
    );
    this.name = "StorageFullError";
  }
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED";
}

/** IndexedDB-backed Store for the extension (versioned schema, dedupe and revisions via planAdd). */
export class IdbStore implements Store {
  /** The persisted search index beside the articles. */
  readonly indexStore: IndexStore;

  private constructor(
    private readonly db: IDBPDatabase<ParallaxDB>,
    private readonly now: () => Date,
  ) {
    this.indexStore = {
      loadIndex: (lazy) => this.loadIndex(lazy),
      readChunks: (keys) => this.readChunks(keys),
      saveIndex: (index, drop) => this.saveIndex(index, drop),
      journal: () => this.journal(),
      dropIndex: () => this.dropIndex(),
      articlesAfter: (after, limit) => this.articlesAfter(after, limit),
    };
  }

  static async open(name: string = DB_NAME, now: () => Date = () => new Date()): Promise<IdbStore> {
    const flag = { closed: false };
    const store = new IdbStore(await openParallaxDb(name, SCHEMA_VERSION, () => (flag.closed = true)), now);
    store.closedFlag = flag;
    return store;
  }

  private closedFlag = { closed: false };

  /** The connection was closed under us (see openParallaxDb): open a new IdbStore to go on. */
  get closed(): boolean {
    return this.closedFlag.closed;
  }

  close(): void {
    this.db.close();
    this.closedFlag.closed = true;
  }

  async schemaVersion(): Promise<number> {
    return (await this.db.get("meta", "schemaVersion")) as number;
  }

  /** Capture times strictly increase within this store, so "newest" is never a tie. */
  private lastStamp = 0;
  private stamp(): Date {
    this.lastStamp = Math.max(this.now().getTime(), this.lastStamp + 1);
    return new Date(this.lastStamp);
  }

  async add(input: ArticleInput): Promise<AddOutcome> {
    const [outcome] = await this.addMany([input]);
    return outcome ?? { kind: "rejected", reason: "nothing to add" };
  }

  /**
   * Adds several articles in one transaction (much faster for imports), with the same rule as
   * `add` applied in order — a later item sees the earlier ones. All or nothing: a full quota
   * rejects with StorageFullError and stores none of them.
   */
  async addMany(inputs: ArticleInput[]): Promise<AddOutcome[]> {
    const articles = inputs.map((input) => normalizeOrReject(input, this.stamp()));
    if (articles.every((a) => "kind" in a)) return articles as AddOutcome[];
    const tx = this.db.transaction(["articles", "journal", "meta"], "readwrite");
    const store = tx.objectStore("articles");
    const journal = tx.objectStore("journal");
    let added = 0;
    const delta: SourceStats = { articles: 0, bytes: 0, perSource: {} };
    try {
      const outcomes: AddOutcome[] = [];
      for (const article of articles) {
        if ("kind" in article) {
          outcomes.push(article);
          continue;
        }
        // Every article with this hash: planAdd compares their texts (S7, docs/security.md).
        const byHash = await store.index("contentHash").getAll(article.contentHash);
        const byUrl = article.url ? newest(await store.index("url").getAll(article.url)) : undefined;
        const sameId = await store.get(article.id);
        const revisions = await store.getAll(IDBKeyRange.bound(`${article.id}@`, `${article.id}@\uffff`));
        const byId = newest(sameId ? [sameId, ...revisions] : revisions);
        const outcome = planAdd(article, byHash, byUrl, byId);
        if (outcome.kind === "imported" || outcome.kind === "revision") {
          // A revision has a new id: every stored outcome is one more article.
          await store.put(outcome.article);
          await journal.add({ op: "put", id: outcome.article.id });
          added++;
          addTo(delta, outcome.article, 1);
        }
        outcomes.push(outcome);
      }
      if (added) {
        await this.bumpCount(tx.objectStore("meta"), added);
        await bumpSourceStats(tx.objectStore("meta"), delta);
      }
      await tx.done;
      return outcomes;
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await tx.done.catch(() => undefined);
      if (isQuotaError(e)) throw new StorageFullError();
      throw e;
    }
  }

  async get(id: string): Promise<Article | undefined> {
    return this.db.get("articles", id);
  }

  async getMany(ids: readonly string[]): Promise<(Article | undefined)[]> {
    const tx = this.db.transaction("articles");
    const found = await Promise.all(ids.map((id) => tx.store.get(id)));
    await tx.done;
    return found;
  }

  async all(): Promise<Article[]> {
    return this.db.getAll("articles");
  }

  /** One page in export order, through the capturedAt index (ties in capture time ordered by id). */
  async page(after: PageCursor | null, limit: number): Promise<Article[]> {
    const out: Article[] = [];
    if (limit <= 0) return out;
    const index = this.db.transaction("articles").store.index("capturedAt");
    let cursor = await index.openCursor(after ? IDBKeyRange.lowerBound(after.capturedAt) : null);
    while (cursor && after && cursor.key === after.capturedAt && cursor.primaryKey <= after.id) {
      cursor = await cursor.continue();
    }
    while (cursor && out.length < limit) {
      out.push(cursor.value);
      cursor = await cursor.continue();
    }
    return out;
  }

  /** The article count kept in meta (O(1)); counted once if missing. */
  async count(): Promise<number> {
    const kept = (await this.db.get("meta", "articleCount")) as number | undefined;
    return typeof kept === "number" ? kept : this.db.count("articles");
  }

  private async bumpCount(
    meta: IDBPObjectStore<ParallaxDB, StoreNames<ParallaxDB>[], "meta", "readwrite">,
    by: number,
  ): Promise<void> {
    const kept = (await meta.get("articleCount")) as number | undefined;
    if (typeof kept === "number") await meta.put(Math.max(0, kept + by), "articleCount");
  }

  /** True when an article with this URL is stored (URLs are stored trimmed, as `normalizeArticle` does). */
  async hasUrl(url: string): Promise<boolean> {
    const key = url.replace(/\s+/g, " ").trim();
    if (!key) return false;
    return (await this.db.countFromIndex("articles", "url", key)) > 0;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(["articles", "journal", "meta"], "readwrite");
    const articles = tx.objectStore("articles");
    const gone = await articles.get(id);
    if (gone) {
      await articles.delete(id);
      await tx.objectStore("journal").add({ op: "delete", id });
      await this.bumpCount(tx.objectStore("meta"), -1);
      const delta: SourceStats = { articles: 0, bytes: 0, perSource: {} };
      addTo(delta, gone, -1);
      await bumpSourceStats(tx.objectStore("meta"), delta);
    }
    await tx.done;
  }

  /** Deletes every article and, in the same transaction, the persisted index and its journal. */
  async clear(): Promise<void> {
    const tx = this.db.transaction(["articles", "journal", "index", "meta"], "readwrite");
    await Promise.all([
      tx.objectStore("articles").clear(),
      tx.objectStore("journal").clear(),
      tx.objectStore("index").clear(),
      tx.objectStore("meta").delete("index"),
      tx.objectStore("meta").put(0, "articleCount"),
      tx
        .objectStore("meta")
        .put({ articles: 0, bytes: 0, perSource: {} } satisfies SourceStats, "sourceStats"),
    ]);
    await tx.done;
  }

  private async loadIndex(lazy?: string): Promise<{
    index: StoredIndex | null;
    journal: IndexJournalEntry[];
    articles: number | null;
  }> {
    const tx = this.db.transaction(["meta", "index", "journal"]);
    const chunkStore = tx.objectStore("index");
    // With `lazy`, the chunks whose keys start with it are left out: the keys below and above.
    const ranges = lazy
      ? [IDBKeyRange.upperBound(lazy, true), IDBKeyRange.lowerBound(lazy + "\uffff", true)]
      : [undefined];
    const [meta, count, parts, ops, seqs] = await Promise.all([
      tx.objectStore("meta").get("index") as Promise<IndexMeta | undefined>,
      tx.objectStore("meta").get("articleCount") as Promise<number | undefined>,
      Promise.all(ranges.map((r) => Promise.all([chunkStore.getAll(r), chunkStore.getAllKeys(r)]))),
      tx.objectStore("journal").getAll(),
      tx.objectStore("journal").getAllKeys(),
    ]);
    await tx.done;
    const bytes = parts.flatMap((p) => p[0]);
    const keys = parts.flatMap((p) => p[1]);
    const journal = ops.map((o, i) => ({ seq: seqs[i]!, op: o.op, id: o.id }));
    const articles = typeof count === "number" ? count : null;
    if (!meta) return { index: null, journal, articles };
    const chunks = keys.map((key, i) => ({ key, bytes: bytes[i]! }));
    return { index: { ...meta, chunks }, journal, articles };
  }

  private async saveIndex(index: StoredIndex, dropJournal: readonly number[]): Promise<void> {
    const tx = this.db.transaction(["meta", "index", "journal"], "readwrite");
    const chunks = tx.objectStore("index");
    const keep = new Set(index.keys);
    const writes: Promise<unknown>[] = index.chunks.map((c) => chunks.put(c.bytes, c.key));
    for (const key of await chunks.getAllKeys()) if (!keep.has(key)) writes.push(chunks.delete(key));
    const meta: IndexMeta = {
      version: index.version,
      count: index.count,
      generation: index.generation,
      keys: index.keys,
      rebuildAfter: index.rebuildAfter,
    };
    writes.push(tx.objectStore("meta").put(meta, "index"));
    const journal = tx.objectStore("journal");
    for (const seq of dropJournal) writes.push(journal.delete(seq));
    await Promise.all(writes);
    await tx.done;
  }

  private async readChunks(keys: readonly string[]): Promise<{ key: string; bytes: ArrayBuffer }[]> {
    const tx = this.db.transaction("index");
    const found = await Promise.all(keys.map((k) => tx.store.get(k)));
    await tx.done;
    return keys.map((key, i) => {
      const bytes = found[i];
      if (!bytes) throw new Error(`index chunk ${key} is not stored`);
      return { key, bytes };
    });
  }

  private async journal(): Promise<IndexJournalEntry[]> {
    const tx = this.db.transaction("journal");
    const [ops, seqs] = await Promise.all([tx.store.getAll(), tx.store.getAllKeys()]);
    await tx.done;
    return ops.map((o, i) => ({ seq: seqs[i]!, op: o.op, id: o.id }));
  }

  private async dropIndex(): Promise<void> {
    const tx = this.db.transaction(["meta", "index"], "readwrite");
    await Promise.all([tx.objectStore("index").clear(), tx.objectStore("meta").delete("index")]);
    await tx.done;
  }

  private async articlesAfter(after: string | null, limit: number): Promise<Article[]> {
    return this.db.getAll(
      "articles",
      after === null ? undefined : IDBKeyRange.lowerBound(after, true),
      limit,
    );
  }

  /**
   * Counts, bytes and outlets from meta "sourceStats", the date range from the ends of the
   * "published" index: no article is read (12.6 s at 100k in Chromium when every text was).
   */
  async stats(): Promise<StoreStats> {
    const tx = this.db.transaction(["articles", "meta"]);
    const published = tx.objectStore("articles").index("published");
    const dated = IDBKeyRange.lowerBound("", true); // an empty date counts as none
    const [kept, count, first, last] = await Promise.all([
      tx.objectStore("meta").get("sourceStats") as Promise<SourceStats | undefined>,
      tx.objectStore("meta").get("articleCount") as Promise<number | undefined>,
      published.openKeyCursor(dated, "next"),
      published.openKeyCursor(dated, "prev"),
    ]);
    const range = {
      oldest: (first?.key as string | undefined) ?? null,
      newest: (last?.key as string | undefined) ?? null,
    };
    await tx.done;
    const stats =
      isSourceStats(kept) && (typeof count !== "number" || kept.articles === count)
        ? kept
        : await this.recountSourceStats();
    return { articles: stats.articles, bytes: stats.bytes, ...range, perSource: { ...stats.perSource } };
  }

  /**
   * Counts "sourceStats" (and "articleCount") once, in one transaction with every article write
   * excluded meanwhile. Bytes are the stored size of each article, so this one pass reads the
   * values; every later write keeps the figures up to date without it.
   */
  private async recountSourceStats(): Promise<SourceStats> {
    const tx = this.db.transaction(["articles", "meta"], "readwrite");
    const stats: SourceStats = { articles: 0, bytes: 0, perSource: {} };
    let cursor = await tx.objectStore("articles").openCursor();
    while (cursor) {
      addTo(stats, cursor.value, 1);
      cursor = await cursor.continue();
    }
    const meta = tx.objectStore("meta");
    await Promise.all([meta.put(stats, "sourceStats"), meta.put(stats.articles, "articleCount")]);
    await tx.done;
    return stats;
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get("meta", key)) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put("meta", value, key);
  }
}

function addTo(stats: SourceStats, a: Article, sign: 1 | -1): void {
  stats.articles += sign;
  stats.bytes += sign * articleBytes(a);
  const source = sourceOf(a);
  stats.perSource[source] = (stats.perSource[source] ?? 0) + sign;
}

function isSourceStats(v: unknown): v is SourceStats {
  const s = v as SourceStats | undefined;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.articles === "number" &&
    typeof s.bytes === "number" &&
    typeof s.perSource === "object" &&
    s.perSource !== null
  );
}

/** Adds a batch's change to meta "sourceStats" (left missing when missing: stats() counts it). */
async function bumpSourceStats(meta: MetaStore, delta: SourceStats): Promise<void> {
  const kept = (await meta.get("sourceStats")) as SourceStats | undefined;
  if (!isSourceStats(kept)) return;
  const perSource = { ...kept.perSource };
  for (const [source, n] of Object.entries(delta.perSource)) {
    const next = (perSource[source] ?? 0) + n;
    if (next > 0) perSource[source] = next;
    else delete perSource[source];
  }
  const next: SourceStats = {
    articles: Math.max(0, kept.articles + delta.articles),
    bytes: Math.max(0, kept.bytes + delta.bytes),
    perSource,
  };
  await meta.put(next, "sourceStats");
}
