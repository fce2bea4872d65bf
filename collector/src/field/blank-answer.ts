import type { FieldStore } from '../store/store.js';
import type { AnswerOptions } from './field-answer.js';
import type { BlankAnswer, BlankVariant, FieldFilter } from './types.js';
import { BIN_BELIEVABLE, sum } from './believable.js';
import { whereOf } from './where.js';

/**
 * `/v1/blank-variants`: the CDN URLs shoppers' browsers reported blank, ranked by how many page
 * views saw them so, each with the variants (browser × country × device) it was seen from — the
 * list to purge, and where the bad copies live.
 */
const MAX_URLS = 500;

export async function blankAnswer(store: FieldStore, filter: FieldFilter, _o: AnswerOptions): Promise<BlankAnswer> {
  const w = whereOf(filter, { dims: false });
  const rows = await store.db.all<{ url: string; browser: string; browser_major: string; country: string; device: string; n: number; first_seen: number; last_seen: number }>(
    // A row counting more views than an hour holds was written by hand: left out, as the field answers do.
    `SELECT url, browser, browser_major, country, device, ${sum('n')} AS n, MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen
       FROM blank_urls WHERE ${w.sql} AND last_seen >= ? AND first_seen <= ? AND ${BIN_BELIEVABLE}
      GROUP BY url, browser, browser_major, country, device`,
    [...w.params, filter.from, filter.to],
  );
  const byUrl = new Map<string, BlankVariant>();
  for (const r of rows) {
    const n = Number(r.n);
    let v = byUrl.get(r.url);
    if (!v) byUrl.set(r.url, (v = { url: r.url, count: 0, firstSeen: Number(r.first_seen), lastSeen: Number(r.last_seen), variants: [] }));
    v.count += n;
    v.firstSeen = Math.min(v.firstSeen, Number(r.first_seen));
    v.lastSeen = Math.max(v.lastSeen, Number(r.last_seen));
    v.variants.push({ browser: r.browser_major ? `${r.browser} ${r.browser_major}` : r.browser, country: r.country, device: r.device, count: n });
  }
  const urls = [...byUrl.values()]
    .map((v) => ({ ...v, variants: v.variants.sort((a, b) => b.count - a.count || (a.browser + a.country < b.browser + b.country ? -1 : 1)) }))
    .sort((a, b) => b.count - a.count || (a.url < b.url ? -1 : 1))
    .slice(0, MAX_URLS);
  return { filter, urls };
}
