import type { Db, Queryable } from './db.js';

/**
 * Versioned schema changes, applied in order, each once, under a lock that other instances starting
 * at the same time wait for. Never edit a released migration: add the next one.
 *
 * The same DDL runs on SQLite and PostgreSQL. Dimension columns are NOT NULL with '' for "none",
 * because primary keys (the upserts' conflict targets) cannot hold NULL in PostgreSQL.
 */
const DIMS = `page TEXT NOT NULL, browser TEXT NOT NULL, browser_major TEXT NOT NULL, country TEXT NOT NULL, device TEXT NOT NULL, sdk TEXT NOT NULL, release TEXT NOT NULL`;
const DIM_KEY = `page, browser, browser_major, country, device, sdk, release`;

export const MIGRATIONS: readonly { version: number; name: string; statements: readonly string[] }[] = [
  {
    version: 1,
    name: 'reports and hourly aggregates',
    statements: [
      // Raw page views, one row each: the (store_id, view_id) key is what deduplicates, across instances too.
      `CREATE TABLE reports (
        store_id TEXT NOT NULL, view_id TEXT NOT NULL,
        view_time BIGINT NOT NULL, received_at BIGINT NOT NULL,
        ${DIMS},
        navigation_type TEXT NOT NULL, queued SMALLINT NOT NULL, schema_v SMALLINT NOT NULL,
        api_requests BIGINT NOT NULL, origin_fallbacks BIGINT NOT NULL, errors BIGINT NOT NULL, blank_count BIGINT NOT NULL,
        simulated SMALLINT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (store_id, view_id))`,
      `CREATE INDEX reports_received_at ON reports (received_at)`,
      `CREATE INDEX reports_store_time ON reports (store_id, view_time)`,
      // Blank URLs per raw view, for the alarms' sliding window (kept as long as the raw reports).
      `CREATE TABLE view_blank_urls (
        store_id TEXT NOT NULL, view_id TEXT NOT NULL, url TEXT NOT NULL, view_time BIGINT NOT NULL, received_at BIGINT NOT NULL,
        browser TEXT NOT NULL, browser_major TEXT NOT NULL, country TEXT NOT NULL, device TEXT NOT NULL, sdk TEXT NOT NULL,
        PRIMARY KEY (store_id, view_id, url))`,
      `CREATE INDEX view_blank_urls_time ON view_blank_urls (store_id, view_time)`,
      `CREATE INDEX view_blank_urls_received_at ON view_blank_urls (received_at)`,
      // Vitals histograms per hour and dimension: mergeable fixed bins (field/histogram.ts).
      `CREATE TABLE vital_bins (
        hour BIGINT NOT NULL, store_id TEXT NOT NULL, metric TEXT NOT NULL, ${DIMS},
        bin DOUBLE PRECISION NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (hour, store_id, metric, ${DIM_KEY}, bin))`,
      // Health counters per hour and dimension: requests per view, fallbacks, errors.
      `CREATE TABLE view_counts (
        hour BIGINT NOT NULL, store_id TEXT NOT NULL, ${DIMS},
        views BIGINT NOT NULL, api_requests BIGINT NOT NULL, api_retries BIGINT NOT NULL,
        origin_fallbacks BIGINT NOT NULL, fallback_views BIGINT NOT NULL,
        errors BIGINT NOT NULL, error_views BIGINT NOT NULL, blank_views BIGINT NOT NULL,
        assets_ok BIGINT NOT NULL, assets_empty BIGINT NOT NULL, assets_failed BIGINT NOT NULL,
        simulated_views BIGINT NOT NULL,
        PRIMARY KEY (hour, store_id, ${DIM_KEY}))`,
      // The same per hour, one dimension at a time ('' = all views): what the unfiltered answers
      // read, so their cost follows the values of each dimension, not the cells of their product.
      // Every commit adds to the same few rows of the current hour; a `shard` picked per commit
      // spreads them, so concurrent commits (several on PostgreSQL, several instances) do not queue
      // on one row's lock. Readers sum over shards.
      `CREATE TABLE vital_rollup (
        hour BIGINT NOT NULL, store_id TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, metric TEXT NOT NULL,
        bin DOUBLE PRECISION NOT NULL, shard SMALLINT NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (hour, store_id, dim, value, metric, bin, shard))`,
      `CREATE TABLE count_rollup (
        hour BIGINT NOT NULL, store_id TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, shard SMALLINT NOT NULL,
        views BIGINT NOT NULL, api_requests BIGINT NOT NULL, fallback_views BIGINT NOT NULL, error_views BIGINT NOT NULL, simulated_views BIGINT NOT NULL,
        PRIMARY KEY (hour, store_id, dim, value, shard))`,
      // CDN URLs reported blank, per hour and the variant that saw them (browser × country × device).
      `CREATE TABLE blank_urls (
        hour BIGINT NOT NULL, store_id TEXT NOT NULL, url TEXT NOT NULL,
        browser TEXT NOT NULL, browser_major TEXT NOT NULL, country TEXT NOT NULL, device TEXT NOT NULL, sdk TEXT NOT NULL,
        n BIGINT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,
        PRIMARY KEY (hour, store_id, url, browser, browser_major, country, device, sdk))`,
      // Alarms, opened and resolved by the evaluator; at most one open per (store, kind, subject),
      // enforced by the database so that several instances evaluating at once open it once.
      `CREATE TABLE alarms (
        id TEXT PRIMARY KEY, store_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
        opened_at BIGINT NOT NULL, resolved_at BIGINT, updated_at BIGINT NOT NULL,
        summary TEXT NOT NULL, evidence TEXT NOT NULL, reproduce TEXT)`,
      `CREATE UNIQUE INDEX alarms_open ON alarms (store_id, kind, subject) WHERE resolved_at IS NULL`,
      `CREATE INDEX alarms_store_time ON alarms (store_id, opened_at)`,
    ],
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the database to the latest version; returns the versions it applied. */
export async function migrate(db: Db, now: () => number = Date.now): Promise<number[]> {
  return db.exclusive(async (q: Queryable) => {
    await q.run('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await q.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const newest = Math.max(0, ...done);
    if (newest > LATEST_VERSION) {
      throw new Error(`the database is at schema version ${newest}, newer than this collector knows (${LATEST_VERSION}): upgrade the collector`);
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await q.run(statement);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now()]);
      applied.push(m.version);
    }
    return applied;
  });
}
