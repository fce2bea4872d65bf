import type { FieldAnswer, MetricSummary } from '../field/types.js';
import { METRIC_NAME, RATING_LABEL, formatCount, formatMetric } from './format.js';
import { html, type Html } from './html.js';

const ORDER = ['good', 'needs-improvement', 'poor'] as const;
const pct = (r: number) => `${Math.round(r * 100)}%`;

/** The good / needs-improvement / poor shares as one stacked bar (SVG widths: no inline style), and in words. */
function sharesBar(shares: NonNullable<MetricSummary['shares']>): Html {
  let x = 0;
  const rects = ORDER.map((r) => {
    const w = Math.round(shares[r] * 1000) / 10;
    const rect = html`<rect class="bar ${r}" x="${x}" y="0" width="${w}" height="8"/>`;
    x += w;
    return rect;
  });
  const words = ORDER.map((r) => `${RATING_LABEL[r].toLowerCase()} ${pct(shares[r])}`).join(', ');
  return html`<svg class="shares-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="Page views: ${words}"><title>Page views: ${words}</title>${rects}</svg>
<p class="shares"><span class="rating-text good">${pct(shares.good)} good</span> · <span class="rating-text needs-improvement">${pct(shares['needs-improvement'])} NI</span> · <span class="rating-text poor">${pct(shares.poor)} poor</span></p>`;
}

/** One tile per metric: p75 and its rating, p50/p95, the sample, and the good / NI / poor shares. */
function tile(m: MetricSummary, minSample: number): Html {
  const head = html`<h3><abbr title="${METRIC_NAME[m.metric]}">${m.metric}</abbr> <span class="sub">p75</span></h3>`;
  if (m.p75 === undefined || m.rating === undefined) {
    return html`<li class="tile">${head}<p class="value na">not enough data</p><p class="meta">${formatCount(m.count)} of ${formatCount(minSample)} page views needed</p></li>`;
  }
  const shares = m.shares;
  const bar = shares ? sharesBar(shares) : html``;
  const p50 = m.p50 !== undefined ? formatMetric(m.metric, m.p50) : '—';
  const p95 = m.p95 !== undefined ? formatMetric(m.metric, m.p95) : '—';
  return html`<li class="tile">${head}<p class="value">${formatMetric(m.metric, m.p75)}</p><p class="rating ${m.rating}">${RATING_LABEL[m.rating]}</p>${bar}<p class="meta"><span class="nowrap">p50 ${p50}</span> · <span class="nowrap">p95 ${p95}</span> · <span class="nowrap">${formatCount(m.count)} views</span></p></li>`;
}

export function tiles(field: FieldAnswer): Html {
  return html`<section aria-labelledby="h-vitals"><h2 id="h-vitals">Core Web Vitals at the 75th percentile</h2>
<p class="lede">${formatCount(field.views)} page views in range. Ratings use the CrUX thresholds; a metric shows once it has ${formatCount(field.minSample)} page views.</p>
<ul class="tiles">${field.metrics.map((m) => tile(m, field.minSample))}</ul></section>`;
}
