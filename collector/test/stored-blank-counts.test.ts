/**
 * A blank-URL row stored with a count no page view makes (written by hand, or by a collector older
 * than ingest's bounds) must not cost support staff the purge list: on SQLite two of them
 * overflowed SUM and `/v1/blank-variants` answered 500. The rows are left out (as the field
 * answers leave out theirs, field/believable.ts); every real blank is still listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../src/server.js';
import type { BlankAnswer } from '../src/field/types.js';
import { openStore, type FieldStore } from '../src/store/store.js';
import { backends, makeRecord } from './helpers.js';

const NOW = Date.UTC(2026, 11, 1, 12, 30);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const auth = { Authorization: 'Bearer t0ken' };
const REAL = 'https://cdn.example.test/sdk/vitrine.js';
const FORGED = 'https://cdn.example.test/images/forged.webp';

for (const backend of backends()) {
  describe(`stored blank-URL rows with impossible counts on ${backend.name}`, () => {
    let collector: Collector;
    let store: FieldStore;

    beforeAll(async () => {
      store = await openStore(await backend.create());
      const view = (time: number, url: string) => makeRecord({ v: 2, sdk: '0.1.0', time, health: { blankUrls: [url] } }, { receivedAt: time });
      await store.write([...Array.from({ length: 3 }, (_, i) => view(NOW - 20 * MINUTE + i * MINUTE, REAL)), view(NOW - 90 * MINUTE, FORGED), view(NOW - 20 * MINUTE, FORGED)]);
      // Straight into the store, past ingest's bounds: 2^62 views in each of the forged URL's two hours.
      expect(await store.db.run('UPDATE blank_urls SET n = ? WHERE url = ?', [2 ** 62, FORGED])).toBe(2);
      collector = await createCollector({ store, token: 't0ken', rateLimit: 0, log: () => {}, now: () => NOW, minSample: 30, alarmIntervalMs: HOUR });
    });
    afterAll(async () => {
      await collector?.close();
      await store?.close();
      await backend.cleanup();
    });

    it('/v1/blank-variants answers 200, lists the real blank with its count, and leaves the impossible rows out', async () => {
      const res = await fetch(`${collector.url}/v1/blank-variants?from=${NOW - 6 * HOUR}&to=${NOW}`, { headers: auth });
      expect(res.status, await res.clone().text()).toBe(200);
      const answer = (await res.json()) as BlankAnswer;
      expect(answer.urls.map((u) => [u.url, u.count])).toEqual([[REAL, 3]]);
    });
  });
}
