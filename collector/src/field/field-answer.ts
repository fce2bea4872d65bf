import type { FieldStore } from '../store/store.js';
import { quantile, type Bin } from './histogram.js';
import { METRICS, THRESHOLDS, UNITS, rate, type Metric } from './thresholds.js';
import type { BreakdownRow, Dimension, FieldAnswer, FieldFilter, MetricSummary, SeriesPoint } from './types.js';
import { whereOf } from './where.js';

/**
 * `/v1/field`: percentiles and rating shares per metric over the filter, p75 and requests per page
 * view per hour, and the breakdowns by dimension — all from the hourly aggregates, never the raw
 * reports, so the cost follows the number of cells, not of page views.
 */
export interface AnswerOptions {
  /** Smallest sample before a percentile or a rate is shown; smaller cells roll up into 'other'. */
  minSample: number;
  now: () => number;
}

/** Most rows a breakdown lists before the rest roll up into 'other'. */
const MAX_ROWS = 50;

/** Counts per metric and bin, merged as rows are folded in. */
type BinSet = Map<Metric, Map<number, number>>;
const addBin = (set: BinSet, metric: Metric, bin: number, n: number) => {
  let m = set.get(metric);
  if (!m) set.set(metric, (m = new Map()));
  m.set(bin, (m.get(bin) ?? 0) + n);
};
const binsOf = (set: BinSet | undefined, metric: Metric): Bin[] => [...(set?.get(metric) ?? [])].map(([hi, n]) => ({ hi, n }));
const countOf = (set: BinSet | undefined, metric: Metric) => binsOf(set, metric).reduce((s, b) => s + b.n, 0);

function summarise(metric: Metric, bins: Bin[], minSample: number): MetricSummary {
  const count = bins.reduce((s, b) => s + b.n, 0);
  const out: MetricSummary = { metric, unit: UNITS[metric], count };
  if (count < minSample) return out;
  const t = THRESHOLDS[metric];
  let good = 0;
  let poor = 0;
  for (const b of bins) {
    if (b.hi <= t.good) good += b.n;
    else if (b.hi > t.poor) poor += b.n;
  }
  const p75 = quantile(metric, bins, 0.75)!;
  return {
    ...out,
    p50: quantile(metric, bins, 0.5)!,
    p75,
    p95: quantile(metric, bins, 0.95)!,
    rating: rate(metric, p75),
    shares: { good: good / count, 'needs-improvement': (count - good - poor) / count, poor: poor / count },
  };
}

const p75s = (set: BinSet | undefined, minSample: number) => {
  const out: Partial<Record<Metric, number>> = {};
  for (const metric of METRICS) {
    if (countOf(set, metric) < minSample) continue;
    const v = quantile(metric, binsOf(set, metric), 0.75);
    if (v !== undefined) out[metric] = v;
  }
  return out;
};

interface Counts {
  views: number;
  api: number;
  fallback: number;
  errors: number;
}
const DIMENSIONS = ['page', 'browser', 'country', 'device', 'sdk', 'release'] as const satisfies readonly Dimension[];

type Row = { hour: number; page: string; browser: string; browser_major: string; country: string; device: string; sdk: string; release: string };
const valueOf = (r: Row, d: Dimension) => (d === 'browser' ? (r.browser_major ? `${r.browser} ${r.browser_major}` : r.browser) : r[d]);

/** The breakdown rows of one dimension: largest first, cells under the sample rolled into 'other'. */
function breakdown(counts: Map<string, Counts>, bins: Map<string, BinSet>, minSample: number): BreakdownRow[] {
  const sorted = [...counts.entries()].sort(([a, x], [b, y]) => y.views - x.views || (a < b ? -1 : 1));
  const shown = sorted.filter(([, c], i) => c.views >= minSample && i < MAX_ROWS);
  const row = (value: string, c: Counts, set: BinSet | undefined): BreakdownRow => ({
    value,
    views: c.views,
    ...(c.views >= minSample && { requestsPerView: c.api / c.views, originFallbackRate: c.fallback / c.views, errorRate: c.errors / c.views }),
    p75: p75s(set, minSample),
  });
  const rows = shown.map(([value, c]) => row(value, c, bins.get(value)));
  const others = sorted.filter((e) => !shown.includes(e));
  if (others.length) {
    const sum: Counts = { views: 0, api: 0, fallback: 0, errors: 0 };
    const merged: BinSet = new Map();
    for (const [value, c] of others) {
      sum.views += c.views;
      sum.api += c.api;
      sum.fallback += c.fallback;
      sum.errors += c.errors;
      for (const [metric, m] of bins.get(value) ?? []) for (const [bin, n] of m) addBin(merged, metric, bin, n);
    }
    rows.push(row('other', sum, merged));
  }
  return rows;
}

/**
 * Two scans (the bins and the counters in the range), folded here into every grouping the answer
 * needs at once: an SQL GROUP BY per grouping read the same rows eight times over.
 */
export async function fieldAnswer(store: FieldStore, filter: FieldFilter, o: AnswerOptions): Promise<FieldAnswer> {
  const w = whereOf(filter);
  const dims = 'hour, page, browser, browser_major, country, device, sdk, release';
  const [binRows, countRows] = await Promise.all([
    store.db.all<Row & { metric: string; bin: number; n: number }>(`SELECT ${dims}, metric, bin, n FROM vital_bins WHERE ${w.sql}`, w.params),
    store.db.all<Row & { views: number; api_requests: number; fallback_views: number; error_views: number; simulated_views: number }>(
      `SELECT ${dims}, views, api_requests, fallback_views, error_views, simulated_views FROM view_counts WHERE ${w.sql}`,
      w.params,
    ),
  ]);

  const total: BinSet = new Map();
  const byHour = new Map<number, BinSet>();
  const byDim = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, BinSet>()])) as Record<Dimension, Map<string, BinSet>>;
  const setIn = <K>(map: Map<K, BinSet>, key: K) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Map()));
    return set;
  };
  for (const r of binRows) {
    const metric = r.metric as Metric;
    const bin = Number(r.bin);
    const n = Number(r.n);
    addBin(total, metric, bin, n);
    addBin(setIn(byHour, Number(r.hour)), metric, bin, n);
    for (const d of DIMENSIONS) addBin(setIn(byDim[d], valueOf(r, d)), metric, bin, n);
  }

  let views = 0;
  let simulatedViews = 0;
  const hourViews = new Map<number, number>();
  const sdkHours = new Map<string, Map<number, { views: number; api: number }>>();
  const countsByDim = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, Counts>()])) as Record<Dimension, Map<string, Counts>>;
  for (const r of countRows) {
    const c = { views: Number(r.views), api: Number(r.api_requests), fallback: Number(r.fallback_views), errors: Number(r.error_views) };
    const hour = Number(r.hour);
    views += c.views;
    simulatedViews += Number(r.simulated_views);
    hourViews.set(hour, (hourViews.get(hour) ?? 0) + c.views);
    let perHour = sdkHours.get(r.sdk);
    if (!perHour) sdkHours.set(r.sdk, (perHour = new Map()));
    const h = perHour.get(hour) ?? { views: 0, api: 0 };
    perHour.set(hour, { views: h.views + c.views, api: h.api + c.api });
    for (const d of DIMENSIONS) {
      const key = valueOf(r, d);
      const acc = countsByDim[d].get(key) ?? { views: 0, api: 0, fallback: 0, errors: 0 };
      countsByDim[d].set(key, { views: acc.views + c.views, api: acc.api + c.api, fallback: acc.fallback + c.fallback, errors: acc.errors + c.errors });
    }
  }

  const series: SeriesPoint[] = [...hourViews.entries()].map(([hour, v]) => ({ hour, views: v, p75: p75s(byHour.get(hour), o.minSample) })).sort((a, b) => a.hour - b.hour);
  const requestsSeries = [...sdkHours.entries()]
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([sdk, hours]) => ({
      sdk,
      points: [...hours.entries()]
        .filter(([, h]) => h.views >= o.minSample)
        .map(([hour, h]) => ({ hour, views: h.views, requestsPerView: h.api / h.views }))
        .sort((a, b) => a.hour - b.hour),
    }))
    .filter((s) => s.points.length);

  return {
    filter,
    minSample: o.minSample,
    views,
    simulatedViews,
    metrics: METRICS.map((m) => summarise(m, binsOf(total, m), o.minSample)),
    series,
    requestsSeries,
    breakdowns: Object.fromEntries(DIMENSIONS.map((d) => [d, breakdown(countsByDim[d], byDim[d], o.minSample)])) as Record<Dimension, BreakdownRow[]>,
  };
}

/** Semver order (numeric parts, a pre-release before its release); 'unknown' first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map((n) => (/^\d+$/.test(n) ? Number(n) : -1)), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return d;
  }
  if (x.pre !== y.pre) return x.pre === undefined ? 1 : y.pre === undefined ? -1 : x.pre < y.pre ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
