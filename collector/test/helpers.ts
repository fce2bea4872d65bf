/**
 * Shared test fixtures for the collector: valid reports, view records, and fresh stores on both
 * databases (a temporary SQLite file; a PostgreSQL database made for the suite and dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { normalise } from '../src/ingest/normalise.js';
import type { ViewRecord } from '../src/ingest/record.js';
import type { Db, Queryable, Row } from '../src/store/db.js';
import { openStore, type FieldStore } from '../src/store/store.js';
import type { VitalsReport } from '../src/sdk.js';

export const PG_URL = process.env.VITRINE_TEST_PG_URL ?? 'postgres://vitrine:vitrine@127.0.0.1:5432/vitrine_test';

let seq = 0;
export const viewId = () => `view${Date.now().toString(36)}${(seq++).toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;

export function emptyHealth(): VitalsReport['health'] {
  const zero = () => ({ ok: 0, empty: 0, failed: 0 });
  return {
    apiRequests: 1,
    apiRetries: 0,
    batches: { count: 1, ids: 8, max: 8 },
    cache: { fresh: 0, stale: 0, miss: 8 },
    assets: { image: { ok: 8, empty: 0, failed: 0 }, script: zero(), style: zero(), json: zero() },
    originFallbacks: 0,
    breakerOpenings: 0,
    retryBudgetSpent: 0,
    beaconsDropped: 0,
    errors: 0,
    blankUrls: [],
    blankUrlsOmitted: 0,
  };
}

type Overrides = Partial<Omit<VitalsReport, 'health'>> & { health?: Partial<VitalsReport['health']>; sdk?: string; release?: string };

/** A valid report (the shape the SDK sends); `v: 2` with `sdk` once the SDK sends v2. */
export function makeReport(o: Overrides = {}): VitalsReport {
  const { health, ...rest } = o;
  const base = {
    v: 1,
    storeId: '1003',
    viewId: viewId(),
    page: '/index.html',
    navigationType: 'navigate',
    time: Date.now(),
    vitals: [
      { name: 'LCP', value: 1200, delta: 1200, id: 'v5-1', rating: 'good', navigationType: 'navigate' },
      { name: 'CLS', value: 0.02, delta: 0.02, id: 'v5-2', rating: 'good', navigationType: 'navigate' },
      { name: 'FCP', value: 800, delta: 800, id: 'v5-3', rating: 'good', navigationType: 'navigate' },
      { name: 'TTFB', value: 120, delta: 120, id: 'v5-4', rating: 'good', navigationType: 'navigate' },
    ],
    health: { ...emptyHealth(), ...health },
    ...rest,
  };
  return base as VitalsReport;
}

export const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const SAFARI_IOS_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

export function makeRecord(o: Overrides = {}, facts: { userAgent?: string; country?: string; receivedAt?: number } = {}): ViewRecord {
  const report = makeReport(o);
  return normalise(report, { userAgent: facts.userAgent ?? CHROME_UA, country: facts.country, receivedAt: facts.receivedAt ?? report.time });
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A location (path or URL) for a new, empty database. */
  create(): Promise<string>;
  cleanup(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'vitrine-collector-'));
      dirs.push(dir);
      return join(dir, 'field.db');
    },
    async cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  const made: string[] = [];
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async create() {
      const name = `vt_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      made.push(name);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      return url.href;
    },
    async cleanup() {
      const names = made.splice(0);
      if (names.length)
        await admin(async (c) => {
          for (const n of names) {
            // WITH (FORCE) cannot end a backend still starting up (no role yet: "must be a member of the
            // role whose process is being terminated"), as one a just-killed collector left can be for a
            // moment. Tried again for up to 5 s; a test database left behind is reported, not a failure.
            for (let attempt = 1; ; attempt++) {
              try {
                await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
                break;
              } catch (error) {
                if (attempt >= 25) {
                  console.warn(`[collector tests] could not drop test database ${n}: ${(error as Error).message}`);
                  break;
                }
                await new Promise((r) => setTimeout(r, 200));
              }
            }
          }
        });
    },
  };
}

export const backends = (): Backend[] => [sqliteBackend(), postgresBackend()];

export async function freshStore(backend: Backend): Promise<FieldStore> {
  return openStore(await backend.create());
}

/**
 * The store with the queries `when` picks failing as the database would fail them (`message`), for
 * the tests of what still answers around one failing query. Stored data cannot make a query fail
 * any more (field/believable.ts), so the failure is injected.
 */
export function withFailingQueries(store: FieldStore, when: (sql: string, params: readonly unknown[]) => boolean, message: string): FieldStore {
  const failing = (q: Queryable): Queryable => ({
    async all<T extends Row>(sql: string, params: readonly unknown[] = []) {
      if (when(sql, params)) throw new Error(message);
      return q.all<T>(sql, params);
    },
    async run(sql, params = []) {
      if (when(sql, params)) throw new Error(message);
      return q.run(sql, params);
    },
  });
  const db: Db = { ...store.db, ...failing(store.db), tx: (fn) => store.db.tx((q) => fn(failing(q))) };
  return { ...store, db };
}
