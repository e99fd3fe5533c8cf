import type { Report } from "../engine/types.js";
import type { HighlightSpec } from "../protocol.js";

/**
 * The figures to mark in the page: for every disputed or updated figure, the article's own
 * value (phrase + the sentence it stands in), with the other reports' values for the tooltip.
 */
export function highlightSpecs(report: Report): HighlightSpec[] {
  const out: HighlightSpec[] = [];
  report.figures.forEach((figure, index) => {
    if (figure.status !== "dispute" && figure.status !== "update") return;
    const own = figure.values.filter((v) => v.articleId === report.article.id);
    const others = figure.values
      .filter((v) => v.articleId !== report.article.id)
      .map((v) => ({ phrase: v.phrase, source: v.source, published: v.published }));
    const seen = new Set<string>();
    // Every place the page states its value: the value's own sentence and the others (`also`).
    for (const at of own.flatMap((v) => [{ phrase: v.phrase, quote: v.quote }, ...(v.also ?? [])])) {
      const k = `${at.phrase}\u0000${at.quote}`;
      if (!at.phrase || seen.has(k)) continue;
      seen.add(k);
      out.push({
        figure: index,
        quantity: figure.quantity,
        status: figure.status,
        phrase: at.phrase,
        quote: at.quote,
        others,
      });
    }
  });
  return out;
}
