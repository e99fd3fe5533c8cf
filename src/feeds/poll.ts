/**
 * The poller core: one check of one feed, with every effect injected (fetch, clock, store,
 * extraction), so it runs unchanged in the extension's background and in Node tests.
 *
 * Guarantees:
 * - Conditional GET (If-None-Match / If-Modified-Since); 304 = nothing new.
 * - Timeouts and byte limits on the feed and on each article page; plain-words errors.
 * - At most `maxItems` new items are fetched per poll; one item's failure never stops the poll.
 * - Idempotent: an item whose URL is already stored is skipped before any page is fetched,
 *   and the final URL after redirects is checked again before adding. A poll killed midway
 *   and re-run therefore adds each article exactly once.
 * - The feed's validators (ETag / Last-Modified) are only kept when every new item was dealt
 *   with; otherwise they are cleared so that the next poll reads the whole feed again
 *   instead of getting a 304 and losing the items left over.
 */
import type { ArticleInput } from "../engine/types.js";
import type { AddOutcome } from "../store/types.js";
import { FeedError } from "./errors.js";
import { getText, hostOf, isPrivateUrl, privateItemError, type FetchLike } from "./fetch.js";
import { MAX_FEED_CHARS, parseFeed, type FeedItem } from "./parse.js";
import { resolveHttpUrl } from "./text.js";

export interface FeedState {
  /** The feed's address, as the person subscribed to it. */
  url: string;
  /** The feed's own title (from its last good read), or null before the first. */
  title: string | null;
  /** When the last poll ran (ISO), whatever its outcome. */
  lastPolled: string | null;
  /** When the feed was last read successfully (ISO; a 304 counts). */
  lastOk: string | null;
  /** Why the last poll failed, in plain words; null when it succeeded. */
  lastError: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Keys (URL, else id) of items dealt with by earlier polls, oldest first, bounded. */
  itemsSeen: string[];
}

export function newFeedState(url: string): FeedState {
  return {
    url,
    title: null,
    lastPolled: null,
    lastOk: null,
    lastError: null,
    etag: null,
    lastModified: null,
    itemsSeen: [],
  };
}

export interface PollOptions {
  /** Per request (feed or page), covering headers and body. */
  timeoutMs: number;
  maxFeedBytes: number;
  maxPageBytes: number;
  /** New items fetched per poll at most. */
  maxItems: number;
  /** Extracted text shorter than this counts as a failed extraction; a summary must be this long to stand in. */
  minTextChars: number;
  /** How many item keys FeedState.itemsSeen keeps. */
  maxSeen: number;
}

export const DEFAULT_POLL_OPTIONS: PollOptions = {
  timeoutMs: 20_000,
  maxFeedBytes: MAX_FEED_CHARS,
  maxPageBytes: 5 * 1024 * 1024,
  maxItems: 50,
  minTextChars: 200,
  maxSeen: 2000,
};

export interface PollDeps {
  fetch: FetchLike;
  now: () => Date;
  /** True when an article with this URL is already stored. */
  knownItem: (urlOrId: string) => Promise<boolean>;
  /** Readability (or similar) on the page's HTML; null when the page has no article. */
  extract: (html: string, url: string) => Promise<ArticleInput | null>;
  add: (input: ArticleInput) => Promise<AddOutcome>;
  /**
   * Whether the extension may fetch this URL (in the browser: `permissions.contains` for its
   * origin). Absent = always. The feed itself without permission is a feed error; an item
   * page without permission is not fetched (the feed's summary stands in) and its origin is
   * listed in `PollResult.needsPermission` so the options page can ask for it.
   */
  canFetch?: (url: string) => Promise<boolean>;
  /** Aborting it stops the poll between (and during) requests. */
  signal?: AbortSignal;
  options?: Partial<PollOptions>;
}

export interface ItemProblem {
  url: string | null;
  title: string;
  message: string;
}

export interface PollResult {
  state: FeedState;
  /** The feed answered 304 Not Modified. */
  notModified: boolean;
  /** The feed-level failure (also in state.lastError), or null. */
  error: { code: string; message: string } | null;
  /** Items in the feed document. */
  itemsInFeed: number;
  /** New articles stored (imported or a revision). */
  added: number;
  /** Of `added`: stored from the feed's own summary because the page could not be used. */
  fromSummary: number;
  /** Items skipped because they were already stored or seen. */
  known: number;
  /** The store already had the same text (e.g. under another URL). */
  duplicates: number;
  /** Items that could not be stored; details in `problems`. */
  failed: number;
  /** New items left for the next poll (over `maxItems`, or the poll was stopped). */
  deferred: number;
  problems: ItemProblem[];
  /** The poll was stopped through `deps.signal`. */
  aborted: boolean;
  /** Origins ("https://host") of item pages that could not be fetched for want of permission. */
  needsPermission: string[];
}

const FEED_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";
const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

function itemKey(item: FeedItem): string {
  return item.url ?? item.id;
}

function isPageType(contentType: string | null): boolean {
  if (contentType === null) return true;
  return /^\s*(text\/html|application\/xhtml\+xml|text\/plain|application\/xml|text\/xml)\b/i.test(
    contentType,
  );
}

/** Checks one feed once. Never throws for feed or item problems: they are in the result. */
export async function pollFeed(feed: FeedState, deps: PollDeps): Promise<PollResult> {
  const opts: PollOptions = { ...DEFAULT_POLL_OPTIONS, ...deps.options };
  const now = deps.now().toISOString();
  const result: PollResult = {
    state: { ...feed, itemsSeen: [...feed.itemsSeen], lastPolled: now },
    notModified: false,
    error: null,
    itemsInFeed: 0,
    added: 0,
    fromSummary: 0,
    known: 0,
    duplicates: 0,
    failed: 0,
    deferred: 0,
    problems: [],
    aborted: false,
    needsPermission: [],
  };
  const state = result.state;
  const failFeed = (e: unknown): PollResult => {
    const err =
      e instanceof FeedError
        ? e
        : new FeedError("network", `Reading this feed failed unexpectedly: ${String(e)}`);
    if (err.code === "aborted") {
      result.aborted = true;
      return result;
    }
    result.error = { code: err.code, message: err.message };
    state.lastError = err.message;
    return result;
  };

  let feedUrl: URL;
  try {
    feedUrl = new URL(feed.url);
  } catch {
    return failFeed(new FeedError("bad-url", "This feed address is not a valid web address."));
  }
  if (feedUrl.protocol !== "http:" && feedUrl.protocol !== "https:") {
    return failFeed(new FeedError("bad-url", "Only http:// and https:// feed addresses can be read."));
  }

  if (deps.canFetch && !(await deps.canFetch(feed.url))) {
    return failFeed(
      new FeedError(
        "no-permission",
        `Parallax is not allowed to read ${feedUrl.host} yet: allow it for this feed in the options page.`,
      ),
    );
  }

  // 1. The feed document, conditionally.
  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (feed.etag) headers["if-none-match"] = feed.etag;
  if (feed.lastModified) headers["if-modified-since"] = feed.lastModified;
  let fetched;
  try {
    fetched = await getText(feed.url, {
      fetch: deps.fetch,
      signal: deps.signal,
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.maxFeedBytes,
      headers,
      what: "The feed",
    });
  } catch (e) {
    return failFeed(e);
  }
  if (fetched.text === null) {
    result.notModified = true;
    state.lastOk = now;
    state.lastError = null;
    return result;
  }
  let parsed;
  try {
    parsed = parseFeed(fetched.text, fetched.contentType, fetched.url);
  } catch (e) {
    return failFeed(e);
  }
  state.lastOk = now;
  state.lastError = null;
  if (parsed.title) state.title = parsed.title;
  result.itemsInFeed = parsed.items.length;
  const source = parsed.title || feed.title || hostOf(fetched.url);

  // 2. Which items are new.
  const seen = new Set(state.itemsSeen);
  const markSeen = (key: string) => {
    if (!seen.has(key)) {
      seen.add(key);
      state.itemsSeen.push(key);
    }
  };
  const fresh: FeedItem[] = [];
  const keysThisPoll = new Set<string>();
  for (const item of parsed.items) {
    const key = itemKey(item);
    if (keysThisPoll.has(key)) continue; // the same item listed twice
    keysThisPoll.add(key);
    let known = seen.has(key);
    if (!known && item.url !== null) {
      try {
        known = await deps.knownItem(item.url);
      } catch (e) {
        // The store cannot answer: stop here rather than risk adding items twice.
        return failFeed(new FeedError("store-error", `Parallax could not check its own store: ${String(e)}`));
      }
    }
    if (known) {
      result.known++;
      markSeen(key);
      continue;
    }
    fresh.push(item);
  }
  const batch = fresh.slice(0, opts.maxItems);
  result.deferred = fresh.length - batch.length;
  let retryLater = false; // an item failed for a reason that may pass (network, 5xx, timeout)

  // 3. Each new item: page → extraction → store; summary as the fallback.
  for (let i = 0; i < batch.length; i++) {
    const item = batch[i] as FeedItem;
    if (deps.signal?.aborted) {
      result.aborted = true;
      result.deferred += batch.length - i;
      break;
    }
    const key = itemKey(item);
    try {
      let input: ArticleInput | null = null;
      let pageProblem: FeedError | null = null;
      let finalUrl = item.url;
      let allowed = true;
      // Checked before the host permission, so the reader is never asked for a local host.
      const refused = item.url === null ? null : privateItemError(item.url, feed.url);
      if (refused) {
        allowed = false;
        pageProblem = refused;
      } else if (item.url !== null && deps.canFetch && !(await deps.canFetch(item.url))) {
        allowed = false;
        const origin = new URL(item.url).origin;
        if (!result.needsPermission.includes(origin)) result.needsPermission.push(origin);
        pageProblem = new FeedError(
          "no-permission",
          `Parallax is not allowed to read pages on ${new URL(item.url).host}.`,
        );
      }
      if (item.url !== null && allowed) {
        try {
          const page = await getText(item.url, {
            fetch: deps.fetch,
            signal: deps.signal,
            timeoutMs: opts.timeoutMs,
            maxBytes: opts.maxPageBytes,
            headers: { accept: PAGE_ACCEPT },
            what: "The article page",
            // A feed from the internet may not point Parallax at the local network (S8).
            refusePrivate: !isPrivateUrl(feed.url),
          });
          finalUrl = page.url;
          if (finalUrl !== item.url && (await deps.knownItem(finalUrl))) {
            result.known++;
            markSeen(key);
            continue;
          }
          if (page.text !== null && isPageType(page.contentType)) {
            let extracted: ArticleInput | null = null;
            try {
              extracted = await deps.extract(page.text, finalUrl);
            } catch {
              extracted = null; // a page the extractor chokes on: as good as no article
            }
            if (extracted && extracted.text.trim().length >= opts.minTextChars) {
              // The page's canonical address (what a capture of the page in a tab stores) wins
              // over the feed's tracking link; it too must not be stored already.
              const canonical = resolveHttpUrl(extracted.url ?? null, finalUrl);
              if (canonical !== null && canonical !== finalUrl && canonical !== item.url) {
                if (await deps.knownItem(canonical)) {
                  result.known++;
                  markSeen(key);
                  continue;
                }
                finalUrl = canonical;
              }
              input = extracted;
            }
          }
        } catch (e) {
          if (e instanceof FeedError && e.code === "aborted") throw e;
          pageProblem =
            e instanceof FeedError
              ? e
              : new FeedError("network", `Reading the article page failed: ${String(e)}`);
        }
      }
      let usedSummary = false;
      if (input === null && item.summaryText.length >= opts.minTextChars) {
        input = { text: item.summaryText };
        usedSummary = true;
      }
      if (input === null) {
        const transient =
          pageProblem !== null &&
          ["network", "timeout", "server-error", "redirect-loop", "no-permission"].includes(pageProblem.code);
        // Transient (or no permission yet): left unseen and the feed's validators are dropped,
        // so the next poll reads the feed again and retries the item.
        if (transient) retryLater = true;
        else markSeen(key); // nothing usable: do not refetch it every poll
        result.failed++;
        result.problems.push({
          url: item.url,
          title: item.title,
          message: pageProblem
            ? pageProblem.message
            : item.url === null
              ? "This item has no link and too little text in the feed."
              : "No article text could be found on this page, and the feed's summary is too short.",
        });
        continue;
      }
      const article: ArticleInput = {
        ...input,
        url: finalUrl ?? input.url ?? null,
        title: (input.title ?? "").trim() || item.title || null,
        source,
        published: item.published ?? input.published ?? null,
      };
      const outcome = await deps.add(article);
      if (outcome.kind === "imported" || outcome.kind === "revision") {
        result.added++;
        if (usedSummary) result.fromSummary++;
      } else if (outcome.kind === "duplicate") {
        result.duplicates++;
      } else {
        result.failed++;
        result.problems.push({ url: item.url, title: item.title, message: outcome.reason });
      }
      markSeen(key);
    } catch (e) {
      if (e instanceof FeedError && e.code === "aborted") {
        result.aborted = true;
        result.deferred += batch.length - i;
        break;
      }
      retryLater = true;
      result.failed++;
      result.problems.push({
        url: item.url,
        title: item.title,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }

  // 4. Validators only when nothing is left over (see the header comment).
  if (result.deferred === 0 && !retryLater && !result.aborted) {
    state.etag = fetched.etag;
    state.lastModified = fetched.lastModified;
  } else {
    state.etag = null;
    state.lastModified = null;
  }
  if (state.itemsSeen.length > opts.maxSeen) state.itemsSeen = state.itemsSeen.slice(-opts.maxSeen);
  return result;
}

/**
 * Whether a feed is due for a poll at `now`, polling every `intervalMinutes` while it works.
 * After a failure the wait doubles with the time since the last success (at least the
 * interval, at most a day), so a dead feed is not hammered.
 */
export function isDue(state: FeedState, now: Date, intervalMinutes: number): boolean {
  if (state.lastPolled === null) return true;
  const interval = intervalMinutes * 60_000;
  const polled = Date.parse(state.lastPolled);
  if (!Number.isFinite(polled)) return true;
  let wait = interval;
  if (state.lastError !== null) {
    const ok = state.lastOk === null ? NaN : Date.parse(state.lastOk);
    const failingFor = Number.isFinite(ok) ? polled - ok : interval;
    wait = Math.min(24 * 3_600_000, Math.max(interval, failingFor));
  }
  // a little slack so an alarm firing a few seconds early still counts
  return now.getTime() >= polled + wait - 30_000;
}
