import { CollectorError } from '../errors.js';
import { METRICS, isMetric, type Metric } from '../field/thresholds.js';

/**
 * The dashboard's own query string: a time range preset (or explicit `from`/`to`), the filter
 * fields the field answers take, and which metric the chart draws. `filterUrl` turns it into the
 * query `parseFilter` validates (only the fields it knows, blanks dropped); `linkTo` keeps the
 * state in every link the page makes.
 */
export const FILTER_FIELDS = ['store', 'page', 'browser', 'country', 'device', 'sdk', 'release'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

const HOUR = 3_600_000;
export const RANGES = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR } as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_LABEL: Record<RangeKey, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };
export const DEFAULT_RANGE: RangeKey = '24h';

export interface DashboardQuery {
  /** 'custom' when the query gives `from` or `to` itself. */
  range: RangeKey | 'custom';
  from?: string;
  to?: string;
  fields: Partial<Record<FilterField, string>>;
  metric: Metric;
}

const isRange = (v: string): v is RangeKey => Object.hasOwn(RANGES, v);

/** Reads the page's query; an unknown range or metric is a coded 400 naming it (the page shows it). */
export function readQuery(params: URLSearchParams): DashboardQuery {
  const get = (name: string) => {
    const v = params.get(name)?.trim();
    return v ? v : undefined;
  };
  const fields: DashboardQuery['fields'] = {};
  for (const f of FILTER_FIELDS) {
    const v = get(f);
    if (v !== undefined) fields[f] = v;
  }
  const metric = get('metric') ?? 'LCP';
  const from = get('from');
  const to = get('to');
  const range = get('range');
  // A preset picked in the form wins over a from/to left from a custom range.
  const custom = (range === undefined || range === 'custom') && (from !== undefined || to !== undefined);
  const q: DashboardQuery = { range: custom ? 'custom' : range !== undefined && isRange(range) ? range : DEFAULT_RANGE, fields, metric: isMetric(metric) ? metric : 'LCP' };
  if (custom && from !== undefined) q.from = from;
  if (custom && to !== undefined) q.to = to;
  if (range !== undefined && !isRange(range) && range !== 'custom') {
    throw Object.assign(
      new CollectorError('INVALID_QUERY', 400, `Expected range to be one of ${Object.keys(RANGES).join(', ')}, got ${JSON.stringify(range.slice(0, 40))}`, 'range'),
      { query: q },
    );
  }
  if (!isMetric(metric)) {
    throw Object.assign(new CollectorError('INVALID_QUERY', 400, `Expected metric to be one of ${METRICS.join(', ')}, got ${JSON.stringify(metric.slice(0, 40))}`, 'metric'), {
      query: q,
    });
  }
  return q;
}

/** The query the field answers validate: explicit from/to, or the preset counted back from now. */
export function filterUrl(q: DashboardQuery, now: number): URL {
  const url = new URL('http://dashboard.invalid/');
  if (q.range === 'custom') {
    if (q.from !== undefined) url.searchParams.set('from', q.from);
    if (q.to !== undefined) url.searchParams.set('to', q.to);
  } else {
    url.searchParams.set('from', String(now - RANGES[q.range]));
    url.searchParams.set('to', String(now));
  }
  for (const f of FILTER_FIELDS) {
    const v = q.fields[f];
    if (v !== undefined) url.searchParams.set(f, v);
  }
  return url;
}

/** The page's state as a query string (no `?`), with some values replaced or removed (`undefined`). */
export function stateParams(q: DashboardQuery, change: Record<string, string | undefined> = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (q.range === 'custom') {
    if (q.from !== undefined) p.set('from', q.from);
    if (q.to !== undefined) p.set('to', q.to);
  } else if (q.range !== DEFAULT_RANGE) p.set('range', q.range);
  for (const f of FILTER_FIELDS) {
    const v = q.fields[f];
    if (v !== undefined) p.set(f, v);
  }
  if (q.metric !== 'LCP') p.set('metric', q.metric);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) p.delete(k);
    else p.set(k, v);
  }
  return p;
}

/** A same-origin link to `path` keeping the page's state. */
export function linkTo(path: string, q: DashboardQuery, change: Record<string, string | undefined> = {}): string {
  const s = stateParams(q, change).toString();
  return s ? `${path}?${s}` : path;
}

/** Only the parameters the page knows, re-serialised: what a login may redirect back to. */
export function safeNext(search: string): string {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const out = new URLSearchParams();
  for (const name of ['range', 'from', 'to', 'metric', ...FILTER_FIELDS]) {
    const v = params.get(name);
    if (v) out.set(name, v.slice(0, 1024));
  }
  const s = out.toString();
  return s ? `/?${s}` : '/';
}
