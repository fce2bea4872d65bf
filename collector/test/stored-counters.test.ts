/**
 * Rows stored before ingest dropped absurd health counters (by an older collector, or written by
 * hand) must not cost support staff the answers: on SQLite two of them overflowed SUM, so
 * `/v1/field` answered 500 and the dashboard lost its field sections; on both databases they
 * swamped requests per view and hid a real requests-per-view alarm. Now they are left out, and the
 * answer says how many rows were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../src/server.js';
import type { AlarmAnswer, FieldAnswer } from '../src/field/types.js';
import { openStore, type FieldStore } from '../src/store/store.js';
import { backends, makeRecord } from './helpers.js';

const NOW = Date.UTC(2026, 11, 1, 12, 30);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const auth = { Authorization: 'Bearer t0ken' };

for (const backend of backends()) {
  describe(`stored rows with impossible counters on ${backend.name}`, () => {
    let collector: Collector;
    let store: FieldStore;
    const logs: string[] = [];

    beforeAll(async () => {
      store = await openStore(await backend.create());
      const view = (time: number, sdk: string, apiRequests: number, page = '/p') => makeRecord({ v: 2, sdk, time, page, health: { apiRequests } }, { receivedAt: time });
      const records = [
        // The previous hour: SDK 0.1.0, one API request per view.
        ...Array.from({ length: 40 }, (_, i) => view(NOW - 90 * MINUTE + i * MINUTE, '0.1.0', 1)),
        // This hour, in the alarms' 30-minute window: 0.1.0 still at one, 0.2.0 at four (a real regression).
        ...Array.from({ length: 40 }, (_, i) => view(NOW - 25 * MINUTE + i * 15_000, '0.1.0', 1)),
        ...Array.from({ length: 40 }, (_, i) => view(NOW - 25 * MINUTE + i * 15_000 + 7_000, '0.2.0', 4)),
        // Straight into the store, past ingest's bounds: 2^62 API requests, one view in each hour.
        view(NOW - 45 * MINUTE, '0.1.0', 2 ** 62, '/old'),
        view(NOW - 20 * MINUTE, '0.1.0', 2 ** 62, '/old'),
      ];
      // One write: one rollup shard on PostgreSQL too, so both databases hold the same rows.
      await store.write(records);
      collector = await createCollector({ store, token: 't0ken', rateLimit: 0, log: (l) => logs.push(l), now: () => NOW, minSample: 30, alarmIntervalMs: HOUR });
    });
    afterAll(async () => {
      await collector?.close();
      await store?.close();
      await backend.cleanup();
    });

    const field = async (query = '') => {
      const res = await fetch(`${collector.url}/v1/field?from=${NOW - 6 * HOUR}&to=${NOW}${query}`, { headers: auth });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as FieldAnswer;
    };
    const sdkRow = (a: FieldAnswer, sdk: string) => a.breakdowns.sdk.find((r) => r.value === sdk);

    it('/v1/field answers 200 without them: every view and vital counted, requests per view only over believable rows, and skippedRows says how many were left out', async () => {
      const a = await field();
      expect(a.views).toBe(122);
      expect(a.metrics.find((m) => m.metric === 'LCP')!.count).toBe(122);
      // 0.1.0's hourly rows hold the impossible count: no requests per view can be read from them.
      expect(sdkRow(a, '0.1.0')).toMatchObject({ views: 82, errorRate: 0, p75: { LCP: expect.any(Number) } });
      expect(sdkRow(a, '0.1.0')!.requestsPerView).toBeUndefined();
      expect(sdkRow(a, '0.2.0')).toMatchObject({ views: 40, requestsPerView: 4 });
      expect(a.breakdowns.page.find((r) => r.value === '/p')).toMatchObject({ views: 120, requestsPerView: 2 });
      expect(a.requestsSeries).toEqual([{ sdk: '0.2.0', points: [{ hour: NOW - 30 * MINUTE, views: 40, requestsPerView: 4 }] }]);
      expect(a.skippedRows).toBe(2); // the store's two hourly rows holding them
    });

    it('a filtered answer (the hourly cube) leaves out the same views’ requests', async () => {
      const a = await field('&sdk=0.1.0');
      expect(a.views).toBe(82);
      expect(a.breakdowns.page.find((r) => r.value === '/p')).toMatchObject({ views: 80, requestsPerView: 1 });
      // The cube's rows are finer (one cell each): only the two views' own cells are left out.
      expect(sdkRow(a, '0.1.0')).toMatchObject({ views: 82, requestsPerView: 1 });
      expect(a.skippedRows).toBe(2);
      const clean = await field('&page=%2Fp');
      expect(clean.skippedRows).toBe(0);
      expect(sdkRow(clean, '0.1.0')).toMatchObject({ views: 80, requestsPerView: 1 });
    });

    it('the dashboard renders every section and says rows were left out', async () => {
      const res = await fetch(`${collector.url}/`, { headers: auth });
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).not.toContain('Could not be loaded');
      expect(page).toContain('2 stored hourly rows left out.');
    });

    it('alarm evaluation leaves them out too: the real regression (0.2.0 at 4× 0.1.0) opens', async () => {
      const res = await fetch(`${collector.url}/v1/alarms?from=${NOW - 6 * HOUR}&to=${NOW}`, { headers: auth });
      expect(res.status).toBe(200);
      const { open } = (await res.json()) as AlarmAnswer;
      expect(open.map((x) => [x.kind, x.subject])).toEqual([['requests-per-view', 'sdk 0.2.0']]);
      expect(open[0]!.evidence).toMatchObject({ previous: '0.1.0', previousRequestsPerView: 1, requestsPerView: 4, previousViews: 40 });
      expect(logs.filter((l) => /error|failed|alarms: store/.test(l))).toEqual([]);
    });

    it('a row whose views no hour holds (written by hand) is left out whole', async () => {
      const hour = NOW - 90 * MINUTE;
      for (const table of ['count_rollup', 'view_counts']) await store.db.run(`UPDATE ${table} SET views = 9223372036854775807 WHERE hour = ?`, [hour]);
      const a = await field();
      expect(a.views).toBe(81); // this hour's: 80, and the second impossible view
      expect(a.series.map((p) => p.views)).toEqual([81]);
      expect(a.skippedRows).toBe(2);
      expect((await field('&sdk=0.1.0')).views).toBe(41);
    });
  });
}
