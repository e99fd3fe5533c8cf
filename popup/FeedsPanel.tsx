import { useEffect, useState } from "preact/hooks";
import { normalizeFeedUrl, originPattern } from "../src/background/feeds.js";
import { parseOpml } from "../src/feeds/opml.js";
import type { FeedStatus, FeedsView } from "../src/protocol.js";
import type { Send } from "./api.js";
import { t, tn } from "./i18n.js";

/** The poll intervals offered (minutes). */
const INTERVALS = [15, 30, 60, 120, 360, 720, 1440];

/**
 * Asks the browser for host permissions. It MUST be called synchronously inside a click (or
 * submit) handler, before any await: both browsers require the user gesture to be current.
 */
export type RequestOrigins = (origins: string[]) => Promise<boolean>;

const requestWithBrowser: RequestOrigins = (origins) => {
  const g = globalThis as {
    browser?: { permissions?: { request(p: { origins: string[] }): Promise<boolean> } };
    chrome?: { permissions?: { request(p: { origins: string[] }): Promise<boolean> } };
  };
  const api = g.browser?.permissions ?? g.chrome?.permissions;
  if (!api) return Promise.resolve(false);
  return api.request({ origins });
};

function intervalLabel(m: number): string {
  if (m < 60) return t("feedEveryMinutes", m);
  if (m === 60) return t("feedEveryHour");
  if (m < 1440) return t("feedEveryHours", m / 60);
  return t("feedOnceADay");
}

function formatWhen(iso: string | null): string {
  if (!iso) return t("feedNotYet");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function hostOfPattern(pattern: string): string {
  return pattern.replace(/^https?:\/\//, "").replace(/\/\*$/, "");
}

function FeedRow({ feed, onRemove, busy }: { feed: FeedStatus; onRemove: () => void; busy: boolean }) {
  return (
    <li data-testid="feed-row" data-url={feed.url}>
      <p>
        <strong>{feed.title ?? feed.url}</strong>
        {feed.title && <span class="muted"> — {feed.url}</span>}
      </p>
      <p class="muted">
        {t("feedLastChecked")} <span data-testid="feed-last-polled">{formatWhen(feed.lastPolled)}</span>.{" "}
        {t("feedArticlesAdded")} <span data-testid="feed-added">{feed.added}</span>
        {feed.lastPolled ? t("feedLastAdded", feed.lastAdded) : ""}.
      </p>
      {feed.lastError ? (
        <p class="state error" data-testid="feed-error">
          {feed.lastError}
        </p>
      ) : (
        feed.lastPolled && <p data-testid="feed-ok">{t("feedWorking")}</p>
      )}
      {feed.problems.length > 0 && (
        <details>
          <summary>{tn("feedProblems", feed.problems.length)}</summary>
          <ul>
            {feed.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" data-testid="feed-remove" disabled={busy} onClick={onRemove}>
        {t("feedRemove")}
      </button>
    </li>
  );
}

export function FeedsPanel({
  send,
  download,
  requestOrigins = requestWithBrowser,
}: {
  send: Send;
  download: (name: string, text: string) => void;
  requestOrigins?: RequestOrigins;
}) {
  const [view, setView] = useState<FeedsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [opml, setOpml] = useState<{ text: string; feeds: { url: string }[] } | null>(null);

  const refresh = async () => {
    try {
      setView(await send("feeds/list", {}));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void refresh();
  }, []);

  /** Runs `job` after a permission request already started in the click handler. */
  const run = async (what: string, job: () => Promise<string | null>) => {
    setBusy(what);
    setNotice(null);
    try {
      setNotice(await job());
    } catch (e) {
      setNotice(t("couldNot", what, e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const onAdd = (e: Event) => {
    e.preventDefault();
    const feedUrl = normalizeFeedUrl(url);
    const pattern = feedUrl ? originPattern(feedUrl) : null;
    if (!feedUrl || !pattern) {
      setNotice(t("feedNotAnAddress"));
      return;
    }
    // First thing in the handler: the browser only shows its prompt during the click.
    const asked = requestOrigins([pattern]);
    void run(t("actAddFeed"), async () => {
      if (!(await asked.catch(() => false))) return t("feedPermissionDenied", hostOfPattern(pattern));
      const res = await send("feeds/add", { url: feedUrl });
      if (res.error) return res.error;
      setUrl("");
      return res.feed?.lastError ? t("feedAddedButFailed", res.feed.lastError) : t("feedAdded");
    });
  };

  const onOpmlFile = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    void file.text().then(
      (text) => {
        input.value = "";
        try {
          const feeds = parseOpml(text);
          setOpml(feeds.length ? { text, feeds } : null);
          setNotice(feeds.length ? null : t("feedOpmlEmpty"));
        } catch (err) {
          setOpml(null);
          setNotice(err instanceof Error ? err.message : String(err));
        }
      },
      () => setNotice(t("fileReadFailed")),
    );
  };

  const onImportOpml = () => {
    if (!opml) return;
    const patterns = [
      ...new Set(opml.feeds.map((f) => originPattern(f.url)).filter((p): p is string => p !== null)),
    ];
    // One request for every site in the list, inside the click.
    const asked = requestOrigins(patterns);
    const text = opml.text;
    setOpml(null);
    void run(t("actImportFeeds"), async () => {
      if (!(await asked.catch(() => false))) return t("feedImportDenied");
      const res = await send("feeds/import-opml", { text });
      if (res.error) return res.error;
      return tn("feedImported", res.added, res.duplicate ? t("feedImportedDuplicates", res.duplicate) : "");
    });
  };

  const onAllow = (pattern: string) => {
    const asked = requestOrigins([pattern]);
    void run(t("actAskPermission"), async () =>
      (await asked.catch(() => false))
        ? t("feedAllowed", hostOfPattern(pattern))
        : t("feedNotAllowed", hostOfPattern(pattern)),
    );
  };

  const disabled = busy !== null;
  return (
    <fieldset data-testid="feeds-panel">
      <legend>{t("feedsLegend")}</legend>
      <p class="muted">{t("feedsIntro", intervalLabel(view?.intervalMinutes ?? 30))}</p>
      <form class="row" onSubmit={onAdd}>
        <label for="feed-url">{t("feedUrlLabel")}</label>
        <input
          id="feed-url"
          type="url"
          data-testid="feed-url"
          placeholder="https://example.com/rss.xml"
          value={url}
          disabled={disabled}
          onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="feed-add" disabled={disabled || !url.trim()}>
          {t("feedAdd")}
        </button>
      </form>
      <div class="row">
        <button
          type="button"
          data-testid="feed-poll-now"
          disabled={disabled || !view?.feeds.length}
          onClick={() =>
            void run(t("actCheckFeeds"), async () => {
              setView(await send("feeds/poll-now", {}));
              return t("feedCheckedAll");
            })
          }
        >
          {t("feedPollNow")}
        </button>
        <label for="feed-interval">{t("feedIntervalLabel")}</label>
        <select
          id="feed-interval"
          data-testid="feed-interval"
          disabled={disabled || !view}
          value={String(view?.intervalMinutes ?? 30)}
          onChange={(e) => {
            const minutes = Number((e.currentTarget as HTMLSelectElement).value);
            void run(t("actSaveInterval"), async () => {
              setView(await send("feeds/set-interval", { minutes }));
              return null;
            });
          }}
        >
          {[...new Set([...INTERVALS, view?.intervalMinutes ?? 30])]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={String(m)}>
                {intervalLabel(m)}
              </option>
            ))}
        </select>
      </div>
      <div class="row">
        <label for="feed-opml">{t("feedOpmlLabel")}</label>
        <input
          id="feed-opml"
          type="file"
          accept=".opml,.xml,text/xml,application/xml,text/x-opml"
          data-testid="feed-opml-file"
          disabled={disabled}
          onChange={(e) => onOpmlFile(e.currentTarget as HTMLInputElement)}
        />
        {opml && (
          <button type="button" data-testid="feed-opml-import" disabled={disabled} onClick={onImportOpml}>
            {tn("feedFollow", opml.feeds.length)}
          </button>
        )}
        <button
          type="button"
          data-testid="feed-export"
          disabled={disabled || !view?.feeds.length}
          onClick={() =>
            void run(t("actExportFeeds"), async () => {
              download("parallax-feeds.opml", (await send("feeds/export-opml", {})).opml);
              return null;
            })
          }
        >
          {t("feedExport")}
        </button>
      </div>
      {busy && <p role="status">{t("working", busy)}</p>}
      {notice && (
        <p role="status" data-testid="feed-notice">
          {notice}
        </p>
      )}
      {loadError && <p class="state error">{t("feedListError", loadError)}</p>}
      {view && view.originsToAllow.length > 0 && (
        <div data-testid="feed-origins">
          <p>{t("feedOriginsIntro")}</p>
          {view.originsToAllow.map((o) => (
            <button type="button" key={o} disabled={disabled} onClick={() => onAllow(o)}>
              {t("feedAllowOrigin", hostOfPattern(o))}
            </button>
          ))}
        </div>
      )}
      {view &&
        (view.feeds.length === 0 ? (
          <p data-testid="feeds-empty">{t("feedsEmpty")}</p>
        ) : (
          <ul data-testid="feed-list">
            {view.feeds.map((f) => (
              <FeedRow
                key={f.url}
                feed={f}
                busy={disabled}
                onRemove={() =>
                  void run(t("actRemoveFeed"), async () => {
                    await send("feeds/remove", { url: f.url });
                    return null;
                  })
                }
              />
            ))}
          </ul>
        ))}
    </fieldset>
  );
}
