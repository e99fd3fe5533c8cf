/**
 * Reading the popup's "Differing figures" section as a reader sees it: each figure's heading, its
 * status and its values' text (used by the seed and the real-page tests).
 */
import type { Page } from "puppeteer";

export interface ShownFigure {
  quantity: string;
  status: string;
  values: string[];
}

/** Every figure listed in the popup, in order. */
export function popupFigures(popup: Page): Promise<ShownFigure[]> {
  return popup.$$eval('[data-testid="section-figures"] [data-testid="figure-item"]', (items) =>
    items.map((li) => ({
      quantity: li.querySelector("h3")?.textContent ?? "",
      status: li.querySelector('[data-testid="figure-status"]')?.textContent ?? "",
      values: [...li.querySelectorAll(".value")].map((v) => v.textContent ?? ""),
    })),
  );
}
