import { createStore, entries } from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStorefront, type Storefront } from '../../src/index.js';
import { backend, backendUrls, freshDbName } from '../helpers/browser-backend.js';

const opened: Storefront[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.destroy();
});

function open(storeId: string, dbName: string, ttlMs = 300_000): Storefront {
  const urls = backendUrls();
  const store = createStorefront({ storeId, api: urls.api, apiOrigin: `${urls.api}/_origin`, cdn: urls.cdn, origin: urls.origin, cache: { dbName, persist: true, ttlMs } });
  opened.push(store);
  return store;
}

describe('apiOrigin: the bad API URL is remembered across page views (IndexedDB)', () => {
  it('a blank API answer makes the next page view ask the API origin directly, with no request to the API', async () => {
    const storeId = `mem${Math.random().toString(36).slice(2, 8)}`;
    const dbName = freshDbName('api-origin');
    const ids = ['1', '2', '3'];
    const mine = async () => (await backend.counts()).log.filter((e) => e.host === 'api' && e.path.includes(`/stores/${storeId}/`));
    // A blank cached copy of this store's product URLs for this browser only (its User-Agent).
    await backend.addFault({ host: 'api', fault: 'empty', path: `/stores/${storeId}/*`, userAgent: navigator.userAgent.slice(-40) });

    const first = open(storeId, dbName);
    expect((await first.products.getMany(ids)).map((p) => p.id)).toEqual(ids);
    expect((await mine()).map((e) => (e.path.startsWith('/_origin/') ? 'origin' : 'api'))).toEqual(['api', 'origin']);
    // The memory is written in the background: wait until it is in IndexedDB, then leave the page.
    const memory = createStore(`${dbName}-assets`, 'bad-urls');
    await vi.waitFor(async () => expect((await entries(memory)).some(([key]) => String(key).includes(`/stores/${storeId}/products?ids=1,2,3`))).toBe(true), {
      timeout: 5000,
      interval: 50,
    });
    first.destroy();
    // The next page view, its cached products past their TTL: a new storefront reading the same IndexedDB shows
    // them and revalidates them at the API origin directly, never at the API.
    const next = open(storeId, dbName, 0);
    expect((await next.products.getMany(ids)).map((p) => p.id)).toEqual(ids);
    await vi.waitFor(async () => expect(await mine()).toHaveLength(3), { timeout: 5000, interval: 50 });
    expect((await mine()).map((e) => (e.path.startsWith('/_origin/') ? 'origin' : 'api'))).toEqual(['api', 'origin', 'origin']);
  });
});
