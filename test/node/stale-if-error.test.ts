import { describe, expect, it } from 'vitest';
import { apiRequests, storeFor, useBackend } from '../helpers/node-store.js';

const backend = useBackend();
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('stale-if-error: products past their TTL are shown when the API fails', () => {
  it('a failing API: the stale copy is served at once, marked stale-if-error, and revalidated on the next lookup once the API is back', async () => {
    const { store, events } = storeFor(backend, { cache: { persist: false, ttlMs: 0 }, retry: { attempts: 1 } });
    const first = await store.products.get('3');
    backend.faults.add({ fault: 'status', status: 503, host: 'api', path: '/stores/*' });

    // Past its TTL and the API down: the shopper still gets the product, with no wait on the API.
    expect(await store.products.get('3')).toEqual(first);
    await settle();
    expect(apiRequests(backend)).toHaveLength(2);
    const marks = events.cache.filter((e) => e.error);
    expect(marks).toEqual([{ key: 'p:3', hit: true, stale: true, error: true }]);
    expect(events.error.map((e) => e.code)).toEqual(['HTTP']);

    // The API is back: the next lookup serves the stale copy again and revalidates it, with no error mark.
    backend.faults.clear();
    expect(await store.products.get('3')).toEqual(first);
    await settle();
    expect(apiRequests(backend)).toHaveLength(3);
    expect(events.cache.filter((e) => e.error)).toHaveLength(1);
  });

  it('a cached page of the catalogue (a grid) is shown stale while the API fails', async () => {
    const { store } = storeFor(backend, { cache: { persist: false, ttlMs: 0 }, retry: { attempts: 1 } });
    const page = await store.products.list({ limit: 4 });
    backend.faults.add({ fault: 'empty', host: 'api', path: '/stores/*' });
    expect(await store.products.list({ limit: 4 })).toEqual(page);
  });

  it('a product never cached still fails with its code: nothing stale to show', async () => {
    const { store } = storeFor(backend, { cache: { persist: false, ttlMs: 0 }, retry: { attempts: 1 } });
    backend.faults.add({ fault: 'status', status: 503, host: 'api', path: '/stores/*' });
    await expect(store.products.get('4')).rejects.toMatchObject({ code: 'HTTP', status: 503 });
  });
});
