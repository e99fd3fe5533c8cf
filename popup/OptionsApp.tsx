import { useEffect, useState } from "preact/hooks";
import type { ImportResult, Settings } from "../src/protocol.js";
import type { StoreStats } from "../src/store/types.js";
import type { Send } from "./api.js";
import { convertHtmlLines } from "./convert.js";
import { FeedsPanel } from "./FeedsPanel.js";
import { formatBytes, formatDate } from "./format.js";

function ImportReport({ result, converted }: { result: ImportResult; converted: number }) {
  return (
    <div role="status" data-testid="import-result">
      <p>
        Imported {result.imported}, duplicates {result.duplicate}, rejected {result.rejected.length}
        {converted > 0 ? ` (${converted} converted from HTML)` : ""}.
      </p>
      {result.rejected.length > 0 && (
        <ul data-testid="import-rejected">
          {result.rejected.slice(0, 200).map((r) => (
            <li key={r.line}>
              line {r.line}: {r.reason}
            </li>
          ))}
          {result.rejected.length > 200 && <li>… and {result.rejected.length - 200} more</li>}
        </ul>
      )}
    </div>
  );
}

function StatsView({ stats }: { stats: StoreStats | null }) {
  if (!stats) return <p>Reading the store…</p>;
  const sources = Object.entries(stats.perSource).sort((a, b) => b[1] - a[1]);
  return (
    <div data-testid="store-stats">
      <p>
        <strong data-testid="stats-count">{stats.articles}</strong> articles, about {formatBytes(stats.bytes)}
        {stats.oldest ? `, published ${formatDate(stats.oldest)} to ${formatDate(stats.newest)}` : ""}.
      </p>
      {sources.length > 0 && (
        <table>
          <caption class="muted">Articles per outlet</caption>
          <tbody>
            {sources.slice(0, 15).map(([source, n]) => (
              <tr key={source}>
                <td>{source}</td>
                <td>{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function OptionsApp({
  send,
  download,
}: {
  send: Send;
  download: (name: string, text: string) => void;
}) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stats, setStats] = useState<StoreStats | null>(null);
  const [result, setResult] = useState<{ result: ImportResult; converted: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = async () => setStats(await send("store/stats", {}));
  useEffect(() => {
    void send("settings/get", {}).then(setSettings);
    void refresh();
  }, []);

  const run = async (what: string, job: () => Promise<void>) => {
    setBusy(what);
    setNotice(null);
    try {
      await job();
    } catch (e) {
      setNotice(`Could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
      await refresh().catch(() => undefined);
    }
  };

  const change = (patch: Partial<Settings>) =>
    run("save the setting", async () => setSettings(await send("settings/set", patch)));

  const importFile = (file: File) =>
    run("import the file", async () => {
      const { text, converted } = convertHtmlLines(await file.text());
      setResult({ result: await send("store/import-jsonl", { text }), converted });
    });

  return (
    <main>
      <header>
        <h1>Parallax options</h1>
      </header>
      {notice && (
        <p role="alert" class="state error">
          {notice}
        </p>
      )}

      <fieldset>
        <legend>Reading</legend>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="capture-switch"
            checked={settings?.capture ?? true}
            disabled={!settings}
            onChange={(e) => void change({ capture: (e.currentTarget as HTMLInputElement).checked })}
          />
          Keep a copy of the articles I read, to compare later ones with
        </label>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="options-highlights-switch"
            checked={settings?.highlights ?? true}
            disabled={!settings}
            onChange={(e) => void change({ highlights: (e.currentTarget as HTMLInputElement).checked })}
          />
          Highlight differing figures on the page
        </label>
      </fieldset>

      <fieldset>
        <legend>Your coverage store</legend>
        <StatsView stats={stats} />
        <div class="row">
          <button
            type="button"
            data-testid="load-demo"
            disabled={busy !== null}
            onClick={() =>
              void run("load the demo", async () => {
                const r = await send("store/load-demo", {});
                setResult({ result: r, converted: 0 });
              })
            }
          >
            Load demo coverage
          </button>
          <button
            type="button"
            data-testid="export"
            disabled={busy !== null}
            onClick={() =>
              void run("export", async () => {
                const { jsonl } = await send("store/export", {});
                download("parallax-coverage.jsonl", jsonl);
              })
            }
          >
            Export as JSONL
          </button>
        </div>
        <div class="row">
          <label for="import-file">
            Import JSONL (one article a line: id, url, source, title, published, text or html)
          </label>
          <input
            id="import-file"
            type="file"
            accept=".jsonl,.json,.txt,application/json,text/plain"
            data-testid="import-file"
            disabled={busy !== null}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void importFile(file).then(() => (input.value = ""));
            }}
          />
        </div>
        {busy && <p role="status">Working: {busy}…</p>}
        {result && <ImportReport result={result.result} converted={result.converted} />}
        <div class="row">
          {!confirming ? (
            <button type="button" class="danger" data-testid="delete-all" onClick={() => setConfirming(true)}>
              Delete everything…
            </button>
          ) : (
            <>
              <span role="alert">
                Delete all {stats?.articles ?? ""} stored articles? This cannot be undone.
              </span>
              <button
                type="button"
                class="danger"
                data-testid="delete-confirm"
                onClick={() => {
                  setConfirming(false);
                  void run("delete the store", async () => {
                    await send("store/clear", {});
                    setResult(null);
                  });
                }}
              >
                Delete
              </button>
              <button type="button" data-testid="delete-cancel" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          )}
        </div>
      </fieldset>

      <FeedsPanel send={send} download={download} />

      <section aria-labelledby="h-privacy">
        <h2 id="h-privacy">What stays on your device</h2>
        <p>
          Everything. The articles you read (when “keep a copy” is on), the files you import and every
          analysis stay in this browser’s storage on this computer. Parallax sends nothing anywhere, loads no
          remote code and has no account. Deleting everything above removes the stored articles; removing the
          extension removes all of it.
        </p>
      </section>
    </main>
  );
}
