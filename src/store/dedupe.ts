import type { Article } from "../engine/types.js";
import type { AddOutcome } from "./types.js";

/**
 * The one rule every store applies when an article arrives:
 * - the same text (content hash) as a stored article → duplicate, nothing added;
 * - the same URL with changed text → a new revision, kept and linked to the earlier one;
 * - the same id with changed text and no URL → a new revision as well (ids are stable names);
 * - otherwise → imported.
 * `byUrl` / `byId` are the newest stored articles with that URL / id.
 */
export function planAdd(
  article: Article,
  byHash: Article | undefined,
  byUrl: Article | undefined,
  byId: Article | undefined,
): AddOutcome {
  if (byHash) return { kind: "duplicate", existingId: byHash.id };
  const previous = byUrl ?? byId;
  if (previous) {
    let id = article.id;
    if (id === previous.id || byId) id = `${article.id}@${article.contentHash.slice(0, 8)}`;
    return {
      kind: "revision",
      article: { ...article, id, revisionOf: previous.id },
      previousId: previous.id,
    };
  }
  return { kind: "imported", article };
}
