/**
 * Run counts for the property tests. `FUZZ_RUNS` unset: the CI counts given by each test
 * (the whole folder in well under a minute on two cores). `FUZZ_RUNS=10000`: the long run;
 * jsdom-heavy properties (page extraction, highlights) take a tenth of it.
 * `FUZZ_SEED` replays one run (fast-check prints the seed and path of a failure); add
 * `FUZZ_PATH=<path>` to replay only the failing case.
 */
import { setImmediate } from "node:timers/promises";
import fc from "fast-check";

const envRuns = Number(process.env.FUZZ_RUNS ?? "");
const envSeed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** With FUZZ_SEED, `FUZZ_PATH` (fast-check's "path" of a failure) replays that one case only. */
const envPath = process.env.FUZZ_PATH;

/** Whether this is the dedicated long run. */
export const LONG = Number.isFinite(envRuns) && envRuns > 0;

/** Number of runs for a property: `ci` by default, FUZZ_RUNS (divided by `heavy`) in the long run. */
export function runs(ci: number, heavy = 1): number {
  return LONG ? Math.max(1, Math.round(envRuns / heavy)) : ci;
}

/** fast-check parameters for one property. */
export function params(ci: number, heavy = 1): fc.Parameters<unknown> {
  return {
    numRuns: runs(ci, heavy),
    ...(envSeed !== undefined ? { seed: envSeed } : {}),
    ...(envSeed !== undefined && envPath ? { path: envPath } : {}),
  };
}

/** Per-test timeout for a property whose long run takes long (the project default is 600 s). */
export const LONG_TIMEOUT = LONG ? 3_600_000 : undefined;

/** Time one call in milliseconds. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** Strings from every part of Unicode, lone surrogates and control characters included. */
export const anyUnicode = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
  );

/**
 * Let closed jsdom windows be collected: call (and await) after each case of a property that
 * builds a jsdom. jsdom keeps nodes in `WeakRef`s, and V8 keeps every object a `WeakRef` is
 * made for (or deref'd to) alive until the current job ends — not at a microtask, only when the
 * event loop turns. A synchronous fast-check loop is one job, so every closed window of the run
 * stayed reachable (S11: ~9 MB a real page, out of the 4 GB heap after a few hundred cases).
 */
export async function releaseWindows(): Promise<void> {
  await setImmediate();
  if (HEAP_LOG) logHeap();
}

/** `FUZZ_HEAP=1` (run node with --expose-gc): heap used after a full collection every 100 cases. */
const HEAP_LOG = process.env.FUZZ_HEAP === "1";
let cases = 0;
let peak = 0;
function logHeap(): void {
  cases++;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (cases % 100 !== 0 || !gc) return;
  gc();
  const mb = process.memoryUsage().heapUsed / 1e6;
  peak = Math.max(peak, mb);
  console.log(`[heap] ${cases} cases: ${mb.toFixed(0)} MB after GC (peak ${peak.toFixed(0)} MB)`);
}
