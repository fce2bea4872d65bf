import { formatTime } from './format.js';
import { html, type Html } from './html.js';
import { RANGES, RANGE_LABEL, type DashboardQuery, type RangeKey } from './query.js';

/**
 * The page's filter: a plain GET form (works without JavaScript) whose fields are the query
 * parameters the field answers take, plus the range preset and the metric the chart draws.
 */
const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;

const text = (name: string, label: string, value: string | undefined, hint: string) =>
  html`<div class="field"><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="text" value="${value ?? ''}" placeholder="${hint}" autocomplete="off" spellcheck="false"></div>`;

export function filterForm(q: DashboardQuery, shown?: { from: number; to: number }): Html {
  const ranges = (Object.keys(RANGES) as RangeKey[]).map((r) => html`<option value="${r}"${q.range === r ? html` selected` : html``}>${RANGE_LABEL[r]}</option>`);
  const custom = q.range === 'custom' ? html`<option value="custom" selected>Custom (from / to)</option>` : html``;
  const customFields = q.range === 'custom' ? html`${text('from', 'From', q.from, 'ISO date or ms')}${text('to', 'To', q.to, 'ISO date or ms')}` : html``;
  const devices = DEVICES.map((d) => html`<option value="${d}"${q.fields.device === d ? html` selected` : html``}>${d}</option>`);
  const unknownDevice =
    q.fields.device !== undefined && !(DEVICES as readonly string[]).includes(q.fields.device)
      ? html`<option value="${q.fields.device}" selected>${q.fields.device}</option>`
      : html``;
  return html`<form class="filter" method="get" action="/" role="search" aria-label="Filter the field data">
<div class="field"><label for="f-range">Time range</label><select id="f-range" name="range">${ranges}${custom}</select></div>
${customFields}
${text('store', 'Store', q.fields.store, 'any')}
${text('page', 'Page', q.fields.page, 'e.g. /cart')}
${text('browser', 'Browser', q.fields.browser, 'e.g. Safari 17')}
${text('country', 'Country', q.fields.country, 'e.g. DE')}
<div class="field"><label for="f-device">Device</label><select id="f-device" name="device"><option value="">any</option>${devices}${unknownDevice}</select></div>
${text('sdk', 'SDK version', q.fields.sdk, 'e.g. 0.2.0')}
${text('release', 'Release', q.fields.release, 'any')}
${q.metric !== 'LCP' ? html`<input type="hidden" name="metric" value="${q.metric}">` : html``}
<div class="actions"><button type="submit">Apply</button> <a href="/">Reset</a></div>
</form>
${shown ? html`<p class="range">Showing <time datetime="${new Date(shown.from).toISOString()}">${formatTime(shown.from)}</time> to <time datetime="${new Date(shown.to).toISOString()}">${formatTime(shown.to)}</time></p>` : html``}`;
}
