/**
 * A deterministic synthetic coverage for the benchmark, recombined from real text: the ECB+ dev
 * articles' sentences (tests/fixtures/ecbplus), the seed documents and the English real pages'
 * paragraphs. Articles come in synthetic events of 1–8 reports: each event takes one ECB+ event
 * as its sentence pool (most sentences), a few sentences of the other event of the same topic
 * (the "earlier related incident" vocabulary) and filler from the seeds and pages, until about
 * 600 words. Each event gets its own invented place name and numbers so that events drawn from
 * the same pool are not lexically identical (a real store has far more distinct vocabulary than
 * 486 source articles). Titles, outlets, URLs and dates are plausible and seeded.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ArticleInput } from "../../src/engine/types.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface EcbArticle {
  id: string;
  topic: number;
  event: string;
  title: string;
  text: string;
}

interface Pools {
  /** ECB+ event → its sentences (all reports) and titles. */
  events: { event: string; topic: number; sentences: string[]; titles: string[] }[];
  /** topic → indexes into `events`. */
  byTopic: Map<number, number[]>;
  /** Sentences of the seeds and the English real pages. */
  filler: string[];
}

function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?]["”’]?)\s+(?=[A-Z“"])/u)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.split(" ").length >= 5 && s.length <= 600);
}

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&rsquo;|&lsquo;/g, "'")
    .replace(/&ldquo;|&rdquo;/g, '"')
    .replace(/&mdash;/g, "—")
    .replace(/&[a-z]+;|&#\d+;/g, " ");
}

/** Paragraph text of a saved page: the contents of its <p> elements, tags dropped (bench input only). */
function pageParagraphs(html: string): string[] {
  const out: string[] = [];
  const body = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, " ");
  for (const m of body.matchAll(/<p[\s>][\s\S]*?<\/p>/gi)) {
    const t = decodeEntities(m[0].replace(/<[^>]*>/g, " "))
      .replace(/\s+/g, " ")
      .trim();
    if (t.split(" ").length >= 8) out.push(t);
  }
  return out;
}

let pools: Pools | null = null;

export function loadPools(): Pools {
  if (pools) return pools;
  const lines = fs
    .readFileSync(path.join(ROOT, "tests/fixtures/ecbplus/ecbplus-dev.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean);
  const byEvent = new Map<string, { event: string; topic: number; sentences: string[]; titles: string[] }>();
  for (const line of lines) {
    const a = JSON.parse(line) as EcbArticle;
    let e = byEvent.get(a.event);
    if (!e) byEvent.set(a.event, (e = { event: a.event, topic: a.topic, sentences: [], titles: [] }));
    const sents = splitSentences(a.text);
    // The first line is the title as ECB+ prints it: keep it as a title, not a body sentence.
    e.titles.push(a.title);
    e.sentences.push(...sents.filter((s) => s !== a.title));
  }
  const events = [...byEvent.values()].sort((a, b) => (a.event < b.event ? -1 : 1));
  const byTopic = new Map<number, number[]>();
  events.forEach((e, i) => {
    const l = byTopic.get(e.topic) ?? [];
    l.push(i);
    byTopic.set(e.topic, l);
  });
  const filler: string[] = [];
  const seedDir = path.join(ROOT, "tests/fixtures/seeds");
  for (const f of fs.readdirSync(seedDir).sort()) {
    if (f.endsWith(".txt")) filler.push(...splitSentences(fs.readFileSync(path.join(seedDir, f), "utf8")));
  }
  const pagesDir = path.join(ROOT, "tests/fixtures/pages");
  for (const slug of fs.readdirSync(pagesDir).sort()) {
    if (slug.startsWith("lemonde")) continue; // French: the engine reports it unsupported
    const file = path.join(pagesDir, slug, "source.html");
    if (!fs.existsSync(file)) continue;
    for (const p of pageParagraphs(fs.readFileSync(file, "utf8"))) filler.push(...splitSentences(p));
  }
  pools = { events, byTopic, filler };
  return pools;
}

const OUTLETS: [string, string][] = [
  ["Reuters", "reuters.com"],
  ["Associated Press", "apnews.com"],
  ["BBC News", "bbc.co.uk"],
  ["The Guardian", "theguardian.com"],
  ["CNN", "cnn.com"],
  ["Al Jazeera", "aljazeera.com"],
  ["NDTV", "ndtv.com"],
  ["The New York Times", "nytimes.com"],
  ["The Washington Post", "washingtonpost.com"],
  ["The Telegraph", "telegraph.co.uk"],
  ["The Seattle Times", "seattletimes.com"],
  ["Herald Sun", "heraldsun.com.au"],
  ["Yahoo News", "news.yahoo.com"],
  ["Deutsche Welle", "dw.com"],
  ["France 24", "france24.com"],
  ["The Independent", "independent.co.uk"],
  ["Sky News", "news.sky.com"],
  ["ABC News", "abcnews.go.com"],
  ["CBS News", "cbsnews.com"],
  ["NBC News", "nbcnews.com"],
  ["The Times of India", "timesofindia.indiatimes.com"],
  ["The Hindu", "thehindu.com"],
  ["South China Morning Post", "scmp.com"],
  ["The Sydney Morning Herald", "smh.com.au"],
  ["Bloomberg", "bloomberg.com"],
  ["Euronews", "euronews.com"],
  ["RFE/RL", "rferl.org"],
  ["bne IntelliNews", "intellinews.com"],
  ["The Irish Times", "irishtimes.com"],
  ["CBC News", "cbc.ca"],
];

const SYL = [
  "ka",
  "ra",
  "mo",
  "tan",
  "bel",
  "dor",
  "vi",
  "len",
  "sar",
  "ost",
  "qu",
  "zan",
  "mir",
  "ul",
  "ber",
  "ga",
];

function placeName(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let s = "";
  for (let i = 0; i < n; i++) s += SYL[Math.floor(r() * SYL.length)];
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAY = 86_400_000;
const START = Date.UTC(2015, 0, 1);
const SPAN_DAYS = 11 * 365;

export interface GenOptions {
  seed?: number;
  /** Target words per article (default 600). */
  words?: number;
}

/**
 * Yields `n` articles in the CLI's JSONL import shape. The same (n, seed) always gives the same
 * articles, and the first k articles of a larger run equal those of a run of size k.
 */
export function* generate(n: number, opts: GenOptions = {}): Generator<ArticleInput> {
  const { events, byTopic, filler } = loadPools();
  const r = rng(opts.seed ?? 20260718);
  const target = opts.words ?? 600;
  let made = 0;
  let eventNo = 0;
  while (made < n) {
    eventNo++;
    const evIndex = Math.floor(r() * events.length);
    const ev = events[evIndex]!;
    const siblings = (byTopic.get(ev.topic) ?? []).filter((i) => i !== evIndex);
    const sibling = siblings.length ? events[pick(r, siblings)]! : ev;
    const place = placeName(r);
    const numShift = 1 + Math.floor(r() * 40);
    const eventDay = START + Math.floor(r() * SPAN_DAYS) * DAY;
    const reports = 1 + Math.floor(r() * r() * 8);
    const baseTitle = pick(r, ev.titles);
    for (let k = 0; k < reports && made < n; k++) {
      const [source, domain] = pick(r, OUTLETS);
      const published = new Date(eventDay + Math.floor(r() * 3) * DAY + Math.floor(r() * DAY));
      const iso = published.toISOString();
      // Half the events get their small numbers shifted (their own tolls and ages).
      const shift = numShift % 2 === 0 ? numShift : 0;
      const withNumbers = (s: string): string =>
        shift ? s.replace(/\b\d{1,3}\b(?![,.]?\d)/g, (d) => String(Number(d) + shift)) : s;
      const sents: string[] = [];
      let words = 0;
      const dateline = `${place.toUpperCase()}, ${published.getUTCDate()} ${MONTHS[published.getUTCMonth()]} ${published.getUTCFullYear()} (${source}) -`;
      const first = withNumbers(pick(r, ev.sentences));
      sents.push(`${dateline} ${first}`);
      words += first.split(" ").length + 4;
      while (words < target) {
        const x = r();
        const s = x < 0.62 ? pick(r, ev.sentences) : x < 0.75 ? pick(r, sibling.sentences) : pick(r, filler);
        const t = withNumbers(r() < 0.15 ? `In ${place}, ${s.charAt(0).toLowerCase()}${s.slice(1)}` : s);
        sents.push(t);
        words += t.split(" ").length;
      }
      const title = k === 0 || r() < 0.4 ? baseTitle : pick(r, ev.titles);
      const titled = r() < 0.5 ? `${place}: ${title}` : title;
      const id = `bench-${made}`;
      yield {
        id,
        url: `https://www.${domain}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${slug(title)}-${eventNo}-${k}`,
        source,
        title: titled,
        published: iso,
        text: sents.join("\n"),
      };
      made++;
    }
  }
}
