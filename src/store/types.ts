import type { Article, ArticleInput } from "../engine/types.js";

export type AddOutcome =
  | { kind: "imported"; article: Article }
  | { kind: "revision"; article: Article; previousId: string }
  | { kind: "duplicate"; existingId: string }
  | { kind: "rejected"; reason: string };

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
  get(id: string): Promise<Article | undefined>;
  all(): Promise<Article[]>;
  count(): Promise<number>;
  delete(id: string): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<StoreStats>;
}
