import { useEffect, useState } from "preact/hooks";
import { HIGHLIGHT_COLORS, type HighlightColor, type ImportResult, type Settings } from "../src/protocol.js";
import type { StoreStats } from "../src/store/types.js";
import type { Send } from "./api.js";
import { FeedsPanel } from "./FeedsPanel.js";
import { formatBytes, formatDate } from "./format.js";
import { t } from "./i18n.js";
import { exportParts, ImportPanel, ImportReport } from "./ImportPanel.js";

/** Lines in a JSONL part (each ends with a newline). */
function countLines(part: string): number {
  let n = 0;
  for (let i = part.indexOf("\n"); i >= 0; i = part.indexOf("\n", i + 1)) n++;
  return n;
}

/** Names of the highlight colour presets, in HIGHLIGHT_COLORS order. */
const COLOUR_NAMES: Record<HighlightColor, string> = {
  "#ffd8a8": "colourOrange",
  "#fff3a0": "colourYellow",
  "#c5f6fa": "colourBlue",
  "#e5dbff": "colourLavender",
};

interface StatsViewProps {
  stats: StoreStats | null;
  busy: boolean;
  onDeleteSource: (source: string) => void;
}

function StatsView({ stats, busy, onDeleteSource }: StatsViewProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (!stats) return <p role="status">{t("statsReading")}</p>;
  const sources = Object.entries(stats.perSource).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return (
    <div data-testid="store-stats">
      <p>
        <strong data-testid="stats-count">{stats.articles}</strong>{" "}
        {t("statsArticles", formatBytes(stats.bytes))}
        {stats.oldest ? t("statsRange", formatDate(stats.oldest), formatDate(stats.newest)) : ""}.
      </p>
      {sources.length > 0 && (
        <table data-testid="per-source">
          <caption>{t("perOutletCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("outletColumn")}</th>
              <th scope="col">{t("articlesColumn")}</th>
              <th scope="col">{t("actionColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map(([source, n]) => (
              <tr key={source} data-testid="source-row">
                <th scope="row">{source}</th>
                <td>{n}</td>
                <td>
                  {confirming === source ? (
                    <span class="row">
                      <span role="alert">{t("confirmDeleteSource", n, source)}</span>
                      <button
                        type="button"
                        class="danger"
                        data-testid="delete-source-confirm"
                        onClick={() => {
                          setConfirming(null);
                          onDeleteSource(source);
                        }}
                      >
                        {t("delete")}
                      </button>
                      <button
                        type="button"
                        data-testid="delete-source-cancel"
                        onClick={() => setConfirming(null)}
                      >
                        {t("cancel")}
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      class="danger small"
                      data-testid="delete-source"
                      aria-label={t("deleteOutletLabel", n, source)}
                      disabled={busy}
                      onClick={() => setConfirming(source)}
                    >
                      {t("deleteOutlet")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ColourChoice({
  settings,
  onChange,
}: {
  settings: Settings | null;
  onChange: (color: HighlightColor) => void;
}) {
  const current = settings?.highlightColor ?? HIGHLIGHT_COLORS[0];
  return (
    <fieldset class="colours" data-testid="colour-choice">
      <legend>{t("colourLegend")}</legend>
      {HIGHLIGHT_COLORS.map((color) => (
        <label key={color} class="colour">
          <input
            type="radio"
            name="highlight-colour"
            value={color}
            data-testid="colour-option"
            checked={current === color}
            disabled={!settings}
            onChange={() => onChange(color)}
          />
          <span class="swatch" style={{ backgroundColor: color }}>
            {t("colourSample")}
          </span>
          {t(COLOUR_NAMES[color])}
        </label>
      ))}
    </fieldset>
  );
}

export function OptionsApp({
  send,
  download,
}: {
  send: Send;
  /** Saves a file: one string, or parts joined in order (a large export, built without one giant string). */
  download: (name: string, data: string | string[]) => void;
}) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stats, setStats] = useState<StoreStats | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [importing, setImporting] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  const refresh = async () => setStats(await send("store/stats", {}));
  useEffect(() => {
    void send("settings/get", {}).then(setSettings);
    void refresh();
  }, []);

  const run = async (what: string, job: () => Promise<void>) => {
    setBusy(what);
    setNotice(null);
    setDone(null);
    try {
      await job();
    } catch (e) {
      setNotice(t("couldNot", what, e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(null);
      await refresh().catch(() => undefined);
    }
  };

  const change = (patch: Partial<Settings>) =>
    run(t("actSaveSetting"), async () => setSettings(await send("settings/set", patch)));

  const deleteSource = (source: string) =>
    run(t("actDeleteSource", source), async () => {
      const { deleted } = await send("store/delete-source", { source });
      setDone(t("deletedSource", deleted, source));
    });

  return (
    <main>
      <header>
        <h1>{t("optionsTitle")}</h1>
      </header>
      {notice && (
        <p role="alert" class="state error">
          {notice}
        </p>
      )}

      <section aria-labelledby="h-reading">
        <h2 id="h-reading">{t("readingLegend")}</h2>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="capture-switch"
            checked={settings?.capture ?? true}
            disabled={!settings}
            onChange={(e) => void change({ capture: (e.currentTarget as HTMLInputElement).checked })}
          />
          {t("captureLabel")}
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
          {t("highlightsSwitch")}
        </label>
        <ColourChoice settings={settings} onChange={(highlightColor) => void change({ highlightColor })} />
      </section>

      <section aria-labelledby="h-store">
        <h2 id="h-store">{t("storeLegend")}</h2>
        <StatsView stats={stats} busy={busy !== null} onDeleteSource={(s) => void deleteSource(s)} />
        {done && (
          <p role="status" data-testid="delete-source-done">
            {done}
          </p>
        )}
        <div class="row">
          {!confirming ? (
            <button type="button" class="danger" data-testid="delete-all" onClick={() => setConfirming(true)}>
              {t("deleteAll")}
            </button>
          ) : (
            <>
              <span role="alert">{t("confirmDeleteAll", stats?.articles ?? "")}</span>
              <button
                type="button"
                class="danger"
                data-testid="delete-confirm"
                onClick={() => {
                  setConfirming(false);
                  void run(t("actDeleteStore"), async () => {
                    await send("store/clear", {});
                    setResult(null);
                  });
                }}
              >
                {t("delete")}
              </button>
              <button type="button" data-testid="delete-cancel" onClick={() => setConfirming(false)}>
                {t("cancel")}
              </button>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="h-sources">
        <h2 id="h-sources">{t("sourcesLegend")}</h2>
        <p class="muted">{t("sourcesIntro")}</p>
        <div class="row">
          <button
            type="button"
            data-testid="load-demo"
            disabled={busy !== null || importing}
            onClick={() =>
              void run(t("actLoadDemo"), async () => {
                setResult(await send("store/load-demo", {}));
              })
            }
          >
            {t("loadDemo")}
          </button>
          <button
            type="button"
            data-testid="export"
            disabled={busy !== null || importing}
            onClick={() =>
              void run(t("actExport"), async () => {
                const parts = await exportParts(send, (n, total) =>
                  setExported(t("exportProgress", n, total)),
                );
                download("parallax-coverage.jsonl", parts);
                const lines = parts.reduce((n, part) => n + countLines(part), 0);
                setExported(t("exportDone", lines));
              })
            }
          >
            {t("exportJsonl")}
          </button>
        </div>
        {exported && (
          <p role="status" data-testid="export-status">
            {exported}
          </p>
        )}
        {busy && <p role="status">{t("working", busy)}</p>}
        {result && (
          <ImportReport summary={{ ...result, rejectedCount: result.rejected.length, converted: 0 }} />
        )}
        <ImportPanel
          send={send}
          disabled={busy !== null}
          onRunning={(on) => {
            setImporting(on);
            if (on) setResult(null);
          }}
          onChanged={() => void refresh().catch(() => undefined)}
        />
      </section>

      <FeedsPanel send={send} download={download} />

      <section aria-labelledby="h-privacy">
        <h2 id="h-privacy">{t("privacyHeading")}</h2>
        <p>{t("privacyBody")}</p>
      </section>
    </main>
  );
}
