import { describe, expect, it } from "vitest";
import {
  blockText,
  deeperThan,
  extractArticle,
  looksEnglish,
  MAX_DEPTH,
  normalizeDate,
  registrableDomain,
  sameSite,
} from "../../content/extract.js";
import { dom, fixture } from "./helpers.js";

const seed = (name: string) => fixture(`tests/fixtures/seeds/${name}.txt`);
const seedPage = (name: string) => fixture(`tests/fixtures/seed-pages/${name}.html`);
const PAGE_URL = "https://news.example/2016/07/18/story#comments";

/** The seed's lines as the page shows them: whitespace collapsed, empty lines dropped. */
function seedLines(name: string, from: number): string[] {
  return seed(name)
    .split("\n")
    .slice(from)
    .map((l) => l.replace(/\s+/g, " ").trim())
    .filter((l) => l !== "");
}

// Outlets and times are the ones scripts/make-seed-pages.mjs chose from what each text says.
const seeds = [
  {
    name: "000_7ec41403aca26861",
    title: "Suspected Islamist militants kill at least four policemen and one civilian in Almaty",
    source: "Reuters",
    published: "2016-07-18",
    bodyFrom: 0,
  },
  {
    name: "001_d11f9d2465d14c55",
    title: "At least three policemen and a civilian in Kazakhstan's financial capital Almaty.",
    source: "NDTV",
    published: "2016-07-18",
    bodyFrom: 2, // line 1 "ALMATY:" is run into line 2 as a dateline
    start: "ALMATY: Suspected Islamist terrorists killed at least three policemen",
  },
  {
    name: "003_2f11906d63638778",
    title: "Kazakh city of Almaty on terror alert after gunman kills five in attacks",
    source: "bne IntelliNews",
    published: "2016-07-18",
    bodyFrom: 5,
    trailer: 2, // "News", "Dismiss" are in the page footer
  },
  {
    name: "004_844a32d78c3c6d5d",
    title: "Seven killed in clashes in Kazakhstan",
    source: "Reuters",
    published: "2011-12-04T06:08:00Z",
    bodyFrom: 7,
    byline: "Dmitry Solovyov",
  },
];

describe("extractArticle on the seed pages", () => {
  for (const s of seeds) {
    it(`${s.name}: metadata and the article text, one line per paragraph`, () => {
      const { window } = dom(seedPage(s.name), PAGE_URL);
      const { article, reason } = extractArticle(window.document, PAGE_URL);
      expect(reason).toBeUndefined();
      expect(article).not.toBeNull();
      expect(article!.title).toBe(s.title);
      expect(article!.source).toBe(s.source);
      expect(article!.published).toBe(s.published);
      expect(article!.lang).toBe("en");
      expect(article!.url).toBe("https://news.example/2016/07/18/story"); // no canonical: page URL without hash
      if (s.byline) expect(article!.byline).toContain(s.byline);
      let lines = seedLines(s.name, s.bodyFrom);
      if (s.trailer) lines = lines.slice(0, -s.trailer);
      const text = article!.text.split("\n");
      if (s.start) {
        expect(text[0]!.startsWith(s.start)).toBe(true);
        expect(text.slice(1)).toEqual(lines.slice(1));
      } else {
        expect(text).toEqual(lines);
      }
    });
  }

  it("002 (two Guardian versions flattened): Guardian, 18 July 2016, canonical address from the page", () => {
    // Read on its own site (amp.theguardian.com): the page's canonical address counts.
    const at = "https://amp.theguardian.com/world/2016/jul/18/two-kazakhstan-police";
    const { window } = dom(seedPage("002_17178071b6bd281f"), at);
    const { article } = extractArticle(window.document, at);
    expect(article?.source).toBe("The Guardian");
    expect(article?.published).toBe("2016-07-18");
    expect(article?.url).toBe(
      "https://www.theguardian.com/world/2016/jul/18/two-kazakhstan-police-officers-killed-by-gunmen-say-authorities",
    );
    expect(article?.text).toContain("at least four policemen and one civilian");
    expect(article?.text).toContain("Three policemen and civilian have been killed");
  });

  it("a canonical or og:url on another site is ignored: the page keeps its own address (S2)", () => {
    // The Guardian page served from another site claims theguardian.com: not believed.
    const { window } = dom(seedPage("002_17178071b6bd281f"), PAGE_URL);
    expect(extractArticle(window.document, PAGE_URL).article?.url).toBe(
      "https://news.example/2016/07/18/story",
    );
    const spoof = page(
      `<link rel="canonical" href="https://www.reuters.com/article/kazakhstan-idUS"><meta property="og:url" content="https://www.reuters.com/x">`,
      articleBody(),
    );
    const evil = extractArticle(dom(spoof).window.document, "https://evil.example/fake#x").article;
    expect(evil?.url).toBe("https://evil.example/fake");
    expect(evil?.source).toBe("evil.example");
    // Same site, other host: believed. A saved file with no address (CLI): believed.
    const amp = extractArticle(dom(spoof).window.document, "https://amp.reuters.com/a").article;
    expect(amp?.url).toBe("https://www.reuters.com/article/kazakhstan-idUS");
    const saved = extractArticle(dom(spoof).window.document, "file:///tmp/page.html", undefined, {
      anySiteCanonical: true,
    }).article;
    expect(saved?.url).toBe("https://www.reuters.com/article/kazakhstan-idUS");
  });

  it("same site: registrable domains without the Public Suffix List (S2)", () => {
    expect(registrableDomain("edition.cnn.com")).toBe("cnn.com");
    expect(registrableDomain("www.bbc.co.uk")).toBe("bbc.co.uk");
    expect(registrableDomain("www.heraldsun.com.au")).toBe("heraldsun.com.au");
    expect(registrableDomain("alice.github.io")).toBe("alice.github.io");
    expect(registrableDomain("127.0.0.1")).toBe("127.0.0.1");
    expect(sameSite("https://money.cnn.com/a", "http://www.cnn.com/b")).toBe(true);
    expect(sameSite("https://bbc.co.uk/a", "https://evil.co.uk/b")).toBe(false);
    expect(sameSite("https://alice.github.io/a", "https://bob.github.io/b")).toBe(false);
    expect(sameSite("https://reuters.com.evil.example/a", "https://www.reuters.com/b")).toBe(false);
    expect(sameSite("https://127.0.0.1:8080/a", "https://127.0.0.2/b")).toBe(false);
    expect(sameSite("not a url", "https://x.example/")).toBe(false);
  });

  it("a page nested deeper than MAX_DEPTH is too large, a real page is far below it (S9)", () => {
    const body = articleBody();
    const wrap = (n: number) => "<div>".repeat(n) + body + "</div>".repeat(n);
    const deep = extractArticle(dom(page("", wrap(MAX_DEPTH + 5))).window.document, "https://x.example/");
    expect(deep).toEqual({ article: null, reason: "too-large" });
    const ok = extractArticle(dom(page("", wrap(MAX_DEPTH - 20))).window.document, "https://x.example/");
    expect(ok.reason).toBeUndefined();
    expect(ok.article?.text).toContain(PARA.slice(0, 40));
    const { window } = dom(seedPage("000_7ec41403aca26861"), PAGE_URL);
    expect(deeperThan(window.document.documentElement, 40)).toBe(false);
    expect(deeperThan(window.document.documentElement, 3)).toBe(true);
  });

  it("never changes the live page", () => {
    const { window } = dom(seedPage("000_7ec41403aca26861"), PAGE_URL);
    const before = window.document.documentElement.outerHTML;
    extractArticle(window.document, PAGE_URL);
    expect(window.document.documentElement.outerHTML).toBe(before);
  });
});

function page(head: string, body: string, lang = "en"): string {
  return `<!DOCTYPE html><html lang="${lang}"><head>${head}</head><body>${body}</body></html>`;
}

const PARA =
  "The council said on Tuesday that the new bridge over the river would open in the spring, after two years of work that were delayed by floods and by a dispute with the contractor about the cost of the steel.";
const articleBody = (n = 6) =>
  `<article><h1>Bridge to open in spring</h1>${Array.from({ length: n }, (_, i) => `<p>${PARA} Paragraph ${i + 1}.</p>`).join("")}</article>`;

describe("extractArticle: metadata sources", () => {
  it("JSON-LD in @graph gives the outlet and the date; malformed JSON-LD is ignored", () => {
    const ld = JSON.stringify({
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "WebSite", name: "Site" },
        {
          "@type": "NewsArticle",
          datePublished: "2020-03-04T05:06:07Z",
          publisher: { "@type": "Organization", name: "Daily Example" },
        },
      ],
    });
    const html = page(
      `<title>Bridge</title><script type="application/ld+json">{not json</script><script type="application/ld+json">${ld}</script>`,
      articleBody(),
    );
    const { article } = extractArticle(dom(html).window.document, "https://www.daily.example/a");
    expect(article?.source).toBe("Daily Example");
    expect(article?.published).toBe("2020-03-04T05:06:07Z");
  });

  it("falls back to application-name, itemprop datePublished, og:url", () => {
    const html = page(
      `<meta name="application-name" content="App Name News"><meta property="og:url" content="/canonical/path">`,
      `<span itemprop="datePublished" content="2019-01-02">2 Jan</span>${articleBody()}`,
    );
    const { article } = extractArticle(dom(html).window.document, "https://www.x.example/a?b=1#c");
    expect(article?.source).toBe("App Name News");
    expect(article?.published).toBe("2019-01-02");
    expect(article?.url).toBe("https://www.x.example/canonical/path");
  });

  it("last resorts: host name without www, time[datetime]", () => {
    const html = page("", `<time datetime="2018-05-06T07:08:09+0200">6 May</time>${articleBody()}`);
    const { article } = extractArticle(dom(html).window.document, "https://www.host.example/a");
    expect(article?.source).toBe("host.example");
    expect(article?.published).toBe("2018-05-06T07:08:09+02:00");
  });

  it("normalizeDate keeps ISO dates, converts RFC dates, rejects non-dates", () => {
    expect(normalizeDate("2016-07-18")).toBe("2016-07-18");
    expect(normalizeDate("2019-04-28 06:01:07")).toBe("2019-04-28T06:01:07");
    expect(normalizeDate("Mon, 18 Jul 2016 10:00:00 GMT")).toBe("2016-07-18T10:00:00.000Z");
    expect(normalizeDate("yesterday")).toBeNull();
    expect(normalizeDate("")).toBeNull();
  });

  it("blockText keeps paragraphs and list items as lines and never glues sentences", () => {
    const { window } = dom(
      "<div><p>One<b>two</b>.</p><p>Three <a href=#>four</a></p>five<ul><li>six</li><li>seven</li></ul>eight<br>nine</div>",
    );
    expect(blockText(window.document.body)).toBe("Onetwo.\nThree four\nfive\nsix\nseven\neight\nnine");
  });
});

describe("extractArticle: pages without a supported article", () => {
  it("a page with no article → no-article", () => {
    const html = page(
      "<title>Sign in</title>",
      `<header><nav><a href=/>Home</a> <a href=/news>News</a></nav></header><main><form><label>Email <input></label><button>Sign in</button></form><p>Forgot your password?</p></main><footer>© Example</footer>`,
    );
    expect(extractArticle(dom(html).window.document, "https://x.example/login")).toEqual({
      article: null,
      reason: "no-article",
    });
  });

  it("an empty body → no-article", () => {
    expect(extractArticle(dom(page("", "")).window.document, "https://x.example/").reason).toBe("no-article");
  });

  it("lemonde-1 (lang=fr) → not-english", () => {
    const html = fixture("tests/fixtures/pages/lemonde-1/source.html");
    expect(extractArticle(dom(html).window.document, "https://www.lemonde.fr/a")).toEqual({
      article: null,
      reason: "not-english",
    });
  });

  it("lemonde-1 with its lang attribute removed → not-english by the stopword check", () => {
    const { window } = dom(fixture("tests/fixtures/pages/lemonde-1/source.html"));
    window.document.documentElement.removeAttribute("lang");
    expect(extractArticle(window.document, "https://www.lemonde.fr/a").reason).toBe("not-english");
  });

  it("looksEnglish: English prose yes, French and Spanish no", () => {
    expect(looksEnglish(seed("000_7ec41403aca26861"))).toBe(true);
    expect(looksEnglish(seed("003_2f11906d63638778"))).toBe(true);
    const fr =
      "Le projet de loi sur le renseignement a été massivement approuvé mardi par les députés. Le texte sera désormais examiné par le Sénat, puis le Conseil constitutionnel, qui devra se prononcer sur sa conformité. Les opposants dénoncent une surveillance de masse des citoyens, tandis que le gouvernement assure que les libertés publiques seront protégées par des garanties nouvelles.";
    const es =
      "El gobierno anunció el martes que el nuevo puente sobre el río se abrirá en primavera, después de dos años de obras que se retrasaron por las inundaciones y por una disputa con el contratista sobre el coste del acero. Los vecinos de la zona esperan que el tráfico disminuya en el centro de la ciudad.";
    expect(looksEnglish(fr)).toBe(false);
    expect(looksEnglish(es)).toBe(false);
  });

  it("lang=und leaves it to the text: English text accepted, French text not", () => {
    expect(
      extractArticle(dom(page("", articleBody(), "und")).window.document, "https://x.example/").article,
    ).not.toBeNull();
    const { window } = dom(fixture("tests/fixtures/pages/lemonde-1/source.html"));
    window.document.documentElement.setAttribute("lang", "und");
    expect(extractArticle(window.document, "https://www.lemonde.fr/a").reason).toBe("not-english");
  });

  it("an English page with lang=en-GB is accepted; a page with lang=de is not", () => {
    expect(
      extractArticle(dom(page("", articleBody(), "en-GB")).window.document, "https://x.example/").article,
    ).not.toBeNull();
    expect(
      extractArticle(dom(page("", articleBody(), "de")).window.document, "https://x.example/").reason,
    ).toBe("not-english");
  });

  it("a huge page (25,000 elements) → too-large, quickly", () => {
    const filler = "<div><span>x</span></div>".repeat(12_500);
    const { window } = dom(page("", articleBody() + filler));
    const t0 = performance.now();
    expect(extractArticle(window.document, "https://x.example/")).toEqual({
      article: null,
      reason: "too-large",
    });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("the element limit is a bound: a page just under it is extracted, just over it is not", () => {
    // A lower limit than the default keeps this test fast on jsdom (Readability costs about
    // 0.5 ms per element there, several times more than in a browser).
    const limits = { maxElements: 3000, maxTextChars: 5_000_000 };
    const under = dom(
      page("", articleBody(20) + `<aside>${"<div><span>related</span></div>".repeat(1400)}</aside>`),
    );
    expect(under.window.document.getElementsByTagName("*").length).toBeLessThanOrEqual(3000);
    expect(extractArticle(under.window.document, "https://x.example/", limits).article?.text).toContain(
      "Paragraph 20.",
    );
    const over = dom(
      page("", articleBody(20) + `<aside>${"<div><span>related</span></div>".repeat(1500)}</aside>`),
    );
    expect(over.window.document.getElementsByTagName("*").length).toBeGreaterThan(3000);
    expect(extractArticle(over.window.document, "https://x.example/", limits).reason).toBe("too-large");
  });

  it("a page with more text than the limit → too-large", () => {
    const { window } = dom(page("", articleBody()));
    expect(
      extractArticle(window.document, "https://x.example/", { maxElements: 20_000, maxTextChars: 1000 })
        .reason,
    ).toBe("too-large");
  });
});
