/**
 * Feed subscriptions in the background: the list and per-feed status in storage.local, the
 * poll alarm, and the handlers for the options page's feeds/* messages. Polling itself is
 * src/feeds (pollFeed / pollDueFeeds); every effect is injected, so unit tests pass fakes.
 *
 * Privacy: the only requests made are GETs (credentials omitted) for the feeds the reader
 * added and the article pages those feeds link to, and only for origins the reader allowed.
 */
import type { ArticleInput } from "../engine/types.js";
import {
  newFeedState,
  parseOpml,
  pollDueFeeds,
  toOpml,
  type FeedState,
  type FetchLike,
  type PollDeps,
  type PollOptions,
  type PollResult,
} from "../feeds/index.js";
import { t } from "../i18n.js";
import type { FeedStatus, FeedsView } from "../protocol.js";
import type { AddOutcome } from "../store/types.js";
import type { Handlers } from "./handlers.js";
import type { StorageAreaLike } from "./platform.js";

export const FEEDS_ALARM = "feeds/poll";
export const DEFAULT_INTERVAL_MINUTES = 30;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 24 * 60;
/** Item problems kept per feed for the options page. */
const MAX_PROBLEMS = 5;

/** storage.local keys. */
export const KEYS = {
  feeds: "feeds",
  stats: "feedStats",
  settings: "feedSettings",
  origins: "feedOriginsToAllow",
} as const;

export interface FeedCounts {
  added: number;
  lastAdded: number;
  problems: string[];
}

export interface AlarmsLike {
  create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): void | Promise<void>;
  get(name: string): Promise<{ name: string; periodInMinutes?: number } | undefined>;
  clear(name: string): Promise<boolean>;
}

export interface FeedsBrowserLike {
  storage: { local: StorageAreaLike };
  alarms: AlarmsLike;
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
}

export interface FeedsDeps {
  browser: FeedsBrowserLike;
  fetch: FetchLike;
  /** Is an article with this URL stored? (Store.hasUrl) */
  hasUrl: (url: string) => Promise<boolean>;
  /** The normal ingest path: store.add, then the stored article into the engine index. */
  ingest: (input: ArticleInput) => Promise<AddOutcome>;
  /** The page's article (DOMParser + extractArticle: offscreen in Chrome, in the event page in Firefox). */
  extract: (html: string, url: string) => Promise<ArticleInput | null>;
  /** Called after a run that stored articles (re-analyse open tabs). */
  afterAdded?: () => Promise<void>;
  /** Called when no run is in progress any more (close the offscreen document). */
  idle?: () => Promise<void>;
  now?: () => Date;
  pollOptions?: Partial<PollOptions>;
}

/** The match pattern for a URL's host, any port ("http://127.0.0.1/*"); Firefox refuses ports in patterns. */
export function originPattern(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

/** A feed address as typed: trimmed, http(s) only, "example.com/feed" gets https://. Null when unusable. */
export function normalizeFeedUrl(raw: string): string | null {
  const t = raw.trim();
  if (!t) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(t) ? t : `https://${t}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    if (!u.hostname) return null;
    u.hash = "";
    return u.href;
  } catch {
    return null;
  }
}

export function clampInterval(minutes: number): number {
  if (!Number.isFinite(minutes)) return DEFAULT_INTERVAL_MINUTES;
  return Math.min(MAX_INTERVAL_MINUTES, Math.max(MIN_INTERVAL_MINUTES, Math.round(minutes)));
}

function problemsOf(result: PollResult): string[] {
  return result.problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => t("feedItemProblem", p.title || p.url || t("feedItemUnnamed"), p.message));
}

export class Feeds {
  readonly handlers: Handlers;
  private readonly local: StorageAreaLike;
  private readonly now: () => Date;
  /** storage.local read-modify-writes, one at a time. */
  private writing: Promise<unknown> = Promise.resolve();
  private running: Promise<FeedsView> | null = null;
  private active = 0;

  constructor(private readonly deps: FeedsDeps) {
    this.local = deps.browser.storage.local;
    this.now = deps.now ?? (() => new Date());
    this.handlers = {
      "feeds/list": async () => this.view(),
      "feeds/add": async (req) => this.add(typeof req.url === "string" ? req.url : ""),
      "feeds/remove": async (req) => ({ ok: await this.remove(typeof req.url === "string" ? req.url : "") }),
      "feeds/import-opml": async (req) => this.importOpml(typeof req.text === "string" ? req.text : ""),
      "feeds/export-opml": async () => {
        const feeds = await this.feeds();
        return {
          opml: toOpml(
            feeds.map((f) => ({ url: f.url, title: f.title ?? f.url })),
            t("feedOpmlTitle"),
            this.now(),
          ),
        };
      },
      "feeds/poll-now": async () => this.pollAll(true),
      "feeds/set-interval": async (req) => {
        await this.setInterval(Number(req.minutes));
        return this.view();
      },
    };
  }

  // ---- storage ------------------------------------------------------------------------

  private async read<T>(key: string, fallback: T): Promise<T> {
    const got = await this.local.get(key);
    const value = got[key];
    return value === undefined ? fallback : (value as T);
  }

  /** Serialised read-modify-write of one storage key. */
  private update<T>(key: string, fallback: T, change: (value: T) => T): Promise<T> {
    const next = this.writing.then(async () => {
      const value = change(await this.read(key, fallback));
      await this.local.set({ [key]: value });
      return value;
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  feeds(): Promise<FeedState[]> {
    return this.read<FeedState[]>(KEYS.feeds, []);
  }

  async intervalMinutes(): Promise<number> {
    const s = await this.read<{ intervalMinutes?: number }>(KEYS.settings, {});
    return clampInterval(s.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES);
  }

  async view(): Promise<FeedsView> {
    const [feeds, stats, interval, origins] = await Promise.all([
      this.feeds(),
      this.read<Record<string, FeedCounts>>(KEYS.stats, {}),
      this.intervalMinutes(),
      this.read<string[]>(KEYS.origins, []),
    ]);
    const status: FeedStatus[] = feeds.map((f) => ({
      url: f.url,
      title: f.title,
      lastPolled: f.lastPolled,
      lastError: f.lastError,
      added: stats[f.url]?.added ?? 0,
      lastAdded: stats[f.url]?.lastAdded ?? 0,
      problems: stats[f.url]?.problems ?? [],
    }));
    // Origins allowed since (or no longer needed) drop off the list.
    const still: string[] = [];
    for (const o of origins) {
      if (!(await this.deps.browser.permissions.contains({ origins: [o] }).catch(() => false))) still.push(o);
    }
    return { feeds: status, intervalMinutes: interval, originsToAllow: still };
  }

  // ---- alarm --------------------------------------------------------------------------

  /** Creates the poll alarm if missing (or with another period). Call on install/startup and when the interval changes. */
  async ensureAlarm(): Promise<void> {
    const period = await this.intervalMinutes();
    const have = await this.deps.browser.alarms.get(FEEDS_ALARM);
    if (have && have.periodInMinutes === period) return;
    if (have) await this.deps.browser.alarms.clear(FEEDS_ALARM);
    await this.deps.browser.alarms.create(FEEDS_ALARM, { periodInMinutes: period, delayInMinutes: 1 });
  }

  async setInterval(minutes: number): Promise<number> {
    const m = clampInterval(minutes);
    await this.update<{ intervalMinutes?: number }>(KEYS.settings, {}, (s) => ({ ...s, intervalMinutes: m }));
    await this.ensureAlarm();
    return m;
  }

  /** The alarm listener's body: poll the feeds that are due. */
  onAlarm(name: string): Promise<FeedsView> | undefined {
    if (name !== FEEDS_ALARM) return undefined;
    return this.pollAll(false);
  }

  // ---- subscriptions ------------------------------------------------------------------

  async add(raw: string): Promise<{ feed: FeedStatus | null; error: string | null }> {
    const url = normalizeFeedUrl(raw);
    if (!url) return { feed: null, error: t("feedNotAnAddress") };
    let isNew = false;
    await this.update<FeedState[]>(KEYS.feeds, [], (feeds) => {
      if (feeds.some((f) => f.url === url)) return feeds;
      isNew = true;
      return [...feeds, newFeedState(url)];
    });
    if (isNew) await this.ensureAlarm();
    const feed = (await this.feeds()).find((f) => f.url === url);
    if (feed && isNew) await this.pollList([feed], true);
    const status = (await this.view()).feeds.find((f) => f.url === url) ?? null;
    return { feed: status, error: isNew ? null : t("feedDuplicate") };
  }

  async remove(url: string): Promise<boolean> {
    let removed = false;
    await this.update<FeedState[]>(KEYS.feeds, [], (feeds) => {
      const next = feeds.filter((f) => f.url !== url);
      removed = next.length !== feeds.length;
      return next;
    });
    await this.update<Record<string, FeedCounts>>(KEYS.stats, {}, (stats) => {
      const next = { ...stats };
      delete next[url];
      return next;
    });
    return removed;
  }

  /** Adds the OPML's feeds (not polled here: the next alarm or "check now" reads them). */
  async importOpml(text: string): Promise<{ added: number; duplicate: number; error: string | null }> {
    let list: { url: string }[];
    try {
      list = parseOpml(text);
    } catch (e) {
      return { added: 0, duplicate: 0, error: e instanceof Error ? e.message : String(e) };
    }
    if (list.length === 0) return { added: 0, duplicate: 0, error: t("feedOpmlEmpty") };
    let added = 0;
    let duplicate = 0;
    await this.update<FeedState[]>(KEYS.feeds, [], (feeds) => {
      const next = [...feeds];
      for (const item of list) {
        const url = normalizeFeedUrl(item.url);
        if (!url) continue;
        if (next.some((f) => f.url === url)) duplicate++;
        else {
          next.push(newFeedState(url));
          added++;
        }
      }
      return next;
    });
    if (added) await this.ensureAlarm();
    return { added, duplicate, error: null };
  }

  // ---- polling ------------------------------------------------------------------------

  private pollDeps(): PollDeps {
    const { browser } = this.deps;
    return {
      fetch: this.deps.fetch,
      now: this.now,
      knownItem: (url) => this.deps.hasUrl(url),
      extract: (html, url) => this.deps.extract(html, url),
      add: (input) => this.deps.ingest(input),
      canFetch: async (url) => {
        const pattern = originPattern(url);
        return (
          pattern !== null && (await browser.permissions.contains({ origins: [pattern] }).catch(() => false))
        );
      },
      options: this.deps.pollOptions,
    };
  }

  /**
   * Polls every feed (force) or the due ones. An alarm during a run shares it; "check now"
   * during an alarm's run waits for it, then checks every feed.
   */
  pollAll(force: boolean): Promise<FeedsView> {
    const current = this.running;
    if (current && !force) return current;
    const run = (async () => {
      if (current) await current.catch(() => undefined);
      await this.pollList(await this.feeds(), force);
      return this.view();
    })();
    this.running = run;
    void run
      .finally(() => {
        if (this.running === run) this.running = null;
      })
      .catch(() => undefined);
    return run;
  }

  /** Polls `feeds` one after another, saving each feed's state and counts as soon as it is done. */
  private async pollList(feeds: FeedState[], force: boolean): Promise<void> {
    this.active++;
    let added = 0;
    try {
      const deps = this.pollDeps();
      const intervalMinutes = await this.intervalMinutes();
      for (const feed of feeds) {
        const report = await pollDueFeeds([feed], deps, {
          intervalMinutes,
          force,
          // Replace by url: a feed removed meanwhile stays removed.
          save: async (state) => {
            await this.update<FeedState[]>(KEYS.feeds, [], (list) =>
              list.map((f) => (f.url === state.url ? state : f)),
            );
          },
        });
        for (const { url, result } of report.polled) {
          added += result.added;
          // A feed removed during its poll gets no counts back.
          if (!(await this.feeds()).some((f) => f.url === url)) continue;
          await this.update<Record<string, FeedCounts>>(KEYS.stats, {}, (stats) => {
            const before = stats[url];
            return {
              ...stats,
              [url]: {
                added: (before?.added ?? 0) + result.added,
                lastAdded: result.added,
                problems: problemsOf(result),
              },
            };
          });
        }
        const origins = report.needsPermission
          .map((o) => originPattern(o))
          .filter((o): o is string => o !== null);
        if (origins.length) {
          await this.update<string[]>(KEYS.origins, [], (have) => [...new Set([...have, ...origins])]);
        }
      }
    } finally {
      this.active--;
      if (added > 0) await this.deps.afterAdded?.().catch(() => undefined);
      if (this.active === 0) await this.deps.idle?.().catch(() => undefined);
    }
  }
}
