/**
 * One storage suite, run against SQLite and a real PostgreSQL server: what the collector promises
 * about stored reports must hold on both, from the same SQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { binOf } from '../src/field/histogram.js';
import { LATEST_VERSION } from '../src/store/migrations.js';
import { hourOf } from '../src/store/rows.js';
import { openStore } from '../src/store/store.js';
import { FIREFOX_UA, SAFARI_IOS_UA, backends, freshStore, makeRecord } from './helpers.js';

for (const backend of backends()) {
  describe(`storage on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('migrates a new database to the latest version, and a second open applies nothing', async () => {
      const location = await backend.create();
      const a = await openStore(location);
      const versions = await a.db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((r) => Number(r.version))).toEqual([LATEST_VERSION]);
      expect(await a.migrate()).toEqual([]);
      await a.close();
      const b = await openStore(location);
      expect(await b.migrate()).toEqual([]);
      await b.close();
    });

    it('refuses a database migrated by a newer collector instead of writing into it', async () => {
      const location = await backend.create();
      const a = await openStore(location);
      await a.db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [LATEST_VERSION + 1, 'from the future', 0]);
      await a.close();
      await expect(openStore(location)).rejects.toThrow(/newer than this collector knows/);
    });

    it('stores a view once: a resent report is a duplicate and its vitals are not counted twice', async () => {
      const store = await freshStore(backend);
      const record = makeRecord();
      expect(await store.write([record])).toEqual([true]);
      expect(await store.write([record])).toEqual([false]);
      expect(await store.write([record, record])).toEqual([false, false]);
      expect(await store.countReports()).toBe(1);
      const bins = await store.db.all<{ n: number }>('SELECT SUM(n) AS n FROM vital_bins');
      expect(Number(bins[0]!.n)).toBe(record.vitals.length);
      const views = await store.db.all<{ n: number }>('SELECT SUM(views) AS n FROM view_counts');
      expect(Number(views[0]!.n)).toBe(1);
      await store.close();
    });

    it('a batch holding the same view twice stores it once and says which one was new', async () => {
      const store = await freshStore(backend);
      const a = makeRecord();
      const b = makeRecord();
      expect(await store.write([a, b, a])).toEqual([true, true, false]);
      expect(await store.countReports()).toBe(2);
      await store.close();
    });

    it('two writers on one database racing with the same reports store each once (the unique key, not memory)', async () => {
      const location = await backend.create();
      const one = await openStore(location);
      const two = await openStore(location);
      const records = Array.from({ length: 200 }, () => makeRecord());
      const [x, y] = await Promise.all([one.write(records), two.write([...records].reverse())]);
      const yForward = [...y].reverse();
      // Every view was new to exactly one of the two writers.
      records.forEach((_, i) => expect(Number(x[i]) + Number(yForward[i])).toBe(1));
      expect(await one.countReports()).toBe(200);
      const views = await one.db.all<{ n: number }>('SELECT SUM(views) AS n FROM view_counts');
      expect(Number(views[0]!.n)).toBe(200);
      await one.close();
      await two.close();
    });

    it('keeps strings verbatim: SQL and HTML in page paths and URLs are data, never executed', async () => {
      const store = await freshStore(backend);
      const hostile = [`/'); DROP TABLE reports; --`, '/<script>alert(1)</script>', '/?a=1&b="2"', "/O'Brien/\\/\u00e9\u6f22\ud83d\ude00", '/%00%27'];
      for (const page of hostile) {
        const record = makeRecord({ page, health: { blankUrls: [`https://cdn.example/${page}`], originFallbacks: 1 } });
        await store.write([record]);
        const body = (await store.getReport(record.storeId, record.viewId)) as { page: string };
        expect(body.page).toBe(page);
        const rows = await store.db.all<{ page: string }>('SELECT page FROM reports WHERE view_id = ?', [record.viewId]);
        expect(rows[0]!.page).toBe(page);
      }
      expect(await store.countReports()).toBe(hostile.length);
      const urls = await store.db.all<{ url: string }>('SELECT url FROM blank_urls ORDER BY url');
      expect(urls.map((u) => u.url).sort()).toEqual(hostile.map((p) => `https://cdn.example/${p}`).sort());
      await store.close();
    });

    it('aggregates per hour and variant: bins by value, counters summed, blank URLs with first and last seen', async () => {
      const store = await freshStore(backend);
      const t0 = Date.UTC(2026, 10, 30, 9, 15);
      const blank = 'https://cdn.example/images/1003/a/400.webp';
      const records = [
        makeRecord(
          {
            time: t0,
            vitals: [{ name: 'LCP', value: 2600, delta: 2600, id: 'a', rating: 'good', navigationType: 'navigate' }],
            health: { apiRequests: 1, blankUrls: [blank], originFallbacks: 1 },
          },
          { userAgent: SAFARI_IOS_UA, country: 'DE', receivedAt: t0 },
        ),
        makeRecord(
          {
            time: t0 + 60_000,
            vitals: [{ name: 'LCP', value: 2650, delta: 2650, id: 'b', rating: 'good', navigationType: 'navigate' }],
            health: { apiRequests: 4, blankUrls: [blank, blank], originFallbacks: 2, errors: 1 },
          },
          { userAgent: SAFARI_IOS_UA, country: 'DE', receivedAt: t0 + 60_000 },
        ),
        makeRecord({ time: t0, vitals: [], health: { apiRequests: 1 } }, { userAgent: FIREFOX_UA, country: 'FR', receivedAt: t0 }),
      ];
      await store.write(records);
      const bins = await store.db.all<{ bin: number; n: number; browser: string; country: string; device: string }>(
        "SELECT bin, n, browser, country, device FROM vital_bins WHERE metric = 'LCP' ORDER BY bin",
      );
      expect(bins.map((b) => ({ ...b, bin: Number(b.bin), n: Number(b.n) }))).toEqual(
        binOf('LCP', 2600) === binOf('LCP', 2650)
          ? [{ bin: binOf('LCP', 2600), n: 2, browser: 'Safari', country: 'DE', device: 'mobile' }]
          : [
              { bin: binOf('LCP', 2600), n: 1, browser: 'Safari', country: 'DE', device: 'mobile' },
              { bin: binOf('LCP', 2650), n: 1, browser: 'Safari', country: 'DE', device: 'mobile' },
            ],
      );
      const counts = await store.db.all<Record<string, number | string>>(
        'SELECT browser, country, views, api_requests, origin_fallbacks, fallback_views, errors, error_views, blank_views, hour FROM view_counts ORDER BY browser',
      );
      expect(counts.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))).toEqual([
        { browser: 'Firefox', country: 'FR', views: 1, api_requests: 1, origin_fallbacks: 0, fallback_views: 0, errors: 0, error_views: 0, blank_views: 0, hour: hourOf(t0) },
        { browser: 'Safari', country: 'DE', views: 2, api_requests: 5, origin_fallbacks: 3, fallback_views: 2, errors: 1, error_views: 1, blank_views: 2, hour: hourOf(t0) },
      ]);
      const blanks = await store.db.all<{ url: string; n: number; first_seen: number; last_seen: number; browser_major: string }>(
        'SELECT url, n, first_seen, last_seen, browser_major FROM blank_urls',
      );
      expect(blanks.map((b) => ({ ...b, n: Number(b.n), first_seen: Number(b.first_seen), last_seen: Number(b.last_seen) }))).toEqual([
        { url: blank, n: 2, first_seen: t0, last_seen: t0 + 60_000, browser_major: '17' },
      ]);
      await store.close();
    });

    it('retention deletes raw reports past their days and aggregates past theirs, and nothing newer', async () => {
      const store = await freshStore(backend);
      const day = 86_400_000;
      const now = Date.UTC(2026, 11, 1);
      const old = makeRecord({ time: now - 40 * day }, { receivedAt: now - 40 * day });
      const young = makeRecord({ time: now - day }, { receivedAt: now - day });
      await store.write([old, young]);
      const result = await store.prune({ reportsBefore: now - 30 * day, aggregatesBefore: now - 35 * day });
      expect(result.reports).toBe(1);
      expect(result.aggregates).toBeGreaterThan(0);
      expect(await store.getReport(old.storeId, old.viewId)).toBeUndefined();
      expect(await store.getReport(young.storeId, young.viewId)).toBeDefined();
      const hours = await store.db.all<{ hour: number }>('SELECT DISTINCT hour FROM view_counts');
      expect(hours.map((h) => Number(h.hour))).toEqual([hourOf(now - day)]);
      await store.close();
    });

    it('reports the bytes it takes on disk', async () => {
      const store = await freshStore(backend);
      await store.write(Array.from({ length: 50 }, () => makeRecord()));
      expect(await store.db.bytes()).toBeGreaterThan(0);
      await store.close();
    });
  });
}
