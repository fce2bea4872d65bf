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

const DIMENSION_SQL: Record<Dimension, string> = {
  page: 'page',
  // Browser family and major as one value, spelled the same in both databases.
  browser: "browser || CASE WHEN browser_major = '' THEN '' ELSE ' ' || browser_major END",
  country: 'country',
  device: 'device',
  sdk: 'sdk',
  release: 'release',
};

type BinRow = { metric: string; bin: number; n: number };

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

/** Groups bin rows by a key, per metric. */
function binsBy<K>(rows: (BinRow & { key: K })[]): Map<K, Map<Metric, Bin[]>> {
  const out = new Map<K, Map<Metric, Bin[]>>();
  for (const r of rows) {
    let byMetric = out.get(r.key);
    if (!byMetric) out.set(r.key, (byMetric = new Map()));
    const m = r.metric as Metric;
    let list = byMetric.get(m);
    if (!list) byMetric.set(m, (list = []));
    list.push({ hi: Number(r.bin), n: Number(r.n) });
  }
  return out;
}

const p75s = (byMetric: Map<Metric, Bin[]> | undefined, minSample: number) => {
  const out: Partial<Record<Metric, number>> = {};
  if (!byMetric) return out;
  for (const [metric, bins] of byMetric) {
    if (bins.reduce((s, b) => s + b.n, 0) < minSample) continue;
    const v = quantile(metric, bins, 0.75);
    if (v !== undefined) out[metric] = v;
  }
  return out;
};

async function breakdown(store: FieldStore, filter: FieldFilter, dim: Dimension, minSample: number): Promise<BreakdownRow[]> {
  const w = whereOf(filter);
  const col = DIMENSION_SQL[dim];
  const [counts, bins] = await Promise.all([
    store.db.all<{ value: string; views: number; api: number; fallback: number; errors: number }>(
      `SELECT ${col} AS value, SUM(views) AS views, SUM(api_requests) AS api, SUM(fallback_views) AS fallback, SUM(error_views) AS errors FROM view_counts WHERE ${w.sql} GROUP BY ${col}`,
      w.params,
    ),
    store.db.all<BinRow & { key: string }>(`SELECT ${col} AS key, metric, bin, SUM(n) AS n FROM vital_bins WHERE ${w.sql} GROUP BY ${col}, metric, bin`, w.params),
  ]);
  const binsByValue = binsBy(bins);
  const sorted = counts.map((c) => ({ ...c, views: Number(c.views), api: Number(c.api), fallback: Number(c.fallback), errors: Number(c.errors) })).sort((a, b) => b.views - a.views || (a.value < b.value ? -1 : 1));
  const shown = sorted.filter((c, i) => c.views >= minSample && i < MAX_ROWS);
  const rest = sorted.filter((c) => !shown.includes(c));
  const row = (value: string, c: { views: number; api: number; fallback: number; errors: number }, byMetric: Map<Metric, Bin[]> | undefined): BreakdownRow => ({
    value,
    views: c.views,
    ...(c.views >= minSample && { requestsPerView: c.api / c.views, originFallbackRate: c.fallback / c.views, errorRate: c.errors / c.views }),
    p75: p75s(byMetric, minSample),
  });
  const rows = shown.map((c) => row(c.value, c, binsByValue.get(c.value)));
  if (rest.length) {
    const sum = rest.reduce((s, c) => ({ views: s.views + c.views, api: s.api + c.api, fallback: s.fallback + c.fallback, errors: s.errors + c.errors }), { views: 0, api: 0, fallback: 0, errors: 0 });
    const merged = new Map<Metric, Bin[]>();
    for (const c of rest) for (const [m, list] of binsByValue.get(c.value) ?? []) merged.set(m, [...(merged.get(m) ?? []), ...list]);
    rows.push(row('other', sum, merged));
  }
  return rows;
}

export async function fieldAnswer(store: FieldStore, filter: FieldFilter, o: AnswerOptions): Promise<FieldAnswer> {
  const w = whereOf(filter);
  const [bins, views, hourly, hourlyViews, requests, ...dims] = await Promise.all([
    store.db.all<BinRow>(`SELECT metric, bin, SUM(n) AS n FROM vital_bins WHERE ${w.sql} GROUP BY metric, bin`, w.params),
    store.db.all<{ views: number; simulated: number }>(`SELECT COALESCE(SUM(views), 0) AS views, COALESCE(SUM(simulated_views), 0) AS simulated FROM view_counts WHERE ${w.sql}`, w.params),
    store.db.all<BinRow & { key: number }>(`SELECT hour AS key, metric, bin, SUM(n) AS n FROM vital_bins WHERE ${w.sql} GROUP BY hour, metric, bin`, w.params),
    store.db.all<{ hour: number; views: number }>(`SELECT hour, SUM(views) AS views FROM view_counts WHERE ${w.sql} GROUP BY hour`, w.params),
    store.db.all<{ hour: number; sdk: string; views: number; api: number }>(`SELECT hour, sdk, SUM(views) AS views, SUM(api_requests) AS api FROM view_counts WHERE ${w.sql} GROUP BY hour, sdk`, w.params),
    ...(['page', 'browser', 'country', 'device', 'sdk', 'release'] as const).map((d) => breakdown(store, filter, d, o.minSample)),
  ]);
  const all = binsBy(bins.map((b) => ({ ...b, key: 0 }))).get(0);
  const metrics = METRICS.map((m) => summarise(m, all?.get(m) ?? [], o.minSample));

  const byHour = binsBy(hourly.map((h) => ({ ...h, key: Number(h.key) })));
  const series: SeriesPoint[] = hourlyViews
    .map((h) => ({ hour: Number(h.hour), views: Number(h.views), p75: p75s(byHour.get(Number(h.hour)), o.minSample) }))
    .sort((a, b) => a.hour - b.hour);

  const bySdk = new Map<string, { hour: number; views: number; requestsPerView: number }[]>();
  for (const r of requests) {
    const v = Number(r.views);
    if (v < o.minSample) continue;
    const list = bySdk.get(r.sdk) ?? [];
    list.push({ hour: Number(r.hour), views: v, requestsPerView: Number(r.api) / v });
    bySdk.set(r.sdk, list);
  }
  const requestsSeries = [...bySdk.entries()].sort(([a], [b]) => compareVersions(a, b)).map(([sdk, points]) => ({ sdk, points: points.sort((a, b) => a.hour - b.hour) }));

  const [page, browser, country, device, sdk, release] = dims as BreakdownRow[][];
  return {
    filter,
    minSample: o.minSample,
    views: Number(views[0]?.views ?? 0),
    simulatedViews: Number(views[0]?.simulated ?? 0),
    metrics,
    series,
    requestsSeries,
    breakdowns: { page: page!, browser: browser!, country: country!, device: device!, sdk: sdk!, release: release! },
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
