import { METRICS, rate } from '../field/thresholds.js';
import type { BreakdownRow, Dimension, FieldAnswer } from '../field/types.js';
import { dataTable, missing } from './data-table.js';
import { formatCount, formatMetric, formatPerView, formatRate } from './format.js';
import { html, type Html } from './html.js';
import { linkTo, type DashboardQuery } from './query.js';

/**
 * One table per dimension (page, browser, country, device, SDK version, and merchant release when
 * reports carry one): views, requests per view, origin-fallback and error rates, p75 per metric.
 * A value links to the page filtered by it; the roll-up row ('other', `rolledUp`) gathers the
 * values under the minimum sample and links nowhere (a real value named 'other' still links).
 */
const TITLES: Record<Dimension, string> = {
  page: 'By page',
  browser: 'By browser',
  country: 'By country',
  device: 'By device',
  sdk: 'By SDK version',
  release: 'By merchant release',
};
const HEADS: Record<Dimension, string> = { page: 'Page', browser: 'Browser', country: 'Country', device: 'Device', sdk: 'SDK', release: 'Release' };

function valueCell(dim: Dimension, row: BreakdownRow, q: DashboardQuery): Html {
  if (row.rolledUp) return html`<span class="other">other</span> <span class="hint">(each under the minimum sample)</span>`;
  if (row.value === '') return html`<span class="other">(none)</span>`;
  if (q.fields[dim] === row.value) return html`${row.value}`;
  return html`<a href="${linkTo('/', q, { [dim]: row.value })}">${row.value}</a>`;
}

const p75Cell = (metric: (typeof METRICS)[number], v: number | undefined): Html =>
  v === undefined ? missing() : html`<span class="rating-text ${rate(metric, v)}">${formatMetric(metric, v)}</span>`;

function breakdown(dim: Dimension, rows: BreakdownRow[], q: DashboardQuery): Html {
  return dataTable({
    id: `table-${dim}`,
    caption: TITLES[dim],
    head: [HEADS[dim], 'Views', 'Requests / view', 'Origin fallback', 'Errors', ...METRICS.map((m) => `${m} p75`)],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    rows: rows.map((r) => [
      valueCell(dim, r, q),
      formatCount(r.views),
      r.requestsPerView !== undefined ? formatPerView(r.requestsPerView) : missing(),
      r.originFallbackRate !== undefined ? formatRate(r.originFallbackRate) : missing(),
      r.errorRate !== undefined ? formatRate(r.errorRate) : missing(),
      ...METRICS.map((m) => p75Cell(m, r.p75[m])),
    ]),
    empty: `${TITLES[dim]}: no page views in range.`,
  });
}

export function breakdowns(field: FieldAnswer, q: DashboardQuery): Html {
  const dims: Dimension[] = ['page', 'browser', 'country', 'device', 'sdk'];
  if ((field.breakdowns.release ?? []).some((r) => r.value !== '' && !r.rolledUp)) dims.push('release');
  return html`<section aria-labelledby="h-breakdowns"><h2 id="h-breakdowns">Breakdowns</h2>
<p class="lede">Rates are shares of page views: <em>origin fallback</em> counts views where a CDN answer was bad and the origin served it; <em>errors</em> views that reported an error.</p>
${dims.map((d) => breakdown(d, field.breakdowns[d] ?? [], q))}</section>`;
}
