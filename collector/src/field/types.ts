import type { Metric, Rating } from './thresholds.js';

/**
 * The field answers' shapes: what `/v1/field`, `/v1/blank-variants` and `/v1/alarms` return as
 * JSON, and what the dashboard renders. Times are ms since the epoch.
 */
export interface FieldFilter {
  from: number;
  to: number;
  store?: string;
  page?: string;
  /** Family ('Safari') or family and major ('Safari 17'). */
  browser?: string;
  country?: string;
  device?: string;
  sdk?: string;
  release?: string;
}

export interface MetricSummary {
  metric: Metric;
  unit: 'ms' | '1';
  /** Page views that reported the metric. */
  count: number;
  /** Absent while `count` is under the minimum sample. */
  p50?: number;
  p75?: number;
  p95?: number;
  /** The rating of p75, as CrUX rates an origin. */
  rating?: Rating;
  /** Shares of page views rated good / needs-improvement / poor (0..1), exact (the thresholds are bin edges). */
  shares?: { good: number; 'needs-improvement': number; poor: number };
}

export interface BreakdownRow {
  /**
   * The dimension's value. The roll-up row (last, `rolledUp: true`) gathers the values whose sample
   * is under the minimum and is spelled 'other' too: a real value may also be 'other' (the device
   * class of a User-Agent bowser cannot place, a release tag), so tell them apart by `rolledUp`.
   */
  value: string;
  /** Only on the roll-up row: it is no one value but every value under the minimum sample (or past the 50 rows listed). */
  rolledUp?: true;
  views: number;
  /** Mean API requests per page view. */
  requestsPerView?: number;
  originFallbackRate?: number;
  errorRate?: number;
  p75: Partial<Record<Metric, number>>;
}

export type Dimension = 'page' | 'browser' | 'country' | 'device' | 'sdk' | 'release';

export interface SeriesPoint {
  hour: number;
  views: number;
  p75: Partial<Record<Metric, number>>;
}

export interface FieldAnswer {
  filter: FieldFilter;
  minSample: number;
  views: number;
  /** Of `views`, how many `vitrine-collector simulate` made (the dashboard says the data is simulated). */
  simulatedViews: number;
  /**
   * Stored hourly rows in range left out, wholly or from requests per view, because they hold a count
   * no page view makes (kept by an older collector, or written by hand; field/believable.ts).
   */
  skippedRows: number;
  metrics: MetricSummary[];
  /** p75 per metric per hour, and views. */
  series: SeriesPoint[];
  /** Requests per page view per hour and SDK version (the incident's first fault, drawn). */
  requestsSeries: { sdk: string; points: { hour: number; views: number; requestsPerView: number }[] }[];
  breakdowns: Record<Dimension, BreakdownRow[]>;
}

export interface BlankVariant {
  url: string;
  /** Page views that reported this URL blank. */
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** Where it was seen blank: browser (family + major) × country × device, with counts, largest first. */
  variants: { browser: string; country: string; device: string; count: number }[];
}

export interface BlankAnswer {
  filter: FieldFilter;
  urls: BlankVariant[];
}

export type AlarmKind = 'requests-per-view' | 'blank-variant' | 'origin-fallback-rate' | 'error-rate' | 'vital-regression';

export interface Alarm {
  id: string;
  kind: AlarmKind;
  store: string;
  /** What the alarm is about, stable while it stays open (e.g. 'sdk 0.2.0', 'Safari 17 in DE'). */
  subject: string;
  /** One sentence a support engineer can act on. */
  summary: string;
  openedAt: number;
  resolvedAt?: number;
  /** The numbers behind it. */
  evidence: Record<string, unknown>;
  /** The support console's fault toggles that reproduce it (query string for demo/index.html). */
  reproduce?: string;
}

export interface AlarmAnswer {
  filter: FieldFilter;
  open: Alarm[];
  resolved: Alarm[];
}
