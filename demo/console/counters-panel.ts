import type { HealthCounters } from '../../src/vitals/report-schema.js';
import { h } from './dom.js';

/** Vitrine's health counters for this view, as the vitals beacon would report them. */
export function renderCounters(container: Element, c: HealthCounters): void {
  const assets = (['image', 'script', 'style', 'json'] as const).map((k) => `${k} ${c.assets[k].ok}/${c.assets[k].empty}/${c.assets[k].failed}`).join(' · ');
  const rows: Array<[string, string, string]> = [
    ['apiRequests', 'API requests', String(c.apiRequests)],
    ['apiRetries', 'API retries', String(c.apiRetries)],
    ['batches', 'Batches (count / ids / max)', `${c.batches.count} / ${c.batches.ids} / ${c.batches.max}`],
    ['cache', 'Cache fresh / stale / miss', `${c.cache.fresh} / ${c.cache.stale} / ${c.cache.miss}`],
    ['assets', 'Assets ok / empty / failed', assets],
    ['originFallbacks', 'Origin fallbacks', String(c.originFallbacks)],
    ['breakerOpenings', 'Breaker openings', String(c.breakerOpenings)],
    ['retryBudgetSpent', 'Retry budget spent', String(c.retryBudgetSpent)],
    ['errors', 'Errors', String(c.errors)],
    ['blankUrls', 'Blank CDN URLs', String(c.blankUrls.length + c.blankUrlsOmitted)],
  ];
  const dl = h('dl', { class: 'counters' });
  for (const [key, label, value] of rows) dl.append(h('div', { 'data-counter': key }, h('dt', {}, label), h('dd', {}, value)));
  const blanks = c.blankUrls.length ? h('ul', { class: 'blank-urls' }, ...c.blankUrls.map((u) => h('li', {}, u))) : null;
  container.replaceChildren(dl, blanks ?? '');
}
