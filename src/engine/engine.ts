import { foldText, toReportArticle } from "./article.js";
import { compareFigures } from "./figures/index.js";
import { Matcher, NeedRecords } from "./judge/index.js";
import type { ExportOptions, MatcherSnapshot, SnapshotChunk } from "./judge/snapshot.js";
import { stem, words } from "./text/tokenize.js";
import type { Article, FigureValue, RelatedItem, Report, ReportArticle, SameEventItem } from "./types.js";

/**
 * Reads stored articles by id (in the order asked; undefined for an id not stored). The worker
 * passes one reading IndexedDB, so article texts stay on disk and only the few an analysis
 * needs are read.
 */
export type ArticleLoader = (ids: readonly string[]) => Promise<(Article | undefined)[]>;

export interface EngineOptions {
  /**
   * Where analysis reads the stored articles it needs (the reports of the event, their
   * revisions). Without one the engine keeps every added article in memory (CLI, tests, bench).
   */
  load?: ArticleLoader;
  /** A matcher to start from, e.g. one imported from a persisted index. */
  matcher?: Matcher;
  /**
   * Reads record chunks of the persisted index by key (for an index imported from a partial
   * snapshot: an analysis reads the records it needs, the host supplies the rest meanwhile).
   */
  records?: (keys: readonly string[]) => Promise<SnapshotChunk[]>;
}

/** Record requests one analysis may make before it reads every missing record at once. */
const RECORD_ROUNDS = 8;

/**
 * The engine facade: holds the coverage it knows about and answers one question —
 * what does the rest of the coverage say about this article?
 * Pure TypeScript: runs unchanged in the worker, in Node tests, in the bench and the CLI.
 *
 * The index (the matcher) holds no article text. With a loader the engine holds none either:
 * an analysis reads the texts of the articles it lists (≤ a few dozen) when it needs them.
 */
export class Engine {
  /** Every added article, only when no loader was given. */
  private readonly kept: Map<string, Article> | null;
  private readonly load: ArticleLoader;
  private readonly records: EngineOptions["records"];
  private matcherValue: Matcher;

  constructor(options: EngineOptions = {}) {
    this.matcherValue = options.matcher ?? new Matcher();
    this.records = options.records;
    if (options.load) {
      this.kept = null;
      this.load = options.load;
    } else {
      const kept = new Map<string, Article>();
      this.kept = kept;
      this.load = (ids) => Promise.resolve(ids.map((id) => kept.get(id)));
    }
  }

  /**
   * An engine over a persisted index (no feature is recomputed), or null when the snapshot was
   * written by another index version: the caller then rebuilds from the articles.
   */
  static fromSnapshot(
    snapshot: MatcherSnapshot,
    options: Omit<EngineOptions, "matcher"> = {},
  ): Engine | null {
    const matcher = Matcher.importIndex(snapshot);
    return matcher ? new Engine({ ...options, matcher }) : null;
  }

  /** The index as binary chunks to persist (with `since`, only the chunks changed after it). */
  exportIndex(options: ExportOptions = {}): MatcherSnapshot {
    return this.matcherValue.exportIndex(options);
  }

  /** True when the engine can read index records itself (`records` given): it can start from a partial snapshot. */
  get readsRecords(): boolean {
    return this.records !== undefined;
  }

  /** Record chunks of a partially imported index not read yet (snapshot keys). */
  missingRecords(): string[] {
    return this.matcherValue.missingRecords();
  }

  /** Supplies record chunks of a partially imported index (see `Matcher.supplyRecords`). */
  supplyRecords(chunks: readonly SnapshotChunk[]): void {
    this.matcherValue.supplyRecords(chunks);
  }

  /**
   * The matcher's answer; over a partially imported index, the records it asks for are read
   * (`records`) and it is asked again (a few rounds, then every missing record at once).
   */
  private async matched(query: Article): Promise<ReturnType<Matcher["match"]>> {
    for (let round = 0; ; round++) {
      const m = this.matcherValue;
      try {
        return m.match(query);
      } catch (e) {
        if (!(e instanceof NeedRecords) || !this.records) throw e;
        const keys = round < RECORD_ROUNDS ? e.keys : m.missingRecords();
        const chunks = await this.records(keys);
        if (this.matcherValue !== m) continue; // cleared meanwhile
        m.supplyRecords(chunks);
        const left = new Set(m.missingRecords());
        if (keys.some((k) => left.has(k)))
          throw new Error("index records missing from the store", { cause: e });
      }
    }
  }

  add(article: Article): void {
    this.kept?.set(article.id, article);
    this.matcherValue.add(article);
  }

  remove(id: string): void {
    this.kept?.delete(id);
    this.matcherValue.remove(id);
  }

  clear(): void {
    this.kept?.clear();
    this.matcherValue = new Matcher();
  }

  get size(): number {
    return this.matcherValue.size;
  }

  /** True when the index holds this article. */
  has(id: string): boolean {
    return this.matcherValue.slotOf(id) !== undefined;
  }

  /** An added article, when the engine keeps them in memory (no loader); otherwise undefined. */
  get(id: string): Article | undefined {
    return this.kept?.get(id);
  }

  async analyze(query: Article): Promise<Report> {
    const matched = readableTerms(await this.matched(query), query.text);
    // The stored articles this analysis looks at: the ones listed, then their earlier revisions.
    const articles = new Map<string, Article>();
    const fetch = async (ids: Iterable<string | null | undefined>): Promise<void> => {
      const missing = [...new Set([...ids].filter((id): id is string => !!id && !articles.has(id)))];
      if (!missing.length) return;
      const found = await this.load(missing);
      for (const a of found) if (a) articles.set(a.id, a);
    };
    await fetch([...matched.sameEvent, ...matched.related].map((item) => item.id));
    // Revision chains (an outlet's own earlier versions), read level by level.
    let next: (string | null)[] = [
      query.revisionOf,
      ...matched.sameEvent.map((item) => articles.get(item.id)?.revisionOf ?? null),
    ];
    const visited = new Set<string>();
    while (next.some((id) => id && !visited.has(id))) {
      const ids = next.filter((id): id is string => !!id && !visited.has(id));
      for (const id of ids) visited.add(id);
      await fetch(ids);
      next = ids.map((id) => articles.get(id)?.revisionOf ?? null);
    }
    const stored = (id: string | null): Article | undefined => (id ? articles.get(id) : undefined);
    // The index keeps no URL or title: a listed item shows the stored article's. An item whose
    // article is no longer stored (deleted while this analysis ran) is not listed.
    const identified = <T extends { id: string; source: string | null; published: string | null }>(
      item: T,
    ): (Omit<T, "id" | "source" | "published"> & ReportArticle) | null => {
      const a = stored(item.id);
      if (!a) return null;
      const { id, source, published, ...rest } = item;
      return { id, url: a.url, title: a.title, source, published, ...rest };
    };

    // The article being read is never another report of itself: not by id, URL or text, and
    // not as a stored copy of the same page captured with slightly different extraction
    // (same outlet, near-identical text).
    const notSelf = (item: { id: string }): boolean => {
      const a = stored(item.id);
      return !a || !isSameArticle(query, a);
    };
    // Revisions of one URL are one outlet's one report: the later ones fold into the best-ranked.
    const firstByUrl = new Map<string, string>();
    const sameEvent: SameEventItem[] = matched.sameEvent.flatMap((m) => {
      const item = identified(m);
      if (!item || !notSelf(item)) return [];
      const url = item.url;
      if (!url) return [item];
      const first = firstByUrl.get(url);
      if (first === undefined) {
        firstByUrl.set(url, item.id);
        return [item];
      }
      return [item.foldedInto ? item : { ...item, foldedInto: first }];
    });
    const related: RelatedItem[] = matched.related.flatMap((m) => {
      const item = identified(m);
      return item && notSelf(item) ? [item] : [];
    });
    // Figures are compared across the reports of this event: the query, the other reports,
    // and the earlier revisions of any of them (an outlet's own update).
    const group: Article[] = [];
    const seen = new Set<string>([query.id]);
    const addWithRevisions = (a: Article | undefined): void => {
      while (a && !seen.has(a.id)) {
        seen.add(a.id);
        group.push(a);
        a = stored(a.revisionOf);
      }
    };
    if (query.revisionOf) addWithRevisions(stored(query.revisionOf));
    // Other captures of the same URL are the outlet's own revisions: not other reports,
    // but their changed figures are that outlet's update.
    if (query.url) {
      for (const item of matched.sameEvent) {
        const a = stored(item.id);
        if (a && a.url === query.url && a.contentHash !== query.contentHash) addWithRevisions(a);
      }
    }
    for (const item of sameEvent) addWithRevisions(stored(item.id));
    // One report stating the same value twice (headline and body) is one value; the other
    // places it is stated are kept on it (`also`), so the page marks every one of them.
    const figures = compareFigures(query, group).map((f) => {
      const kept = new Map<string, FigureValue>();
      const values: FigureValue[] = [];
      for (const v of f.values) {
        const key = `${v.articleId}\u0000${v.lo}\u0000${v.hi}`;
        const first = kept.get(key);
        if (!first) {
          kept.set(key, v);
          values.push(v);
        } else if (first.quote !== v.quote || first.phrase !== v.phrase) {
          first.also = [...(first.also ?? []), { quote: v.quote, phrase: v.phrase }];
        }
      }
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
  // Only the stems some item shows are counted; each distinct word is stemmed once.
  const needed = new Set<string>();
  for (const item of [...m.sameEvent, ...m.related]) for (const t of item.why.terms) needed.add(t);
  const counts = new Map<string, Map<string, number>>();
  const stems = new Map<string, string>();
  for (const w of needed.size ? words(text) : []) {
    let s = stems.get(w);
    if (s === undefined) stems.set(w, (s = stem(w)));
    if (!needed.has(s)) continue;
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
