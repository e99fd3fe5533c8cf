import { foldText } from "../engine/article.js";
import type { Article } from "../engine/types.js";
import type { AddOutcome } from "./types.js";

/**
 * Whether two articles carry the same text: the same content hash AND the same folded text.
 * The hash (64-bit FNV-1a) finds candidates fast but collisions can be built on purpose
 * (docs/security.md S7): a crafted feed item or page must not make a later, different real
 * article count as its duplicate and be dropped. Comparing the folded texts on a hash match
 * makes that impossible without changing the stored hash (no schema change, no migration).
 */
export function sameContent(
  a: Pick<Article, "contentHash" | "text">,
  b: Pick<Article, "contentHash" | "text">,
) {
  return a.contentHash === b.contentHash && (a.text === b.text || foldText(a.text) === foldText(b.text));
}

/**
 * The one rule every store applies when an article arrives:
 * - the same text (content hash, then folded text: `sameContent`) as a stored article →
 *   duplicate, nothing added;
 * - the same URL with changed text → a new revision, kept and linked to the earlier one;
 * - the same id with changed text and no URL → a new revision as well (ids are stable names);
 * - otherwise → imported.
 * `byHash`: stored articles with the same content hash (one or all of them); `byUrl` / `byId`
 * are the newest stored articles with that URL / id.
 */
export function planAdd(
  article: Article,
  byHash: Article | readonly Article[] | undefined,
  byUrl: Article | undefined,
  byId: Article | undefined,
): AddOutcome {
  const candidates: readonly Article[] = byHash === undefined ? [] : "id" in byHash ? [byHash] : byHash;
  const same = candidates.find((a) => sameContent(a, article));
  if (same) return { kind: "duplicate", existingId: same.id };
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
