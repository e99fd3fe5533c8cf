import type { ImportCheckpoint, ImportResult } from "../src/protocol.js";
import {
  chunkLines,
  fnv1a,
  LineCounter,
  lineBatches,
  sameFile,
  type FileIdentity,
} from "../src/store/lines.js";
import type { Send } from "./api.js";
import { convertHtmlLines } from "./convert.js";

/**
 * Import of a large JSONL file from the options page: the file is read in slices (never as
 * one string), cut into batches of lines, each batch converted (html-only lines) and sent to
 * the background as one `store/import-jsonl` message numbered by its first line, so rejected
 * lines keep their line number in the whole file. After every batch the background has
 * committed, a checkpoint (file identity + last line + totals) is saved: the same file chosen
 * again resumes after it. Cancelling stops after the batch in flight.
 */

/** Lines per message to the background. */
export const BATCH_LINES = 500;
/** About this many characters per message at most (lines with large html fields). */
export const BATCH_CHARS = 4_000_000;
/** Bytes read from the file at a time. */
const SLICE_BYTES = 1 << 20;
/** Rejections kept for the report (the rest are counted). */
export const KEEP_REJECTIONS = 1000;

/** The part of a File the import uses (a real File in the page, a Blob with a name in tests). */
export interface FileLike {
  name: string;
  size: number;
  lastModified: number;
  slice(start?: number, end?: number): Blob;
}

async function* byteSlices(file: FileLike): AsyncGenerator<Uint8Array> {
  for (let pos = 0; pos < file.size; pos += SLICE_BYTES) {
    yield new Uint8Array(await file.slice(pos, Math.min(file.size, pos + SLICE_BYTES)).arrayBuffer());
  }
}

async function* textSlices(file: FileLike): AsyncGenerator<string> {
  const decoder = new TextDecoder(); // UTF-8, a leading BOM dropped, characters split across slices kept whole
  for await (const bytes of byteSlices(file)) yield decoder.decode(bytes, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Name, size, modification time and a fingerprint of the first KB. */
export async function fileIdentity(file: FileLike): Promise<FileIdentity> {
  const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
  return { name: file.name, size: file.size, lastModified: file.lastModified, head: fnv1a(head) };
}

/** Lines in the file (one pass over its bytes, nothing kept). */
export async function countFileLines(file: FileLike): Promise<number> {
  const counter = new LineCounter();
  for await (const bytes of byteSlices(file)) counter.push(bytes);
  return counter.lines;
}

export type ImportPhase = "counting" | "importing" | "done" | "cancelled" | "failed";

export interface ImportProgress {
  phase: ImportPhase;
  fileName: string;
  totalLines: number;
  /** Lines of the file dealt with (committed by the store or rejected), resumed prefix included. */
  linesDone: number;
  /** 0, or the line after which this run resumed. */
  resumedAfter: number;
  imported: number;
  duplicate: number;
  rejected: ImportResult["rejected"];
  rejectedCount: number;
  converted: number;
  /** Why the import stopped (phase "failed"). */
  error: string | null;
}

/** A checkpoint of the same file that still has lines to import, else null. */
export function resumable(checkpoint: ImportCheckpoint | null, id: FileIdentity): ImportCheckpoint | null {
  if (!checkpoint || !sameFile(checkpoint.file, id)) return null;
  return checkpoint.line < checkpoint.totalLines ? checkpoint : null;
}

export interface RunOptions {
  send: Send;
  file: FileLike;
  /** Resume after this checkpoint (of the same file); null: from line 1. */
  resumeFrom: ImportCheckpoint | null;
  onProgress: (p: ImportProgress) => void;
  /** Checked after every batch: true stops the import there. */
  cancelled: () => boolean;
  /** Turns html-only lines into text lines (DOMParser + Readability in the page). */
  convert?: (text: string) => { text: string; converted: number };
  batchLines?: number;
  batchChars?: number;
  /** Attempts per batch when the background does not answer (it may be restarting). */
  attempts?: number;
  retryDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Imports the file batch by batch; resolves with the final progress (done, cancelled or failed). */
export async function runImport(o: RunOptions): Promise<ImportProgress> {
  const id = await fileIdentity(o.file);
  const start = o.resumeFrom && sameFile(o.resumeFrom.file, id) ? o.resumeFrom : null;
  const p: ImportProgress = {
    phase: "counting",
    fileName: o.file.name,
    totalLines: start?.totalLines ?? 0,
    linesDone: start?.line ?? 0,
    resumedAfter: start?.line ?? 0,
    imported: start?.imported ?? 0,
    duplicate: start?.duplicate ?? 0,
    rejected: start ? [...start.rejected] : [],
    rejectedCount: start?.rejectedCount ?? 0,
    converted: start?.converted ?? 0,
    error: null,
  };
  const report = () => o.onProgress({ ...p, rejected: p.rejected });
  report();
  if (!start) p.totalLines = await countFileLines(o.file);
  p.phase = "importing";
  report();
  const convert = o.convert ?? ((text: string) => convertHtmlLines(text));
  const attempts = o.attempts ?? 5;
  const batches = lineBatches(chunkLines(textSlices(o.file)), {
    maxLines: o.batchLines ?? BATCH_LINES,
    maxChars: o.batchChars ?? BATCH_CHARS,
    skip: p.resumedAfter,
  });
  for await (const batch of batches) {
    if (o.cancelled()) {
      p.phase = "cancelled";
      report();
      return p;
    }
    const { text, converted } = convert(batch.lines.join("\n"));
    let result: ImportResult | null = null;
    let lastError: unknown = null;
    for (let attempt = 0; attempt < attempts && !result; attempt++) {
      if (attempt > 0) await sleep((o.retryDelayMs ?? 1000) * attempt); // 1 + 2 + 3 + 4 s in all
      try {
        // Sent again after a failure: lines the store did commit come back as duplicates.
        result = await o.send("store/import-jsonl", { text, firstLine: batch.firstLine });
      } catch (e) {
        lastError = e;
      }
    }
    if (!result) {
      p.phase = "failed";
      p.error = lastError instanceof Error ? lastError.message : String(lastError);
      report();
      return p;
    }
    p.imported += result.imported;
    p.duplicate += result.duplicate;
    p.rejectedCount += result.rejected.length;
    for (const r of result.rejected) if (p.rejected.length < KEEP_REJECTIONS) p.rejected.push(r);
    p.converted += converted;
    p.linesDone = batch.firstLine + batch.lines.length - 1;
    await o
      .send("store/import-checkpoint-set", {
        checkpoint: {
          file: id,
          line: p.linesDone,
          totalLines: p.totalLines,
          imported: p.imported,
          duplicate: p.duplicate,
          rejected: p.rejected,
          rejectedCount: p.rejectedCount,
          converted: p.converted,
        },
      })
      .catch(() => undefined); // no checkpoint: a later resume redoes this batch (as duplicates)
    report();
  }
  p.linesDone = p.totalLines;
  p.phase = "done";
  await o.send("store/import-checkpoint-set", { checkpoint: null }).catch(() => undefined);
  report();
  return p;
}
