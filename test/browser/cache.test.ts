import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyValueStore } from '../../src/lib/storage.js';
import { CACHE_SCHEMA_VERSION } from '../../src/data/cache.js';
import { createStorefront, type RequestEvent, type StorefrontOptions } from '../../src/index.js';
import { backend, backendUrls, freshDbName } from '../helpers/browser-backend.js';

function open(dbName: string, extra: Partial<StorefrontOptions> = {}) {
  const urls = backendUrls();
  const store = createStorefront({ storeId: '1003', api: urls.api, cdn: urls.cdn, origin: urls.origin, cache: { dbName }, ...extra });
  const requests: RequestEvent[] = [];
  store.on('request', (e) => requests.push(e));
  return { store, requests };
}

const apiCalls = async () => (await backend.counts()).log.filter((e) => e.host === 'api');

/** Waits until IndexedDB has the entries written in the background by the first instance. */
async function persisted(dbName: string, keys: string[]) {
  const kv = createKeyValueStore(`${dbName}-products`, 'entries');
  await vi.waitFor(async () => expect((await kv.getMany(keys)).every(Boolean)).toBe(true));
}

beforeEach(async () => {
  await backend.reset();
});

describe('IndexedDB product cache (real Chromium)', () => {
  it('a reload is served from IndexedDB: the grid and single products need zero API requests', async () => {
    const dbName = freshDbName('reload');
    const first = open(dbName);
    const page = await first.store.products.list({ limit: 24 });
    const singles = await Promise.all(['250', '251', '252'].map((id) => first.store.products.get(id)));
    expect(await apiCalls()).toHaveLength(2);
    await persisted(dbName, ['l::0:24', 'p:250', 'p:251', 'p:252', ...page.items.map((p) => `p:${p.id}`)]);
    first.store.destroy();

    await backend.reset();
    const second = open(dbName); // a new page view: nothing in memory
    const again = await second.store.products.list({ limit: 24 });
    const singlesAgain = await second.store.products.getMany(['250', '251', '252']);
    expect(again.items.map((p) => p.id)).toEqual(page.items.map((p) => p.id));
    expect(singlesAgain).toEqual(singles);
    expect(await apiCalls()).toHaveLength(0);
    expect(second.requests.every((e) => e.source === 'cache')).toBe(true);
  });

  it('stale entries are shown at once and revalidated by one background request for all of them', async () => {
    const dbName = freshDbName('stale');
    const first = open(dbName, { cache: { dbName, ttlMs: 0 } });
    const ids = ['30', '31', '32', '33', '34'];
    await first.store.products.getMany(ids);
    await persisted(
      dbName,
      ids.map((id) => `p:${id}`),
    );
    first.store.destroy();

    await backend.reset();
    const second = open(dbName, { cache: { dbName, ttlMs: 0 } });
    const products = await second.store.products.getMany(ids);
    expect(products.map((p) => p.id)).toEqual(ids);
    expect(second.requests[0]).toMatchObject({ source: 'cache' });
    await vi.waitFor(async () => expect(await apiCalls()).toHaveLength(1));
    const [revalidation] = await apiCalls();
    expect(new URLSearchParams(revalidation!.search).get('ids')!.split(',')).toEqual([...ids].sort());
  });

  it('a corrupt IndexedDB entry is ignored and deleted, and the product comes from the API instead', async () => {
    const dbName = freshDbName('corrupt');
    const kv = createKeyValueStore(`${dbName}-products`, 'entries');
    await kv.setMany([
      ['p:40', { v: CACHE_SCHEMA_VERSION, at: Date.now(), data: { id: '40', name: 42, price: 'free' } }],
      ['p:41', { v: CACHE_SCHEMA_VERSION - 1, at: Date.now(), data: { id: '41' } }],
      ['p:42', 'garbage'],
    ]);
    const { store } = open(dbName);
    const products = await store.products.getMany(['40', '41', '42']);
    expect(products.map((p) => [p.id, typeof p.name])).toEqual([
      ['40', 'string'],
      ['41', 'string'],
      ['42', 'string'],
    ]);
    expect(await apiCalls()).toHaveLength(1);
    await vi.waitFor(async () => {
      const stored = (await kv.getMany(['p:40', 'p:41', 'p:42'])) as { data?: { name?: unknown } }[];
      expect(stored.every((entry) => typeof entry?.data?.name === 'string')).toBe(true);
    });
  });

  it('with IndexedDB unusable the storefront still works from memory, silently', async () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get: () => ({
        open() {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError');
        },
      }),
    });
    try {
      const { store } = open(freshDbName('denied'));
      const errors: unknown[] = [];
      store.on('error', (e) => errors.push(e));
      expect((await store.products.get('7')).id).toBe('7');
      expect((await store.products.get('7')).id).toBe('7');
      expect(await apiCalls()).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', original);
    }
  });
});
