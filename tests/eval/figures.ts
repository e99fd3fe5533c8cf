/**
 * Measures the figure comparison on the hand-labelled set (tests/fixtures/figures/labels.json).
 * `npm run eval:figures` prints JSON; `--floors` exits non-zero below the floors.
 *
 * A predicted figure with status dispute or update is a true positive when at least two of its
 * values, from two different articles, match the values of one labelled quantity whose verdict is
 * dispute or update. Splits: all events labelled before issue 4's third pass (seed, tuning,
 * heldout, heldout2, heldout3) are "tuning"; heldout4 (held out in the third pass, looked at
 * since) is reported on its own; heldout5 is held out; heldout6 (the later articles of 40 events,
 * its unseen-event and seen-event groups apart in `heldout6Parts`) was held out until its first
 * look (0.57 / 0.30) and informed fixes since. `--tuning-only` skips
 * the held-out events altogether (for development: the held-out set is not looked at while
 * tuning). Recall: the labelled dispute/update quantities matched by some predicted
 * dispute/update figure. Trap violations: a predicted dispute/update figure holding both values of
 * a trap. A value matches a labelled one when it comes from the same article and its sentence
 * contains the labelled fragment (whitespace folded) and, when the label names no phrase, its number
 * phrase overlaps that fragment.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeArticle } from "../../src/engine/article.js";
import { compareFigures, extractClaims } from "../../src/engine/figures/index.js";
import type { Article, Figure } from "../../src/engine/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "fixtures");

interface LabelValue {
  article: string;
  in: string;
  phrase?: string;
}
interface LabelQuantity {
  label: string;
  verdict: "dispute" | "update" | "agree";
  values: LabelValue[];
}
/**
 * Splits of the labelled set. seed+tuning, heldout, heldout2 and heldout3 were all looked at while
 * developing the engine, so they are scored together as "tuning"; heldout4 was labelled blind in
 * the third pass, measured (first look: nothing flagged, 0 of 2) and looked at since: it is
 * reported apart, as "seen"; heldout5 (the seven dev events no other split uses) is labelled blind
 * in the fourth pass and is the held-out part (docs/figures.md §3).
 */
export type Split = "tuning" | "heldout" | "heldout2" | "heldout3" | "heldout4" | "heldout5" | "heldout6";
const TUNING_SPLITS: readonly Split[] = ["tuning", "heldout", "heldout2", "heldout3"];
const SEEN: Split = "heldout4";
const HELDOUT: Split = "heldout5";
/**
 * heldout6 (issue 4's fifth pass): the later articles of 40 dev events, labelled blind. Its groups
 * on the seven heldout5 events are later articles of events no engine change was ever made from;
 * the other groups are later articles of events whose first articles were tuned on.
 */
const HELDOUT6: Split = "heldout6";
const UNSEEN_EVENT_GROUPS = new Set(["14_2c", "26_2c", "2_2c", "34_1c", "34_2c", "42_2c", "4_2c"]);

interface LabelEvent {
  event: string;
  split: Split;
  articles: string[];
  quantities: LabelQuantity[];
  traps: { note: string; values: LabelValue[] }[];
}

/**
 * Publication times chosen for the seeds (their texts give the day only): 000, 001, 003 on
 * 2016-07-18 (date only); the Guardian's version 2 at 10:00Z and version 3 five hours later.
 */
export const SEED_TIMES: Record<string, string> = {
  "000": "2016-07-18",
  "001": "2016-07-18",
  "002-v2": "2016-07-18T10:00:00Z",
  "002-v3": "2016-07-18T15:00:00Z",
  "003": "2016-07-18",
  "004": "2011-12-04",
};
const SEED_FILES: Record<string, string> = {
  "000": "seeds/000_7ec41403aca26861.txt",
  "001": "seeds/001_d11f9d2465d14c55.txt",
  "002-v2": "figures/guardian-v2.txt",
  "002-v3": "figures/guardian-v3.txt",
  "003": "seeds/003_2f11906d63638778.txt",
  "004": "seeds/004_844a32d78c3c6d5d.txt",
};
const SEED_SOURCES: Record<string, string> = {
  "000": "Reuters (wire)",
  "001": "NDTV",
  "002-v2": "The Guardian",
  "002-v3": "The Guardian",
  "003": "bne IntelliNews",
  "004": "Reuters",
};

/** The seed articles, with the Guardian's version 3 a revision of version 2. */
export function seedArticles(): Map<string, Article> {
  const out = new Map<string, Article>();
  for (const [id, file] of Object.entries(SEED_FILES)) {
    const a = normalizeArticle(
      {
        id,
        text: readFileSync(join(fixtures, file), "utf8"),
        published: SEED_TIMES[id] ?? null,
        source: SEED_SOURCES[id] ?? null,
        url: id.startsWith("002")
          ? "https://www.theguardian.com/world/2016/jul/18/two-kazakhstan-police-officers-killed-by-gunmen-say-authorities"
          : null,
      },
      new Date("2016-07-19T00:00:00Z"),
    );
    out.set(id, id === "002-v3" ? { ...a, revisionOf: "002-v2" } : a);
  }
  return out;
}

function ecbArticles(): Map<string, Article> {
  const out = new Map<string, Article>();
  const lines = readFileSync(join(fixtures, "ecbplus", "ecbplus-dev.jsonl"), "utf8").split("\n");
  for (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: string; title: string; text: string };
    out.set(r.id, normalizeArticle({ id: r.id, title: r.title, text: r.text, source: `ecb+ ${r.id}` }));
  }
  return out;
}

const fold = (s: string): string => s.replace(/\s+/g, " ").trim();

/**
 * A labelled phrase names one number of the sentence, with or without its unit: the extracted
 * phrase contains it ("at least $160 million" ⊇ "$160 million"), or it is the extracted number
 * followed by a unit ("2 years" for the extracted "2").
 */
function phraseMatches(extracted: string, labelled: string): boolean {
  // A currency sign is not part of the number: "$1, 099" names the extracted "1, 099".
  const bare = (t: string): string =>
    fold(t)
      .toLowerCase()
      .replace(/(?:us\$|[$€£¥])\s?/g, "");
  const x = bare(extracted);
  const l = bare(labelled);
  return x.includes(l) || (l.startsWith(x) && /^[\s-]*[a-z]/.test(l.slice(x.length)));
}

function matches(v: { articleId: string; quote: string; phrase: string }, l: LabelValue): boolean {
  if (v.articleId !== l.article) return false;
  if (l.phrase && !phraseMatches(v.phrase, l.phrase)) return false;
  const q = fold(v.quote);
  const frag = fold(l.in);
  const at = q.indexOf(frag);
  if (at < 0) return false;
  if (l.phrase) return true;
  // Without a labelled phrase, the value's own number phrase must overlap the labelled fragment:
  // "Three people died … as tens of thousands of protesters took to the streets" holds the label
  // "tens of thousands of protesters took to the streets", but its "Three" is not that value.
  const p = fold(v.phrase);
  for (let i = q.indexOf(p); i >= 0 && p; i = q.indexOf(p, i + 1))
    if (i < at + frag.length && i + p.length > at) return true;
  return false;
}

/** Distinct articles of `fig` whose values match some value in `labelled`. */
function matchedArticles(fig: Figure, labelled: LabelValue[]): Set<string> {
  const out = new Set<string>();
  for (const v of fig.values) if (labelled.some((l) => matches(v, l))) out.add(v.articleId);
  return out;
}

interface SplitScore {
  events: number;
  predicted: number;
  truePositives: number;
  labelled: number;
  found: number;
  precision: number;
  recall: number;
  trapViolations: number;
  trapNotes: string[];
  traps: number;
  agreeLabelled: number;
  agreeShownAsFigure: number;
  falsePositives: { event: string; quantity: string; status: string; values: string[] }[];
  missed: { event: string; label: string }[];
}

const emptyScore = (): SplitScore => ({
  events: 0,
  predicted: 0,
  truePositives: 0,
  labelled: 0,
  found: 0,
  precision: 0,
  recall: 0,
  trapViolations: 0,
  trapNotes: [],
  traps: 0,
  agreeLabelled: 0,
  agreeShownAsFigure: 0,
  falsePositives: [],
  missed: [],
});

/** Scores every labelled event of the given splits; one score per split. */
export function evaluate(splits: readonly Split[] = [...TUNING_SPLITS, HELDOUT, HELDOUT6]): {
  bySplit: Partial<Record<Split, SplitScore>>;
  byEvent: { event: string; split: Split; score: SplitScore }[];
  msPerArticle: number;
} {
  const labels = JSON.parse(readFileSync(join(fixtures, "figures", "labels.json"), "utf8")) as {
    events: LabelEvent[];
  };
  const seeds = seedArticles();
  const ecb = ecbArticles();
  const byEvent: { event: string; split: Split; score: SplitScore }[] = [];
  let ms = 0;
  let nArticles = 0;
  for (const ev of labels.events) {
    if (!splits.includes(ev.split)) continue;
    const sc = emptyScore();
    byEvent.push({ event: ev.event, split: ev.split, score: sc });
    sc.events++;
    const arts = ev.articles.map((id) => {
      const a = seeds.get(id) ?? ecb.get(id);
      if (!a) throw new Error(`unknown article ${id}`);
      return a;
    });
    const [query, ...others] = arts;
    if (!query) continue;
    // Time the extraction alone, per article (the comparison re-extracts; both are reported).
    for (const a of arts) {
      const t0 = performance.now();
      extractClaims(a);
      ms += performance.now() - t0;
      nArticles++;
    }
    const figs = compareFigures(query, others);
    const flagged = figs.filter((f) => f.status !== "agree");
    const disputesLabelled = ev.quantities.filter((q) => q.verdict !== "agree");
    sc.predicted += flagged.length;
    sc.labelled += disputesLabelled.length;
    for (const f of flagged) {
      const ok = disputesLabelled.some((q) => matchedArticles(f, q.values).size >= 2);
      if (ok) sc.truePositives++;
      else
        sc.falsePositives.push({
          event: ev.event,
          quantity: f.quantity,
          status: f.status,
          values: f.values.map((v) => `${v.articleId}: ${v.phrase} [${v.lo ?? "-"}, ${v.hi ?? "-"}]`),
        });
    }
    for (const q of disputesLabelled) {
      if (flagged.some((f) => matchedArticles(f, q.values).size >= 2)) sc.found++;
      else sc.missed.push({ event: ev.event, label: q.label });
    }
    for (const q of ev.quantities.filter((x) => x.verdict === "agree")) {
      sc.agreeLabelled++;
      if (figs.some((f) => f.status === "agree" && matchedArticles(f, q.values).size >= 2))
        sc.agreeShownAsFigure++;
    }
    for (const t of ev.traps) {
      sc.traps++;
      const [x, y] = t.values;
      if (!x || !y) continue;
      if (flagged.some((f) => f.values.some((v) => matches(v, x)) && f.values.some((v) => matches(v, y)))) {
        sc.trapViolations++;
        sc.trapNotes.push(`${ev.event}: ${t.note}`);
      }
    }
  }
  const bySplit: Partial<Record<Split, SplitScore>> = {};
  for (const k of new Set(byEvent.map((e) => e.split)))
    bySplit[k] = combine(...byEvent.filter((e) => e.split === k).map((e) => e.score));
  return { bySplit, byEvent, msPerArticle: nArticles ? ms / nArticles : 0 };
}

/** Several splits scored as one. */
export function combine(...parts: SplitScore[]): SplitScore {
  const out = emptyScore();
  for (const p of parts) {
    out.events += p.events;
    out.predicted += p.predicted;
    out.truePositives += p.truePositives;
    out.labelled += p.labelled;
    out.found += p.found;
    out.trapViolations += p.trapViolations;
    out.traps += p.traps;
    out.agreeLabelled += p.agreeLabelled;
    out.agreeShownAsFigure += p.agreeShownAsFigure;
    out.trapNotes.push(...p.trapNotes);
    out.falsePositives.push(...p.falsePositives);
    out.missed.push(...p.missed);
  }
  out.precision = out.predicted ? out.truePositives / out.predicted : 1;
  out.recall = out.labelled ? out.found / out.labelled : 1;
  return out;
}

/**
 * Conservative floors, a little under what is measured (docs/figures.md §3). tuning: all events
 * labelled before heldout4 (seed, tuning, heldout, heldout2, heldout3); heldout4: the third pass's
 * blind set, looked at since; heldout5: the blind held-out set.
 */
export const FLOORS = {
  // tuning measures 1.00 (27 of 27) / 0.93 (27 of 29).
  tuningPrecision: 0.9,
  tuningRecall: 0.9,
  // heldout4 measures 1.00 (1 of 1) / 0.50 (1 of 2) after one fix informed by the first look
  // (first look: nothing flagged, 0 of 2 found). Two labelled disputes: one more miss fails.
  seenPrecision: 0.6,
  seenRecall: 0.25,
  // heldout5 measures 1.00 (1 of 1) / 0.20 (1 of 5) on its first look after the fourth pass
  // (before it: nothing flagged). One false alarm (1 of 2) or the one find lost fails.
  heldoutPrecision: 0.6,
  heldoutRecall: 0.2,
  // heldout6 measured 0.57 (8 of 14) / 0.30 (7 of 23) on its first look, and 0.93 (14 of 15) /
  // 0.57 (13 of 23) after the fixes that look informed (it is no longer held out); both with the
  // matcher that requires a value's own phrase to overlap the labelled fragment.
  heldout6Precision: 0.85,
  heldout6Recall: 0.5,
  // 1 of 393 measured (132 tuning, 27 heldout4, 30 heldout5, 204 heldout6: one in heldout6).
  maxTrapViolations: 1,
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const tuningOnly = process.argv.includes("--tuning-only");
  const r = evaluate(tuningOnly ? [...TUNING_SPLITS, SEEN] : [...TUNING_SPLITS, SEEN, HELDOUT, HELDOUT6]);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const show = (s: SplitScore): SplitScore => ({
    ...s,
    precision: round(s.precision),
    recall: round(s.recall),
  });
  const tuning = combine(...TUNING_SPLITS.flatMap((k) => r.bySplit[k] ?? []));
  const seen = r.bySplit[SEEN];
  const heldout = r.bySplit[HELDOUT];
  const heldout6 = r.bySplit[HELDOUT6];
  const h6 = r.byEvent.filter((e) => e.split === HELDOUT6);
  const brief = (s: SplitScore | undefined): Record<string, number> | undefined =>
    s && {
      events: s.events,
      predicted: s.predicted,
      truePositives: s.truePositives,
      labelled: s.labelled,
      found: s.found,
      precision: round(s.precision),
      recall: round(s.recall),
      trapViolations: s.trapViolations,
      traps: s.traps,
    };
  const out = {
    tuning: show(tuning),
    tuningParts: Object.fromEntries(TUNING_SPLITS.map((k) => [k, brief(r.bySplit[k])])),
    [SEEN]: seen ? show(seen) : "no events labelled",
    [HELDOUT]: heldout ? show(heldout) : tuningOnly ? "skipped (--tuning-only)" : "no events labelled",
    [HELDOUT6]: heldout6 ? show(heldout6) : tuningOnly ? "skipped (--tuning-only)" : "no events labelled",
    heldout6Parts: heldout6 && {
      unseenEvents: brief(combine(...h6.filter((e) => UNSEEN_EVENT_GROUPS.has(e.event)).map((e) => e.score))),
      seenEvents: brief(combine(...h6.filter((e) => !UNSEEN_EVENT_GROUPS.has(e.event)).map((e) => e.score))),
    },
    msPerArticle: round(r.msPerArticle),
  };
  console.log(JSON.stringify(out, null, 2));
  if (process.argv.includes("--floors")) {
    const fails: string[] = [];
    if (tuning.precision < FLOORS.tuningPrecision)
      fails.push(`tuning precision ${round(tuning.precision)} < ${FLOORS.tuningPrecision}`);
    if (tuning.recall < FLOORS.tuningRecall)
      fails.push(`tuning recall ${round(tuning.recall)} < ${FLOORS.tuningRecall}`);
    if (seen) {
      if (seen.precision < FLOORS.seenPrecision)
        fails.push(`${SEEN} precision ${round(seen.precision)} < ${FLOORS.seenPrecision}`);
      if (seen.recall < FLOORS.seenRecall)
        fails.push(`${SEEN} recall ${round(seen.recall)} < ${FLOORS.seenRecall}`);
    }
    if (heldout) {
      if (heldout.precision < FLOORS.heldoutPrecision)
        fails.push(`held-out precision ${round(heldout.precision)} < ${FLOORS.heldoutPrecision}`);
      if (heldout.recall < FLOORS.heldoutRecall)
        fails.push(`held-out recall ${round(heldout.recall)} < ${FLOORS.heldoutRecall}`);
    }
    if (heldout6) {
      if (heldout6.precision < FLOORS.heldout6Precision)
        fails.push(`${HELDOUT6} precision ${round(heldout6.precision)} < ${FLOORS.heldout6Precision}`);
      if (heldout6.recall < FLOORS.heldout6Recall)
        fails.push(`${HELDOUT6} recall ${round(heldout6.recall)} < ${FLOORS.heldout6Recall}`);
    }
    const traps =
      tuning.trapViolations +
      (seen?.trapViolations ?? 0) +
      (heldout?.trapViolations ?? 0) +
      (heldout6?.trapViolations ?? 0);
    if (traps > FLOORS.maxTrapViolations)
      fails.push(`trap violations ${traps} > ${FLOORS.maxTrapViolations}`);
    if (fails.length) {
      console.error(`figures eval below floors: ${fails.join("; ")}`);
      process.exit(1);
    }
  }
}
