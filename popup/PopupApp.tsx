import { useCallback, useEffect, useState } from "preact/hooks";
import type { PopupState } from "../src/protocol.js";
import type { Send } from "./api.js";
import { StateView } from "./components.js";
import { t } from "./i18n.js";

function message(e: unknown): string {
  return e instanceof Error && e.message ? e.message : t("noAnswer");
}

export interface PopupAppProps {
  send: Send;
  tabId: number | null;
  /** Asks the page to scroll to a figure's highlight (content/scroll-to). */
  scrollTo?: ((tabId: number, figure: number) => void) | undefined;
  /**
   * The first answer to `popup/report`, asked before the popup rendered (popup/early.ts): the
   * answer itself when it came in time (rendered in the first pass), else its promise.
   */
  first?: PopupState | Promise<PopupState | null> | undefined;
}

export function PopupApp({ send, tabId, scrollTo, first }: PopupAppProps) {
  const [state, setState] = useState<PopupState | null>(first && !(first instanceof Promise) ? first : null);
  const [loadingDemo, setLoadingDemo] = useState(false);

  const ask = useCallback(async () => {
    if (tabId === null) {
      setState({ state: "error", message: t("noActiveTab") });
      return;
    }
    setState(null);
    try {
      const answer = await send("popup/report", { tabId });
      performance.mark("parallax-report-received"); // …and the background has answered.
      setState(answer);
    } catch (e) {
      setState({ state: "error", message: message(e) });
    }
  }, [send, tabId]);

  useEffect(() => {
    if (first && !(first instanceof Promise)) return; // rendered with it already
    if (first instanceof Promise && tabId !== null) {
      first.then(
        (answer) => (answer ? setState(answer) : void ask()),
        (e: unknown) => setState({ state: "error", message: message(e) }),
      );
      return;
    }
    void ask();
    // The first answer is used once, on mount; a retry asks again.
  }, [ask]);

  const loadDemo = async () => {
    setLoadingDemo(true);
    try {
      await send("store/load-demo", {});
      await ask();
    } catch (e) {
      setState({ state: "error", message: message(e) });
    } finally {
      setLoadingDemo(false);
    }
  };

  const setHighlights = async (on: boolean) => {
    if (state?.state === "report") setState({ ...state, highlights: on });
    try {
      await send("settings/set", { highlights: on });
      if (tabId !== null) await send("tab/highlights", { tabId, on });
    } catch (e) {
      setState({ state: "error", message: message(e) });
    }
  };

  return (
    <main>
      <header>
        <h1>{t("popupTitle")}</h1>
        <a class="options-link" href="options.html" target="_blank" rel="noopener">
          {t("openOptions")}
          <span class="sr-only"> {t("opensInNewTab")}</span>
        </a>
      </header>
      <StateView
        state={state}
        onLoadDemo={loadDemo}
        loadingDemo={loadingDemo}
        onHighlights={setHighlights}
        onShowFigure={scrollTo && tabId !== null ? (figure) => scrollTo(tabId, figure) : undefined}
        onRetry={() => void ask()}
      />
    </main>
  );
}
