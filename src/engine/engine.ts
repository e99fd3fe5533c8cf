import { toReportArticle } from "./article.js";
import { compareFigures } from "./figures/index.js";
import { Matcher } from "./judge/index.js";
import type { Article, Report } from "./types.js";

/**
 * The engine facade: holds the coverage it knows about and answers one question —
 * what does the rest of the coverage say about this article?
 * Pure TypeScript: runs unchanged in the worker, in Node tests, in the bench and the CLI.
 */
export class Engine {
  private readonly articles = new Map<string, Article>();
  private readonly matcher = new Matcher();

  add(article: Article): void {
    if (this.articles.has(article.id)) this.matcher.remove(article.id);
    this.articles.set(article.id, article);
    this.matcher.add(article);
  }

  remove(id: string): void {
    if (this.articles.delete(id)) this.matcher.remove(id);
  }

  clear(): void {
    for (const id of [...this.articles.keys()]) this.remove(id);
  }

  get size(): number {
    return this.articles.size;
  }

  get(id: string): Article | undefined {
    return this.articles.get(id);
  }

  analyze(query: Article): Report {
    const { sameEvent, related } = this.matcher.match(query);
    // Figures are compared across the reports of this event: the query, the other reports,
    // and the earlier revisions of any of them (an outlet's own update).
    const group: Article[] = [];
    const seen = new Set<string>([query.id]);
    const addWithRevisions = (a: Article | undefined): void => {
      while (a && !seen.has(a.id)) {
        seen.add(a.id);
        group.push(a);
        a = a.revisionOf ? this.articles.get(a.revisionOf) : undefined;
      }
    };
    if (query.revisionOf) addWithRevisions(this.articles.get(query.revisionOf));
    for (const item of sameEvent) addWithRevisions(this.articles.get(item.id));
    const figures = compareFigures(query, group);
    return { article: toReportArticle(query), sameEvent, related, figures };
  }
}
