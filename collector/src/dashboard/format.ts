import type { Metric, Rating } from '../field/thresholds.js';

/** How the dashboard spells numbers and times: fixed locale and UTC, so a page reads the same everywhere. */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatCount = (n: number) => integer.format(n);

/** A metric value as a person reads it: `850 ms`, `2.41 s`, CLS `0.07`. */
export function formatMetric(metric: Metric, value: number): string {
  if (metric === 'CLS') return value < 0.01 && value > 0 ? value.toFixed(3) : value.toFixed(2);
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${integer.format(value)} ms`;
}

/** The exact value, for tooltips and the tables behind the charts: `2,412 ms`, CLS `0.0712`. */
export function formatExact(metric: Metric, value: number): string {
  return metric === 'CLS' ? String(Number(value.toFixed(4))) : `${integer.format(value)} ms`;
}

export const formatRate = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)}%`;

export const formatPerView = (n: number) => n.toFixed(2);

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-01-02 14:00 UTC` */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export const RATING_LABEL: Record<Rating, string> = { good: 'Good', 'needs-improvement': 'Needs improvement', poor: 'Poor' };

export const METRIC_NAME: Record<Metric, string> = {
  LCP: 'Largest Contentful Paint',
  INP: 'Interaction to Next Paint',
  CLS: 'Cumulative Layout Shift',
  FCP: 'First Contentful Paint',
  TTFB: 'Time to First Byte',
};
