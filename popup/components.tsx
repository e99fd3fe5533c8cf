import { useEffect } from "preact/hooks";
import type { Figure, FigureStatus, RelatedItem, Report, SameEventItem, Why } from "../src/engine/types.js";
import type { PopupState } from "../src/protocol.js";
import { formatDate, outletName, safeHref, splitQuote } from "./format.js";
import { t, tn } from "./i18n.js";

const STATUS_KEY: Record<FigureStatus, string> = { dispute: "Conflict", update: "Update", agree: "Agree" };
export const statusLabel = (status: FigureStatus): string => t(`status${STATUS_KEY[status]}`);
const statusHint = (status: FigureStatus): string => t(`hint${STATUS_KEY[status]}`);

const NO_ARTICLE_KEY: Record<string, string> = {
  "no-article": "noArticleNoArticle",
  "not-english": "noArticleNotEnglish",
  "too-large": "noArticleTooLarge",
  "not-a-page": "noArticleNotAPage",
};

function Title({ title, url }: { title: string; url: string | null }) {
  const href = safeHref(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {title}
      <span class="sr-only"> {t("opensInNewTab")}</span>
    </a>
  ) : (
    <span>{title}</span>
  );
}

function WhyLine({ why }: { why: Why }) {
  const parts: string[] = [];
  if (why.people.length) parts.push(t("whyPeople", why.people.join(", ")));
  if (why.places.length) parts.push(t("whyPlaces", why.places.join(", ")));
  if (why.date) parts.push(t("whyDate", why.date));
  if (why.terms.length) parts.push(t("whyTerms", why.terms.join(", ")));
  if (!parts.length) return null;
  return <p class="why">{t("whyShared", parts.join("; "))}</p>;
}

function SameSection({ items }: { items: SameEventItem[] }) {
  const shown = items.filter((i) => !i.foldedInto || !items.some((j) => j.id === i.foldedInto));
  const copiesOf = (id: string) => items.filter((i) => i.foldedInto === id && i.id !== id);
  return (
    <section data-testid="section-same" aria-labelledby="h-same">
      <h2 id="h-same">{t("sameHeading")}</h2>
      {shown.length === 0 ? (
        <p class="muted">{t("sameNone")}</p>
      ) : (
        <ul class="items">
          {shown.map((item) => {
            const copies = copiesOf(item.id);
            return (
              <li key={item.id} data-testid="same-item">
                <p class="meta">
                  <strong>{outletName(item.source, item.url)}</strong> · {formatDate(item.published)}
                </p>
                <p class="title">
                  <Title title={item.title} url={item.url} />
                </p>
                <WhyLine why={item.why} />
                {copies.length > 0 && (
                  <p class="muted" data-testid="also-published">
                    {t("alsoPublished", copies.map((c) => outletName(c.source, c.url)).join(", "))}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Quote({ quote, phrase }: { quote: string; phrase: string }) {
  const parts = splitQuote(quote, phrase);
  if (!parts) return <q>{quote}</q>;
  return (
    <q>
      {parts[0]}
      <mark>{parts[1]}</mark>
      {parts[2]}
    </q>
  );
}

interface FigureItemProps {
  figure: Figure;
  selfId: string;
  /** Scrolls the page to this figure's highlight; absent when the page has no mark for it. */
  onShow?: (() => void) | undefined;
}

function FigureItem({ figure, selfId, onShow }: FigureItemProps) {
  return (
    <li data-testid="figure-item" class={`figure ${figure.status}`}>
      <div class="figure-head">
        <h3>{figure.quantity}</h3>
        <span class={`chip ${figure.status}`} title={statusHint(figure.status)} data-testid="figure-status">
          {statusLabel(figure.status)}
        </span>
      </div>
      {onShow && (
        <button type="button" class="link" data-testid="show-in-page" onClick={onShow}>
          {t("showInPage")}
        </button>
      )}
      <ul class="values">
        {figure.values.map((v, i) => (
          <li key={`${v.articleId}-${i}`}>
            <p class="meta">
              <strong>{v.articleId === selfId ? t("thisPage") : outletName(v.source, null)}</strong> ·{" "}
              {formatDate(v.published)} · <span class="value">{v.phrase}</span>
            </p>
            <Quote quote={v.quote} phrase={v.phrase} />
          </li>
        ))}
      </ul>
    </li>
  );
}

interface FiguresSectionProps {
  figures: Figure[];
  selfId: string;
  onShowFigure?: ((index: number) => void) | undefined;
}

function FiguresSection({ figures, selfId, onShowFigure }: FiguresSectionProps) {
  // Conflicts first, then updates; figures the reports agree on are folded away.
  const order: Record<FigureStatus, number> = { dispute: 0, update: 1, agree: 2 };
  // Keep each figure's index in the report: highlights in the page are numbered by it.
  const indexed = figures.map((figure, index) => ({ figure, index }));
  const differing = indexed
    .filter(({ figure }) => figure.status !== "agree")
    .sort((a, b) => order[a.figure.status] - order[b.figure.status]);
  const agreeing = indexed.filter(({ figure }) => figure.status === "agree");
  const showable = (f: Figure) => !!onShowFigure && f.values.some((v) => v.articleId === selfId && v.phrase);
  return (
    <section data-testid="section-figures" aria-labelledby="h-figures">
      <h2 id="h-figures">{t("figuresHeading")}</h2>
      {differing.length === 0 && (
        <p class="muted">{figures.length ? t("figuresAllAgree") : t("figuresNone")}</p>
      )}
      {differing.length > 0 && (
        <ul class="items">
          {differing.map(({ figure, index }) => (
            <FigureItem
              key={index}
              figure={figure}
              selfId={selfId}
              onShow={showable(figure) ? () => onShowFigure?.(index) : undefined}
            />
          ))}
        </ul>
      )}
      {agreeing.length > 0 && (
        <details data-testid="figures-agree">
          <summary>{tn("figuresAgree", agreeing.length)}</summary>
          <ul class="items">
            {agreeing.map(({ figure, index }) => (
              <FigureItem key={index} figure={figure} selfId={selfId} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

const WHEN_KEY = { earlier: "whenEarlier", later: "whenLater", unknown: "dateUnknown" } as const;

function RelatedSection({ items }: { items: RelatedItem[] }) {
  return (
    <section data-testid="section-related" aria-labelledby="h-related">
      <h2 id="h-related">{t("relatedHeading")}</h2>
      {items.length === 0 ? (
        <p class="muted">{t("relatedNone")}</p>
      ) : (
        <ul class="items">
          {items.map((item) => (
            <li key={item.id} data-testid="related-item">
              <p class="title">
                <Title title={item.title} url={item.url} />
              </p>
              <p class="meta">
                {formatDate(item.published)} · {outletName(item.source, item.url)} ·{" "}
                <span class={`when ${item.when}`}>{t(WHEN_KEY[item.when])}</span>
              </p>
              <WhyLine why={item.why} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ReportView({
  report,
  onShowFigure,
}: {
  report: Report;
  onShowFigure?: ((index: number) => void) | undefined;
}) {
  useEffect(() => {
    performance.mark("parallax-report-painted");
  }, [report]);
  return (
    <div class="report" data-testid="report">
      <p class="reading">
        {t("readingLabel")} <strong>{report.article.title}</strong>
      </p>
      <SameSection items={report.sameEvent} />
      <FiguresSection figures={report.figures} selfId={report.article.id} onShowFigure={onShowFigure} />
      <RelatedSection items={report.related} />
    </div>
  );
}

export function HighlightsSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <label class="switch">
      <input
        type="checkbox"
        role="switch"
        checked={on}
        data-testid="highlights-switch"
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      {t("highlightsSwitch")}
    </label>
  );
}

export interface StateViewProps {
  state: PopupState | null;
  onLoadDemo: () => void;
  loadingDemo: boolean;
  onHighlights: (on: boolean) => void;
  onShowFigure?: ((index: number) => void) | undefined;
  /** Asks the background again (shown with errors). */
  onRetry?: (() => void) | undefined;
}

/** Everything below the header: one view per popup state. */
export function StateView({
  state,
  onLoadDemo,
  loadingDemo,
  onHighlights,
  onShowFigure,
  onRetry,
}: StateViewProps) {
  if (!state || state.state === "analysing") {
    return (
      <p class="state" role="status" data-testid="state-analysing">
        {t("analysing")}
      </p>
    );
  }
  switch (state.state) {
    case "no-article":
      return (
        <div class="state" data-testid="state-no-article">
          <h2>{t("noArticleHeading")}</h2>
          <p>{NO_ARTICLE_KEY[state.reason] ? t(NO_ARTICLE_KEY[state.reason] as string) : state.message}</p>
        </div>
      );
    case "empty-store":
      return (
        <div class="state" data-testid="state-empty">
          <h2>{t("emptyHeading")}</h2>
          <p>{t("emptyBody")}</p>
          <div class="row">
            <button type="button" data-testid="load-demo" onClick={onLoadDemo} disabled={loadingDemo}>
              {loadingDemo ? t("loading") : t("loadDemo")}
            </button>
            <a href="options.html" target="_blank" rel="noopener" data-testid="empty-options">
              {t("openOptions")}
              <span class="sr-only"> {t("opensInNewTab")}</span>
            </a>
          </div>
        </div>
      );
    case "error":
      return (
        <div class="state error" role="alert" data-testid="state-error">
          <h2>{t("errorHeading")}</h2>
          <p>{state.message}</p>
          <p>{t("errorNext")}</p>
          {onRetry && (
            <button type="button" data-testid="retry" onClick={onRetry}>
              {t("tryAgain")}
            </button>
          )}
        </div>
      );
    case "report":
      return (
        <>
          <HighlightsSwitch on={state.highlights} onChange={onHighlights} />
          <ReportView report={state.report} onShowFigure={state.highlights ? onShowFigure : undefined} />
        </>
      );
  }
}
