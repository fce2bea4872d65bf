import type { FieldStore } from '../store/store.js';
import { API_BELIEVABLE, BIN_BELIEVABLE, VIEWS_BELIEVABLE, sum } from './believable.js';
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
  /** The views whose API requests are believable (believable.ts): what requests per view is over. */
  apiViews: number;
  fallback: number;
  errors: number;
}
const DIMENSIONS = ['page', 'browser', 'country', 'device', 'sdk', 'release'] as const satisfies readonly Dimension[];

type Row = { hour: number; page: string; browser: string; browser_major: string; country: string; device: string; sdk: string; release: string };
const valueFor = (r: Row, d: Dimension) => (d === 'browser' ? (r.browser_major ? `${r.browser} ${r.browser_major}` : r.browser) : r[d]);

/** The breakdown rows of one dimension: largest first, cells under the sample rolled into one last row (`rolledUp`). */
function breakdown(counts: Map<string, Counts>, bins: Map<string, BinSet>, minSample: number): BreakdownRow[] {
  const sorted = [...counts.entries()].sort(([a, x], [b, y]) => y.views - x.views || (a < b ? -1 : 1));
  const shown = sorted.filter(([, c], i) => c.views >= minSample && i < MAX_ROWS);
  const row = (value: string, c: Counts, set: BinSet | undefined): BreakdownRow => ({
    value,
    views: c.views,
    ...(c.apiViews >= minSample && { requestsPerView: c.api / c.apiViews }),
    ...(c.views >= minSample && { originFallbackRate: c.fallback / c.views, errorRate: c.errors / c.views }),
    p75: p75s(set, minSample),
  });
  const rows = shown.map(([value, c]) => row(value, c, bins.get(value)));
  const others = sorted.filter((e) => !shown.includes(e));
  if (others.length) {
    const sum: Counts = { views: 0, api: 0, apiViews: 0, fallback: 0, errors: 0 };
    const merged: BinSet = new Map();
    for (const [value, c] of others) {
      sum.views += c.views;
      sum.api += c.api;
      sum.apiViews += c.apiViews;
      sum.fallback += c.fallback;
      sum.errors += c.errors;
      for (const [metric, m] of bins.get(value) ?? []) for (const [bin, n] of m) addBin(merged, metric, bin, n);
    }
    // Still spelled 'other' for readers of the first shape; `rolledUp` is what tells it from a real
    // value of that name (bowser's device class for a User-Agent it cannot place, a release tag).
    rows.push({ ...row('other', sum, merged), rolledUp: true });
  }
  return rows;
}

/** Every grouping an answer needs, folded from whichever table answers the filter. */
interface Folded {
  total: BinSet;
  byHour: Map<number, BinSet>;
  byDim: Record<Dimension, Map<string, BinSet>>;
  views: number;
  simulatedViews: number;
  hourViews: Map<number, number>;
  sdkHours: Map<string, Map<number, { apiViews: number; api: number }>>;
  countsByDim: Record<Dimension, Map<string, Counts>>;
  skippedRows: number;
}

function emptyFold(): Folded {
  return {
    total: new Map(),
    byHour: new Map(),
    byDim: Object.fromEntries(DIMENSIONS.map((d) => [d, new Map()])) as Folded['byDim'],
    views: 0,
    simulatedViews: 0,
    hourViews: new Map(),
    sdkHours: new Map(),
    countsByDim: Object.fromEntries(DIMENSIONS.map((d) => [d, new Map()])) as Folded['countsByDim'],
    skippedRows: 0,
  };
}

const setIn = <K>(map: Map<K, BinSet>, key: K) => {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Map()));
  return set;
};
const addCounts = (map: Map<string, Counts>, key: string, c: Counts) => {
  const acc = map.get(key) ?? { views: 0, api: 0, apiViews: 0, fallback: 0, errors: 0 };
  map.set(key, {
    views: acc.views + c.views,
    api: acc.api + c.api,
    apiViews: acc.apiViews + c.apiViews,
    fallback: acc.fallback + c.fallback,
    errors: acc.errors + c.errors,
  });
};
const addSdkHour = (f: Folded, sdk: string, hour: number, apiViews: number, api: number) => {
  let perHour = f.sdkHours.get(sdk);
  if (!perHour) f.sdkHours.set(sdk, (perHour = new Map()));
  const h = perHour.get(hour) ?? { apiViews: 0, api: 0 };
  perHour.set(hour, { apiViews: h.apiViews + apiViews, api: h.api + api });
};

/**
 * A filter on a dimension (page, browser, …) reads the hourly cube of every dimension: two scans,
 * folded here into every grouping at once.
 */
async function foldCube(store: FieldStore, filter: FieldFilter): Promise<Folded> {
  const w = whereOf(filter);
  const dims = 'hour, page, browser, browser_major, country, device, sdk, release';
  const [binRows, countRows, skipped] = await Promise.all([
    store.db.all<Row & { metric: string; bin: number; n: number }>(`SELECT ${dims}, metric, bin, n FROM vital_bins WHERE ${w.sql} AND ${BIN_BELIEVABLE}`, w.params),
    store.db.all<Row & { views: number; api_requests: number; api_ok: number; fallback_views: number; error_views: number; simulated_views: number }>(
      `SELECT ${dims}, views, api_requests, CASE WHEN ${API_BELIEVABLE} THEN 1 ELSE 0 END AS api_ok, fallback_views, error_views, simulated_views FROM view_counts WHERE ${w.sql} AND ${VIEWS_BELIEVABLE}`,
      w.params,
    ),
    skippedRows(store, 'view_counts', 'vital_bins', w),
  ]);
  const f = emptyFold();
  f.skippedRows = skipped;
  for (const r of binRows) {
    const metric = r.metric as Metric;
    const bin = Number(r.bin);
    const n = Number(r.n);
    addBin(f.total, metric, bin, n);
    addBin(setIn(f.byHour, Number(r.hour)), metric, bin, n);
    for (const d of DIMENSIONS) addBin(setIn(f.byDim[d], valueFor(r, d)), metric, bin, n);
  }
  for (const r of countRows) {
    const apiOk = Number(r.api_ok) === 1;
    const views = Number(r.views);
    const c = { views, api: apiOk ? Number(r.api_requests) : 0, apiViews: apiOk ? views : 0, fallback: Number(r.fallback_views), errors: Number(r.error_views) };
    const hour = Number(r.hour);
    f.views += c.views;
    f.simulatedViews += Number(r.simulated_views);
    f.hourViews.set(hour, (f.hourViews.get(hour) ?? 0) + c.views);
    addSdkHour(f, r.sdk, hour, c.apiViews, c.api);
    for (const d of DIMENSIONS) addCounts(f.countsByDim[d], valueFor(r, d), c);
  }
  return f;
}

/**
 * No dimension filtered (the dashboard's first view): the one-dimension-at-a-time rollups answer,
 * grouped in SQL, so the cost follows the number of pages, browsers, countries… not their product.
 */
async function foldRollups(store: FieldStore, filter: FieldFilter): Promise<Folded> {
  const w = whereOf(filter, { dims: false });
  const api = sum(`CASE WHEN ${API_BELIEVABLE} THEN api_requests ELSE 0 END`);
  const apiViews = sum(`CASE WHEN ${API_BELIEVABLE} THEN views ELSE 0 END`);
  const [bins, hourly, counts, countHours, skipped] = await Promise.all([
    store.db.all<{ dim: string; value: string; metric: string; bin: number; n: number }>(
      `SELECT dim, value, metric, bin, ${sum('n')} AS n FROM vital_rollup WHERE ${w.sql} AND ${BIN_BELIEVABLE} GROUP BY dim, value, metric, bin`,
      w.params,
    ),
    store.db.all<{ hour: number; metric: string; bin: number; n: number }>(
      `SELECT hour, metric, bin, ${sum('n')} AS n FROM vital_rollup WHERE ${w.sql} AND dim = '' AND ${BIN_BELIEVABLE} GROUP BY hour, metric, bin`,
      w.params,
    ),
    store.db.all<{ dim: string; value: string; views: number; api: number; api_views: number; fallback: number; errors: number; simulated: number }>(
      `SELECT dim, value, ${sum('views')} AS views, ${api} AS api, ${apiViews} AS api_views, ${sum('fallback_views')} AS fallback, ${sum('error_views')} AS errors, ${sum('simulated_views')} AS simulated FROM count_rollup WHERE ${w.sql} AND ${VIEWS_BELIEVABLE} GROUP BY dim, value`,
      w.params,
    ),
    store.db.all<{ hour: number; dim: string; value: string; views: number; api: number; api_views: number }>(
      `SELECT hour, dim, value, ${sum('views')} AS views, ${api} AS api, ${apiViews} AS api_views FROM count_rollup WHERE ${w.sql} AND dim IN ('', 'sdk') AND ${VIEWS_BELIEVABLE} GROUP BY hour, dim, value`,
      w.params,
    ),
    // Rows of the totals ('' = every view): one bad hour is one row, not one per dimension.
    skippedRows(store, 'count_rollup', 'vital_rollup', w, " AND dim = ''"),
  ]);
  const f = emptyFold();
  f.skippedRows = skipped;
  for (const r of bins) {
    const metric = r.metric as Metric;
    if (r.dim === '') addBin(f.total, metric, Number(r.bin), Number(r.n));
    else if ((DIMENSIONS as readonly string[]).includes(r.dim)) addBin(setIn(f.byDim[r.dim as Dimension], r.value), metric, Number(r.bin), Number(r.n));
  }
  for (const r of hourly) addBin(setIn(f.byHour, Number(r.hour)), r.metric as Metric, Number(r.bin), Number(r.n));
  for (const r of counts) {
    const c = { views: Number(r.views), api: Number(r.api), apiViews: Number(r.api_views), fallback: Number(r.fallback), errors: Number(r.errors) };
    if (r.dim === '') {
      f.views += c.views;
      f.simulatedViews += Number(r.simulated);
    } else if ((DIMENSIONS as readonly string[]).includes(r.dim)) addCounts(f.countsByDim[r.dim as Dimension], r.value, c);
  }
  for (const r of countHours) {
    const hour = Number(r.hour);
    if (r.dim === '') f.hourViews.set(hour, (f.hourViews.get(hour) ?? 0) + Number(r.views));
    else addSdkHour(f, r.value, hour, Number(r.api_views), Number(r.api));
  }
  return f;
}

/** Stored rows in range holding a count no page views could have made (believable.ts), left out above. */
async function skippedRows(store: FieldStore, counts: string, bins: string, w: { sql: string; params: unknown[] }, only = ''): Promise<number> {
  const rows = await store.db.all<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM ${counts} WHERE ${w.sql}${only} AND NOT (${VIEWS_BELIEVABLE} AND ${API_BELIEVABLE})) + (SELECT COUNT(*) FROM ${bins} WHERE ${w.sql}${only} AND NOT (${BIN_BELIEVABLE})) AS n`,
    [...w.params, ...w.params],
  );
  return Number(rows[0]?.n ?? 0);
}

const filtersDimension = (filter: FieldFilter) => DIMENSIONS.some((d) => filter[d] !== undefined);

export async function fieldAnswer(store: FieldStore, filter: FieldFilter, o: AnswerOptions & { source?: 'cube' | 'rollups' }): Promise<FieldAnswer> {
  const source = o.source ?? (filtersDimension(filter) ? 'cube' : 'rollups');
  if (source === 'rollups' && filtersDimension(filter)) throw new Error('the rollups cannot answer a dimension filter');
  const f = source === 'cube' ? await foldCube(store, filter) : await foldRollups(store, filter);

  const series: SeriesPoint[] = [...f.hourViews.entries()].map(([hour, v]) => ({ hour, views: v, p75: p75s(f.byHour.get(hour), o.minSample) })).sort((a, b) => a.hour - b.hour);
  const requestsSeries = [...f.sdkHours.entries()]
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([sdk, hours]) => ({
      sdk,
      points: [...hours.entries()]
        .filter(([, h]) => h.apiViews >= o.minSample)
        .map(([hour, h]) => ({ hour, views: h.apiViews, requestsPerView: h.api / h.apiViews }))
        .sort((a, b) => a.hour - b.hour),
    }))
    .filter((s) => s.points.length);

  return {
    filter,
    minSample: o.minSample,
    views: f.views,
    simulatedViews: f.simulatedViews,
    skippedRows: f.skippedRows,
    metrics: METRICS.map((m) => summarise(m, binsOf(f.total, m), o.minSample)),
    series,
    requestsSeries,
    breakdowns: Object.fromEntries(DIMENSIONS.map((d) => [d, breakdown(f.countsByDim[d], f.byDim[d], o.minSample)])) as Record<Dimension, BreakdownRow[]>,
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
