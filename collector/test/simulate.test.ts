/**
 * `vitrine-collector simulate`: the demo data. Generated page views are valid v2 reports of several
 * browsers, countries, pages and devices, deterministic for a seed; written to a fresh store (both
 * databases) and through the CLI of a real process, they open exactly the incident's two alarms —
 * requests per page view for SDK 0.2.0 and the blank CDN variant for Safari 17 in DE — and the
 * field answer counts every one of them as simulated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmAnswer, evaluateAlarms, fieldAnswer, ALARM_DEFAULTS } from '../src/field/answers.js';
import type { AlarmAnswer, FieldAnswer } from '../src/field/types.js';
import { parseVitalsReport } from '../src/sdk.js';
import { NEW_SDK, OLD_SDK, runSimulate, simulateViews, simulationPlan, type SimulationPlan } from '../src/simulate.js';
import type { Alarm } from '../src/field/types.js';
import { backends, freshStore, sqliteBackend } from './helpers.js';
import { buildCollector, runCli, startCollectorProcess, stop, type CollectorProcess } from './processes.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0);
const DAY = 86_400_000;

/** The two alarms the simulation is for, and nothing else. */
function expectIncidentAlarms(open: Alarm[], plan: SimulationPlan) {
  expect(open.map((a) => `${a.kind} ${a.subject}`).sort()).toEqual(['blank-variant Safari 17 in DE', `requests-per-view sdk ${NEW_SDK}`]);
  const requests = open.find((a) => a.kind === 'requests-per-view')!;
  expect(requests.evidence).toMatchObject({ dimension: 'sdk', version: NEW_SDK, previous: OLD_SDK });
  expect(Number(requests.evidence['ratio'])).toBeGreaterThan(3.5);
  expect(requests.reproduce).toBe('pattern=incident');
  const blank = open.find((a) => a.kind === 'blank-variant')!;
  expect(blank.evidence).toMatchObject({ browser: 'Safari 17', country: 'DE', urlCount: 1 });
  expect((blank.evidence['urls'] as { url: string; blankElsewhere: number }[]).map((u) => [u.url, u.blankElsewhere])).toEqual([[plan.blank.url, 0]]);
  expect(JSON.parse(decodeURIComponent(blank.reproduce!.replace(/^faults=/, '')))).toEqual([{ host: 'cdn', fault: 'empty', path: plan.blank.path, userAgent: 'Safari' }]);
}

describe('simulateViews', () => {
  const views = simulateViews({ now: NOW });
  const plan = simulationPlan({ now: NOW });

  it('is deterministic for a seed and now, and another seed is other shoppers', () => {
    expect(simulateViews({ now: NOW })).toEqual(views);
    const other = simulateViews({ now: NOW, seed: 2 });
    expect(other).toHaveLength(3_000);
    expect(other.map((r) => r.browser + r.country + r.page)).not.toEqual(views.map((r) => r.browser + r.country + r.page));
  });

  it('makes 3,000 valid v2 reports over the last 120 minutes, all marked simulated, no User-Agent kept', () => {
    expect(views).toHaveLength(3_000);
    expect(new Set(views.map((r) => r.viewId)).size).toBe(3_000);
    for (const r of views) {
      expect(r.simulated).toBe(true);
      expect(r.viewTime).toBeGreaterThanOrEqual(NOW - 120 * 60_000);
      expect(r.viewTime).toBeLessThanOrEqual(NOW);
      expect(r.receivedAt).toBeLessThanOrEqual(NOW);
      expect(parseVitalsReport(r.report)).toMatchObject({ v: 2, sdk: r.sdk, release: r.release });
      expect(JSON.stringify(r)).not.toContain('Mozilla');
    }
  });

  it('spreads over several browsers, countries, pages and devices, with vitals around typical medians', () => {
    const count = (key: (r: (typeof views)[number]) => string) => new Set(views.map(key)).size;
    expect(new Set(views.map((r) => r.browser))).toEqual(new Set(['Chrome', 'Safari', 'Firefox', 'Microsoft Edge', 'Samsung Internet for Android']));
    expect(count((r) => `${r.browser} ${r.browserMajor}`)).toBeGreaterThanOrEqual(6);
    expect(count((r) => r.country)).toBeGreaterThanOrEqual(8);
    expect(count((r) => r.device)).toBe(3);
    expect(count((r) => r.page)).toBeGreaterThan(20);
    const median = (name: string) => {
      const v = views.flatMap((r) => r.vitals.filter((x) => x.name === name).map((x) => x.value)).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)]!;
    };
    expect(median('LCP')).toBeGreaterThan(1_000);
    expect(median('LCP')).toBeLessThan(2_500);
    expect(median('TTFB')).toBeGreaterThan(150);
    expect(median('TTFB')).toBeLessThan(800);
    expect(median('CLS')).toBeLessThan(0.1);
  });

  it('runs 0.1.0 with one API request per view, then rolls out 0.2.0 with four for the last third; one CDN copy blank for Safari 17 in DE only', () => {
    for (const r of views) if (r.viewTime < plan.rolloutAt) expect(r.sdk).toBe(OLD_SDK);
    const late = views.filter((r) => r.viewTime >= plan.rolloutAt);
    const share = late.filter((r) => r.sdk === NEW_SDK).length / late.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.8);
    const perView = (sdk: string) => {
      const v = views.filter((r) => r.sdk === sdk && r.navigationType !== 'back-forward-cache');
      return v.reduce((s, r) => s + r.health.apiRequests - r.health.apiRetries, 0) / v.length;
    };
    expect(perView(OLD_SDK)).toBe(1);
    expect(perView(NEW_SDK)).toBe(4);
    const blank = views.filter((r) => r.health.blankUrls.length > 0);
    expect(blank.length).toBeGreaterThan(10);
    for (const r of blank) {
      expect([r.browser, r.browserMajor, r.country]).toEqual(['Safari', '17', 'DE']);
      expect(r.health.blankUrls).toEqual([plan.blank.url]);
      expect(r.health.originFallbacks).toBeGreaterThanOrEqual(1);
      expect(r.viewTime).toBeGreaterThanOrEqual(plan.blankFrom);
    }
  });
});

for (const backend of backends()) {
  describe(`simulated data in a fresh ${backend.name} store`, () => {
    afterAll(() => backend.cleanup());

    it('opens the requests-per-view alarm for 0.2.0 and the blank-variant alarm for Safari 17 in DE; /v1/field counts every view as simulated', async () => {
      const store = await freshStore(backend);
      const views = simulateViews({ now: NOW });
      for (let i = 0; i < views.length; i += 500) await store.write(views.slice(i, i + 500));
      await evaluateAlarms(store, NOW, ALARM_DEFAULTS);
      const answer = await alarmAnswer(store, { from: NOW - DAY, to: NOW }, { minSample: 30, now: () => NOW });
      expectIncidentAlarms(answer.open, simulationPlan({ now: NOW }));
      const field = await fieldAnswer(store, { from: NOW - DAY, to: NOW }, { minSample: 30, now: () => NOW });
      expect(field.views).toBe(3_000);
      expect(field.simulatedViews).toBe(field.views);
      expect(field.metrics.every((m) => m.p75 !== undefined)).toBe(true);
      await store.close();
    });

    it('runSimulate writes, evaluates and reports the open alarms; a second run with the same seed and now stores nothing twice', async () => {
      const location = await backend.create();
      const lines: string[] = [];
      const first = await runSimulate({ store: location, now: NOW, views: 1_500, minutes: 60, log: (l) => lines.push(l) });
      expect(first).toMatchObject({ views: 1_500, written: 1_500 });
      expectIncidentAlarms(first.alarms, first.plan);
      expect(lines[0]).toMatch(/^vitrine-collector simulate: 1500 simulated page views written/);
      expect(lines.join('\n')).toContain('alarms open (2)');
      const again = await runSimulate({ store: location, now: NOW, views: 1_500, minutes: 60, log: () => undefined });
      expect(again.written).toBe(0);
    });
  });
}

describe('vitrine-collector simulate (a real process)', () => {
  const sqlite = sqliteBackend();
  let server: CollectorProcess | undefined;
  beforeAll(() => buildCollector(), 120_000);
  afterAll(async () => {
    await stop(server);
    await sqlite.cleanup();
  });

  it('fills a SQLite file; a collector started on it answers /v1/field with simulatedViews = views and /v1/alarms with both alarms open', async () => {
    const db = await sqlite.create();
    const now = Date.now();
    const run = runCli(['simulate', '--db', db, '--views', '3000', '--minutes', '120', '--seed', '1', '--now', String(now)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^vitrine-collector simulate: 3000 simulated page views written to sqlite /);
    expect(run.stdout).toContain(`requests-per-view · sdk ${NEW_SDK}`);
    expect(run.stdout).toContain('blank-variant · Safari 17 in DE');

    server = await startCollectorProcess(['--db', db, '--token', 'simulate-test-token']);
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${server!.url}${path}`, { headers: { Authorization: 'Bearer simulate-test-token' } });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const field = await get<FieldAnswer>(`/v1/field?from=${now - DAY}&to=${now}`);
    expect(field.views).toBe(3_000);
    expect(field.simulatedViews).toBe(field.views);
    const alarms = await get<AlarmAnswer>('/v1/alarms');
    expectIncidentAlarms(alarms.open, simulationPlan({ now }));
  });

  it('a bad flag is one line and exit code 2; --help lists the flags', () => {
    const bad = runCli(['simulate', '--views', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^vitrine-collector simulate: --views expects a whole number/)]);
    const help = runCli(['simulate', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--views 3000');
    expect(help.stdout).toContain('--now');
  });
});
