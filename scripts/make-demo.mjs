#!/usr/bin/env node
// Builds demo/coverage.jsonl — the built-in demo coverage — from the seed documents in
// tests/fixtures/seeds and the hand-split Guardian revisions in demo/guardian-v2.txt / -v3.txt.
// Outlets and dates are chosen from what each text says (see demo/README.md); run:
//   node scripts/make-demo.mjs
import { readFileSync, writeFileSync } from "node:fs";

const seed = (name) => readFileSync(new URL(`../tests/fixtures/seeds/${name}.txt`, import.meta.url), "utf8");
const demo = (name) => readFileSync(new URL(`../demo/${name}`, import.meta.url), "utf8");
const GUARDIAN_URL =
  "https://www.theguardian.com/world/2016/jul/18/two-kazakhstan-police-officers-killed-by-gunmen-say-authorities";

function splitTitle(text) {
  const lines = text.trim().split("\n");
  return { title: lines[0].trim(), text: lines.slice(1).join("\n").trim() };
}

const v2 = splitTitle(demo("guardian-v2.txt"));
const v3 = splitTitle(demo("guardian-v3.txt"));
const bne = seed("003_2f11906d63638778");

const rows = [
  {
    id: "000_7ec41403aca26861",
    url: null,
    source: "Reuters",
    title: "Suspected Islamist militants gun down at least four policemen and one civilian in Almaty",
    published: "2016-07-18",
    text: seed("000_7ec41403aca26861").trim(),
  },
  {
    id: "001_d11f9d2465d14c55",
    url: null,
    source: "NDTV",
    title: "At least three policemen and a civilian in Kazakhstan's financial capital Almaty.",
    published: "2016-07-18",
    text: seed("001_d11f9d2465d14c55").trim(),
  },
  {
    id: "002_17178071b6bd281f-v2",
    url: GUARDIAN_URL,
    source: "The Guardian",
    title: v2.title,
    published: "2016-07-18T10:00:00Z",
    text: v2.text,
  },
  {
    id: "002_17178071b6bd281f-v3",
    url: GUARDIAN_URL,
    source: "The Guardian",
    title: v3.title,
    published: "2016-07-18T15:00:00Z",
    text: v3.text,
  },
  {
    id: "003_2f11906d63638778",
    url: null,
    source: "bne IntelliNews",
    title: "Kazakh city of Almaty on terror alert after gunman kills five in attacks",
    published: "2016-07-18",
    text: bne.trim(),
  },
  {
    id: "004_844a32d78c3c6d5d",
    url: null,
    source: "Reuters",
    title: "Seven killed in clashes in Kazakhstan",
    published: "2011-12-04T06:08:00Z",
    text: seed("004_844a32d78c3c6d5d").trim(),
  },
];

writeFileSync(
  new URL("../demo/coverage.jsonl", import.meta.url),
  rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
);
console.log(`wrote demo/coverage.jsonl (${rows.length} articles)`);
