import { foldText, toReportArticle } from "./article.js";
import { compareFigures } from "./figures/index.js";
import { Matcher } from "./judge/index.js";
import { stem, words } from "./text/tokenize.js";
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
    const matched = readableTerms(this.matcher.match(query), query.text);
    // The article being read is never another report of itself: not by id, URL or text, and
    // not as a stored copy of the same page captured with slightly different extraction
    // (same outlet, near-identical text).
    const notSelf = (item: { id: string }): boolean => {
      const a = this.articles.get(item.id);
      return !a || !isSameArticle(query, a);
    };
    // Revisions of one URL are one outlet's one report: the later ones fold into the best-ranked.
    const firstByUrl = new Map<string, string>();
    const sameEvent = matched.sameEvent.filter(notSelf).map((item) => {
      const url = this.articles.get(item.id)?.url;
      if (!url) return item;
      const first = firstByUrl.get(url);
      if (first === undefined) {
        firstByUrl.set(url, item.id);
        return item;
      }
      return item.foldedInto ? item : { ...item, foldedInto: first };
    });
    const related = matched.related.filter(notSelf);
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
    // Other captures of the same URL are the outlet's own revisions: not other reports,
    // but their changed figures are that outlet's update.
    if (query.url) {
      for (const item of matched.sameEvent) {
        const a = this.articles.get(item.id);
        if (a && a.url === query.url && a.contentHash !== query.contentHash) addWithRevisions(a);
      }
    }
    for (const item of sameEvent) addWithRevisions(this.articles.get(item.id));
    // One report stating the same value twice (headline and body) is one value.
    const figures = compareFigures(query, group).map((f) => {
      const seen = new Set<string>();
      const values = f.values.filter((v) => {
        const key = `${v.articleId}\u0000${v.lo}\u0000${v.hi}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      return values.length === f.values.length ? f : { ...f, values };
    });
    return { article: toReportArticle(query), sameEvent, related, figures };
  }
}

function shingles(text: string): Set<string> {
  const words = foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + 4 < words.length; i++) out.add(words.slice(i, i + 5).join(" "));
  return out;
}

/** True when `b` is `a` itself: same id, URL or text, or the same outlet with near-identical text. */
export function isSameArticle(a: Article, b: Article): boolean {
  if (a.id === b.id || a.contentHash === b.contentHash) return true;
  if (a.url && b.url && a.url === b.url) return true;
  if (!a.source || !b.source || a.source.toLowerCase() !== b.source.toLowerCase()) return false;
  const sa = shingles(a.text);
  const sb = shingles(b.text);
  if (sa.size === 0 || sb.size === 0) return false;
  let shared = 0;
  for (const s of sa) if (sb.has(s)) shared++;
  return shared / Math.min(sa.size, sb.size) >= 0.9;
}

/**
 * The matcher compares stems ("rifl", "conven"); a reader should see words. Each key term of a
 * `why` is shown as the word the article being read uses most for that stem.
 */
function readableTerms<T extends { why: { terms: string[] } }, U extends { why: { terms: string[] } }>(
  m: { sameEvent: T[]; related: U[] },
  text: string,
): { sameEvent: T[]; related: U[] } {
  const counts = new Map<string, Map<string, number>>();
  for (const w of words(text)) {
    const s = stem(w);
    let forms = counts.get(s);
    if (!forms) counts.set(s, (forms = new Map()));
    forms.set(w, (forms.get(w) ?? 0) + 1);
  }
  const word = (t: string): string => {
    const forms = counts.get(t);
    if (!forms) return t;
    let best = t;
    let n = 0;
    for (const [w, c] of forms) if (c > n || (c === n && w.length < best.length)) [best, n] = [w, c];
    return best;
  };
  const fix = <X extends { why: { terms: string[] } }>(item: X): X => ({
    ...item,
    why: { ...item.why, terms: item.why.terms.map(word) },
  });
  return { sameEvent: m.sameEvent.map(fix), related: m.related.map(fix) };
}
