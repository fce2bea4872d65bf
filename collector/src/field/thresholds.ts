/**
 * The Core Web Vitals thresholds as CrUX and web-vitals publish them: a value at or under `good`
 * is good, over `poor` is poor, anything between needs improvement. Ratings are recomputed on the
 * server from these, never trusted from the client.
 */
export const METRICS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type Metric = (typeof METRICS)[number];
export type Rating = 'good' | 'needs-improvement' | 'poor';

export const THRESHOLDS: Record<Metric, { good: number; poor: number }> = {
  LCP: { good: 2500, poor: 4000 },
  INP: { good: 200, poor: 500 },
  CLS: { good: 0.1, poor: 0.25 },
  FCP: { good: 1800, poor: 3000 },
  TTFB: { good: 800, poor: 1800 },
};

/** Unit of each metric: the four timings in milliseconds, CLS unitless. */
export const UNITS: Record<Metric, 'ms' | '1'> = { LCP: 'ms', INP: 'ms', CLS: '1', FCP: 'ms', TTFB: 'ms' };

/**
 * Past these a value did not come from a real page view: a duration over 15 minutes (a tab left
 * open, a clock jump), or a layout-shift score no page reaches. Such values are dropped at ingest.
 */
export const MAX_VALUE: Record<Metric, number> = { LCP: 900_000, INP: 900_000, CLS: 100, FCP: 900_000, TTFB: 900_000 };

export function rate(metric: Metric, value: number): Rating {
  const t = THRESHOLDS[metric];
  return value <= t.good ? 'good' : value <= t.poor ? 'needs-improvement' : 'poor';
}

export const isMetric = (name: unknown): name is Metric => typeof name === 'string' && (METRICS as readonly string[]).includes(name);
