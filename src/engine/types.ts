/**
 * Shared types of the Parallax engine. Pure data: no browser or Node imports.
 * The JSON report shape is a public contract (the CLI's `analyze --json`): fields may be
 * added, none of the existing ones renamed or dropped.
 */

/** What an importer, the content script or a feed hands to the engine. Only `text` is required. */
export interface ArticleInput {
  id?: string | null;
  url?: string | null;
  source?: string | null;
  title?: string | null;
  /** ISO 8601 date or date-time. */
  published?: string | null;
  text: string;
  byline?: string | null;
}

/** An article as stored and indexed. */
export interface Article {
  id: string;
  url: string | null;
  source: string | null;
  title: string;
  published: string | null;
  byline: string | null;
  text: string;
  /** Hash of the normalised text; identical text = duplicate. */
  contentHash: string;
  /** When this copy entered the store (ISO). */
  capturedAt: string;
  /** Id of the earlier revision of the same URL, when this one replaced changed text. */
  revisionOf: string | null;
}

/** The public identity of an article in a report. */
export interface ReportArticle {
  id: string;
  url: string | null;
  title: string;
  source: string | null;
  published: string | null;
}

/** Why two articles were grouped: shown in the popup so a reader can judge. */
export interface Why {
  /** People and organisations both articles name. */
  people: string[];
  /** Places both articles name. */
  places: string[];
  /** The shared event date, or a plain-words note on the dates. */
  date: string | null;
  /** The most telling shared key terms. */
  terms: string[];
}

export interface SameEventItem extends ReportArticle {
  /** In [0, 1]; higher is closer. */
  score: number;
  why: Why;
  /** When this entry is a syndicated copy / near-duplicate of another listed entry: that entry's id. */
  foldedInto: string | null;
}

export type When = "earlier" | "later" | "unknown";

export interface RelatedItem extends ReportArticle {
  score: number;
  when: When;
  why: Why;
}

export type FigureStatus = "dispute" | "update" | "agree";

export interface FigureValue {
  articleId: string;
  source: string | null;
  published: string | null;
  /** The exact sentence (or clause) the value came from, verbatim from the article text. */
  quote: string;
  /** The exact number phrase inside `quote` ("at least four"), for highlighting. */
  phrase: string;
  lo: number | null;
  hi: number | null;
  /**
   * Other places in the same report that state this same value (a caption repeating the lead's
   * toll): shown once in the popup, but every one of them is highlighted in the page.
   */
  also?: { quote: string; phrase: string }[];
}

export interface Figure {
  /** Short readable label of what is counted: "police killed". */
  quantity: string;
  status: FigureStatus;
  /** Ordered by publication time (unknown last), so a rising toll reads as a timeline. */
  values: FigureValue[];
}

export interface Report {
  article: ReportArticle;
  sameEvent: SameEventItem[];
  related: RelatedItem[];
  figures: Figure[];
}
