import { normalizeArticle } from "../engine/article.js";
import type { Article, ArticleInput } from "../engine/types.js";
import type {
  ExtractedArticle,
  HighlightSpec,
  ImportCheckpoint,
  ImportResult,
  MessageType,
  NoArticleReason,
  PopupState,
  Request,
  Response,
  SenderLike,
  Settings,
} from "../protocol.js";
import { t } from "../i18n.js";
import { exportRecord, storePage } from "../store/import.js";
import { parseJsonlLine } from "../store/jsonl.js";
import type { AddOutcome, PageCursor, Store } from "../store/types.js";
import { EngineHost, type EngineHostOptions, type MakeEngine } from "./engine-host.js";
import { highlightSpecs } from "./highlights.js";
import type { BrowserLike } from "./platform.js";
import { SettingsStore } from "./settings.js";
import { setBadge, TabStates } from "./tabs.js";

/** Lines stored per IndexedDB transaction during an import. */
const IMPORT_BATCH = 250;

/** Articles read per page when the whole store is exported in one answer. */
const EXPORT_PAGE = 500;

/** storage.local key of the options page's interrupted-import checkpoint. */
export const IMPORT_CHECKPOINT_KEY = "importCheckpoint";

/** Rejections kept in a checkpoint (the rest are counted). */
const CHECKPOINT_REJECTIONS = 1000;

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** A checkpoint as the options page sends it, checked field by field (anything else: null). */
export function checkedCheckpoint(v: unknown): ImportCheckpoint | null {
  if (typeof v !== "object" || v === null) return null;
  const c = v as Record<string, unknown>;
  const f = c.file as Record<string, unknown> | null;
  if (
    typeof f !== "object" ||
    f === null ||
    typeof f.name !== "string" ||
    f.name.length > 1000 ||
    !isCount(f.size) ||
    typeof f.lastModified !== "number" ||
    typeof f.head !== "string" ||
    f.head.length > 64
  )
    return null;
  if (![c.line, c.totalLines, c.imported, c.duplicate, c.rejectedCount, c.converted].every(isCount))
    return null;
  if (!Array.isArray(c.rejected)) return null;
  const rejected = c.rejected
    .filter(
      (r): r is { line: number; reason: string } =>
        typeof r === "object" && r !== null && isCount(r.line) && typeof r.reason === "string",
    )
    .slice(0, CHECKPOINT_REJECTIONS)
    .map((r) => ({ line: r.line, reason: r.reason.slice(0, 300) }));
  return {
    file: { name: f.name, size: f.size, lastModified: f.lastModified, head: f.head },
    line: c.line as number,
    totalLines: c.totalLines as number,
    imported: c.imported as number,
    duplicate: c.duplicate as number,
    rejected,
    rejectedCount: c.rejectedCount as number,
    converted: c.converted as number,
  };
}

function checkedCursor(v: unknown): PageCursor | null {
  if (typeof v !== "object" || v === null) return null;
  const c = v as Record<string, unknown>;
  return typeof c.capturedAt === "string" && typeof c.id === "string"
    ? { capturedAt: c.capturedAt, id: c.id }
    : null;
}

/** `store.addMany` when the store has it (one transaction per batch), else one `add` at a time. */
async function addMany(store: Store, inputs: ArticleInput[]): Promise<AddOutcome[]> {
  const batched = (store as Store & { addMany?: (inputs: ArticleInput[]) => Promise<AddOutcome[]> }).addMany;
  if (batched) return batched.call(store, inputs);
  const out: AddOutcome[] = [];
  for (const input of inputs) out.push(await store.add(input));
  return out;
}

export interface BackgroundDeps {
  browser: BrowserLike;
  store: Store;
  /** An empty engine, or one over a persisted index (null when that index is of another version). */
  makeEngine: MakeEngine;
  /** Persisted-index timing (tests shorten it). */
  engineHost?: EngineHostOptions;
  /** The built-in demo coverage (demo/coverage.jsonl). */
  demoJsonl: string;
  now?: () => Date;
}

export type Handlers = {
  [T in MessageType]?: (req: Request<T>, sender: SenderLike) => Promise<Response<T>>;
};

/** The message key (public/_locales) of each reason a page has no report. */
const NO_ARTICLE_KEYS: Record<NoArticleReason, string> = {
  "no-article": "pageNoArticle",
  "not-english": "pageNotEnglish",
  "too-large": "pageTooLarge",
  "not-a-page": "pageNotAPage",
};

/** Plain words (in the browser's language) for why a page has no report. */
export function noArticleMessage(reason: NoArticleReason): string {
  return t(NO_ARTICLE_KEYS[reason]);
}

/** Plain words for an unexpected failure. */
export function plainError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message ? t("errorUnexpected", message) : t("errorUnexpectedPlain");
}

/** The specs with the reader's highlight colour (from the options), when one is chosen. */
function withColor(specs: HighlightSpec[], settings: Settings): HighlightSpec[] {
  const color = settings.highlightColor;
  return color ? specs.map((s) => ({ ...s, color })) : specs;
}

/** Everything the background does, one handler per message type. */
export class Background {
  readonly engine: EngineHost;
  readonly settings: SettingsStore;
  readonly tabs: TabStates;
  readonly handlers: Handlers;
  private readonly browser: BrowserLike;
  private readonly store: Store;
  private readonly now: () => Date;

  constructor(private readonly deps: BackgroundDeps) {
    this.browser = deps.browser;
    this.store = deps.store;
    this.now = deps.now ?? (() => new Date());
    this.engine = new EngineHost(deps.store, deps.makeEngine, deps.engineHost);
    this.settings = new SettingsStore(deps.browser.storage.local);
    this.tabs = new TabStates(deps.browser.storage.session);
    this.handlers = {
      "page/article": async (req, sender) => {
        const tabId = sender.tab?.id;
        if (tabId === undefined) return { highlights: null };
        const state = await this.ingestPage(
          tabId,
          sender.url ?? null,
          req.article,
          req.reason,
          sender.tab?.incognito === true,
        );
        if (state.state !== "report") return { highlights: null };
        return {
          highlights: state.highlights
            ? withColor(highlightSpecs(state.report), await this.settings.get())
            : null,
        };
      },
      "popup/report": async (req) => {
        try {
          return await this.popupReport(req.tabId);
        } catch (e) {
          return { state: "error", message: plainError(e) };
        }
      },
      "store/load-demo": async () => this.importAndRefresh(this.deps.demoJsonl),
      "store/import-jsonl": async (req) =>
        this.importAndRefresh(
          typeof req.text === "string" ? req.text : "",
          isCount(req.firstLine) && req.firstLine > 0 ? req.firstLine : 1,
        ),
      "store/export": async (req) => this.exportPage(req.after, req.limit),
      "store/import-checkpoint": async () => {
        const saved = (await this.browser.storage.local.get(IMPORT_CHECKPOINT_KEY))[IMPORT_CHECKPOINT_KEY];
        return { checkpoint: checkedCheckpoint(saved) };
      },
      "store/import-checkpoint-set": async (req) => {
        const checkpoint = checkedCheckpoint(req.checkpoint);
        if (checkpoint) await this.browser.storage.local.set({ [IMPORT_CHECKPOINT_KEY]: checkpoint });
        else await this.browser.storage.local.remove(IMPORT_CHECKPOINT_KEY);
        return { ok: true };
      },
      "store/stats": async () => this.store.stats(),
      "store/clear": async () => {
        await this.engine.clear(); // the store, its persisted index and the engine
        // A half-done import cannot resume into an emptied store: it starts again from line 1.
        await this.browser.storage.local.remove(IMPORT_CHECKPOINT_KEY);
        for (const tabId of await this.tabs.clearAll()) await setBadge(this.browser, tabId, null);
        return { ok: true };
      },
      "settings/get": async () => this.settings.get(),
      "settings/set": async (req) => {
        const { capture, highlights, highlightColor } = req;
        const next = await this.settings.set({ capture, highlights, highlightColor });
        if (highlightColor !== undefined) await this.remarkTabs(next);
        return next;
      },
      "tab/highlights": async (req) => {
        const state = await this.tabs.get(req.tabId);
        const specs: HighlightSpec[] | null =
          req.on && state?.kind === "report"
            ? withColor(highlightSpecs(state.report), await this.settings.get())
            : null;
        try {
          await this.browser.tabs.sendMessage(
            req.tabId,
            { type: "content/highlights", highlights: specs },
            { frameId: 0 },
          );
          return { ok: true };
        } catch {
          return { ok: false };
        }
      },
      "store/delete-source": async (req) => {
        if (typeof req.source !== "string" || !req.source) return { deleted: 0 };
        // Page by page: the worker never holds every stored text at once.
        const ids: string[] = [];
        const page = this.store.page?.bind(this.store);
        const keep = (a: Article): void => {
          if ((a.source ?? "unknown") === req.source) ids.push(a.id);
        };
        if (page) {
          for (let batch = await page(null, 500); batch.length;) {
            batch.forEach(keep);
            const last = batch[batch.length - 1]!;
            batch = await page({ capturedAt: last.capturedAt, id: last.id }, 500);
          }
        } else (await this.store.all()).forEach(keep);
        for (const id of ids) {
          await this.store.delete(id);
          await this.engine.removed(id);
        }
        if (ids.length) await this.refreshTabs();
        return { deleted: ids.length };
      },
      "tab/scroll-to": async (req) => {
        try {
          const res = (await this.browser.tabs.sendMessage(
            req.tabId,
            { type: "content/scroll-to", figure: req.figure },
            { frameId: 0 },
          )) as { ok?: unknown } | undefined;
          return { ok: res?.ok === true };
        } catch {
          return { ok: false };
        }
      },
    };
  }

  /** The highlight colour changed: mark every open tab's figures again in the new colour. */
  private async remarkTabs(settings: Settings): Promise<void> {
    if (!settings.highlights) return;
    for (const [tabId, state] of await this.tabs.entries()) {
      if (state.kind !== "report") continue;
      const highlights = withColor(highlightSpecs(state.report), settings);
      await this.browser.tabs
        .sendMessage(tabId, { type: "content/highlights", highlights }, { frameId: 0 })
        .catch(() => undefined);
    }
  }

  /** Forgets a tab's report when it navigates away or closes. */
  async forgetTab(tabId: number): Promise<void> {
    await this.tabs.delete(tabId);
    await setBadge(this.browser, tabId, null);
  }

  /**
   * Stores the page's article (if capture is on) and analyses it against the rest of the
   * coverage. Capture happens first and does not depend on the analysis succeeding.
   */
  async ingestPage(
    tabId: number,
    url: string | null,
    extracted: ExtractedArticle | null,
    reason: NoArticleReason | undefined,
    privateWindow = false,
  ): Promise<PopupState> {
    if (!extracted || typeof extracted.text !== "string" || !extracted.text.trim()) {
      const why = reason ?? "no-article";
      await this.tabs.set(tabId, { kind: "no-article", url, reason: why });
      await setBadge(this.browser, tabId, null);
      return { state: "no-article", reason: why, message: noArticleMessage(why) };
    }
    const settings = await this.settings.get();
    let query: Article = normalizeArticle(extracted, this.now());
    let captureError: string | null = null;
    // Pages read in a private window are analysed but never stored.
    if (settings.capture && !privateWindow) {
      try {
        const outcome = await this.store.add(extracted);
        if (outcome.kind === "imported" || outcome.kind === "revision") {
          query = outcome.article;
          await this.engine.added(outcome.article);
        } else if (outcome.kind === "duplicate") {
          query = (await this.store.get(outcome.existingId)) ?? query;
        }
      } catch (e) {
        captureError = e instanceof Error ? e.message : String(e); // e.g. storage full: still analyse
      }
    }
    const engine = await this.engine.get();
    const report = await engine.analyze(query);
    await this.tabs.set(tabId, { kind: "report", url: extracted.url ?? url ?? "", report });
    await setBadge(this.browser, tabId, report);
    if (captureError && report.sameEvent.length === 0 && report.related.length === 0) {
      return { state: "error", message: t("pageNotSaved", captureError) };
    }
    if (await this.onlySelfStored(query)) return { state: "empty-store" };
    return { state: "report", report, highlights: settings.highlights };
  }

  /** True when the store holds no article other than `query` itself (or its copies). */
  private async onlySelfStored(query: Article | (() => Promise<Article>)): Promise<boolean> {
    const count = await this.store.count();
    if (count === 0) return true;
    if (count > 20) return false;
    if (typeof query === "function") query = await query();
    const isSelf = (a: Article): boolean =>
      a.id === query.id || a.contentHash === query.contentHash || (!!a.url && a.url === query.url);
    return (await this.store.all()).every(isSelf);
  }

  private async popupReport(tabId: number): Promise<PopupState> {
    const known = await this.tabs.get(tabId);
    if (known?.kind === "report") {
      // Both asked at once (storage and IndexedDB): this answer is on the popup's critical path.
      const settings = this.settings.get();
      settings.catch(() => undefined); // (awaited below unless the store check throws first)
      // The stored article is read only for a store small enough to hold nothing but it.
      const query = async (): Promise<Article> =>
        (await this.store.get(known.report.article.id)) ?? {
          ...known.report.article,
          text: "",
          contentHash: "",
          capturedAt: "",
          byline: null,
          revisionOf: null,
        };
      if (await this.onlySelfStored(query)) return { state: "empty-store" };
      return { state: "report", report: known.report, highlights: (await settings).highlights };
    }
    // Not known (or known to have no article: the page may have changed since) — ask the page.
    let reply: { article: ExtractedArticle | null; reason?: NoArticleReason } | undefined;
    try {
      reply = (await this.browser.tabs.sendMessage(
        tabId,
        { type: "content/extract" },
        { frameId: 0 },
      )) as typeof reply;
    } catch {
      reply = undefined;
    }
    if (!reply) return { state: "no-article", reason: "not-a-page", message: noArticleMessage("not-a-page") };
    const privateWindow = this.browser.tabs.get
      ? await this.browser.tabs
          .get(tabId)
          .then((t) => t.incognito === true)
          .catch(() => false)
      : false;
    return this.ingestPage(
      tabId,
      reply.article?.url ?? null,
      reply.article ?? null,
      reply.reason,
      privateWindow,
    );
  }

  /**
   * One page of the export (`limit` articles after `after`), or the whole store when no limit
   * is given — read page by page all the same, so the store is never loaded twice over.
   */
  private async exportPage(
    afterRaw: unknown,
    limitRaw: unknown,
  ): Promise<{ jsonl: string; count: number; next: PageCursor | null; total: number }> {
    const total = await this.store.count();
    const paged = isCount(limitRaw) && limitRaw > 0;
    const limit = paged ? Math.min(limitRaw, 5000) : Infinity;
    let after = checkedCursor(afterRaw);
    const lines: string[] = [];
    for (;;) {
      const want = Math.min(EXPORT_PAGE, limit - lines.length);
      const page = await storePage(this.store, after, want);
      for (const a of page) lines.push(JSON.stringify(exportRecord(a)));
      const last = page[page.length - 1];
      if (last) after = { capturedAt: last.capturedAt, id: last.id };
      if (page.length < want) {
        after = null; // the end of the store
        break;
      }
      if (lines.length >= limit) break;
    }
    return { jsonl: lines.length ? lines.join("\n") + "\n" : "", count: lines.length, next: after, total };
  }

  private async importAndRefresh(text: string, firstLine = 1): Promise<ImportResult> {
    const result = await this.importLines(text, firstLine);
    if (result.imported > 0) await this.refreshTabs();
    return result;
  }

  /**
   * The coverage changed: analyse every open tab's article again, so its report and badge
   * include what was just added. Tabs whose article is not stored are asked again on demand.
   */
  async refreshTabs(): Promise<void> {
    const engine = await this.engine.get();
    for (const [tabId, state] of await this.tabs.entries()) {
      if (state.kind !== "report") continue;
      const article = await this.store.get(state.report.article.id);
      if (!article) {
        await this.forgetTab(tabId);
        continue;
      }
      try {
        const report = await engine.analyze(article);
        await this.tabs.set(tabId, { ...state, report });
        await setBadge(this.browser, tabId, report);
      } catch {
        await this.forgetTab(tabId);
      }
    }
  }

  /**
   * Imports JSONL text: every line is reported by number (counted from `firstLine`, the
   * number of the text's first line in its file); good lines are kept whatever the bad ones.
   */
  async importLines(text: string, firstLine = 1): Promise<ImportResult> {
    const result: ImportResult = { imported: 0, duplicate: 0, rejected: [] };
    const lines = text.split(/\r?\n/);
    let batch: { line: number; input: ArticleInput }[] = [];
    let failed: string | null = null; // once the store refuses (e.g. full), every later line says why

    const flush = async (): Promise<void> => {
      const items = batch;
      batch = [];
      if (!items.length) return;
      if (failed) {
        for (const item of items) result.rejected.push({ line: item.line, reason: failed });
        return;
      }
      let outcomes: AddOutcome[];
      try {
        outcomes = await addMany(
          this.store,
          items.map((item) => item.input),
        );
      } catch (e) {
        failed = e instanceof Error ? e.message : String(e);
        for (const item of items) result.rejected.push({ line: item.line, reason: failed });
        return;
      }
      for (const [k, outcome] of outcomes.entries()) {
        if (outcome.kind === "imported" || outcome.kind === "revision") {
          result.imported++;
          await this.engine.added(outcome.article);
        } else if (outcome.kind === "duplicate") result.duplicate++;
        else result.rejected.push({ line: items[k]?.line ?? 0, reason: outcome.reason });
      }
    };

    for (let i = 0; i < lines.length; i++) {
      let htmlOnly = false;
      const parsed = parseJsonlLine(lines[i] ?? "", () => {
        htmlOnly = true;
        return null;
      });
      if (parsed.ok === "blank") continue;
      if (parsed.ok === false) {
        const reason = htmlOnly
          ? 'only "html" and no "text": import this file from the options page, which converts HTML to text'
          : parsed.reason;
        result.rejected.push({ line: firstLine + i, reason });
        continue;
      }
      batch.push({ line: firstLine + i, input: parsed.input });
      if (batch.length >= IMPORT_BATCH) await flush();
    }
    await flush();
    result.rejected.sort((a, b) => a.line - b.line);
    return result;
  }
}
