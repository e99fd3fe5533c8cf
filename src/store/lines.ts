/**
 * Reading a large import file a piece at a time (the options page): lines from text chunks,
 * batches numbered by their place in the whole file, a line count, and what identifies a file
 * when an interrupted import is resumed. No engine, DOM or file-system code.
 */

/**
 * Lines from a stream of text chunks, split at "\n" (a "\r" before it dropped), the same lines
 * as `splitLines` gives for the whole text. A chunk may end in the middle of a line.
 */
export async function* chunkLines(chunks: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of chunks) {
    let text = rest + chunk;
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      yield text.slice(start, end > start && text[end - 1] === "\r" ? end - 1 : end);
      start = end + 1;
    }
    text = text.slice(start);
    rest = text;
  }
  if (rest) yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}

export interface LineBatch {
  /** 1-based number of the batch's first line in the whole file. */
  firstLine: number;
  lines: string[];
}

export interface BatchOptions {
  /** At most this many lines a batch. */
  maxLines: number;
  /** At most about this many characters a batch (a single longer line is a batch of its own). */
  maxChars: number;
  /** Lines 1..skip are read past without being batched (resuming after them). */
  skip?: number;
}

/**
 * Groups lines into batches numbered by their place in the whole file, so a line rejected in
 * any batch is reported by its real line number. Skipped lines cost only reading them.
 */
export async function* lineBatches(
  lines: Iterable<string> | AsyncIterable<string>,
  { maxLines, maxChars, skip = 0 }: BatchOptions,
): AsyncGenerator<LineBatch> {
  let n = 0;
  let batch: string[] = [];
  let chars = 0;
  let first = 0;
  for await (const line of lines) {
    n++;
    if (n <= skip) continue;
    if (batch.length > 0 && (batch.length >= maxLines || chars + line.length > maxChars)) {
      yield { firstLine: first, lines: batch };
      batch = [];
      chars = 0;
    }
    if (batch.length === 0) first = n;
    batch.push(line);
    chars += line.length + 1;
  }
  if (batch.length > 0) yield { firstLine: first, lines: batch };
}

/** Counts the lines of a byte stream the way `chunkLines` splits them (a last line without "\n" counts). */
export class LineCounter {
  private newlines = 0;
  private lastByte = -1;

  push(bytes: Uint8Array): void {
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) this.newlines++;
    if (bytes.length > 0) this.lastByte = bytes[bytes.length - 1] as number;
  }

  get lines(): number {
    return this.newlines + (this.lastByte >= 0 && this.lastByte !== 10 ? 1 : 0);
  }
}

/** FNV-1a (32 bits) of some bytes, as 8 hex digits: a cheap fingerprint of a file's start. */
export function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** What makes a file "the same file" when an import is resumed. */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
  /** fnv1a of the first KB. */
  head: string;
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified && a.head === b.head;
}
