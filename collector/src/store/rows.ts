import { binOf } from '../field/histogram.js';
import type { ViewRecord } from '../ingest/record.js';

/**
 * A batch of new page views turned into the rows their aggregates gain. Pure; merged by key first,
 * because one statement may not upsert the same row twice (PostgreSQL refuses it), and sorted, so
 * that concurrent writers lock rows in the same order and cannot deadlock.
 */
export const HOUR = 3_600_000;
export const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;

type Dims = [page: string, browser: string, browserMajor: string, country: string, device: string, sdk: string, release: string];
const dimsOf = (r: ViewRecord): Dims => [r.page, r.browser, r.browserMajor, r.country, r.device, r.sdk, r.release];

export interface AggregateRows {
  /** hour, store_id, metric, …dims, bin, n */
  bins: unknown[][];
  /** hour, store_id, …dims, views, api_requests, api_retries, origin_fallbacks, fallback_views, errors, error_views, blank_views, assets_ok, assets_empty, assets_failed, simulated_views */
  counts: unknown[][];
  /** hour, store_id, url, browser, browser_major, country, device, sdk, n, first_seen, last_seen */
  blanks: unknown[][];
  /** hour, store_id, dim, value, metric, bin, shard, n */
  rollupBins: unknown[][];
  /** hour, store_id, dim, value, shard, views, api_requests, fallback_views, error_views, simulated_views */
  rollupCounts: unknown[][];
}

/** The dimensions rolled up one at a time ('' is every view); a browser is its family and major. */
export const ROLLUP_DIMENSIONS = ['', 'page', 'browser', 'country', 'device', 'sdk', 'release'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];
export const rollupValue = (
  r: { page: string; browser: string; browserMajor: string; country: string; device: string; sdk: string; release: string },
  dim: RollupDimension,
): string => (dim === '' ? '' : dim === 'browser' ? (r.browserMajor ? `${r.browser} ${r.browserMajor}` : r.browser) : r[dim]);

/** `shard` spreads the rollups' hot rows across concurrent commits (see the migration). */
export function aggregateRows(records: readonly ViewRecord[], shard = 0): AggregateRows {
  const bins = new Map<string, unknown[]>();
  const counts = new Map<string, unknown[]>();
  const blanks = new Map<string, unknown[]>();
  const rollupBins = new Map<string, unknown[]>();
  const rollupCounts = new Map<string, unknown[]>();
  const keyOf = (parts: readonly unknown[]) => JSON.stringify(parts);
  const bump = (map: Map<string, unknown[]>, key: unknown[], add: readonly number[]) => {
    const k = keyOf(key);
    const row = map.get(k);
    if (row) for (let i = 0; i < add.length; i++) row[key.length + i] = (row[key.length + i] as number) + add[i]!;
    else map.set(k, [...key, ...add]);
  };

  for (const r of records) {
    const hour = hourOf(r.viewTime);
    const dims = dimsOf(r);
    for (const v of r.vitals) {
      const key = [hour, r.storeId, v.name, ...dims, binOf(v.name, v.value)];
      const k = keyOf(key);
      const row = bins.get(k);
      if (row) row[row.length - 1] = (row[row.length - 1] as number) + 1;
      else bins.set(k, [...key, 1]);
    }
    for (const dim of ROLLUP_DIMENSIONS) {
      const value = rollupValue(r, dim);
      for (const v of r.vitals) bump(rollupBins, [hour, r.storeId, dim, value, v.name, binOf(v.name, v.value), shard], [1]);
      bump(rollupCounts, [hour, r.storeId, dim, value, shard], [1, r.health.apiRequests, r.health.originFallbacks > 0 ? 1 : 0, r.health.errors > 0 ? 1 : 0, r.simulated ? 1 : 0]);
    }
    const h = r.health;
    const a = h.assets;
    const ok = a.image.ok + a.script.ok + a.style.ok + a.json.ok;
    const empty = a.image.empty + a.script.empty + a.style.empty + a.json.empty;
    const failed = a.image.failed + a.script.failed + a.style.failed + a.json.failed;
    const blankCount = h.blankUrls.length + h.blankUrlsOmitted;
    const add = [
      1,
      h.apiRequests,
      h.apiRetries,
      h.originFallbacks,
      h.originFallbacks > 0 ? 1 : 0,
      h.errors,
      h.errors > 0 ? 1 : 0,
      blankCount > 0 ? 1 : 0,
      ok,
      empty,
      failed,
      r.simulated ? 1 : 0,
    ];
    const ckey = [hour, r.storeId, ...dims];
    const ck = keyOf(ckey);
    const crow = counts.get(ck);
    if (crow) for (let i = 0; i < add.length; i++) crow[ckey.length + i] = (crow[ckey.length + i] as number) + add[i]!;
    else counts.set(ck, [...ckey, ...add]);

    for (const url of new Set(h.blankUrls)) {
      const bkey = [hour, r.storeId, url, r.browser, r.browserMajor, r.country, r.device, r.sdk];
      const bk = keyOf(bkey);
      const brow = blanks.get(bk);
      if (brow) {
        brow[8] = (brow[8] as number) + 1;
        brow[9] = Math.min(brow[9] as number, r.viewTime);
        brow[10] = Math.max(brow[10] as number, r.viewTime);
      } else blanks.set(bk, [...bkey, 1, r.viewTime, r.viewTime]);
    }
  }
  const sorted = (m: Map<string, unknown[]>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  return { bins: sorted(bins), counts: sorted(counts), blanks: sorted(blanks), rollupBins: sorted(rollupBins), rollupCounts: sorted(rollupCounts) };
}
