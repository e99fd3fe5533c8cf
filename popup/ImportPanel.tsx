import { useRef, useState } from "preact/hooks";
import type { ImportCheckpoint } from "../src/protocol.js";
import type { PageCursor } from "../src/store/types.js";
import type { Send } from "./api.js";
import { t } from "./i18n.js";
import { fileIdentity, resumable, runImport, type FileLike, type ImportProgress } from "./importer.js";

/** What an import report shows: totals, and the rejected lines by their number in the file. */
export interface ImportSummary {
  imported: number;
  duplicate: number;
  rejected: { line: number; reason: string }[];
  /** All rejected lines (`rejected` may keep only the first ones). */
  rejectedCount: number;
  converted: number;
}

/** Shown rejected lines at most; the rest are counted. */
const SHOW_REJECTED = 200;

export function ImportReport({ summary }: { summary: ImportSummary }) {
  const shown = summary.rejected.slice(0, SHOW_REJECTED);
  return (
    <div role="status" data-testid="import-result">
      <p>
        {t("importResult", summary.imported, summary.duplicate, summary.rejectedCount)}
        {summary.converted > 0 ? t("importConverted", summary.converted) : ""}.
      </p>
      {summary.rejectedCount > 0 && (
        <ul data-testid="import-rejected">
          {shown.map((r) => (
            <li key={r.line}>{t("rejectedLine", r.line, r.reason)}</li>
          ))}
          {summary.rejectedCount > shown.length && (
            <li>{t("rejectedMore", summary.rejectedCount - shown.length)}</li>
          )}
        </ul>
      )}
    </div>
  );
}

/** Export page size (articles per message). */
const EXPORT_LIMIT = 500;

/**
 * Every stored article as JSONL parts, page by page (`store/export` with a cursor), so neither
 * the background nor this page builds one giant string; the parts become one Blob.
 */
export async function exportParts(
  send: Send,
  onPage: (done: number, total: number) => void,
): Promise<string[]> {
  const parts: string[] = [];
  let after: PageCursor | null = null;
  let done = 0;
  for (;;) {
    const page: { jsonl: string; count: number; next: PageCursor | null; total: number } = await send(
      "store/export",
      { after, limit: EXPORT_LIMIT },
    );
    if (page.jsonl) parts.push(page.jsonl);
    done += page.count;
    onPage(done, Math.max(page.total, done));
    if (!page.next || page.count === 0) return parts;
    after = page.next;
  }
}

/** Line reached, lines in all, articles imported: the numbers of the resume offer. */
function resumeCounts(c: ImportCheckpoint): [number, number, number] {
  return [c.line, c.totalLines, c.imported];
}

interface Offer {
  file: FileLike;
  checkpoint: ImportCheckpoint;
}

interface ImportPanelProps {
  send: Send;
  /** Another action of the page is running: no new import may start. */
  disabled: boolean;
  /** An import starts (true) or ends (false). */
  onRunning: (running: boolean) => void;
  /** Articles were added: the page shows the store's statistics again. */
  onChanged: () => void;
}

/** The file import: a progress bar, Cancel, and resuming an interrupted import of the same file. */
export function ImportPanel({ send, disabled, onRunning, onChanged }: ImportPanelProps) {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const cancelled = useRef(false);
  const running = progress?.phase === "counting" || progress?.phase === "importing";

  const start = async (file: FileLike, resumeFrom: ImportCheckpoint | null) => {
    setOffer(null);
    setError(null);
    setCancelling(false);
    cancelled.current = false;
    onRunning(true);
    try {
      await runImport({
        send,
        file,
        resumeFrom,
        onProgress: setProgress,
        cancelled: () => cancelled.current,
      });
    } catch (e) {
      setError(t("couldNot", t("actImport"), e instanceof Error ? e.message : String(e)));
      setProgress(null);
    } finally {
      onRunning(false);
      onChanged();
    }
  };

  const choose = async (file: FileLike) => {
    setProgress(null);
    setError(null);
    try {
      const [{ checkpoint }, id] = await Promise.all([
        send("store/import-checkpoint", {}),
        fileIdentity(file),
      ]);
      const partial = resumable(checkpoint, id);
      if (partial) setOffer({ file, checkpoint: partial });
      else await start(file, null);
    } catch (e) {
      setError(t("couldNot", t("actImport"), e instanceof Error ? e.message : String(e)));
    }
  };

  const p = progress;
  return (
    <div data-testid="import-panel">
      <div class="row">
        <label for="import-file">{t("importLabel")}</label>
        <input
          id="import-file"
          type="file"
          accept=".jsonl,.ndjson,.json,.txt,application/json,text/plain"
          data-testid="import-file"
          disabled={disabled || running}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            // Cleared first, so choosing the same file again (to resume) fires change again.
            input.value = "";
            if (file) void choose(file);
          }}
        />
      </div>
      {error && (
        <p role="alert" class="state error">
          {error}
        </p>
      )}
      {offer && (
        <div class="row" data-testid="import-resume-offer" role="group" aria-labelledby="import-resume-text">
          <span id="import-resume-text">
            {t("importResumeOffer", offer.file.name, ...resumeCounts(offer.checkpoint))}
          </span>
          <button
            type="button"
            data-testid="import-resume"
            onClick={() => void start(offer.file, offer.checkpoint)}
          >
            {t("importResume", offer.checkpoint.line + 1)}
          </button>
          <button type="button" data-testid="import-restart" onClick={() => void start(offer.file, null)}>
            {t("importRestart")}
          </button>
        </div>
      )}
      {p && running && (
        <div data-testid="import-running">
          <p id="import-progress-label">
            {p.phase === "counting" ? t("importCounting", p.fileName) : t("importProgressLabel", p.fileName)}
          </p>
          <progress
            data-testid="import-progress"
            aria-labelledby="import-progress-label"
            max={Math.max(1, p.totalLines)}
            value={p.linesDone}
          />
          <p data-testid="import-progress-text">
            {t("importProgress", p.linesDone, p.totalLines, p.imported, p.duplicate, p.rejectedCount)}
          </p>
          <button
            type="button"
            data-testid="import-cancel"
            disabled={cancelling}
            onClick={() => {
              cancelled.current = true;
              setCancelling(true);
            }}
          >
            {cancelling ? t("importCancelling") : t("importCancel")}
          </button>
        </div>
      )}
      {p && !running && (
        <>
          {p.phase === "cancelled" && (
            <p role="status" data-testid="import-cancelled">
              {t("importCancelled", p.linesDone, p.totalLines, p.imported, p.linesDone + 1)}
            </p>
          )}
          {p.phase === "failed" && (
            <p role="alert" class="state error" data-testid="import-failed">
              {t("importFailed", p.linesDone, p.totalLines, p.error ?? "", p.linesDone + 1)}
            </p>
          )}
          {p.phase === "done" && p.resumedAfter > 0 && (
            <p data-testid="import-resumed">{t("importResumed", p.resumedAfter + 1, p.resumedAfter)}</p>
          )}
          <ImportReport summary={p} />
        </>
      )}
    </div>
  );
}
