/** Feeds: DOM-free parsing of RSS / Atom / JSON Feed / OPML and the injected-dependency poller. */
export { FeedError, isFeedError, type FeedErrorCode } from "./errors.js";
export {
  parseFeed,
  MAX_FEED_CHARS,
  MAX_FEED_ITEMS,
  type FeedItem,
  type FeedKind,
  type ParsedFeed,
} from "./parse.js";
export { parseOpml, toOpml, type OpmlFeed } from "./opml.js";
export {
  pollFeed,
  isDue,
  newFeedState,
  DEFAULT_POLL_OPTIONS,
  type FeedState,
  type PollDeps,
  type PollOptions,
  type PollResult,
  type ItemProblem,
} from "./poll.js";
export { pollDueFeeds, singleFlight, type RunOptions, type RunReport } from "./runner.js";
export type { FetchLike, ResponseLike, FetchInit } from "./fetch.js";
export { htmlToText, toIsoDate, resolveHttpUrl } from "./text.js";
