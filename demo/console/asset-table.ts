import type { EventLog } from './event-log.js';
import { fmtBytes, fmtMs, h } from './dom.js';

/** Every asset attempt, newest last: URL, host tried, outcome, bytes, time. */
export function renderAssetTable(container: Element, log: EventLog): void {
  const attempts = log.assets();
  const fallbacks = attempts.filter((a) => a.data.host === 'origin').length;
  const body = h('tbody');
  for (const { data: a } of attempts) {
    body.append(
      h(
        'tr',
        { class: `${a.host} ${a.outcome}`, 'data-host': a.host, 'data-outcome': a.outcome },
        h('td', { class: 'url', title: a.url }, a.url),
        h('td', {}, a.kind),
        h('td', {}, a.host),
        h('td', {}, a.outcome, a.reason ? h('small', {}, ` ${a.reason}`) : null),
        h('td', { class: 'num' }, fmtBytes(a.bytes)),
        h('td', { class: 'num' }, fmtMs(a.ms)),
      ),
    );
  }
  const head = h('thead', {}, h('tr', {}, ...['URL', 'kind', 'host', 'outcome', 'bytes', 'time'].map((t) => h('th', { scope: 'col' }, t))));
  const summary = h('p', { class: 'summary', 'data-fallbacks': String(fallbacks) }, `${attempts.length} attempts, ${fallbacks} origin fallbacks`);
  container.replaceChildren(summary, h('table', { class: 'assets' }, head, body));
}
