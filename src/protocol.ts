/**
 * The one typed message protocol between content script, background, popup and options.
 * Every message is `{ type, ...payload }`; `Messages[type]` gives its request and response.
 * The background checks each message's sender against `senderKinds[type]`.
 */
import type { ArticleInput, Figure, Report } from "./engine/types.js";
import type { FileIdentity } from "./store/lines.js";
import type { PageCursor, StoreStats } from "./store/types.js";

/** What the content script extracts from a page. */
export interface ExtractedArticle extends ArticleInput {
  url: string;
  title: string;
  text: string;
  byline: string | null;
  source: string | null;
  published: string | null;
  lang: string | null;
}

export type NoArticleReason = "no-article" | "not-english" | "too-large" | "not-a-page";

/** One disputed figure to mark in the page: the query article's own value of it. */
export interface HighlightSpec {
  /** Index of the figure in the report's `figures`. */
  figure: number;
  quantity: string;
  status: Figure["status"];
  /** Exact number phrase to mark ("at least four"). */
  phrase: string;
  /** The sentence it stands in, verbatim, to find the right occurrence. */
  quote: string;
  /** The other reports' values, for the tooltip. */
  others: { phrase: string; source: string | null; published: string | null }[];
  /** Mark colour chosen in the options (one of HIGHLIGHT_COLORS); absent: the default by status. */
  color?: string;
}

export interface Settings {
  capture: boolean;
  highlights: boolean;
  /** Background colour of the marks in the page: one of HIGHLIGHT_COLORS (added for the options page). */
  highlightColor?: HighlightColor;
}

/** The highlight colour presets (all keep body text at >= 4.5:1 contrast with dark text). */
export const HIGHLIGHT_COLORS = ["#ffd8a8", "#fff3a0", "#c5f6fa", "#e5dbff"] as const;
export type HighlightColor = (typeof HIGHLIGHT_COLORS)[number];

export interface ImportResult {
  imported: number;
  duplicate: number;
  rejected: { line: number; reason: string }[];
}

/**
 * How far an import of a file from the options page got: saved in the background after each
 * batch the store committed, so the same file chosen again resumes after `line`.
 */
export interface ImportCheckpoint {
  file: FileIdentity;
  /** The last line (1-based, in the whole file) of the last batch the store committed. */
  line: number;
  totalLines: number;
  /** Totals so far; `rejected` keeps the first ones, `rejectedCount` counts them all. */
  imported: number;
  duplicate: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
  converted: number;
}

export type PopupState =
  | { state: "analysing" }
  | { state: "no-article"; reason: NoArticleReason; message: string }
  | { state: "empty-store" }
  | { state: "report"; report: Report; highlights: boolean }
  | { state: "error"; message: string };

/** One subscribed feed as the options page shows it. */
export interface FeedStatus {
  url: string;
  title: string | null;
  /** When the feed was last checked (ISO), whatever the outcome. */
  lastPolled: string | null;
  /** Why the last check failed, in plain words; null when it worked. */
  lastError: string | null;
  /** Articles stored from this feed since it was added. */
  added: number;
  /** Articles stored by the last check. */
  lastAdded: number;
  /** Item problems of the last check, in plain words (at most a few). */
  problems: string[];
}

export interface FeedsView {
  feeds: FeedStatus[];
  intervalMinutes: number;
  /** Origin patterns ("https://host/*") of article pages that could not be read without permission. */
  originsToAllow: string[];
}

export interface Messages {
  /** content → background: the page's article (or why there is none). */
  "page/article": {
    req: { article: ExtractedArticle | null; reason?: NoArticleReason };
    res: { highlights: HighlightSpec[] | null };
  };
  /** popup → background: the report for a tab (extracting if needed). */
  "popup/report": { req: { tabId: number }; res: PopupState };
  /** popup/options → background: load the built-in demo coverage. */
  "store/load-demo": { req: Record<string, never>; res: ImportResult };
  /** JSONL text; with `firstLine`, a batch of a larger file whose first line has that number. */
  "store/import-jsonl": { req: { text: string; firstLine?: number }; res: ImportResult };
  /**
   * Stored articles as JSONL in export order: all of them, or with `limit` one page after
   * `after` (`next` is the cursor for the following page, null after the last one).
   */
  "store/export": {
    req: { after?: PageCursor | null; limit?: number };
    res: { jsonl: string; count: number; next: PageCursor | null; total: number };
  };
  /** options → background: the saved progress of an interrupted file import (null: none). */
  "store/import-checkpoint": { req: Record<string, never>; res: { checkpoint: ImportCheckpoint | null } };
  "store/import-checkpoint-set": { req: { checkpoint: ImportCheckpoint | null }; res: { ok: boolean } };
  "store/stats": { req: Record<string, never>; res: StoreStats };
  "store/clear": { req: Record<string, never>; res: { ok: true } };
  "settings/get": { req: Record<string, never>; res: Settings };
  "settings/set": { req: Partial<Settings>; res: Settings };
  /** popup → background: switch highlights on/off on a tab. */
  "tab/highlights": { req: { tabId: number; on: boolean }; res: { ok: boolean } };
  /** background → content: mark these figures (null removes every mark). */
  "content/highlights": { req: { highlights: HighlightSpec[] | null }; res: { marked: number } };
  /** background → content: extract the article now. */
  "content/extract": {
    req: Record<string, never>;
    res: { article: ExtractedArticle | null; reason?: NoArticleReason };
  };
  /** popup → content (via background): scroll to a figure's highlight. */
  "content/scroll-to": { req: { figure: number }; res: { ok: boolean } };
  /**
   * background → content: the text of the page's Parallax tooltips. They live in closed shadow
   * roots the page cannot read (docs/security.md S1); the e2e tests read them through this.
   */
  "content/tooltips": {
    req: Record<string, never>;
    res: { tooltips: { id: string; text: string; shown: boolean }[] };
  };
  /** options → background: the feed list with per-feed status. */
  "feeds/list": { req: Record<string, never>; res: FeedsView };
  /** options → background: subscribe (after permissions.request) and check the feed once. */
  "feeds/add": { req: { url: string }; res: { feed: FeedStatus | null; error: string | null } };
  "feeds/remove": { req: { url: string }; res: { ok: boolean } };
  "feeds/import-opml": {
    req: { text: string };
    res: { added: number; duplicate: number; error: string | null };
  };
  "feeds/export-opml": { req: Record<string, never>; res: { opml: string } };
  /** options → background: check every feed now, due or not. */
  "feeds/poll-now": { req: Record<string, never>; res: FeedsView };
  "feeds/set-interval": { req: { minutes: number }; res: FeedsView };
  /** background → offscreen document (Chrome): extract the article of a fetched page. */
  "offscreen/extract": { req: { html: string; url: string }; res: { article: ExtractedArticle | null } };
  /** options → background: delete every stored article of one outlet (a key of StoreStats.perSource). */
  "store/delete-source": { req: { source: string }; res: { deleted: number } };
  /** popup → background: scroll a tab's page to a figure's highlight (relayed as content/scroll-to). */
  "tab/scroll-to": { req: { tabId: number; figure: number }; res: { ok: boolean } };
}

export type MessageType = keyof Messages;
export type Request<T extends MessageType> = { type: T } & Messages[T]["req"];
export type Response<T extends MessageType> = Messages[T]["res"];

/** Who may send a message: a content script in a tab, or an extension page (popup/options). */
export type SenderKind = "content" | "extension-page" | "background";

export const senderKinds: { [T in MessageType]: SenderKind } = {
  "page/article": "content",
  "popup/report": "extension-page",
  "store/load-demo": "extension-page",
  "store/import-jsonl": "extension-page",
  "store/export": "extension-page",
  "store/import-checkpoint": "extension-page",
  "store/import-checkpoint-set": "extension-page",
  "store/stats": "extension-page",
  "store/clear": "extension-page",
  "settings/get": "extension-page",
  "settings/set": "extension-page",
  "tab/highlights": "extension-page",
  "content/highlights": "background",
  "content/extract": "background",
  "content/scroll-to": "background",
  "content/tooltips": "background",
  "feeds/list": "extension-page",
  "feeds/add": "extension-page",
  "feeds/remove": "extension-page",
  "feeds/import-opml": "extension-page",
  "feeds/export-opml": "extension-page",
  "feeds/poll-now": "extension-page",
  "feeds/set-interval": "extension-page",
  "offscreen/extract": "background",
  "store/delete-source": "extension-page",
  "tab/scroll-to": "extension-page",
};

/** Minimal shape of a runtime.MessageSender, so this file needs no browser types. */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number; incognito?: boolean };
  frameId?: number;
}

/**
 * True when `sender` may send a message of `type`. `extensionId` is runtime.id and
 * `extensionOrigin` is runtime.getURL("") (e.g. "chrome-extension://abc/").
 */
export function senderAllowed(
  type: MessageType,
  sender: SenderLike,
  extensionId: string,
  extensionOrigin: string,
): boolean {
  if (sender.id !== extensionId) return false;
  const kind = senderKinds[type];
  const fromExtensionPage = typeof sender.url === "string" && sender.url.startsWith(extensionOrigin);
  if (kind === "extension-page") return fromExtensionPage;
  if (kind === "content") return !fromExtensionPage && sender.tab?.id !== undefined && sender.frameId === 0;
  return false; // background-only messages are never accepted by the background itself
}

export function isMessage(value: unknown): value is { type: MessageType } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    Object.prototype.hasOwnProperty.call(senderKinds, (value as { type: string }).type)
  );
}
