/**
 * The shape of tests/fixtures/pages/<slug>/expected-parallax.json and how it is computed from
 * a page: shared by tests/dom/pages.test.ts and scripts/new-page-fixture.mjs (which writes a
 * draft for a person to review).
 */
import { extractArticle, type ExtractResult } from "../../content/extract.js";
import type { NoArticleReason } from "../../src/protocol.js";

export interface ExpectedParallax {
  /** Set by the fixture script; a reviewed fixture has no draft flag. */
  draft?: boolean;
  /** The address the page is loaded at in the test. */
  pageUrl: string;
  reason: NoArticleReason | null;
  title: string | null;
  byline: string | null;
  source: string | null;
  published: string | null;
  url: string | null;
  lang: string | null;
  /** First 160 and last 120 characters of the extracted text, its length and line count. */
  textStart: string | null;
  textEnd: string | null;
  textLength: number;
  lines: number;
}

export function expectedFor(doc: Document, pageUrl: string): Omit<ExpectedParallax, "draft" | "pageUrl"> {
  return summarize(extractArticle(doc, pageUrl));
}

export function summarize({ article, reason }: ExtractResult): Omit<ExpectedParallax, "draft" | "pageUrl"> {
  return {
    reason: reason ?? null,
    title: article?.title ?? null,
    byline: article?.byline ?? null,
    source: article?.source ?? null,
    published: article?.published ?? null,
    url: article?.url ?? null,
    lang: article?.lang ?? null,
    textStart: article ? article.text.slice(0, 160) : null,
    textEnd: article ? article.text.slice(-120) : null,
    textLength: article?.text.length ?? 0,
    lines: article ? article.text.split("\n").length : 0,
  };
}
