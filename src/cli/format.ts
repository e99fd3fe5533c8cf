import type { Figure, Report, ReportArticle, Why } from "../engine/types.js";

/** Plain-text rendering of reports and figures for a terminal. */

function oneLine(s: string, max = 160): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

function date(published: string | null): string {
  return published ? published.slice(0, 10) : "date unknown";
}

function label(a: ReportArticle): string {
  return `${a.source ?? "outlet unknown"}, ${date(a.published)}: ${oneLine(a.title, 120)}`;
}

function whyLine(why: Why): string {
  const parts: string[] = [];
  if (why.places.length) parts.push(`places ${why.places.join(", ")}`);
  if (why.people.length) parts.push(`names ${why.people.join(", ")}`);
  if (why.date) parts.push(`date ${why.date}`);
  if (why.terms.length) parts.push(`terms ${why.terms.join(", ")}`);
  return parts.length ? `why: ${parts.join("; ")}` : "why: (no shared details)";
}

export function formatFigures(figures: Figure[]): string[] {
  if (figures.length === 0) return ["  (no figures to compare)"];
  const out: string[] = [];
  for (const f of figures) {
    out.push(`  ${f.quantity}: ${f.status}`);
    for (const v of f.values) {
      out.push(`    ${oneLine(v.phrase, 40)} — ${v.source ?? v.articleId}, ${date(v.published)}`);
      out.push(`      "${oneLine(v.quote, 200)}"`);
    }
  }
  return out;
}

export function formatReport(report: Report): string {
  const out: string[] = [];
  out.push(`Article: ${label(report.article)}`);
  if (report.article.url) out.push(`  ${report.article.url}`);
  out.push("", `Other reports of this event (${report.sameEvent.length})`);
  if (report.sameEvent.length === 0) out.push("  (none in the store)");
  for (const item of report.sameEvent) {
    const folded = item.foldedInto ? ` [copy of ${item.foldedInto}]` : "";
    out.push(`  ${item.score.toFixed(2)}  ${label(item)}${folded}`);
    out.push(`        ${whyLine(item.why)}`);
  }
  out.push("", `Figures the reports give (${report.figures.length})`);
  out.push(...formatFigures(report.figures));
  out.push("", `Earlier related incidents (${report.related.length})`);
  if (report.related.length === 0) out.push("  (none in the store)");
  for (const item of report.related) {
    out.push(`  ${item.score.toFixed(2)}  ${label(item)} [${item.when}]`);
    out.push(`        ${whyLine(item.why)}`);
  }
  return out.join("\n") + "\n";
}
