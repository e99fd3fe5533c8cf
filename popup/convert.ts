import { Readability } from "@mozilla/readability";

/**
 * Article text from a page's HTML, in an extension page (the background has no DOM).
 * DOMParser builds an inert document (no scripts run, nothing loads); Readability finds the
 * article; paragraphs become lines.
 */
export function htmlToText(html: string, url: string | null): { text: string; title: string | null } | null {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (url) {
    const base = doc.createElement("base");
    base.href = url;
    doc.head.append(base);
  }
  const article = new Readability(doc).parse();
  const body = article?.content
    ? new DOMParser().parseFromString(article.content, "text/html").body
    : doc.body;
  const blocks = body ? [...body.querySelectorAll("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre")] : [];
  const lines = blocks
    .filter((el) => !el.querySelector("p, li, blockquote")) // innermost blocks only, no repeats
    .map((el) => (el.textContent ?? "").replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const text = lines.length ? lines.join("\n") : (article?.textContent ?? body?.textContent ?? "").trim();
  if (!text) return null;
  return { text, title: article?.title?.trim() || null };
}

/**
 * Rewrites the JSONL lines that carry only `html` into lines with `text`, keeping every line
 * in place so the background's line numbers still match the file. Lines that are not JSON,
 * or whose HTML holds no article, are left as they are for the background to report.
 */
export function convertHtmlLines(
  jsonl: string,
  convert: (html: string, url: string | null) => { text: string; title: string | null } | null = htmlToText,
): { text: string; converted: number } {
  let converted = 0;
  const lines = jsonl.split(/\r?\n/).map((line) => {
    if (!line.includes('"html"')) return line;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return line;
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return line;
    const rec = obj as Record<string, unknown>;
    const hasText = typeof rec.text === "string" && rec.text.trim() !== "";
    if (hasText || typeof rec.html !== "string" || !rec.html.trim()) return line;
    const url = typeof rec.url === "string" ? rec.url : null;
    let out: { text: string; title: string | null } | null;
    try {
      out = convert(rec.html, url);
    } catch {
      out = null;
    }
    if (!out) return line;
    converted++;
    const { html: _html, ...rest } = rec;
    void _html;
    return JSON.stringify({
      ...rest,
      title: typeof rest.title === "string" && rest.title ? rest.title : out.title,
      text: out.text,
    });
  });
  return { text: lines.join("\n"), converted };
}
