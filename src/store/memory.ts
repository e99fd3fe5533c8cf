import { normalizeArticle } from "../engine/article.js";
import type { Article, ArticleInput } from "../engine/types.js";
import { planAdd } from "./dedupe.js";
import type { AddOutcome, Store, StoreStats } from "./types.js";

/** The newest of some articles by capture time (ties: the later one in the list). */
export function newest(articles: Iterable<Article>): Article | undefined {
  let best: Article | undefined;
  for (const a of articles) if (!best || a.capturedAt >= best.capturedAt) best = a;
  return best;
}

/** True when `id` is `base` itself or one of its revisions (`base@hash`). */
export function isRevisionIdOf(id: string, base: string): boolean {
  return id === base || id.startsWith(`${base}@`);
}

/** Rough size in bytes of a stored article (UTF-16 text as the browser keeps it). */
export function articleBytes(a: Article): number {
  return JSON.stringify(a).length * 2;
}

export function computeStats(articles: Iterable<Article>): StoreStats;
export function computeStats(articles: AsyncIterable<Article>): Promise<StoreStats>;
export function computeStats(
  articles: Iterable<Article> | AsyncIterable<Article>,
): StoreStats | Promise<StoreStats> {
  const stats: StoreStats = { articles: 0, bytes: 0, oldest: null, newest: null, perSource: {} };
  if (Symbol.asyncIterator in articles) {
    return (async () => {
      for await (const a of articles) addToStats(stats, a);
      return stats;
    })();
  }
  for (const a of articles) addToStats(stats, a);
  return stats;
}

function addToStats(stats: StoreStats, a: Article): void {
  stats.articles++;
  stats.bytes += articleBytes(a);
  const when = a.published;
  if (when) {
    if (!stats.oldest || when < stats.oldest) stats.oldest = when;
    if (!stats.newest || when > stats.newest) stats.newest = when;
  }
  const source = a.source ?? "unknown";
  stats.perSource[source] = (stats.perSource[source] ?? 0) + 1;
}

/** normalizeArticle, with its error turned into a rejected outcome. */
export function normalizeOrReject(
  input: ArticleInput,
  now: Date,
): Article | { kind: "rejected"; reason: string } {
  try {
    return normalizeArticle(input, now);
  } catch (e) {
    return {
      kind: "rejected",
      reason: (e as Error).message === "no text" ? "the article has no text" : String(e),
    };
  }
}

/** An in-memory Store for unit tests: same dedupe/revision rule as every other store. */
export class MemoryStore implements Store {
  private readonly articles = new Map<string, Article>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  private lastStamp = 0;

  async addMany(inputs: ArticleInput[]): Promise<AddOutcome[]> {
    const out: AddOutcome[] = [];
    for (const input of inputs) out.push(await this.add(input));
    return out;
  }

  async add(input: ArticleInput): Promise<AddOutcome> {
    this.lastStamp = Math.max(this.now().getTime(), this.lastStamp + 1);
    const article = normalizeOrReject(input, new Date(this.lastStamp));
    if ("kind" in article) return article;
    const all = [...this.articles.values()];
    const byHash = all.filter((a) => a.contentHash === article.contentHash);
    const byUrl = article.url ? newest(all.filter((a) => a.url === article.url)) : undefined;
    const byId = newest(all.filter((a) => isRevisionIdOf(a.id, article.id)));
    const outcome = planAdd(article, byHash, byUrl, byId);
    if (outcome.kind === "imported" || outcome.kind === "revision") {
      this.articles.set(outcome.article.id, outcome.article);
    }
    return outcome;
  }

  async get(id: string): Promise<Article | undefined> {
    return this.articles.get(id);
  }

  async all(): Promise<Article[]> {
    return [...this.articles.values()];
  }

  async count(): Promise<number> {
    return this.articles.size;
  }

  async delete(id: string): Promise<void> {
    this.articles.delete(id);
  }

  async clear(): Promise<void> {
    this.articles.clear();
  }

  async stats(): Promise<StoreStats> {
    return computeStats(this.articles.values());
  }
}
