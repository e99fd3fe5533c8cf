/** Small statistics and timing helpers for the benchmark. */

export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface Dist {
  n: number;
  median: number | null;
  p95: number | null;
  max: number | null;
  mean: number | null;
}

export function dist(values: readonly number[]): Dist {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  return {
    n: s.length,
    median: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    max: round(s.at(-1) ?? null),
    mean: round(mean),
  };
}

export function round(v: number | null, digits = 3): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const now = (): number => performance.now();

/** Heap after a full collection (needs --expose-gc; null without it). */
export function heapAfterGc(): {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
} | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return null;
  g();
  g();
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    external: m.external + m.arrayBuffers,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
  };
}

export const MB = 1024 * 1024;
