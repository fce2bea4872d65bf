import { METRICS, THRESHOLDS, type Metric } from '../field/thresholds.js';
import type { FieldAnswer } from '../field/types.js';
import { dataTable, missing } from './data-table.js';
import { formatCount, formatExact, formatMetric, formatPerView, formatTime } from './format.js';
import { html, type Html } from './html.js';
import { lineChart } from './line-chart.js';
import { linkTo, type DashboardQuery } from './query.js';

/**
 * The two time series: p75 per hour of one metric (tabs pick which; LCP by default), and API
 * requests per page view per hour for each SDK version, the incident's first fault drawn. Each
 * chart's numbers are also in a table beneath it.
 */
const tickOf = (metric: Metric) => (v: number) => (metric === 'CLS' ? String(Number(v.toFixed(3))) : formatCount(v));

function vitalsChart(field: FieldAnswer, q: DashboardQuery): Html {
  const metric = q.metric;
  const points = field.series.map((p) => ({
    x: p.hour,
    y: p.p75[metric],
    tip: p.p75[metric] !== undefined ? `${metric} p75 ${formatExact(metric, p.p75[metric]!)} (${formatCount(p.views)} views)` : undefined,
  }));
  const shown = points.filter((p) => p.y !== undefined);
  const last = shown[shown.length - 1];
  const t = THRESHOLDS[metric];
  const summary = shown.length
    ? `${metric} p75 per hour over ${shown.length} hours with enough data: from ${formatMetric(metric, Math.min(...shown.map((p) => p.y!)))} to ${formatMetric(metric, Math.max(...shown.map((p) => p.y!)))}, latest ${formatMetric(metric, last!.y!)}.`
    : `No hour has enough ${metric} data.`;
  const tabs = METRICS.map(
    (m) => html`<li><a href="${linkTo('/', q, { metric: m === 'LCP' ? undefined : m })}#h-series"${m === metric ? html` aria-current="true"` : html``}>${m}</a></li>`,
  );
  const chart = lineChart({
    id: 'chart-vitals',
    title: `${metric} p75 per hour`,
    summary,
    series: [{ name: `${metric} p75`, points: points.map(({ tip, ...p }) => (tip === undefined ? p : { ...p, tip })) }],
    xDomain: [field.filter.from, field.filter.to],
    head: (x) => formatTime(x),
    formatY: tickOf(metric),
    yLabel: metric === 'CLS' ? `${metric} p75` : `${metric} p75, ms`,
    guides: [
      { y: t.good, label: `good ≤ ${formatMetric(metric, t.good)}`, kind: 'good' },
      { y: t.poor, label: `poor > ${formatMetric(metric, t.poor)}`, kind: 'poor' },
    ],
  });
  const table = dataTable({
    id: 'table-series',
    caption: 'p75 per hour, every metric',
    head: ['Hour (UTC)', 'Views', ...METRICS],
    numeric: [1, 2, 3, 4, 5, 6],
    rows: field.series.map((p) => [formatTime(p.hour), formatCount(p.views), ...METRICS.map((m) => (p.p75[m] !== undefined ? formatExact(m, p.p75[m]!) : missing()))]),
    empty: 'No page views in range.',
  });
  return html`<div class="panel"><h3 id="h-chart-vitals">p75 per hour</h3>
<nav aria-label="Metric drawn"><ul class="tabs">${tabs}</ul></nav>
${chart}
<details><summary>The numbers behind this chart</summary>${table}</details></div>`;
}

function requestsChart(field: FieldAnswer): Html {
  const series = field.requestsSeries.map((s) => ({
    name: `SDK ${s.sdk}`,
    points: s.points.map((p) => ({ x: p.hour, y: p.requestsPerView, tip: `SDK ${s.sdk}: ${formatPerView(p.requestsPerView)} requests/view (${formatCount(p.views)} views)` })),
  }));
  const summary = field.requestsSeries.length
    ? `${field.requestsSeries
        .map((s) => {
          const views = s.points.reduce((n, p) => n + p.views, 0);
          const mean = views ? s.points.reduce((n, p) => n + p.requestsPerView * p.views, 0) / views : 0;
          return `SDK ${s.sdk}: ${formatPerView(mean)} requests per view over ${formatCount(views)} views`;
        })
        .join('; ')}.`
    : 'No page views in range.';
  const chart = lineChart({
    id: 'chart-requests',
    title: 'API requests per page view, per SDK version',
    summary,
    series,
    xDomain: [field.filter.from, field.filter.to],
    head: (x) => formatTime(x),
    formatY: (v) => String(Number(v.toFixed(2))),
    yLabel: 'requests / view',
  });
  const hours = [...new Set(field.requestsSeries.flatMap((s) => s.points.map((p) => p.hour)))].sort((a, b) => a - b);
  const table = dataTable({
    id: 'table-requests',
    caption: 'API requests per page view per hour, by SDK version',
    head: ['Hour (UTC)', ...field.requestsSeries.map((s) => `SDK ${s.sdk}`)],
    numeric: field.requestsSeries.map((_, i) => i + 1),
    rows: hours.map((h) => [
      formatTime(h),
      ...field.requestsSeries.map((s) => {
        const p = s.points.find((pt) => pt.hour === h);
        return p ? `${formatPerView(p.requestsPerView)} (${formatCount(p.views)})` : missing();
      }),
    ]),
    empty: 'No page views in range.',
  });
  return html`<div class="panel"><h3 id="h-chart-requests">Requests per page view</h3>
<p class="hint">Vitrine's budget is one API request per page view; a version above its predecessor is the incident's first fault.</p>
${chart}
<details><summary>The numbers behind this chart</summary>${table}</details></div>`;
}

export function charts(field: FieldAnswer, q: DashboardQuery): Html {
  return html`<section aria-labelledby="h-series"><h2 id="h-series">Over time</h2><div class="panels">${vitalsChart(field, q)}${requestsChart(field)}</div></section>`;
}
