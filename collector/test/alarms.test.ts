/**
 * The incident, replayed as generated page views on both databases: the request explosion of a
 * new SDK version and a CDN copy blank for one browser in one country. Each alarm must open as
 * soon as it has its minimum sample, name the right version / URL / browser × country, stay quiet
 * for a handful of reports, and resolve on its own once the traffic heals.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { alarmAnswer, evaluateAlarms, ALARM_DEFAULTS } from '../src/field/answers.js';
import type { Alarm } from '../src/field/types.js';
import type { FieldStore } from '../src/store/store.js';
import { createCollector } from '../src/server.js';
import { CHROME_UA, SAFARI_IOS_UA, backends, freshStore, makeRecord, sqliteBackend, withFailingQueries } from './helpers.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0);
const MIN = 60_000;
const options = { minSample: ALARM_DEFAULTS.minSample, now: () => 0 };

async function openAlarms(store: FieldStore, now: number): Promise<Alarm[]> {
  return (await alarmAnswer(store, { from: now - 24 * 60 * MIN, to: now }, { ...options, now: () => now })).open;
}

for (const backend of backends()) {
  describe(`alarms on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('a release whose SDK makes 4× the API requests per page view opens an alarm at its minimum sample, naming both versions, and resolves after the rollback', async () => {
      const store = await freshStore(backend);
      // Half an hour of the old version: one batched request per page view.
      await store.write(
        Array.from({ length: 120 }, (_, i) => makeRecord({ sdk: '0.1.0', release: 'shop-41', health: { apiRequests: 1 } }, { receivedAt: T0 - 30 * MIN + i * 15_000 })),
      );
      expect(await openAlarms(store, T0)).toEqual([]);
      // The upgrade: every page view now also asks for image, thumbnail and small thumbnail.
      let opened: Alarm | undefined;
      let after = 0;
      for (let i = 1; i <= 60 && !opened; i++) {
        const t = T0 + i * 10_000;
        await store.write([makeRecord({ sdk: '0.2.0', release: 'shop-42', health: { apiRequests: 4 } }, { receivedAt: t })]);
        await evaluateAlarms(store, t, ALARM_DEFAULTS);
        opened = (await openAlarms(store, t)).find((a) => a.kind === 'requests-per-view' && a.subject === 'sdk 0.2.0');
        after = i;
      }
      expect(opened, 'no alarm after 60 reports of the new version').toBeDefined();
      expect(after).toBe(ALARM_DEFAULTS.minSample);
      console.log(`[alarms] requests-per-view opened ${after} reports after the new version started (${backend.name})`);
      expect(opened!.evidence).toMatchObject({ version: '0.2.0', previous: '0.1.0', requestsPerView: 4, previousRequestsPerView: 1, ratio: 4 });
      expect(opened!.summary).toMatch(/0\.2\.0.*4 API requests per page view.*0\.1\.0/);
      const byRelease = (await openAlarms(store, T0 + after * 10_000)).find((a) => a.subject === 'release shop-42');
      expect(byRelease?.evidence).toMatchObject({ previous: 'shop-41', ratio: 4 });

      // Rolled back: only the old version for the next 40 minutes.
      const healed = T0 + 45 * MIN;
      await store.write(
        Array.from({ length: 80 }, (_, i) => makeRecord({ sdk: '0.1.0', release: 'shop-41', health: { apiRequests: 1 } }, { receivedAt: T0 + 10 * MIN + i * 25_000 })),
      );
      const answer = await alarmAnswer(store, { from: T0 - 60 * MIN, to: healed }, { ...options, now: () => healed });
      expect(answer.open.filter((a) => a.kind === 'requests-per-view')).toEqual([]);
      const resolved = answer.resolved.find((a) => a.subject === 'sdk 0.2.0');
      expect(resolved?.resolvedAt).toBe(healed);
      expect(resolved?.openedAt).toBe(opened!.openedAt);
      await store.close();
    });

    it('a CDN copy blank for Safari in Germany only opens one blank-variant alarm naming the URLs and the variant, not from a handful, and resolves after the purge', async () => {
      const store = await freshStore(backend);
      const cells = [
        [CHROME_UA, 'DE'],
        [CHROME_UA, 'FR'],
        [SAFARI_IOS_UA, 'DE'],
        [SAFARI_IOS_UA, 'FR'],
      ] as const;
      const healthy = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => {
          const [ua, country] = cells[i % 4]!;
          return makeRecord({ sdk: '0.2.1' }, { userAgent: ua, country, receivedAt: from + i * 5_000 });
        });
      await store.write(healthy(T0 - 25 * MIN, 300));
      const bad = ['https://cdn.example/images/1003/shirt/400.webp', 'https://cdn.example/images/1003/shirt/160.webp'];
      let opened: Alarm | undefined;
      let after = 0;
      for (let i = 1; i <= 40 && !opened; i++) {
        const t = T0 + i * 20_000;
        // The affected shoppers, among ongoing healthy traffic elsewhere.
        await store.write([
          makeRecord({ sdk: '0.2.1', health: { blankUrls: bad, originFallbacks: 2 } }, { userAgent: SAFARI_IOS_UA, country: 'DE', receivedAt: t }),
          ...healthy(t, 3).filter((_, k) => k !== 2),
        ]);
        const open = await openAlarms(store, t);
        if (i < ALARM_DEFAULTS.blankMinViews)
          expect(
            open.filter((a) => a.kind === 'blank-variant'),
            `alarm after only ${i} blank reports`,
          ).toEqual([]);
        opened = open.find((a) => a.kind === 'blank-variant');
        after = i;
      }
      expect(opened).toBeDefined();
      expect(after).toBe(ALARM_DEFAULTS.blankMinViews);
      console.log(`[alarms] blank-variant opened ${after} blank reports after the bad copy appeared (${backend.name})`);
      expect(opened!.subject).toBe('Safari 17 in DE');
      expect(opened!.evidence).toMatchObject({ browser: 'Safari 17', country: 'DE', urlCount: 2 });
      expect((opened!.evidence['urls'] as { url: string; blankElsewhere: number }[]).map((u) => u.url).sort()).toEqual([...bad].sort());
      expect((opened!.evidence['urls'] as { blankElsewhere: number }[]).every((u) => u.blankElsewhere === 0)).toBe(true);
      expect(opened!.reproduce).toContain(encodeURIComponent('"userAgent":"Safari"'));
      // Purged: half an hour more of healthy traffic, Safari in Germany included.
      const healed = T0 + 50 * MIN;
      await store.write(healthy(T0 + 15 * MIN, 400));
      const answer = await alarmAnswer(store, { from: T0, to: healed }, { ...options, now: () => healed });
      expect(answer.open.filter((a) => a.kind === 'blank-variant')).toEqual([]);
      expect(answer.resolved.find((a) => a.kind === 'blank-variant')?.subject).toBe('Safari 17 in DE');
      await store.close();
    });

    it('origin-fallback and error rates, and a p75 LCP regression by version, each open with their evidence', async () => {
      const store = await freshStore(backend);
      const lcp = (value: number) => [{ name: 'LCP' as const, value, delta: value, id: 'x', rating: 'good' as const, navigationType: 'navigate' as const }];
      await store.write(Array.from({ length: 60 }, (_, i) => makeRecord({ sdk: '0.3.0', vitals: lcp(1800 + i) }, { receivedAt: T0 - 20 * MIN + i * 1_000 })));
      await store.write(
        Array.from({ length: 60 }, (_, i) =>
          makeRecord({ sdk: '0.3.1', vitals: lcp(3200 + i), health: i % 5 === 0 ? { originFallbacks: 1, errors: 1 } : {} }, { receivedAt: T0 - 10 * MIN + i * 1_000 }),
        ),
      );
      const open = await openAlarms(store, T0);
      const kinds = Object.fromEntries(open.map((a) => [a.kind, a]));
      expect(kinds['origin-fallback-rate']?.evidence).toMatchObject({ views: 120, fallbackViews: 12, rate: 0.1 });
      expect(kinds['error-rate']?.evidence).toMatchObject({ views: 120, errorViews: 12 });
      expect(kinds['vital-regression']).toMatchObject({ subject: 'LCP sdk 0.3.1', evidence: { metric: 'LCP', version: '0.3.1', previous: '0.3.0' } });
      expect(Number(kinds['vital-regression']!.evidence['p75'])).toBeGreaterThan(3_200);
      await store.close();
    });

    it('two evaluators at once open an alarm once (the database keeps one open per store, kind and subject)', async () => {
      const store = await freshStore(backend);
      await store.write(Array.from({ length: 40 }, (_, i) => makeRecord({ health: { originFallbacks: 1 } }, { receivedAt: T0 - i * 1_000 })));
      await Promise.all([evaluateAlarms(store, T0), evaluateAlarms(store, T0), evaluateAlarms(store, T0 + 1)]);
      const rows = await store.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM alarms WHERE kind = 'origin-fallback-rate' AND resolved_at IS NULL");
      expect(Number(rows[0]!.n)).toBe(1);
      await store.close();
    });
  });
}

describe('one store whose alarms cannot be evaluated (SQLite)', () => {
  const backend = sqliteBackend();
  afterAll(() => backend.cleanup());

  /** Every query about store "broken" fails, with the error SQLite gave when this test stored counters that overflowed its SUM. */
  async function twoStores(): Promise<FieldStore> {
    const store = await freshStore(backend);
    await store.write(Array.from({ length: 40 }, (_, i) => makeRecord({ storeId: 'broken' }, { receivedAt: T0 - i * 1_000 })));
    await store.write(Array.from({ length: 40 }, (_, i) => makeRecord({ storeId: 'healthy', health: { errors: 1 } }, { receivedAt: T0 - i * 1_000 })));
    return withFailingQueries(store, (_sql, params) => params.includes('broken'), 'integer overflow');
  }

  it('does not stop the evaluation of the other stores: each failure is handed over with its store id, or thrown once all had their turn', async () => {
    const store = await twoStores();
    const failures: [string, string][] = [];
    const failed = await evaluateAlarms(store, T0, ALARM_DEFAULTS, undefined, (id, e) => failures.push([id, (e as Error).message]));
    expect(failed).toEqual(['broken']);
    expect(failures).toEqual([['broken', expect.stringMatching(/overflow/)]]);
    const open = await store.db.all<{ store_id: string; kind: string }>('SELECT store_id, kind FROM alarms WHERE resolved_at IS NULL');
    expect(open).toEqual([{ store_id: 'healthy', kind: 'error-rate' }]);
    // Without a handler the failure is still thrown, after the healthy store was evaluated.
    await store.db.run('DELETE FROM alarms');
    await expect(evaluateAlarms(store, T0)).rejects.toThrow(/store broken: .*overflow/);
    expect(await store.db.all('SELECT store_id FROM alarms WHERE resolved_at IS NULL')).toEqual([{ store_id: 'healthy' }]);
    await store.close();
  });

  it("over HTTP: /v1/alarms answers 200 with the healthy store's alarm, the failure logged once with the store id and counted on /metrics", async () => {
    const store = await twoStores();
    const lines: string[] = [];
    const c = await createCollector({ store, rateLimit: 0, now: () => T0 + 1_000, log: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${c.url}/v1/alarms`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { open: Alarm[] }).open.map((a) => [a.store, a.kind])).toEqual([['healthy', 'error-rate']]);
      }
      expect(lines.filter((l) => l.startsWith('alarms: store broken: ') && /overflow/.test(l))).toHaveLength(1);
      expect(await (await fetch(`${c.url}/metrics`)).text()).toMatch(/vitrine_collector_alarm_evaluation_failures_total 2/);
    } finally {
      await c.close();
      await store.close();
    }
  });
});
