/**
 * The content script's side of the protocol, without the browser API so it can be tested:
 * which messages it accepts, how their payloads are checked, and the highlight controller
 * (one AbortController per set of marks).
 */
import {
  isMessage,
  type HighlightSpec,
  type MessageType,
  type Response,
  type SenderLike,
} from "../src/protocol.js";
import type { ExtractResult } from "./extract.js";
import { initHighlights } from "./highlights.js";

/** Messages to the content script come only from this extension's background (no tab). */
export function fromBackground(sender: SenderLike, extensionId: string): boolean {
  return typeof extensionId === "string" && extensionId !== "" && sender.id === extensionId && !sender.tab;
}

const STATUSES = new Set(["dispute", "update", "agree"]);
const isStr = (v: unknown): v is string => typeof v === "string";
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

function isSpec(v: unknown): v is HighlightSpec {
  if (!v || typeof v !== "object") return false;
  const s = v as Record<string, unknown>;
  return (
    Number.isInteger(s.figure) &&
    isStr(s.quantity) &&
    isStr(s.status) &&
    STATUSES.has(s.status) &&
    isStr(s.phrase) &&
    s.phrase.trim() !== "" &&
    isStr(s.quote) &&
    Array.isArray(s.others) &&
    s.others.every(
      (o: unknown) =>
        !!o &&
        typeof o === "object" &&
        isStr((o as Record<string, unknown>).phrase) &&
        isStrOrNull((o as Record<string, unknown>).source) &&
        isStrOrNull((o as Record<string, unknown>).published),
    )
  );
}

/** The well-formed specs of a payload (others are dropped); null stays null. */
export function validHighlights(value: unknown): HighlightSpec[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) return null;
  return value.filter(isSpec).slice(0, 200);
}

/** Owns the marks in the page: `set` replaces them, `set(null)` removes them all. */
export class HighlightController {
  private current: AbortController | null = null;

  constructor(private readonly root: () => Element | null) {}

  set(highlights: HighlightSpec[] | null): number {
    this.current?.abort();
    this.current = null;
    const root = this.root();
    if (!highlights || highlights.length === 0 || !root) return 0;
    const controller = new AbortController();
    this.current = controller;
    return initHighlights(highlights, controller.signal, root);
  }
}

export interface ContentDeps {
  extensionId: string;
  extract(): ExtractResult;
  highlights: HighlightController;
  scrollTo(figure: number): boolean;
  /** The Parallax tooltips' text (content/highlights.ts `tooltipTexts`). */
  tooltips(): Response<"content/tooltips">["tooltips"];
}

/**
 * Answers one runtime message, or returns undefined when the message is not for the content
 * script or not from the background (the message is then ignored).
 */
export function handleMessage(
  message: unknown,
  sender: SenderLike,
  deps: ContentDeps,
): Promise<Response<MessageType>> | undefined {
  if (!isMessage(message) || !fromBackground(sender, deps.extensionId)) return undefined;
  const m = message as { type: MessageType } & Record<string, unknown>;
  switch (m.type) {
    case "content/highlights": {
      const res: Response<"content/highlights"> = {
        marked: deps.highlights.set(validHighlights(m.highlights)),
      };
      return Promise.resolve(res);
    }
    case "content/extract": {
      const { article, reason } = deps.extract();
      const res: Response<"content/extract"> = reason ? { article, reason } : { article };
      return Promise.resolve(res);
    }
    case "content/scroll-to": {
      const figure = m.figure;
      const ok = typeof figure === "number" && Number.isInteger(figure) && deps.scrollTo(figure);
      const res: Response<"content/scroll-to"> = { ok };
      return Promise.resolve(res);
    }
    case "content/tooltips": {
      const res: Response<"content/tooltips"> = { tooltips: deps.tooltips() };
      return Promise.resolve(res);
    }
    default:
      return undefined;
  }
}
