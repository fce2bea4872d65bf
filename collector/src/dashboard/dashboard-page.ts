import type { AlarmAnswer, BlankAnswer, FieldAnswer } from '../field/types.js';
import { alarms } from './alarms.js';
import { blankVariants } from './blank-variants.js';
import { breakdowns } from './breakdowns.js';
import { charts } from './charts.js';
import { filterForm } from './filter-form.js';
import { formatCount, formatTime } from './format.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import type { DashboardQuery } from './query.js';
import { tiles } from './tiles.js';

/** Each answer, or undefined when its query failed: that section says so and the others render. */
export interface DashboardData {
  /** The range the answers cover (shown in the filter form). */
  range: { from: number; to: number };
  field: FieldAnswer | undefined;
  blank: BlankAnswer | undefined;
  alarms: AlarmAnswer | undefined;
}

export interface DashboardModel {
  query: DashboardQuery;
  now: number;
  /** The collector runs without a token (loopback only): no sign-in, and the page says so. */
  tokenless: boolean;
  consoleUrl?: string;
  data?: DashboardData;
  /** A query the answers refused: shown above the form, nothing else rendered. */
  error?: { message: string; field?: string };
}

/** "simulated data", saying how much of it when real views are mixed in. */
function simulatedBanner(field: FieldAnswer): Html {
  const simulated = field.simulatedViews ?? 0;
  if (simulated <= 0) return html``;
  const share = simulated >= field.views ? 'Every page view in range' : `${formatCount(simulated)} of the ${formatCount(field.views)} page views in range`;
  return html`<p class="banner simulated" role="note"><strong>simulated data.</strong> ${share} came from <code>vitrine-collector simulate</code>, not from shoppers.</p>`;
}

/** Stored rows the answer left out (field/believable.ts): the numbers shown are without them. */
function skippedBanner(field: FieldAnswer): Html {
  const n = field.skippedRows ?? 0;
  if (n <= 0) return html``;
  return html`<p class="banner skipped" role="note"><strong>${formatCount(n)} stored hourly row${n === 1 ? '' : 's'} left out.</strong> They hold counts no page view makes (kept by an older collector, or written by hand); the numbers below are without them.</p>`;
}

/** A section whose answer failed: its heading, and one line saying so (the collector's log says why). */
const unavailable = (id: string, title: string): Html =>
  html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2><p class="banner error" role="alert"><strong>Could not be loaded.</strong> The collector's log says why; the other sections are current.</p></section>`;

function sections(d: DashboardData, m: DashboardModel): Html {
  const f = d.field;
  return html`${f ? tiles(f) : unavailable('h-vitals', 'Core Web Vitals at the 75th percentile')}${d.alarms ? alarms(d.alarms, m.consoleUrl) : unavailable('h-alarms', 'Alarms')}${
    f ? charts(f, m.query) : html``
  }${d.blank ? blankVariants(d.blank, m.query) : unavailable('h-blank', 'Blank CDN variants')}${f ? breakdowns(f, m.query) : html``}`;
}

export function dashboardPage(m: DashboardModel): Html {
  const d = m.data;
  const banners = html`${m.tokenless ? html`<p class="banner note" role="note"><strong>no token: loopback only.</strong> This collector was started without <code>--token</code>, so it listens on loopback only and the dashboard needs no sign-in.</p>` : html``}
${d?.field ? html`${simulatedBanner(d.field)}${skippedBanner(d.field)}` : html``}
${m.error ? html`<p class="banner error" role="alert"><strong>Invalid filter${m.error.field ? html` (<code>${m.error.field}</code>)` : html``}:</strong> ${m.error.message}</p>` : html``}`;
  const logout = m.tokenless ? html`` : html`<form class="logout" method="post" action="/logout"><button type="submit" class="quiet">Sign out</button></form>`;
  const store = m.query.fields.store;
  const body = d ? sections(d, m) : html``;
  return layout(
    `Vitrine field${store ? ` · store ${store}` : ''}`,
    html`<a class="skip" href="#main">Skip to the field data</a>
<header class="top">
<div class="bar"><div class="brand"><h1>Vitrine field</h1><p class="sub">${store ? html`Store <strong>${store}</strong>` : html`All stores`}</p></div>
${logout}</div>
${filterForm(m.query, d?.range)}
</header>
<main id="main" tabindex="-1">${banners}${body}</main>
<footer><p>Rendered ${formatTime(m.now)} from the collector's hourly aggregates. JSON: <code>/v1/field</code>, <code>/v1/blank-variants</code>, <code>/v1/alarms</code> (Bearer token).</p></footer>`,
  );
}
