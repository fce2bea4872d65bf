/**
 * Field-answer benchmark: how long `/v1/field` and `/v1/alarms` take over a large store, on SQLite
 * and PostgreSQL, measured side by side in one run (a benchmark, never a test).
 *
 *   npm run bench:field [-- --reports 1000000 --hours 24 --runs 5 --write]
 *
 * Fills a fresh store of each kind with generated page views (through the store's own write path,
 * so the aggregates are the ones ingest builds), then times each answer over the whole range, cold
 * and warm, through the collector's HTTP API on loopback. Writes test-artifacts/bench-field.json, and
 * bench/results/field.json with --write.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createCollector } from '../collector/src/server.js';
import { normalise } from '../collector/src/ingest/normalise.js';
import { openStore, type FieldStore } from '../collector/src/store/store.js';
import type { ViewRecord } from '../collector/src/ingest/record.js';
import type { VitalsReport } from '../src/vitals-schema.js';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    hours: { type: 'string', default: '24' },
    runs: { type: 'string', default: '5' },
    write: { type: 'boolean', default: false },
  },
});
const REPORTS = Number(values.reports);
const HOURS = Number(values.hours);
const RUNS = Number(values.runs);
const PG_URL = process.env.VITRINE_TEST_PG_URL ?? 'postgres://vitrine:vitrine@127.0.0.1:5432/vitrine_test';
const NOW = Date.UTC(2026, 11, 1, 12);

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
];
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'ES', 'IT', 'NL', 'PL'];

function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

function* views(total: number): Generator<ViewRecord[]> {
  const r = random(1);
  const logn = (median: number, sigma: number) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r()));
  const zero = () => ({ ok: 0, empty: 0, failed: 0 });
  let batch: ViewRecord[] = [];
  for (let i = 0; i < total; i++) {
    const time = NOW - HOURS * 3_600_000 + Math.floor((i / total) * HOURS * 3_600_000);
    const sdk = i / total < 0.7 ? '0.1.0' : '0.2.0';
    const v = (name: 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB', value: number) => ({
      name,
      value: Number(value.toFixed(name === 'CLS' ? 4 : 1)),
      delta: 0,
      id: `v${i}${name}`,
      rating: 'good' as const,
      navigationType: 'navigate' as const,
    });
    const blank = r() < 0.01 ? [`https://cdn.example/images/1003/p${Math.floor(r() * 50)}/400.webp`] : [];
    const report = {
      v: 2,
      sdk,
      storeId: i % 10 === 0 ? '2001' : '1003',
      viewId: `bench${i.toString(36).padStart(8, '0')}`,
      page: `/products/${Math.floor(r() ** 2 * 200)}`,
      navigationType: 'navigate',
      time,
      vitals: [
        v('LCP', Math.min(logn(2000, 0.6), 60_000)),
        v('CLS', Math.min(logn(0.04, 1.2), 5)),
        v('FCP', logn(1300, 0.5)),
        v('TTFB', logn(450, 0.6)),
        ...(r() < 0.5 ? [v('INP', logn(140, 0.7))] : []),
      ],
      health: {
        apiRequests: sdk === '0.2.0' ? 4 : 1,
        apiRetries: 0,
        batches: { count: 1, ids: 8, max: 8 },
        cache: { fresh: 0, stale: 0, miss: 8 },
        assets: { image: { ok: 8, empty: blank.length, failed: 0 }, script: zero(), style: zero(), json: zero() },
        originFallbacks: blank.length,
        breakerOpenings: 0,
        retryBudgetSpent: 0,
        beaconsDropped: 0,
        errors: 0,
        blankUrls: blank,
        blankUrlsOmitted: 0,
      },
    } as unknown as VitalsReport;
    batch.push(normalise(report, { userAgent: UAS[Math.floor(r() * UAS.length)], country: COUNTRIES[Math.floor(r() * COUNTRIES.length)], receivedAt: time }));
    if (batch.length === 2_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function fill(store: FieldStore): Promise<number> {
  const started = performance.now();
  let n = 0;
  for (const batch of views(REPORTS)) {
    await store.write(batch);
    n += batch.length;
    if (n % 100_000 === 0) process.stdout.write(`  ${store.db.dialect}: ${n} reports\n`);
  }
  return performance.now() - started;
}

async function time(url: string, token: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    out.push(performance.now() - t);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results: Record<string, unknown>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-field-'));
const pgName = `bench_field_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${pgName}`);
try {
  const pgUrl = new URL(PG_URL);
  pgUrl.pathname = `/${pgName}`;
  for (const [kind, location] of [
    ['sqlite', join(dir, 'field.db')],
    ['postgres', pgUrl.href],
  ] as const) {
    try {
      const store = await openStore(location);
      process.stdout.write(`bench:field: filling ${kind} with ${REPORTS} reports…\n`);
      const fillMs = await fill(store);
      const bytes = await store.db.bytes();
      const collector = await createCollector({ store, token: 'bench', rateLimit: 0, log: () => undefined, now: () => NOW, alarmIntervalMs: 3_600_000 });
      const range = `from=${NOW - HOURS * 3_600_000}&to=${NOW}`;
      const field = await time(`${collector.url}/v1/field?${range}`, 'bench');
      const filtered = await time(`${collector.url}/v1/field?${range}&browser=Safari&country=DE`, 'bench');
      const alarms = await time(`${collector.url}/v1/alarms?${range}`, 'bench');
      const blank = await time(`${collector.url}/v1/blank-variants?${range}`, 'bench');
      const rows = await store.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM vital_bins');
      const result = {
        store: kind,
        reports: REPORTS,
        fillSeconds: Math.round(fillMs / 100) / 10,
        bytes,
        bytesPerReport: Math.round(bytes / REPORTS),
        vitalBinRows: Number(rows[0]!.n),
        ms: { field: field.map(Math.round), fieldFiltered: filtered.map(Math.round), alarms: alarms.map(Math.round), blankVariants: blank.map(Math.round) },
      };
      results.push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      await collector.close();
      await store.close();
    } catch (error) {
      process.stdout.write(`bench:field: ${kind} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${pgName}`).catch((e: unknown) => process.stdout.write(`bench:field: could not drop ${pgName}: ${String(e)}\n`));
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}

const table = [
  '| store | reports | fill (s) | bytes/report | /v1/field (ms, median; first) | filtered field | /v1/alarms | /v1/blank-variants |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => {
    const ms = r['ms'] as Record<string, number[]>;
    const cell = (xs: number[]) => `${median(xs)} (first ${xs[0]})`;
    return `| ${r['store']} | ${r['reports']} | ${r['fillSeconds']} | ${r['bytesPerReport']} | ${cell(ms['field']!)} | ${cell(ms['fieldFiltered']!)} | ${cell(ms['alarms']!)} | ${cell(ms['blankVariants']!)} |`;
  }),
].join('\n');
process.stdout.write(`\n${table}\n`);
const out = { measuredAt: new Date().toISOString(), hours: HOURS, runs: RUNS, results };
mkdirSync('test-artifacts', { recursive: true });
writeFileSync('test-artifacts/bench-field.json', `${JSON.stringify(out, null, 2)}\n`);
if (values.write) writeFileSync('bench/results/field.json', `${JSON.stringify(out, null, 2)}\n`);
