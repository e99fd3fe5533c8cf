/** The learned judgement model: logistic regressions over pair features, plus thresholds. */

export interface LogReg {
  /** Feature means and scales used to standardise before the dot product. */
  mean: number[];
  scale: number[];
  w: number[];
  b: number;
}

export interface JudgeModel {
  /** Names of the stage-1 features, in order (a guard against stale weights). */
  features: string[];
  /** Names of the stage-2 (neighbourhood / transitivity) features. */
  features2: string[];
  /** P(same event) from stage-1 features. */
  same: LogReg;
  /** P(same kind of event, same place or participants: same event or related) from stage-1 features. */
  topic: LogReg;
  /** P(same event) after the transitivity step. */
  same2: LogReg;
  /** P(same or related) after the transitivity step. */
  topic2: LogReg;
  /** Names of the link features. */
  linkFeatures: string[];
  /** Link P(same event) between two stored candidates, for the clustering step. */
  linkSame: LogReg;
  /** Link P(same or related) between two stored candidates. */
  linkTopic: LogReg;
  /** Average-linkage stop threshold of the clustering step. */
  linkCut: number;
  /** Listed as the same event when P(same) ≥ this. */
  thSame: number;
  /** Listed as related when not the same event and P(topic) ≥ this. */
  thRelated: number;
  /** Where the weights came from. */
  provenance: string;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predict(lr: LogReg, x: readonly number[]): number {
  let z = lr.b;
  for (let i = 0; i < lr.w.length; i++) {
    z += ((lr.w[i] ?? 0) * ((x[i] ?? 0) - (lr.mean[i] ?? 0))) / (lr.scale[i] || 1);
  }
  return sigmoid(z);
}

export function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/**
 * Fits a logistic regression by full-batch gradient descent with L2 on standardised features.
 * Deterministic (zero start). Used offline by the eval script; tiny data, so simple is enough.
 */
export function fitLogReg(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  opts: { l2?: number; iters?: number; lr?: number; positiveWeight?: number } = {},
): LogReg {
  const d = xs[0]?.length ?? 0;
  const n = xs.length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const x of xs) for (let j = 0; j < d; j++) mean[j]! += (x[j] ?? 0) / n;
  for (const x of xs) for (let j = 0; j < d; j++) scale[j]! += ((x[j] ?? 0) - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / scale[j]!));
  const l2 = opts.l2 ?? 1e-3;
  const iters = opts.iters ?? 3000;
  const rate = opts.lr ?? 0.5;
  const pw = opts.positiveWeight ?? 1;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  let wsum = 0;
  for (const y of ys) wsum += y ? pw : 1;
  for (let it = 0; it < iters; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      let s = b;
      for (let j = 0; j < d; j++) s += w[j]! * zi[j]!;
      const y = ys[i] ?? 0;
      const err = (sigmoid(s) - y) * (y ? pw : 1);
      for (let j = 0; j < d; j++) gw[j]! += err * zi[j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - rate * (gw[j]! / wsum + l2 * w[j]!);
    b -= (rate * gb) / wsum;
  }
  const r = (v: number): number => Math.round(v * 1e6) / 1e6;
  return { mean: mean.map(r), scale: scale.map(r), w: w.map(r), b: r(b) };
}
