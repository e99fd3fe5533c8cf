#!/usr/bin/env node
/**
 * Renders the seed texts (tests/fixtures/seeds/*.txt) as realistic HTML article pages into
 * tests/fixtures/seed-pages/<name>.html: meta tags, a header/nav/footer of boilerplate and the
 * article paragraphs. The e2e tests serve these pages from a local HTTP server; the DOM tests
 * check extraction on them. The generated pages are committed; run again after a seed changes:
 *
 *   node scripts/make-seed-pages.mjs
 *
 * The article text is the seed text unchanged (every character is escaped); only markup is
 * added. Some numbers are put inside <a>/<em>/<strong> on purpose so that inline highlighting
 * across nested markup is exercised by the tests.
 *
 * Publication times: the seed texts mostly do not print one, so these are CHOSEN from what the
 * texts say (see tests/fixtures/seeds/README.md): the Almaty attack reports (000–003) say
 * "on Monday" / "July 18, 2016" / the Guardian address .../2016/jul/18/..., so they get
 * 2016-07-18 (date only: no time of day is known); 004 prints "Posted: Dec 04, 2011 6:08 AM",
 * taken as 2011-12-04T06:08:00Z (the time zone is not printed; UTC is our choice).
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const seedDir = join(root, "tests/fixtures/seeds");
const outDir = join(root, "tests/fixtures/seed-pages");

/** Escapes text for HTML element content and double-quoted attribute values. */
function esc(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Per-seed page layout. `title`: the headline; `skip`: 0-based line numbers of the seed that
 * are page furniture rather than body text (repeated headline, byline, caption...), rendered
 * in their own place; `inline`: markup to put around the first occurrence of `text` in body
 * line `line` (0-based line of the seed file).
 */
const pages = {
  "000_7ec41403aca26861": {
    site: "Reuters",
    host: "wire.example",
    section: "World News",
    // The text has no headline (its first line is the lead): this one is written for the
    // fixture from the lead's own words.
    title: "Suspected Islamist militants kill at least four policemen and one civilian in Almaty",
    published: "2016-07-18",
    byline: null,
    skip: [],
    inline: [
      { line: 0, text: "four policemen", tag: "a", href: "/topic/kazakhstan-security" },
      { line: 0, text: "one", tag: "em" },
      { line: 4, text: "two", tag: "strong" },
      { line: 4, text: "27-year-old", tag: "a", href: "/topic/almaty-suspect" },
    ],
  },
  "001_d11f9d2465d14c55": {
    site: "NDTV",
    host: "ndtv.example",
    section: "World News",
    title: null, // first line
    published: "2016-07-18",
    byline: null,
    skip: [0],
    dateline: 1, // "ALMATY:" is run into the next paragraph as a bold dateline
    inline: [{ line: 2, text: "at least three policemen", tag: "a", href: "/topic/almaty" }],
  },
  "002_17178071b6bd281f": {
    // Rendered as-is: two versions flattened side by side (see the seeds README).
    site: "The Guardian",
    host: "guardian.example",
    section: "World",
    title: null, // line 7 joins both versions' titles; used as is
    titleLine: 7,
    published: "2016-07-18",
    canonical:
      "https://www.theguardian.com/world/2016/jul/18/two-kazakhstan-police-officers-killed-by-gunmen-say-authorities",
    byline: null,
    skip: [7],
    inline: [],
  },
  "003_2f11906d63638778": {
    site: "bne IntelliNews",
    host: "intellinews.example",
    section: "Central Asia",
    title: null, // first line
    published: "2016-07-18",
    byline: "bne IntelliNews",
    skip: [0, 2, 3, 4],
    caption: 3,
    bylineLine: 4,
    trailer: ["News", "Dismiss"],
    inline: [{ line: 6, text: "three police officers", tag: "em" }],
  },
  "004_844a32d78c3c6d5d": {
    site: "Reuters",
    host: "wire.example",
    section: "World News",
    title: null, // first line
    published: "2011-12-04T06:08:00Z",
    byline: "Dmitry Solovyov",
    skip: [0, 2, 3, 4, 6],
    postedLine: 3,
    bylineLine: 6,
    inline: [{ line: 8, text: "two security officers", tag: "a", href: "/topic/kazakhstan" }],
  },
};

function renderLine(line, index, cfg) {
  let html = esc(line);
  for (const m of cfg.inline.filter((m) => m.line === index)) {
    const target = esc(m.text);
    const at = html.indexOf(target);
    if (at < 0) throw new Error(`inline markup: "${m.text}" not in line ${index}`);
    const open = m.tag === "a" ? `<a href="${esc(m.href)}">` : `<${m.tag}>`;
    html = html.slice(0, at) + open + target + `</${m.tag}>` + html.slice(at + target.length);
  }
  return html;
}

function render(name, text) {
  const cfg = pages[name];
  if (!cfg) throw new Error(`no page layout for seed ${name}`);
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const title = cfg.title ?? lines[cfg.titleLine ?? 0];
  const slug = name.replace(/^\d+_/, "");
  const description = lines.find((l, i) => !cfg.skip.includes(i) && l.trim().length > 60) ?? "";
  const paragraphs = [];
  const trailer = [];
  for (let i = 0; i < lines.length; i++) {
    if (cfg.skip.includes(i) || (cfg.dateline !== undefined && i === cfg.dateline)) continue;
    const line = lines[i];
    if (line.trim() === "") continue;
    if (cfg.trailer?.includes(line.trim())) {
      trailer.push(line.trim());
      continue;
    }
    let html = renderLine(line, i, cfg);
    if (cfg.dateline !== undefined && i === cfg.dateline + 1) {
      html = `<strong>${esc(lines[cfg.dateline])}</strong> ${html}`;
    }
    paragraphs.push(`        <p>${html}</p>`);
  }
  const date = cfg.published.slice(0, 10);
  const posted = cfg.postedLine !== undefined ? lines[cfg.postedLine] : `Published ${date}`;
  const metas = [
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)} | ${esc(cfg.site)}</title>`,
    `<meta name="description" content="${esc(description.slice(0, 200))}">`,
    `<meta property="og:site_name" content="${esc(cfg.site)}">`,
    `<meta property="og:type" content="article">`,
    `<meta property="og:title" content="${esc(title)}">`,
    `<meta property="article:published_time" content="${esc(cfg.published)}">`,
    `<meta property="article:section" content="${esc(cfg.section)}">`,
  ];
  if (cfg.byline) metas.push(`<meta name="author" content="${esc(cfg.byline)}">`);
  if (cfg.canonical) {
    metas.push(`<link rel="canonical" href="${esc(cfg.canonical)}">`);
    metas.push(`<meta property="og:url" content="${esc(cfg.canonical)}">`);
  }
  // Only a byline the seed text prints; none is invented.
  const byline = cfg.bylineLine !== undefined ? `<p class="byline">${esc(lines[cfg.bylineLine])}</p>` : "";
  const caption =
    cfg.caption !== undefined
      ? `\n        <figure class="lead-image"><div class="image-placeholder" role="img" aria-label="Photo"></div><figcaption>${esc(lines[cfg.caption])}</figcaption></figure>`
      : "";
  const nav = ["World", "Business", "Markets", "Politics", "Technology", "Sport", "Opinion"]
    .map((s) => `<li><a href="/${s.toLowerCase()}">${esc(s)}</a></li>`)
    .join("");
  const related = [
    "Oil prices steady ahead of producers' meeting",
    "Central bank holds rates, signals caution",
    "Election commission publishes final turnout",
  ]
    .map((t, i) => `<li><a href="/related/${i + 1}">${esc(t)}</a></li>`)
    .join("\n            ");
  return `<!DOCTYPE html>
<!-- Generated by scripts/make-seed-pages.mjs from tests/fixtures/seeds/${esc(name)}.txt; do not edit by hand. -->
<!-- Test fixture: the outlet name and publication time are chosen from what the seed text says. -->
<html lang="en">
<head>
  ${metas.join("\n  ")}
  <style>
    body { font-family: Georgia, serif; margin: 0; color: #222; }
    header, footer { background: #f4f4f4; padding: 0.5em 1em; font-family: sans-serif; }
    nav ul { list-style: none; display: flex; gap: 1em; padding: 0; }
    main { display: flex; gap: 2em; max-width: 60em; margin: 0 auto; padding: 1em; }
    article { flex: 3; line-height: 1.5; }
    aside { flex: 1; font-family: sans-serif; font-size: 0.9em; }
    .image-placeholder { background: #ccc; height: 12em; }
  </style>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">${esc(cfg.site)}</a>
    <nav aria-label="Sections"><ul>${nav}</ul></nav>
    <form class="search" action="/search"><input name="q" aria-label="Search"><button>Search</button></form>
  </header>
  <main>
    <article id="story-${esc(slug)}">
      <header>
        <p class="section"><a href="/${esc(cfg.section.toLowerCase().replace(/\s+/g, "-"))}">${esc(cfg.section)}</a></p>
        <h1>${esc(title)}</h1>${byline ? `\n        ${byline}` : ""}
        <p class="posted"><time datetime="${esc(cfg.published)}">${esc(posted)}</time></p>
      </header>${caption}
      <div class="article-body">
${paragraphs.join("\n")}
      </div>
    </article>
    <aside class="related">
      <h2>More from ${esc(cfg.site)}</h2>
      <ul>
            ${related}
      </ul>
      <p class="newsletter">Sign up for our daily briefing. <a href="/newsletter">Subscribe</a></p>
    </aside>
  </main>
  <footer class="site-footer">${trailer.length ? `\n    <p class="trailer">${trailer.map(esc).join(" · ")}</p>` : ""}
    <p>&copy; ${esc(cfg.site)}. All rights reserved. <a href="/terms">Terms</a> · <a href="/privacy">Privacy</a> · <a href="/contact">Contact us</a></p>
  </footer>
</body>
</html>
`;
}

function main() {
  mkdirSync(outDir, { recursive: true });
  const names = readdirSync(seedDir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => basename(f, ".txt"))
    .sort();
  for (const name of names) {
    const text = readFileSync(join(seedDir, `${name}.txt`), "utf8");
    const out = join(outDir, `${name}.html`);
    writeFileSync(out, render(name, text));
    console.log(`wrote ${out}`);
  }
}

main();
