import { chunks, valuesList, type Db, type Queryable } from './db.js';
import { migrate } from './migrations.js';
import { aggregateRows } from './rows.js';
import type { ViewRecord } from '../ingest/record.js';

/**
 * The collector's storage, written once over `Db` for SQLite and PostgreSQL alike. A batch of
 * views is one transaction: the raw rows, deduplicated by the (store_id, view_id) primary key,
 * and the aggregates of exactly the rows that were new, so a resent report never counts twice.
 */
export interface FieldStore {
  readonly db: Db;
  migrate(): Promise<number[]>;
  /** Stores the views durably; resolves after the commit with, per record, whether it was new. */
  write(records: readonly ViewRecord[]): Promise<boolean[]>;
  /** Deletes raw reports received before `reportsBefore` and aggregate hours before `aggregatesBefore`. */
  prune(cutoff: { reportsBefore: number; aggregatesBefore: number }): Promise<{ reports: number; aggregates: number }>;
  countReports(storeId?: string): Promise<number>;
  /** The stored body of one view, parsed (for tests and support look-ups). */
  getReport(storeId: string, viewId: string): Promise<unknown | undefined>;
  close(): Promise<void>;
}

const REPORT_COLUMNS =
  'store_id, view_id, view_time, received_at, page, browser, browser_major, country, device, sdk, release, navigation_type, queued, schema_v, api_requests, origin_fallbacks, errors, blank_count, simulated, body';
const REPORT_WIDTH = 20;
const DIM_COLUMNS = 'page, browser, browser_major, country, device, sdk, release';
const COUNT_COLUMNS =
  'views, api_requests, api_retries, origin_fallbacks, fallback_views, errors, error_views, blank_views, assets_ok, assets_empty, assets_failed, simulated_views';

const reportRow = (r: ViewRecord) => [
  r.storeId,
  r.viewId,
  r.viewTime,
  r.receivedAt,
  r.page,
  r.browser,
  r.browserMajor,
  r.country,
  r.device,
  r.sdk,
  r.release,
  r.navigationType,
  r.queued ? 1 : 0,
  r.schemaVersion,
  r.health.apiRequests,
  r.health.originFallbacks,
  r.health.errors,
  r.health.blankUrls.length + r.health.blankUrlsOmitted,
  r.simulated ? 1 : 0,
  JSON.stringify(r.report),
];

async function insertMany(q: Queryable, head: string, width: number, rows: readonly unknown[][], tail: string): Promise<void> {
  for (const part of chunks(rows, width)) await q.run(`${head} VALUES ${valuesList(part.length, width)} ${tail}`, part.flat());
}

async function writeBatch(q: Queryable, records: readonly ViewRecord[], shard: number): Promise<boolean[]> {
  // One record per key within the batch (a client that resent at once), in key order.
  const byKey = new Map<string, ViewRecord>();
  for (const r of records) {
    const k = `${r.storeId}\u0000${r.viewId}`;
    if (!byKey.has(k)) byKey.set(k, r);
  }
  const unique = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const inserted = new Set<string>();
  for (const part of chunks(unique, REPORT_WIDTH)) {
    const rows = await q.all<{ store_id: string; view_id: string }>(
      `INSERT INTO reports (${REPORT_COLUMNS}) VALUES ${valuesList(part.length, REPORT_WIDTH)} ON CONFLICT (store_id, view_id) DO NOTHING RETURNING store_id, view_id`,
      part.flatMap(reportRow),
    );
    for (const row of rows) inserted.add(`${row.store_id}\u0000${row.view_id}`);
  }
  const fresh = unique.filter((r) => inserted.has(`${r.storeId}\u0000${r.viewId}`));
  if (fresh.length) {
    const agg = aggregateRows(fresh, shard);
    await insertMany(
      q,
      'INSERT INTO view_blank_urls (store_id, view_id, url, view_time, received_at, browser, browser_major, country, device, sdk)',
      10,
      fresh.flatMap((r) =>
        [...new Set(r.health.blankUrls)].map((url) => [r.storeId, r.viewId, url, r.viewTime, r.receivedAt, r.browser, r.browserMajor, r.country, r.device, r.sdk]),
      ),
      'ON CONFLICT (store_id, view_id, url) DO NOTHING',
    );
    await insertMany(
      q,
      `INSERT INTO vital_bins (hour, store_id, metric, ${DIM_COLUMNS}, bin, n)`,
      12,
      agg.bins,
      `ON CONFLICT (hour, store_id, metric, ${DIM_COLUMNS}, bin) DO UPDATE SET n = vital_bins.n + excluded.n`,
    );
    const sums = COUNT_COLUMNS.split(', ')
      .map((c) => `${c} = view_counts.${c} + excluded.${c}`)
      .join(', ');
    await insertMany(
      q,
      `INSERT INTO view_counts (hour, store_id, ${DIM_COLUMNS}, ${COUNT_COLUMNS})`,
      21,
      agg.counts,
      `ON CONFLICT (hour, store_id, ${DIM_COLUMNS}) DO UPDATE SET ${sums}`,
    );
    await insertMany(
      q,
      'INSERT INTO vital_rollup (hour, store_id, dim, value, metric, bin, shard, n)',
      8,
      agg.rollupBins,
      'ON CONFLICT (hour, store_id, dim, value, metric, bin, shard) DO UPDATE SET n = vital_rollup.n + excluded.n',
    );
    await insertMany(
      q,
      'INSERT INTO count_rollup (hour, store_id, dim, value, shard, views, api_requests, fallback_views, error_views, simulated_views)',
      10,
      agg.rollupCounts,
      `ON CONFLICT (hour, store_id, dim, value, shard) DO UPDATE SET ${['views', 'api_requests', 'fallback_views', 'error_views', 'simulated_views'].map((c) => `${c} = count_rollup.${c} + excluded.${c}`).join(', ')}`,
    );
    // CASE rather than MIN()/LEAST(): the one spelling both databases read the same way.
    await insertMany(
      q,
      'INSERT INTO blank_urls (hour, store_id, url, browser, browser_major, country, device, sdk, n, first_seen, last_seen)',
      11,
      agg.blanks,
      `ON CONFLICT (hour, store_id, url, browser, browser_major, country, device, sdk) DO UPDATE SET n = blank_urls.n + excluded.n,
        first_seen = CASE WHEN excluded.first_seen < blank_urls.first_seen THEN excluded.first_seen ELSE blank_urls.first_seen END,
        last_seen = CASE WHEN excluded.last_seen > blank_urls.last_seen THEN excluded.last_seen ELSE blank_urls.last_seen END`,
    );
  }
  // The first occurrence of a key in the batch is the new one; any repeat is a duplicate.
  const claimed = new Set<string>();
  return records.map((r) => {
    const k = `${r.storeId}\u0000${r.viewId}`;
    if (!inserted.has(k) || claimed.has(k)) return false;
    claimed.add(k);
    return true;
  });
}

const ROLLUP_SHARDS = 8;

/** PostgreSQL's deadlock and serialisation failures are worth one more try; nothing else is. */
const retryable = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
};

export function createFieldStore(db: Db): FieldStore {
  return {
    db,
    migrate: () => migrate(db),
    async write(records) {
      if (!records.length) return [];
      for (let attempt = 1; ; attempt++) {
        try {
          // SQLite has one writer at a time: nothing to spread.
          const shard = db.dialect === 'postgres' ? Math.floor(Math.random() * ROLLUP_SHARDS) : 0;
          return await db.tx((q) => writeBatch(q, records, shard));
        } catch (error) {
          if (attempt >= 3 || !retryable(error)) throw error;
        }
      }
    },
    async prune({ reportsBefore, aggregatesBefore }) {
      return db.tx(async (q) => {
        const reports = await q.run('DELETE FROM reports WHERE received_at < ?', [reportsBefore]);
        await q.run('DELETE FROM view_blank_urls WHERE received_at < ?', [reportsBefore]);
        await q.run('DELETE FROM alarms WHERE resolved_at IS NOT NULL AND resolved_at < ?', [aggregatesBefore]);
        let aggregates = 0;
        for (const table of ['vital_bins', 'view_counts', 'vital_rollup', 'count_rollup', 'blank_urls'])
          aggregates += await q.run(`DELETE FROM ${table} WHERE hour < ?`, [aggregatesBefore]);
        return { reports, aggregates };
      });
    },
    async countReports(storeId) {
      const rows = storeId
        ? await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM reports WHERE store_id = ?', [storeId])
        : await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM reports');
      return Number(rows[0]?.n ?? 0);
    },
    async getReport(storeId, viewId) {
      const rows = await db.all<{ body: string }>('SELECT body FROM reports WHERE store_id = ? AND view_id = ?', [storeId, viewId]);
      return rows[0] ? JSON.parse(rows[0].body) : undefined;
    },
    close: () => db.close(),
  };
}

/** Opens the store a `--db` path or `--store postgres://…` URL names, migrated. */
export async function openStore(location: string): Promise<FieldStore> {
  const db = /^postgres(ql)?:\/\//i.test(location) ? (await import('./postgres.js')).openPostgres(location) : (await import('./sqlite.js')).openSqlite(location);
  const store = createFieldStore(db);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
