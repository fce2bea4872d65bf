import type { Alarm, AlarmAnswer, BlankAnswer, FieldAnswer, MetricSummary } from '../../collector/src/field/types.js';
import { fmtMs, h } from './dom.js';
import { REPRODUCE_PARAMS } from './reproduce.js';

/**
 * The Field view: what shoppers' page views reported to the configured vitrine-collector, read
 * from the same API the dashboard uses (`/v1/field`, `/v1/blank-variants`, `/v1/alarms`, Bearer
 * token) — p75 tiles, the open alarms with their evidence, each with a link that reopens this
 * console set up to reproduce it (reproduce.ts), and the blank CDN URLs. Text only, as everywhere
 * in the console: every string from the collector reaches the page through text nodes.
 */
export interface FieldSource {
  /** The collector's base URL (…/v1/field is under it). */
  api: string;
  token?: string | undefined;
  storeId: string;
}

export interface FieldData {
  field: FieldAnswer;
  blank: BlankAnswer;
  alarms: AlarmAnswer;
}

export class FieldError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The three answers for the last 24 hours of one store, fetched side by side. */
export async function loadField(source: FieldSource, fetchImpl: typeof fetch = fetch.bind(globalThis)): Promise<FieldData> {
  const get = async <T>(path: string): Promise<T> => {
    const url = `${source.api}${path}?store=${encodeURIComponent(source.storeId)}`;
    let res: Response;
    try {
      res = await fetchImpl(url, { cache: 'no-store', headers: source.token ? { Authorization: `Bearer ${source.token}` } : {} });
    } catch {
      throw new FieldError(
        `Could not reach the collector at ${source.api}. Is it running, and was it started with this console's URL (--console-url ${location.origin}/)? It lets only that console read its answers from another origin.`,
      );
    }
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (res.status === 401)
      throw new FieldError(
        `The collector at ${source.api} refused ${source.token ? 'the saved token' : 'to answer without a token'} (401): set "Collector token" in Store settings.`,
        401,
      );
    if (!res.ok) throw new FieldError(`${path} answered ${res.status}${body?.error?.message ? `: ${body.error.message}` : ''}`, res.status);
    return body as T;
  };
  const [field, blank, alarms] = await Promise.all([get<FieldAnswer>('/v1/field'), get<BlankAnswer>('/v1/blank-variants'), get<AlarmAnswer>('/v1/alarms')]);
  return { field, blank, alarms };
}

const KIND_LABELS: Record<string, string> = {
  'requests-per-view': 'API requests per page view',
  'blank-variant': 'Blank CDN variant',
  'origin-fallback-rate': 'Origin-fallback rate',
  'error-rate': 'Error rate',
  'vital-regression': 'Web vital regression',
};

const int = (n: number) => Math.round(n).toLocaleString('en');
const clock = (t: number) => new Date(t).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const pct = (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`;
const metricValue = (m: MetricSummary, v: number) => (m.unit === '1' ? v.toFixed(3) : fmtMs(v));
/** camelCase evidence keys as words: viewsElsewhere → views elsewhere. */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** The console link that reproduces an alarm: this console's settings, plus the alarm's query. */
export function reproduceHref(alarm: Pick<Alarm, 'reproduce' | 'kind' | 'subject'>, here: string): string | undefined {
  if (!alarm.reproduce) return undefined;
  const url = new URL(here);
  url.hash = '';
  for (const p of REPRODUCE_PARAMS) url.searchParams.delete(p);
  url.searchParams.delete('collectorToken');
  for (const [k, v] of new URLSearchParams(alarm.reproduce.replace(/^\?/, ''))) url.searchParams.set(k, v);
  url.searchParams.set('alarm', `${KIND_LABELS[alarm.kind] ?? alarm.kind}: ${alarm.subject}`);
  return url.href;
}

function tiles(field: FieldAnswer): HTMLElement {
  const dl = h('dl', { class: 'field-tiles' });
  for (const m of field.metrics) {
    const shown = m.p75 !== undefined;
    dl.append(
      h(
        'div',
        { class: `tile ${m.rating ?? 'pending'}`, 'data-metric': m.metric, 'data-rating': m.rating },
        h('dt', {}, `${m.metric} p75`),
        h('dd', { class: 'value' }, shown ? metricValue(m, m.p75!) : '–'),
        h('dd', { class: 'detail' }, shown ? `${m.rating} · ${int(m.count)} views` : `${int(m.count)} views (fewer than ${field.minSample})`),
        m.shares ? h('dd', { class: 'shares' }, `good ${pct(m.shares.good)} · NI ${pct(m.shares['needs-improvement'])} · poor ${pct(m.shares.poor)}`) : null,
      ),
    );
  }
  return dl;
}

/** Evidence as a definition list; a list of records (the blank URLs) as a small table. */
function evidence(e: Record<string, unknown>): HTMLElement {
  const dl = h('dl', { class: 'evidence' });
  for (const [key, value] of Object.entries(e)) {
    let shown: Node | string;
    if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
      const rows = value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      shown = h(
        'table',
        { class: 'evidence-table' },
        h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, words(c))))),
        h('tbody', {}, ...rows.map((r) => h('tr', {}, ...columns.map((c) => h('td', { class: c === 'url' ? 'url' : undefined }, r[c] === undefined ? '' : String(r[c])))))),
      );
    } else if (Array.isArray(value)) shown = value.map(String).join(', ');
    else shown = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    dl.append(h('div', { 'data-key': key }, h('dt', {}, words(key)), h('dd', {}, shown)));
  }
  return dl;
}

function alarmItem(a: Alarm, here: string, state: 'open' | 'resolved'): HTMLElement {
  const href = state === 'open' ? reproduceHref(a, here) : undefined;
  return h(
    'li',
    { class: `alarm ${state}`, 'data-kind': a.kind, 'data-subject': a.subject },
    h(
      'p',
      { class: 'alarm-title' },
      h('strong', {}, KIND_LABELS[a.kind] ?? a.kind),
      ` · ${a.subject} · ${state === 'open' ? `open since ${clock(a.openedAt)}` : `${clock(a.openedAt)} – ${clock(a.resolvedAt ?? a.openedAt)}`}`,
    ),
    h('p', { class: 'alarm-summary' }, a.summary),
    h('details', { class: 'alarm-evidence', ...(state === 'open' && { open: '' }) }, h('summary', {}, 'Evidence'), evidence(a.evidence)),
    href
      ? h(
          'p',
          {},
          h('a', { class: 'reproduce', href, 'data-reproduce': a.reproduce }, 'Reproduce'),
          ` in this console (${a.reproduce?.startsWith('pattern=') ? 'runs the incident pattern' : 'switches on the matching faults'})`,
        )
      : null,
  );
}

function blankTable(blank: BlankAnswer): HTMLElement {
  if (!blank.urls.length) return h('p', { class: 'status' }, 'No CDN URL was reported blank in the last 24 hours.');
  return h(
    'table',
    { class: 'assets field-blank' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Blank CDN URL'),
        h('th', { scope: 'col' }, 'Views'),
        h('th', { scope: 'col' }, 'Seen blank in'),
        h('th', { scope: 'col' }, 'Last seen'),
      ),
    ),
    h(
      'tbody',
      {},
      ...blank.urls.slice(0, 20).map((u) =>
        h(
          'tr',
          { 'data-url': u.url },
          h('td', { class: 'url', title: u.url }, u.url),
          h('td', { class: 'num' }, int(u.count)),
          h(
            'td',
            {},
            u.variants
              .slice(0, 3)
              .map((v) => `${v.browser} × ${v.country} × ${v.device} (${v.count})`)
              .join(', ') + (u.variants.length > 3 ? ` +${u.variants.length - 3}` : ''),
          ),
          h('td', {}, clock(u.lastSeen)),
        ),
      ),
    ),
  );
}

/** Draws the answers (or what went wrong) into the container. */
export function renderField(container: HTMLElement, source: FieldSource, data: FieldData | Error, here = location.href, onRefresh?: () => void): void {
  const refresh = h('button', { type: 'button', id: 'field-refresh' }, 'Refresh');
  if (onRefresh) refresh.addEventListener('click', onRefresh);
  const dashboard = h('a', { href: `${source.api}/`, target: '_blank', rel: 'noopener' }, 'Open the dashboard');
  const head = h('p', { class: 'field-head' }, `Collector ${source.api} · store ${source.storeId} · last 24 hours `, refresh, ' ', dashboard);
  if (data instanceof Error) {
    container.replaceChildren(head, h('p', { class: 'field-error', role: 'alert' }, data.message));
    return;
  }
  const { field, blank, alarms } = data;
  const parts: (HTMLElement | string)[] = [head];
  parts.push(h('p', { class: 'field-views', 'data-views': String(field.views) }, `${int(field.views)} page views`));
  if (field.simulatedViews > 0) {
    const all = field.simulatedViews === field.views;
    const what = all
      ? `all ${int(field.views)} page views here were`
      : `${int(field.simulatedViews)} of the ${int(field.views)} page views here ${field.simulatedViews === 1 ? 'was' : 'were'}`;
    parts.push(
      h('p', { class: 'simulated-note', 'data-simulated': String(field.simulatedViews) }, `Simulated data: ${what} made by \`vitrine-collector simulate\`, not by shoppers.`),
    );
  }
  parts.push(h('h3', {}, 'p75 by metric (CrUX thresholds)'), tiles(field));
  parts.push(h('h3', { id: 'h-field-alarms' }, `Open alarms (${alarms.open.length})`));
  parts.push(
    alarms.open.length
      ? h('ul', { class: 'alarms', 'aria-labelledby': 'h-field-alarms' }, ...alarms.open.map((a) => alarmItem(a, here, 'open')))
      : h('p', { class: 'status' }, 'No alarm is open.'),
  );
  if (alarms.resolved.length) {
    parts.push(
      h(
        'details',
        { class: 'resolved' },
        h('summary', {}, `Resolved in the last 24 hours (${alarms.resolved.length})`),
        h('ul', { class: 'alarms' }, ...alarms.resolved.map((a) => alarmItem(a, here, 'resolved'))),
      ),
    );
  }
  parts.push(h('h3', {}, `Blank CDN URLs (${blank.urls.length})`), blankTable(blank));
  container.replaceChildren(...parts);
}

export interface FieldView {
  /** Fetches and draws; resolves with the number of open alarms (undefined when it failed). */
  load(): Promise<number | undefined>;
}

/** The view for a configured collector; without one, a note saying how to configure it. */
export function createFieldView(container: HTMLElement, source: FieldSource | undefined, fetchImpl?: typeof fetch): FieldView {
  if (!source) {
    container.replaceChildren(
      h(
        'p',
        { class: 'status' },
        'No collector configured. Set "Collector API" (a vitrine-collector\'s URL) and its token in Store settings, or run `npm run demo`, which starts one filled with simulated shoppers.',
      ),
    );
    return { load: () => Promise.resolve(undefined) };
  }
  let loading: Promise<number | undefined> | undefined;
  const view: FieldView = {
    load() {
      loading ??= (async () => {
        container.setAttribute('aria-busy', 'true');
        try {
          const data = await loadField(source, fetchImpl);
          renderField(container, source, data, location.href, () => void view.load());
          return data.alarms.open.length;
        } catch (e) {
          renderField(container, source, e instanceof Error ? e : new Error(String(e)), location.href, () => void view.load());
          return undefined;
        } finally {
          container.removeAttribute('aria-busy');
          container.dataset.loaded = 'true';
          loading = undefined;
        }
      })();
      return loading;
    },
  };
  return view;
}
