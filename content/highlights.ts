/**
 * Inline highlights of disputed figures. `initHighlights(specs, signal, root)` wraps each
 * figure's phrase in `<mark class="parallax-mark">` elements and adds one tooltip per mark;
 * `signal.abort()` takes every mark and tooltip away and restores the page's DOM (marks are
 * unwrapped, then only the parents that were touched are normalised).
 *
 * Finding a figure: the page's visible text is indexed with whitespace collapsed, typographic
 * quotes/dashes folded, soft hyphens dropped and letters lower-cased, keeping for each index
 * character the text node and offset it came from (so a match may span several text nodes,
 * links and nested inline markup; block elements are hard boundaries). The spec's `quote` is
 * searched in that text, then its `phrase` inside the quote (word-bounded where possible);
 * every occurrence of the quote is marked (some pages repeat their body).
 *
 * Fallback when the quote is not in the page (the page changed, or the text differs): every
 * word-bounded occurrence of the exact phrase is marked when the sentence around it shares at
 * least half (and at least two) of the quote's words of four or more letters.
 *
 * Security: marks and tooltips are built with createElement and textContent only; the tooltip
 * content (outlet names, phrases from other reports) is inert text. It is also private: the
 * other reports' outlets, dates and figures come from the reader's store, so each tooltip lives
 * in a CLOSED shadow root (`host.shadowRoot` is null for the page's scripts, the page's
 * MutationObservers and selectors do not see inside it, and the text is `user-select: none` so
 * a page-driven selection does not copy it). Only this module keeps the roots (`tooltipRoots`);
 * `tooltipTexts` reads them for the content script (tests reach it through the background).
 * Screen readers still get the text: `aria-describedby` names the light-DOM host, and the
 * accessible description is computed over the flat tree, closed shadow roots included.
 */
import type { HighlightSpec } from "../src/protocol.js";

export const MARK_CLASS = "parallax-mark";
const HOST_ATTR = "data-parallax-tooltips";
const MAX_QUOTE_OCCURRENCES = 5;
const MAX_FALLBACK_OCCURRENCES = 5;

const SKIP_TAGS = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "TEXTAREA",
  "INPUT",
  "SELECT",
  "OPTION",
  "BUTTON",
  "IFRAME",
  "OBJECT",
  "CANVAS",
  "SVG",
  "MATH",
  "HEAD",
  "TITLE",
]);
/** Elements that do not break a line of text: everything else is a block boundary. */
const INLINE_TAGS = new Set([
  "A",
  "ABBR",
  "B",
  "BDI",
  "BDO",
  "CITE",
  "CODE",
  "DATA",
  "DEL",
  "DFN",
  "EM",
  "FONT",
  "I",
  "INS",
  "KBD",
  "LABEL",
  "MARK",
  "Q",
  "S",
  "SAMP",
  "SMALL",
  "SPAN",
  "STRONG",
  "SUB",
  "SUP",
  "TIME",
  "U",
  "VAR",
  "WBR",
]);

const QUOTE_FOLD: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "`": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u201f": '"',
  "\u2033": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
};
const DROPPED = new Set(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]);
const SPACE = /\s/;

/** One character of the search text, folded; "" when dropped; " " for any whitespace. */
function fold(c: string): string {
  if (DROPPED.has(c)) return "";
  if (SPACE.test(c)) return " ";
  const q = QUOTE_FOLD[c];
  if (q) return q;
  const lower = c.toLowerCase();
  return lower.length === 1 ? lower : c;
}

/** The folded form of a quote or phrase, as `indexText` folds the page. */
export function foldText(s: string): string {
  let out = "";
  for (const c of s) {
    const f = fold(c);
    if (f === "" || (f === " " && (out === "" || out.endsWith(" ")))) continue;
    // Astral characters (2 UTF-16 units) are kept whole; the page index does the same.
    out += f;
  }
  return out.trimEnd();
}

interface TextIndex {
  /** Folded text; "\n" stands for a block boundary. */
  text: string;
  nodes: Text[];
  /** Per character of `text`: index into `nodes` (-1 for a block boundary)... */
  nodeOf: Int32Array;
  /** ...and the UTF-16 offset in that node. */
  offsetOf: Int32Array;
}

function skipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName.toUpperCase())) return true;
  if (el.hasAttribute("hidden") || el.hasAttribute(HOST_ATTR)) return true;
  const editable = el.getAttribute("contenteditable");
  return editable !== null && editable !== "false";
}

/** Indexes the visible text of `root` (iterative walk: deep trees cannot overflow the stack). */
function indexText(root: Element): TextIndex {
  const parts: string[] = [];
  const nodes: Text[] = [];
  const nodeIdx: number[] = [];
  const offsets: number[] = [];
  let last = "\n";
  const boundary = () => {
    if (last === "\n") return;
    if (last === " ") {
      // A space just before a boundary becomes the boundary.
      parts[parts.length - 1] = "\n";
      nodeIdx[nodeIdx.length - 1] = -1;
      offsets[offsets.length - 1] = 0;
    } else {
      parts.push("\n");
      nodeIdx.push(-1);
      offsets.push(0);
    }
    last = "\n";
  };
  const isBlock = (n: Node) => n.nodeType === 1 && !INLINE_TAGS.has((n as Element).tagName.toUpperCase());
  let node: Node | null = root.firstChild;
  while (node && node !== root) {
    let descend = false;
    if (node.nodeType === 3) {
      const t = node as Text;
      const data = t.data;
      const ni = nodes.length;
      nodes.push(t);
      for (let i = 0; i < data.length; i++) {
        let c = data[i]!;
        const code = c.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < data.length) c += data[i + 1]!;
        const f = fold(c);
        if (f === " " && (last === " " || last === "\n")) {
          i += c.length - 1;
          continue;
        }
        if (f !== "") {
          parts.push(f);
          nodeIdx.push(ni);
          offsets.push(i);
          // A surrogate pair takes two positions so every index maps back to the node.
          if (f.length === 2) {
            nodeIdx.push(ni);
            offsets.push(i + 1);
          }
          last = f;
        }
        i += c.length - 1;
      }
    } else if (node.nodeType === 1 && !skipped(node as Element)) {
      if (isBlock(node)) boundary();
      descend = node.firstChild !== null;
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root) {
      if (isBlock(node)) boundary();
      if (node.nextSibling) {
        node = node.nextSibling;
        break;
      }
      node = node.parentNode;
    }
  }
  return {
    text: parts.join(""),
    nodes,
    nodeOf: Int32Array.from(nodeIdx),
    offsetOf: Int32Array.from(offsets),
  };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** No letter or digit touches [start, end), nor a hyphen joining one ("thirty-three"). */
function wordBounded(text: string, start: number, end: number): boolean {
  const joined = (c: string | undefined, next: string | undefined) =>
    c !== undefined && (WORD_CHAR.test(c) || (c === "-" && next !== undefined && WORD_CHAR.test(next)));
  return !joined(text[start - 1], text[start - 2]) && !joined(text[end], text[end + 1]);
}

/** Occurrences of `needle` in `text` between `from` and `to`, word-bounded ones first. */
function findPhrase(text: string, needle: string, from: number, to: number): number {
  let fallback = -1;
  for (
    let at = text.indexOf(needle, from);
    at >= 0 && at + needle.length <= to;
    at = text.indexOf(needle, at + 1)
  ) {
    if (wordBounded(text, at, at + needle.length)) return at;
    if (fallback < 0) fallback = at;
  }
  return fallback;
}

const SHORT_WORDS = new Set([
  "that",
  "with",
  "said",
  "have",
  "were",
  "from",
  "this",
  "they",
  "been",
  "their",
  "which",
]);

function contentWords(s: string): Set<string> {
  const words = s.match(/[\p{L}\p{N}]{4,}/gu) ?? [];
  return new Set(words.filter((w) => !SHORT_WORDS.has(w)));
}

/** Sentence around [start, end): up to ". ", "! ", "? " or a block boundary on each side. */
function sentenceAround(text: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && text[s - 1] !== "\n" && !(text[s - 1] === " " && /[.!?]/.test(text[s - 2] ?? ""))) s--;
  let e = end;
  while (e < text.length && text[e] !== "\n" && !(/[.!?]/.test(text[e]!) && (text[e + 1] ?? " ") === " "))
    e++;
  return text.slice(s, e);
}

/**
 * Restatements of a located value outside the extracted article (a gallery caption repeating
 * "killed at least 19 people"): the same phrase, word-bounded, in a sentence that names every
 * word of the figure's quantity ("people", "killed"). A phrase that is a bare number is too
 * common to be matched this way; it needs a bound or a unit ("at least 19").
 */
export function restatements(
  text: string,
  spec: Pick<HighlightSpec, "phrase" | "quantity">,
  found: readonly [number, number][],
): [number, number][] {
  const phrase = foldText(spec.phrase).trim();
  const quantity = spec.quantity;
  if (!quantity || !/\s/.test(phrase)) return [];
  const need = contentWords(foldText(quantity));
  if (!need.size) return [];
  const out: [number, number][] = [];
  for (
    let at = text.indexOf(phrase);
    at >= 0 && out.length < MAX_FALLBACK_OCCURRENCES;
    at = text.indexOf(phrase, at + 1)
  ) {
    if (found.some(([s, e]) => at < e && at + phrase.length > s)) continue;
    if (!wordBounded(text, at, at + phrase.length)) continue;
    const words = contentWords(sentenceAround(text, at, at + phrase.length));
    let all = true;
    for (const w of need) if (!words.has(w)) all = false;
    if (all) out.push([at, at + phrase.length]);
  }
  return out;
}

/** Ranges [start, end) of the folded text to mark for one spec. */
export function locate(text: string, spec: Pick<HighlightSpec, "quote" | "phrase">): [number, number][] {
  const quote = foldText(spec.quote).trim();
  const phrase = foldText(spec.phrase).trim();
  if (!phrase) return [];
  const ranges: [number, number][] = [];
  if (quote && quote.includes(phrase)) {
    for (
      let q = text.indexOf(quote);
      q >= 0 && ranges.length < MAX_QUOTE_OCCURRENCES;
      q = text.indexOf(quote, q + 1)
    ) {
      const p = findPhrase(text, phrase, q, q + quote.length);
      if (p >= 0) ranges.push([p, p + phrase.length]);
    }
    if (ranges.length) return ranges;
  }
  // Fallback: the exact phrase in sentences that share words with the quote.
  const quoteWords = contentWords(quote);
  const need = Math.max(2, Math.ceil(quoteWords.size / 2));
  for (
    let at = text.indexOf(phrase);
    at >= 0 && ranges.length < MAX_FALLBACK_OCCURRENCES;
    at = text.indexOf(phrase, at + 1)
  ) {
    if (!wordBounded(text, at, at + phrase.length)) continue;
    const words = contentWords(sentenceAround(text, at, at + phrase.length));
    let shared = 0;
    for (const w of quoteWords) if (words.has(w)) shared++;
    if (shared >= need) ranges.push([at, at + phrase.length]);
  }
  return ranges;
}

/** Per text node touched by [start, end): the node's offsets to wrap. */
function segments(
  index: TextIndex,
  start: number,
  end: number,
): { node: number; from: number; to: number }[] {
  const out: { node: number; from: number; to: number }[] = [];
  for (let i = start; i < end; i++) {
    const n = index.nodeOf[i]!;
    if (n < 0) continue;
    const off = index.offsetOf[i]!;
    const lastSeg = out[out.length - 1];
    if (lastSeg && lastSeg.node === n) lastSeg.to = off + 1;
    else out.push({ node: n, from: off, to: off + 1 });
  }
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2016-07-18…" → "18 Jul 2016"; null when not a date. */
export function shortDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (m) {
    const month = MONTHS[Number(m[2]) - 1];
    return month ? `${Number(m[3])} ${month} ${m[1]}` : null;
  }
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** One tooltip line: "NDTV, 18 Jul 2016: at least three". */
export function otherLine(o: HighlightSpec["others"][number]): string {
  const date = shortDate(o.published);
  return `${o.source ?? "Another report"}${date ? `, ${date}` : ""}: ${o.phrase}`;
}

function heading(spec: HighlightSpec): string {
  const what = spec.quantity ? ` (${spec.quantity})` : "";
  if (spec.status === "dispute") return `Other reports give a different figure${what}`;
  if (spec.status === "update") return `This figure was updated in other reports${what}`;
  return `Other reports agree${what}`;
}

const COLORS: Record<HighlightSpec["status"], string> = {
  dispute: "#ffd8a8",
  update: "#d0ebff",
  agree: "#d3f9d8",
};

/** The reader's chosen colour when it is a plain #rrggbb, else the default for the status. */
export function markColor(spec: Pick<HighlightSpec, "status" | "color">): string {
  if (typeof spec.color === "string" && /^#[0-9a-f]{6}$/i.test(spec.color)) return spec.color;
  return COLORS[spec.status] ?? COLORS.dispute;
}

const TOOLTIP_CSS = `
:host { all: initial; }
.tip {
  box-sizing: border-box; max-width: 320px; padding: 8px 10px; border-radius: 6px;
  background: #1f2933; color: #f5f7fa; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); text-align: left; white-space: normal; overflow-wrap: anywhere;
  -webkit-user-select: none; user-select: none;
}
.head { font-weight: 600; margin: 0 0 4px; }
ul { margin: 0; padding: 0 0 0 16px; }
li { margin: 2px 0; }
.foot { margin: 6px 0 0; font-size: 11px; color: #b8c2cc; }
`;

let instance = 0;

/** Tooltip host → its closed shadow root; only this module (the content script's world) holds them. */
const tooltipRoots = new WeakMap<Element, ShadowRoot>();

/** The closed shadow root of a tooltip host this module made (null for any other element). */
export function tooltipRoot(host: Element): ShadowRoot | null {
  return tooltipRoots.get(host) ?? null;
}

/**
 * The text of every Parallax tooltip in `doc` (in page order) and whether it is shown. Only
 * hosts this module created count (a page cannot plant one: it would not be in the map).
 */
export function tooltipTexts(doc: Document = document): { id: string; text: string; shown: boolean }[] {
  const out: { id: string; text: string; shown: boolean }[] = [];
  for (const host of doc.querySelectorAll<HTMLElement>(`[${HOST_ATTR}] > [role="tooltip"]`)) {
    const root = tooltipRoots.get(host);
    if (!root) continue;
    const text = [...root.querySelectorAll(".tip > *")]
      .map((el) =>
        el.tagName === "UL" ? [...el.children].map((li) => li.textContent ?? "").join("\n") : el.textContent,
      )
      .join("\n");
    out.push({ id: host.id, text, shown: host.style.getPropertyValue("display") !== "none" });
  }
  return out;
}

/**
 * `all: initial !important` also pins line-height, letter- and word-spacing with !important,
 * which a reader's own style sheet (e.g. for dyslexia) could then not adjust (WCAG 1.4.12;
 * axe "avoid-inline-spacing"). Set them again without !important.
 */
function keepTextSpacingAdjustable(el: HTMLElement): void {
  for (const p of ["line-height", "letter-spacing", "word-spacing"]) el.style.setProperty(p, "normal");
}

/** Constructable style sheets where they work (not subject to the page's CSP); false otherwise. */
function adopt(shadow: ShadowRoot, sheet: CSSStyleSheet | null): boolean {
  if (!sheet || !("adoptedStyleSheets" in shadow)) return false;
  try {
    shadow.adoptedStyleSheets = [sheet];
    return shadow.adoptedStyleSheets.length === 1;
  } catch {
    return false; // e.g. Firefox content-script wrappers
  }
}

/**
 * Marks the figures of `highlights` in `root` and returns how many occurrences were marked
 * (a mark split over several text nodes counts once). Everything is undone by `signal`.
 */
export function initHighlights(
  highlights: HighlightSpec[],
  signal: AbortSignal,
  root: Element = document.body,
): number {
  if (signal.aborted || !root) return 0;
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const index = indexText(root);
  const prefix = `parallax-tip-${++instance}-${Math.random().toString(36).slice(2, 8)}`;

  // 1. Find everything first (the DOM is changed only after all ranges are known).
  interface Group {
    spec: HighlightSpec;
    segs: { node: number; from: number; to: number }[];
    marks: HTMLElement[];
    id: string;
  }
  const groups: Group[] = [];
  const taken: [number, number][] = [];
  const mark = (spec: HighlightSpec, s: number, e: number): void => {
    if (taken.some(([a, b]) => s < b && a < e)) return; // never nest marks
    taken.push([s, e]);
    const segs = segments(index, s, e);
    if (segs.length) groups.push({ spec, segs, marks: [], id: `${prefix}-${groups.length}` });
  };
  // First every value where its report states it, then restatements of located values elsewhere
  // in the page (captions), so a restatement never takes another figure's place.
  const located = highlights.map((spec) => locate(index.text, spec));
  highlights.forEach((spec, i) => {
    for (const [s, e] of located[i] ?? []) mark(spec, s, e);
  });
  highlights.forEach((spec, i) => {
    const found = located[i] ?? [];
    if (found.length) for (const [s, e] of restatements(index.text, spec, found)) mark(spec, s, e);
  });
  if (!groups.length) return 0;

  // 2. Wrap, from the end of each text node backwards so earlier offsets stay valid.
  const all = groups.flatMap((g) => g.segs.map((seg) => ({ g, seg })));
  all.sort((a, b) => b.seg.node - a.seg.node || b.seg.from - a.seg.from);
  const touched = new Set<Node>();
  for (const { g, seg } of all) {
    let target = index.nodes[seg.node]!;
    if (seg.to < target.data.length) target.splitText(seg.to);
    if (seg.from > 0) target = target.splitText(seg.from);
    const parent = target.parentNode;
    if (!parent) continue;
    const mark = doc.createElement("mark");
    mark.className = MARK_CLASS;
    mark.setAttribute("data-parallax-figure", String(g.spec.figure));
    mark.setAttribute("data-parallax-status", g.spec.status);
    mark.style.setProperty("background-color", markColor(g.spec), "important");
    mark.style.setProperty("color", "inherit", "important");
    mark.style.setProperty("border-bottom", "2px dotted #b35c00", "important");
    mark.style.setProperty("cursor", "help", "important");
    parent.insertBefore(mark, target);
    mark.appendChild(target);
    touched.add(parent);
    g.marks.unshift(mark); // segments of a group arrive last-first
  }

  // 3. Tooltips: one light-DOM host per group (so aria-describedby can point at it by id),
  //    each with its own shadow root holding the styles and the text.
  const container = doc.createElement("div");
  container.setAttribute(HOST_ATTR, "");
  container.style.setProperty("all", "initial", "important");
  container.style.setProperty("display", "block", "important");
  keepTextSpacingAdjustable(container);
  const tips = new Map<Group, HTMLElement>();
  let sheet: CSSStyleSheet | null = null;
  try {
    if (win && "CSSStyleSheet" in win && "replaceSync" in win.CSSStyleSheet.prototype) {
      sheet = new win.CSSStyleSheet();
      sheet.replaceSync(TOOLTIP_CSS);
    }
  } catch {
    sheet = null;
  }
  for (const g of groups) {
    if (!g.marks.length) continue;
    const host = doc.createElement("div");
    host.id = g.id;
    host.setAttribute("role", "tooltip");
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("position", "fixed", "important");
    host.style.setProperty("z-index", "2147483647", "important");
    host.style.setProperty("display", "none", "important");
    keepTextSpacingAdjustable(host);
    const shadow = host.attachShadow({ mode: "closed" });
    tooltipRoots.set(host, shadow);
    if (!adopt(shadow, sheet)) {
      const style = doc.createElement("style");
      style.textContent = TOOLTIP_CSS;
      shadow.appendChild(style);
    }
    const box = doc.createElement("div");
    box.className = "tip";
    const head = doc.createElement("p");
    head.className = "head";
    head.textContent = heading(g.spec);
    box.appendChild(head);
    const list = doc.createElement("ul");
    for (const o of g.spec.others) {
      const li = doc.createElement("li");
      li.textContent = otherLine(o);
      list.appendChild(li);
    }
    box.appendChild(list);
    const foot = doc.createElement("p");
    foot.className = "foot";
    foot.textContent = "Parallax · Esc to close";
    box.appendChild(foot);
    shadow.appendChild(box);
    container.appendChild(host);
    tips.set(g, host);

    const first = g.marks[0]!;
    first.tabIndex = 0;
    first.setAttribute("role", "button");
    first.setAttribute("aria-describedby", g.id);
    first.setAttribute("aria-expanded", "false");
  }
  (doc.body ?? doc.documentElement).appendChild(container);

  let shown: Group | null = null;
  const hide = () => {
    if (!shown) return;
    tips.get(shown)?.style.setProperty("display", "none", "important");
    shown.marks[0]?.setAttribute("aria-expanded", "false");
    shown = null;
  };
  const show = (g: Group, anchor: HTMLElement) => {
    if (shown && shown !== g) hide();
    const host = tips.get(g);
    if (!host) return;
    const rect = anchor.getBoundingClientRect();
    const width = win?.innerWidth ?? 1024;
    host.style.setProperty("left", `${Math.max(8, Math.min(rect.left, width - 330))}px`, "important");
    host.style.setProperty("top", `${rect.bottom + 6}px`, "important");
    host.style.setProperty("display", "block", "important");
    g.marks[0]?.setAttribute("aria-expanded", "true");
    shown = g;
  };
  // Listeners are removed by hand on abort (not with `{signal}`: the signal may come from
  // another realm than the page's DOM, e.g. a content-script world or a test runner).
  const listeners: [EventTarget, string, EventListener][] = [];
  const on = <E extends Event>(target: EventTarget, type: string, fn: (e: E) => void) => {
    target.addEventListener(type, fn as EventListener);
    listeners.push([target, type, fn as EventListener]);
  };
  for (const g of groups) {
    for (const mark of g.marks) {
      on(mark, "mouseenter", () => show(g, mark));
      on(mark, "mouseleave", () => {
        if (doc.activeElement !== g.marks[0]) hide();
      });
    }
    const first = g.marks[0];
    if (!first) continue;
    on(first, "focus", () => show(g, first));
    on(first, "blur", hide);
    on(first, "keydown", (e: KeyboardEvent) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        if (shown === g) hide();
        else show(g, first);
      }
    });
  }
  on(doc, "keydown", (e: KeyboardEvent) => {
    if (e.key === "Escape") hide();
  });

  // 4. Undo.
  signal.addEventListener(
    "abort",
    () => {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
      container.remove();
      const parents = new Set<Node>();
      for (const g of groups) {
        for (const mark of g.marks) {
          const parent = mark.parentNode;
          if (!parent) continue;
          while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
          parent.removeChild(mark);
          parents.add(parent);
        }
      }
      for (const p of touched) parents.add(p);
      for (const p of parents) p.normalize();
    },
    { once: true },
  );
  return groups.filter((g) => g.marks.length).length;
}

/** Scrolls the first mark of figure `figure` into view and focuses it (showing its tooltip). */
export function scrollToFigure(figure: number, doc: Document = document): boolean {
  if (!Number.isInteger(figure) || figure < 0) return false;
  const mark = doc.querySelector<HTMLElement>(
    `mark.${MARK_CLASS}[data-parallax-figure="${figure}"][tabindex]`,
  );
  if (!mark) return false;
  if (typeof mark.scrollIntoView === "function") mark.scrollIntoView({ block: "center", behavior: "smooth" });
  mark.focus({ preventScroll: true });
  return true;
}
