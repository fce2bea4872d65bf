/**
 * The guarantees that only real processes can show: an acknowledged report survives `kill -9`,
 * two instances on one PostgreSQL store a report once, and the command line fails clearly.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type FieldStore } from '../src/store/store.js';
import { CHROME_UA, makeReport, postgresBackend, sqliteBackend, type Backend } from './helpers.js';
import { buildCollector, runCli, startCollectorProcess, stop, type CollectorProcess } from './processes.js';

const started: CollectorProcess[] = [];
const pg = postgresBackend();
const sqlite = sqliteBackend();
beforeAll(() => buildCollector());
afterEach(async () => {
  for (const p of started.splice(0)) await stop(p, 'SIGKILL');
});
afterAll(async () => {
  await pg.cleanup();
  await sqlite.cleanup();
});

async function start(args: string[], env?: Record<string, string>) {
  const p = await startCollectorProcess(args, env);
  started.push(p);
  return p;
}

const storeArgs = (backend: Backend, location: string) => (backend.name === 'postgres' ? ['--store', location] : ['--db', location]);

async function send(url: string, body: unknown): Promise<{ status: number; duplicate?: boolean } | undefined> {
  try {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA } });
    const json = (await res.json().catch(() => ({}))) as { duplicate?: boolean };
    return { status: res.status, ...(json.duplicate !== undefined && { duplicate: json.duplicate }) };
  } catch {
    return undefined; // the process was killed under this request
  }
}

async function consistent(store: FieldStore) {
  const reports = await store.countReports();
  const views = await store.db.all<{ n: number }>('SELECT COALESCE(SUM(views), 0) AS n FROM view_counts');
  return { reports, views: Number(views[0]!.n) };
}

for (const backend of [sqlite, pg]) {
  it(`kill -9 during a load of 3,000 reports on ${backend.name}: every acknowledged report is stored after a restart, none twice`, async () => {
    const location = await backend.create();
    const first = await start([...storeArgs(backend, location), '--rate-limit', '0']);
    const reports = Array.from({ length: 3_000 }, () => makeReport());
    const acked: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < reports.length) {
        const r = reports[next++]!;
        const answer = await send(first.ingestUrl, r);
        if (answer?.status === 200) acked.push(r.viewId);
        if (!killed && acked.length >= 1_000) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(await first.exited).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(1_000);
    expect(acked.length).toBeLessThan(reports.length);

    // A restart on the same store (it migrates, then serves) and the store read directly.
    const second = await start([...storeArgs(backend, location), '--rate-limit', '0']);
    expect((await send(second.ingestUrl, makeReport()))?.status).toBe(200);
    await stop(second);
    const store = await openStore(location);
    const ids = await store.db.all<{ view_id: string }>('SELECT view_id FROM reports');
    const stored = new Set(ids.map((r) => r.view_id));
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(ids.length).toBe(stored.size);
    // Aggregates were written in the same transactions as the rows: none half-done, none twice.
    expect(await consistent(store)).toEqual({ reports: ids.length, views: ids.length });
    console.log(
      `[collector] kill -9 on ${backend.name}: ${acked.length} acknowledged before the kill, ${ids.length - 1} stored (${ids.length - 1 - acked.length} stored but not yet answered)`,
    );
    await store.close();
  });
}

describe('several instances on one PostgreSQL', () => {
  it('the same reports sent to two collector processes at once are stored once, and each is new to exactly one', async () => {
    const location = await pg.create();
    const [a, b] = await Promise.all([start(['--store', location, '--rate-limit', '0']), start(['--store', location, '--rate-limit', '0'])]);
    const reports = Array.from({ length: 300 }, () => makeReport());
    const answers = await Promise.all(reports.map(async (r) => Promise.all([send(a!.ingestUrl, r), send(b!.ingestUrl, r)])));
    for (const [x, y] of answers) {
      expect([x?.status, y?.status]).toEqual([200, 200]);
      expect([x?.duplicate, y?.duplicate].sort()).toEqual([false, true]);
    }
    const store = await openStore(location);
    expect(await consistent(store)).toEqual({ reports: 300, views: 300 });
    await store.close();
  });
});

describe('command line', () => {
  it('a bad flag or value is one line on stderr and exit code 2', () => {
    for (const args of [
      ['--bogus'],
      ['--port', 'eighty'],
      ['--port', '1.5'],
      ['--retention-days', '0.5'],
      ['--rate-limit', '-1'],
      ['--store', 'mysql://x'],
      ['--db', 'a.db', '--store', 'postgres://x/y'],
      ['--host', '0.0.0.0'],
    ]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^vitrine-collector: /);
    }
    // A negative number is a value out of range, said in the CLI's own words (not parseArgs' "ambiguous").
    expect(runCli(['--rate-limit', '-1']).stderr).toMatch(/^vitrine-collector: --rate-limit expects a number from 0 to 1000000, got "-1"/);
    expect(runCli(['--port', '-5']).stderr).toMatch(/^vitrine-collector: --port expects a whole number from 0 to 65535, got "-5"/);
  });

  it('without dist/ (a fresh clone before any build), the bin says in one line how to build it and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(new URL('../bin/vitrine-collector.js', import.meta.url), join(dir, 'bin', 'vitrine-collector.js'));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'vitrine-collector.js'), '--db', join(dir, 'x.db')], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^vitrine-collector: dist\/ is not built\. .*`npm run collector -- <flags>`/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every flag from VITRINE_COLLECTOR_* too, the flag winning over the variable', async () => {
    const location = await sqlite.create();
    const p = await start(['--db', location], { VITRINE_COLLECTOR_TOKEN: 'from-env', VITRINE_COLLECTOR_RATE_LIMIT: '0' });
    expect((await fetch(`${p.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${p.url}/metrics`, { headers: { Authorization: 'Bearer from-env' } })).status).toBe(200);
    expect(p.output()).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    const bad = runCli(['--db', location], { VITRINE_COLLECTOR_PORT: 'x' });
    expect(bad.status).toBe(2);
    const flagged = await start(['--db', location, '--token', 'from-flag'], { VITRINE_COLLECTOR_TOKEN: 'from-env' });
    expect((await fetch(`${flagged.url}/metrics`, { headers: { Authorization: 'Bearer from-env' } })).status).toBe(401);
    expect((await fetch(`${flagged.url}/metrics`, { headers: { Authorization: 'Bearer from-flag' } })).status).toBe(200);
  });
});
