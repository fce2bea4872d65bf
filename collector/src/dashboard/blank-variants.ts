import { PURGE_FORMATS, type PurgeFormat } from '../field/answers.js';
import type { BlankAnswer, BlankVariant } from '../field/types.js';
import { dataTable } from './data-table.js';
import { formatCount, formatTime, iso } from './format.js';
import { html, httpUrl, linkOrText, type Html } from './html.js';
import { linkTo, type DashboardQuery } from './query.js';

/**
 * The CDN URLs shoppers' browsers found blank, ranked, with where they were seen (browser ×
 * country × device), and the purge request for exactly these URLs in each CDN's shape. The
 * exports go through the dashboard's own cookie-authenticated `/purge.json`, since `/v1/…` wants a
 * Bearer header a link cannot send.
 */
const PURGE_LABEL: Record<PurgeFormat, string> = { cloudflare: 'Cloudflare', fastly: 'Fastly', cloudfront: 'CloudFront' };
const SHOWN_VARIANTS = 6;

function where(v: BlankVariant): Html {
  const items = v.variants.slice(0, SHOWN_VARIANTS).map((x) => html`<li>${x.browser} · ${x.country} · ${x.device} <span class="count">×${formatCount(x.count)}</span></li>`);
  const more = v.variants.length - SHOWN_VARIANTS;
  return html`<ul class="variants">${items}${more > 0 ? html`<li class="hint">and ${formatCount(more)} more</li>` : html``}</ul>`;
}

const time = (ms: number) => html`<time datetime="${iso(ms)}">${formatTime(ms)}</time>`;

export function blankVariants(blank: BlankAnswer, q: DashboardQuery): Html {
  // What the purge bodies hold (purge.ts): http(s) URLs only, should older rows hold anything else.
  const purgeable = blank.urls.filter((u) => httpUrl(u.url) !== undefined).length;
  const exports = purgeable
    ? html`<p class="exports">Purge request for these ${formatCount(purgeable)} URLs:
${PURGE_FORMATS.map((f) => html`<a class="button" href="${linkTo('/purge.json', q, { format: f, metric: undefined })}" download>${PURGE_LABEL[f]} JSON</a> `)}</p>
<p class="hint">CloudFront invalidates every cached variant of a path, not only the bad one.</p>`
    : html``;
  const table = dataTable({
    id: 'table-blank',
    caption: 'URLs reported blank, most reported first',
    head: ['URL', 'Page views', 'Seen from (browser · country · device)', 'First seen', 'Last seen'],
    numeric: [1],
    rows: blank.urls.map((u) => [html`<span class="url">${linkOrText(u.url)}</span>`, formatCount(u.count), where(u), time(u.firstSeen), time(u.lastSeen)]),
    empty: 'No CDN answer was reported blank in this range.',
  });
  const narrowed = (['page', 'browser', 'country', 'device', 'sdk', 'release'] as const).some((f) => q.fields[f] !== undefined);
  const note = narrowed
    ? html`<p class="hint">Blank variants and alarms follow the store and time range only; the other filters narrow the vitals, charts and breakdowns.</p>`
    : html``;
  return html`<section aria-labelledby="h-blank"><h2 id="h-blank">Blank CDN variants</h2>${note}${exports}${table}</section>`;
}
