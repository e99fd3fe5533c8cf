/** Why a feed could not be read or fetched. `message` is plain words for a person. */
export type FeedErrorCode =
  // parsing
  | "empty"
  | "too-large"
  | "html"
  | "not-feed"
  | "malformed"
  | "truncated"
  | "unsupported"
  // fetching
  | "not-found"
  | "gone"
  | "forbidden"
  | "server-error"
  | "http-error"
  | "network"
  | "redirect-loop"
  | "timeout"
  | "aborted"
  | "no-permission"
  | "private-address"
  | "store-error"
  | "bad-url";

export class FeedError extends Error {
  readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string) {
    super(message);
    this.name = "FeedError";
    this.code = code;
  }
}

export function isFeedError(e: unknown): e is FeedError {
  return e instanceof FeedError;
}
