import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from "idb";
import type { Article, ArticleInput } from "../engine/types.js";
import { planAdd } from "./dedupe.js";
import { computeStats, newest, normalizeOrReject } from "./memory.js";
import type { AddOutcome, Store, StoreStats } from "./types.js";

export const DB_NAME = "parallax";

interface ParallaxDB extends DBSchema {
  articles: {
    key: string;
    value: Article;
    indexes: { contentHash: string; url: string; capturedAt: string; published: string };
  };
  meta: { key: string; value: unknown };
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (and migrates) the database at `version` — the latest unless a test asks for an older one. */
export async function openParallaxDb(
  name: string = DB_NAME,
  version: number = SCHEMA_VERSION,
): Promise<IDBPDatabase<ParallaxDB>> {
  const db = await openDB<ParallaxDB>(name, version, {
    upgrade(database, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) MIGRATIONS[v]?.(database, tx);
      void tx.objectStore("meta").put(newVersion ?? version, "schemaVersion");
    },
    blocking() {
      // A newer version wants to open (an updated extension): step aside.
      db.close();
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
  private constructor(
    private readonly db: IDBPDatabase<ParallaxDB>,
    private readonly now: () => Date,
  ) {}

  static async open(name: string = DB_NAME, now: () => Date = () => new Date()): Promise<IdbStore> {
    return new IdbStore(await openParallaxDb(name), now);
  }

  close(): void {
    this.db.close();
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
    const tx = this.db.transaction("articles", "readwrite");
    const store = tx.store;
    try {
      const outcomes: AddOutcome[] = [];
      for (const article of articles) {
        if ("kind" in article) {
          outcomes.push(article);
          continue;
        }
        const byHash = await store.index("contentHash").get(article.contentHash);
        const byUrl = article.url ? newest(await store.index("url").getAll(article.url)) : undefined;
        const sameId = await store.get(article.id);
        const revisions = await store.getAll(IDBKeyRange.bound(`${article.id}@`, `${article.id}@\uffff`));
        const byId = newest(sameId ? [sameId, ...revisions] : revisions);
        const outcome = planAdd(article, byHash, byUrl, byId);
        if (outcome.kind === "imported" || outcome.kind === "revision") await store.put(outcome.article);
        outcomes.push(outcome);
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

  async all(): Promise<Article[]> {
    return this.db.getAll("articles");
  }

  async count(): Promise<number> {
    return this.db.count("articles");
  }

  /** True when an article with this URL is stored (URLs are stored trimmed, as `normalizeArticle` does). */
  async hasUrl(url: string): Promise<boolean> {
    const key = url.replace(/\s+/g, " ").trim();
    if (!key) return false;
    return (await this.db.countFromIndex("articles", "url", key)) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete("articles", id);
  }

  async clear(): Promise<void> {
    await this.db.clear("articles");
  }

  async stats(): Promise<StoreStats> {
    // One article at a time through a cursor: the whole store is never held in memory at once.
    const db = this.db;
    return computeStats({
      async *[Symbol.asyncIterator]() {
        let cursor = await db.transaction("articles").store.openCursor();
        while (cursor) {
          yield cursor.value;
          cursor = await cursor.continue();
        }
      },
    });
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get("meta", key)) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put("meta", value, key);
  }
}
