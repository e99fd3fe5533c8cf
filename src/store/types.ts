import type { Article, ArticleInput } from "../engine/types.js";

export type AddOutcome =
  | { kind: "imported"; article: Article }
  | { kind: "revision"; article: Article; previousId: string }
  | { kind: "duplicate"; existingId: string }
  | { kind: "rejected"; reason: string };

/** A position in the store's export order (capture time, then id): the last article of a page. */
export interface PageCursor {
  capturedAt: string;
  id: string;
}

export interface StoreStats {
  articles: number;
  bytes: number;
  oldest: string | null;
  newest: string | null;
  perSource: Record<string, number>;
}

/**
 * Where articles live. Passed in (never imported as a singleton) so that tests use the
 * in-memory or file-backed implementation and the browser uses IndexedDB.
 */
export interface Store {
  /** Normalises, dedupes (same text = duplicate; same URL with changed text = revision) and stores. */
  add(input: ArticleInput): Promise<AddOutcome>;
  /** Adds a batch in one transaction where the backend has them (IndexedDB); same rule as add. */
  addMany?(inputs: ArticleInput[]): Promise<AddOutcome[]>;
  /** True when an article with this URL is stored (feeds skip items they already have). */
  hasUrl?(url: string): Promise<boolean>;
  /**
   * Up to `limit` articles after `after` in export order (capture time, then id), read in one
   * pass without loading the rest of the store. Stores without it are paged from `all()`.
   */
  page?(after: PageCursor | null, limit: number): Promise<Article[]>;
  get(id: string): Promise<Article | undefined>;
  /** Several articles by id, in the order asked (undefined where not stored); one read where the backend can. */
  getMany?(ids: readonly string[]): Promise<(Article | undefined)[]>;
  all(): Promise<Article[]>;
  count(): Promise<number>;
  delete(id: string): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<StoreStats>;
  /** A persisted search index beside the articles, where the backend keeps one (IndexedDB). */
  indexStore?: IndexStore;
}

/** One article write recorded beside the articles, in the same transaction (see IndexStore). */
export interface IndexJournalEntry {
  /** Increasing position in the journal. */
  seq: number;
  op: "put" | "delete";
  id: string;
}

/** The persisted index as a store holds it: the snapshot's description and all its chunks. */
export interface StoredIndex {
  version: string;
  count: number;
  generation: number;
  keys: string[];
  chunks: { key: string; bytes: ArrayBuffer }[];
  /**
   * While the index is being rebuilt from the articles (no index yet, or one of another version):
   * the last article key already in it. Null once complete.
   */
  rebuildAfter: string | null;
}

/**
 * A persisted index beside the articles (IndexedDB). Every article write (add, delete, clear)
 * also appends to a journal in the same transaction, so an index written a little later can
 * always be brought up to date: on start, the journal's entries are replayed over the stored
 * index. Saving the index drops the entries it reflects, in the same transaction as its chunks.
 */
export interface IndexStore {
  /**
   * The stored index (null when none), the journal of article writes not yet dropped and the
   * store's article count (null when the backend keeps none), read together. With `lazy`, the
   * chunks whose keys start with it are left out of `index.chunks` (`keys` still lists them).
   */
  loadIndex(
    lazy?: string,
  ): Promise<{ index: StoredIndex | null; journal: IndexJournalEntry[]; articles: number | null }>;
  /**
   * Chunks of the stored index by key (the ones a `loadIndex(lazy)` left out), read in one
   * transaction; a key not stored throws. Optional: without it every chunk is read at load.
   */
  readChunks?(keys: readonly string[]): Promise<{ key: string; bytes: ArrayBuffer }[]>;
  /**
   * Writes the given chunks, deletes stored chunks whose keys are not in `index.keys`, records the
   * description, and drops the journal entries with these `seq`s — all in one transaction.
   */
  saveIndex(index: StoredIndex, dropJournal: readonly number[]): Promise<void>;
  /** The journal alone (what saving the index checks against). */
  journal(): Promise<IndexJournalEntry[]>;
  /** Forgets the stored index (chunks and description); the journal stays. */
  dropIndex(): Promise<void>;
  /** Up to `limit` articles by key after `after` (null: from the start), in key order. */
  articlesAfter(after: string | null, limit: number): Promise<Article[]>;
}
