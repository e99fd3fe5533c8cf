/**
 * The persisted form of the judgement's index (`Matcher.exportIndex` / `Matcher.importIndex`).
 *
 * A snapshot is a set of binary chunks, each at most a few MB, keyed by a short string. The
 * caller stores every chunk under its key (IndexedDB, a file) and hands them all back to
 * `importIndex`. Exports can be incremental: `exportIndex({ since })` returns only the chunks
 * changed after generation `since` (the `generation` of the previous export), and `keys` always
 * lists every chunk of the complete index, so a caller deletes stored keys no longer listed.
 *
 * Article text is not in the index: only what the judgement compares (term ids and frequencies,
 * entity tokens, places, anchors, days, the near-duplicate sketch), the article's id, source and
 * publication date, and two 32-bit hashes of its URL. Its URL and title are read from the store
 * for the reports an analysis lists.
 */

/**
 * Version of the index's encoding and of the features it holds. A snapshot of another version is
 * refused by `importIndex` (it returns null) and the caller rebuilds the index from the articles.
 * Bump it whenever `articleFeatures()` or the codec changes what it produces.
 */
export const INDEX_VERSION = "parallax-index-7";

export interface SnapshotChunk {
  /** Stable key: the same part of the index always has the same key (e.g. "a/0003", "d/0001"). */
  key: string;
  /** Binary content (typed arrays; no JSON for the bulk). At most ~4 MB. */
  bytes: ArrayBuffer;
}

export interface MatcherSnapshot {
  /** INDEX_VERSION of the code that wrote it. */
  version: string;
  /** Articles in the index. */
  count: number;
  /** Mutation counter of the index when exported: pass it as `since` to the next export. */
  generation: number;
  /** Keys of every chunk of the complete index (the ones not in `chunks` are unchanged). */
  keys: string[];
  /** The chunks written: all of them, or with `since` only those changed after that generation. */
  chunks: SnapshotChunk[];
  /**
   * For `importIndex`: the record chunks ("r/NNNNN", most of the bytes) may be left out of
   * `chunks`. The matcher then answers once the records a question needs are supplied
   * (`supplyRecords`; it throws `NeedRecords` naming them), and changes only once all are.
   */
  partial?: boolean;
}

export interface ExportOptions {
  /** Only chunks changed after this generation (a previous snapshot's `generation`). */
  since?: number;
}
