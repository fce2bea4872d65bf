import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStorefront, type StorefrontOptions } from '../../src/index.js';
import { backend, backendUrls, freshDbName } from '../helpers/browser-backend.js';

// Each case breaks IndexedDB a different way at the browser's own boundary (no fake IndexedDB):
// the shopper must still get every product, and nothing may surface as an error on the page.

function open(dbName: string, extra: Partial<StorefrontOptions> = {}) {
  const urls = backendUrls();
  const store = createStorefront({ storeId: 'storage', api: urls.api, cdn: urls.cdn, origin: urls.origin, cache: { dbName }, ...extra });
  const errors: unknown[] = [];
  store.on('error', (e) => errors.push(e));
  return { store, errors };
}

const apiCalls = async () => (await backend.counts()).log.filter((e) => e.host === 'api' && e.path.includes('/stores/storage/'));

const restorers: (() => void)[] = [];
function patch<T extends object, K extends keyof T>(target: T, key: K, value: T[K]) {
  const original = Object.getOwnPropertyDescriptor(target, key)!;
  Object.defineProperty(target, key, { ...original, value });
  restorers.push(() => Object.defineProperty(target, key, original));
}

/**
 * Another "tab": holds a connection and ignores versionchange while a second one asks for an
 * upgrade, so every later open() of the database queues behind the blocked upgrade forever.
 * Returns whether the upgrade reported `blocked`, and the release.
 */
async function blockWithPendingUpgrade(name: string, storeName: string) {
  const holder = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const state = { blocked: false };
  const upgrade = indexedDB.open(name, 2);
  upgrade.onblocked = () => (state.blocked = true);
  const release = async () => {
    holder.close();
    await new Promise((r) => {
      upgrade.onsuccess = () => {
        upgrade.result.close();
        r(undefined);
      };
      upgrade.onerror = r;
    });
  };
  return { state, release };
}

beforeEach(async () => {
  await backend.reset();
});
afterEach(() => {
  while (restorers.length) restorers.pop()!();
});

describe('IndexedDB faults (real Chromium)', () => {
  it('with no IndexedDB at all, products and images still work from memory', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
    Object.defineProperty(globalThis, 'indexedDB', { configurable: true, value: undefined });
    restorers.push(() => Object.defineProperty(globalThis, 'indexedDB', descriptor));
    const { store, errors } = open(freshDbName('none'));
    const products = await store.products.getMany(['1', '2', '3']);
    expect(products.map((p) => p.id)).toEqual(['1', '2', '3']);
    expect(store.images.url(products[0]!, 'thumbnail')).toMatch(/^http:\/\/127\.0\.0\.1/);
    await store.products.get('1');
    expect(await apiCalls()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('a database blocked by another tab’s pending upgrade does not hold products back', async () => {
    const dbName = freshDbName('blocked');
    const { state, release } = await blockWithPendingUpgrade(`${dbName}-products`, 'entries');
    try {
      const { store, errors } = open(dbName);
      const product = await store.products.get('5');
      expect(product.id).toBe('5');
      expect(state.blocked).toBe(true);
      expect(await apiCalls()).toHaveLength(1);
      // Once given up on, the database is not waited on again in this page view.
      await store.products.get('6');
      expect(await apiCalls()).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await release();
    }
  });

  it('images still load when the bad-URL memory database is blocked by another tab’s pending upgrade', async () => {
    const dbName = freshDbName('blocked-assets');
    // A profile that has a memory (its hint is set): the SDK reads it, and the read is the one blocked.
    localStorage.setItem(`vitrine-cached:${dbName}-assets`, '1');
    const { state, release } = await blockWithPendingUpgrade(`${dbName}-assets`, 'bad-urls');
    try {
      const { store, errors } = open(dbName);
      const product = await store.products.get('1');
      const img = document.createElement('img');
      document.body.append(img);
      const result = await store.assets.image(img, product, 'thumbnail');
      expect(state.blocked).toBe(true);
      expect(result).toMatchObject({ host: 'cdn', outcome: 'ok' });
      expect(img.naturalWidth).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      img.remove();
    } finally {
      await release();
    }
  });

  it('a full disk (QuotaExceededError on write) leaves the page working from memory', async () => {
    patch(IDBObjectStore.prototype, 'put', function put(): IDBRequest {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const dbName = freshDbName('quota');
    const { store, errors } = open(dbName);
    const page = await store.products.list({ limit: 12 });
    expect(page.items).toHaveLength(12);
    // Served from memory on the same page: the failed write did not lose anything.
    await store.products.getMany(page.items.map((p) => p.id));
    expect(await apiCalls()).toHaveLength(1);
    expect(errors).toEqual([]);
    // Nothing half-written: the next page view simply fetches again.
    while (restorers.length) restorers.pop()!();
    const next = open(dbName);
    await next.store.products.list({ limit: 12 });
    expect(await apiCalls()).toHaveLength(2);
  });

  it('IndexedDB that throws on open (privacy mode) is used as if absent', async () => {
    patch(IDBFactory.prototype, 'open', function open(): IDBOpenDBRequest {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    const { store, errors } = open(freshDbName('insecure'));
    expect((await store.products.get('8')).id).toBe('8');
    expect(errors).toEqual([]);
  });
});
