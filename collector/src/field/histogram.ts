import { MAX_VALUE, THRESHOLDS, type Metric } from './thresholds.js';

/**
 * Fixed, mergeable histogram bins per metric. Every bin is [lower edge, next edge); a stored bin is
 * named by its lower edge, so counts from any hour, instance or database add up by plain SUM.
 *
 * The edges are a geometric ladder (each edge 5% above the last, never closer than the metric's
 * resolution: 1 ms, or 0.0001 for CLS) with the CrUX thresholds inserted as exact edges, so the
 * good / needs-improvement / poor shares read from bins are exact, and a percentile read from them
 * lies within one bin of the exact value: at most 5% of it, or one resolution step for tiny values.
 *
 * Changing the ladder changes what stored bins mean: add a migration that rebins, never edit it.
 */
const RATIO = 1.05;
const RESOLUTION: Record<Metric, number> = { LCP: 1, INP: 1, CLS: 0.0001, FCP: 1, TTFB: 1 };

function ladder(metric: Metric): number[] {
  const step = RESOLUTION[metric];
  const max = MAX_VALUE[metric];
  const digits = step < 1 ? 4 : 0;
  const round = (n: number) => Number(n.toFixed(digits));
  const edges = new Set<number>([0]);
  for (let e = step; e <= max; e = round(Math.max(e + step, e * RATIO))) edges.add(e);
  edges.add(THRESHOLDS[metric].good);
  edges.add(THRESHOLDS[metric].poor);
  return [...edges].sort((a, b) => a - b);
}

const EDGES = new Map<Metric, readonly number[]>();

/** Lower edges of the metric's bins, ascending, starting at 0. */
export function edgesOf(metric: Metric): readonly number[] {
  let e = EDGES.get(metric);
  if (!e) EDGES.set(metric, (e = ladder(metric)));
  return e;
}

/** The lower edge of the bin holding `value` (values past the last edge share the last bin). */
export function binOf(metric: Metric, value: number): number {
  const edges = edgesOf(metric);
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return edges[lo]!;
}

/** The upper edge of the bin whose lower edge is `lower`. */
export function upperOf(metric: Metric, lower: number): number {
  const edges = edgesOf(metric);
  const i = edges.indexOf(lower);
  if (i < 0 || i === edges.length - 1) return MAX_VALUE[metric];
  return edges[i + 1]!;
}

export interface Bin {
  /** The bin's lower edge. */
  lo: number;
  n: number;
}

/**
 * The p-quantile (0 < p ≤ 1) of the values counted in `bins`, the way CrUX ranks page views: the
 * value at rank ceil(p × n) in ascending order. Read from bins, it is interpolated inside the bin
 * that holds that rank, so it lies within that bin: off from the exact value by less than the
 * bin's width (≤ 5% of the value, or one resolution step).
 */
export function quantile(metric: Metric, bins: readonly Bin[], p: number): number | undefined {
  const sorted = [...bins].filter((b) => b.n > 0).sort((a, b) => a.lo - b.lo);
  const total = sorted.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bin of sorted) {
    if (seen + bin.n >= rank) {
      const hi = upperOf(metric, bin.lo);
      // Spread the bin's values evenly over its width; the k-th of n sits at (k - 0.5) / n.
      const within = (rank - seen - 0.5) / bin.n;
      const value = bin.lo + (hi - bin.lo) * within;
      return Number(value.toFixed(RESOLUTION[metric] < 1 ? 4 : 0));
    }
    seen += bin.n;
  }
  return undefined;
}

/** Largest relative error of a percentile read from the bins, for documentation and tests. */
export const QUANTILE_RELATIVE_ERROR = RATIO - 1;
export const resolutionOf = (metric: Metric) => RESOLUTION[metric];
