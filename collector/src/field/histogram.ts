import { MAX_VALUE, THRESHOLDS, type Metric } from './thresholds.js';

/**
 * Fixed, mergeable histogram bins per metric. Every bin is (previous edge, edge]: a stored bin is
 * named by its upper edge, so counts from any hour, instance or database add up by plain SUM, and
 * a value equal to a threshold (rated good, as `value <= good`) falls in the bin that ends there.
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
  for (let e = step; e < max; e = round(Math.max(e + step, e * RATIO))) edges.add(e);
  edges.add(max);
  edges.add(THRESHOLDS[metric].good);
  edges.add(THRESHOLDS[metric].poor);
  return [...edges].sort((a, b) => a - b);
}

const EDGES = new Map<Metric, readonly number[]>();

/** The metric's bin edges, ascending, from 0 (a bin of its own) to the largest value accepted. */
export function edgesOf(metric: Metric): readonly number[] {
  let e = EDGES.get(metric);
  if (!e) EDGES.set(metric, (e = ladder(metric)));
  return e;
}

/** The bin holding `value`, named by its upper edge: the smallest edge ≥ value (the last for larger values). */
export function binOf(metric: Metric, value: number): number {
  const edges = edgesOf(metric);
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return edges[lo]!;
}

/** The lower (excluded) edge of the bin named by `upper`. */
export function lowerOf(metric: Metric, upper: number): number {
  const edges = edgesOf(metric);
  const i = edges.indexOf(upper);
  return i <= 0 ? upper : edges[i - 1]!;
}

export interface Bin {
  /** The bin's upper edge (its name in the store). */
  hi: number;
  n: number;
}

/**
 * The p-quantile (0 < p ≤ 1) of the values counted in `bins`, the way CrUX ranks page views: the
 * value at rank ceil(p × n) in ascending order. Read from bins, it is interpolated inside the bin
 * that holds that rank, so it lies within that bin: off from the exact value by less than the
 * bin's width (≤ 5% of the value, or one resolution step).
 */
export function quantile(metric: Metric, bins: readonly Bin[], p: number): number | undefined {
  const sorted = [...bins].filter((b) => b.n > 0).sort((a, b) => a.hi - b.hi);
  const total = sorted.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bin of sorted) {
    if (seen + bin.n >= rank) {
      const lo = lowerOf(metric, bin.hi);
      // Spread the bin's values evenly over its width; the k-th of n sits at (k - 0.5) / n.
      const within = (rank - seen - 0.5) / bin.n;
      const value = lo + (bin.hi - lo) * within;
      return Number(value.toFixed(RESOLUTION[metric] < 1 ? 4 : 0));
    }
    seen += bin.n;
  }
  return undefined;
}

/** Largest relative error of a percentile read from the bins, for documentation and tests. */
export const QUANTILE_RELATIVE_ERROR = RATIO - 1;
export const resolutionOf = (metric: Metric) => RESOLUTION[metric];
