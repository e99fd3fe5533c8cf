/**
 * Polling every due feed, for the background's alarm handler: sequential (one request at a
 * time, polite to sites and light on the worker), state saved after EACH feed (a worker
 * stopped midway loses at most the feed in progress, which is safe: polls are idempotent),
 * and never two runs at once.
 */
import { isDue, pollFeed, type FeedState, type PollDeps, type PollResult } from "./poll.js";

export interface RunOptions {
  /** Poll a working feed at most this often. */
  intervalMinutes: number;
  /** Persist one feed's new state (e.g. storage.local "feeds", replacing the entry with the same url). */
  save: (state: FeedState) => Promise<void>;
  /** Poll every feed now, due or not (the options page's "check now"). */
  force?: boolean;
}

export interface RunReport {
  /** One entry per feed polled, in order. */
  polled: { url: string; result: PollResult }[];
  /** Feeds not due yet. */
  skipped: number;
  /** Origins of item pages that need a host permission (from every feed polled). */
  needsPermission: string[];
  aborted: boolean;
}

/** Polls the feeds that are due, one after another. Never throws for feed problems. */
export async function pollDueFeeds(
  feeds: readonly FeedState[],
  deps: PollDeps,
  opts: RunOptions,
): Promise<RunReport> {
  const report: RunReport = { polled: [], skipped: 0, needsPermission: [], aborted: false };
  // A snapshot: `save` may well write into the very list it was given.
  for (const feed of [...feeds]) {
    if (deps.signal?.aborted) {
      report.aborted = true;
      break;
    }
    if (!opts.force && !isDue(feed, deps.now(), opts.intervalMinutes)) {
      report.skipped++;
      continue;
    }
    const result = await pollFeed(feed, deps);
    await opts.save(result.state);
    report.polled.push({ url: feed.url, result });
    for (const origin of result.needsPermission) {
      if (!report.needsPermission.includes(origin)) report.needsPermission.push(origin);
    }
    if (result.aborted) {
      report.aborted = true;
      break;
    }
  }
  return report;
}

/**
 * Wraps a run so that overlapping calls (an alarm firing while "check now" runs) share the
 * run in progress instead of starting a second one.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () => {
    if (current) return current;
    current = run().finally(() => {
      current = null;
    });
    return current;
  };
}
