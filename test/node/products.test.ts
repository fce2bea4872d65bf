import { afterEach, describe, expect, it, vi } from 'vitest';
import { isVitrineError } from '../../src/index.js';
import { apiRequests, storeFor, useBackend } from '../helpers/node-store.js';

const backend = useBackend();

afterEach(() => {
  vi.useRealTimers();
});

describe('batching', () => {
  it('twenty lookups from many callers in one tick cost one request, and each caller gets its own product', async () => {
    const { store } = storeFor(backend);
    const ids = ['7', '3', '12', '3', '7', '1', '250', '99', '12', '5', '6', '8', '9', '10', '11', '13', '14', '15', '16', '3'];
    const products = await Promise.all(ids.map((id) => store.products.get(id)));
    expect(products.map((p) => p.id)).toEqual(ids);
    const requests = apiRequests(backend);
    expect(requests).toHaveLength(1);
    const asked = new URLSearchParams(requests[0]!.search).get('ids')!.split(',');
    expect(asked).toEqual([...new Set(ids)].sort());
  });

  it('the same set of ids always produces the same URL, so a CDN can cache it', async () => {
    const a = storeFor(backend).store;
    const b = storeFor(backend).store;
    await Promise.all(['3', '1', '2'].map((id) => a.products.get(id)));
    await b.products.getMany(['2', '3', '1', '1']);
    const [first, second] = apiRequests(backend);
    expect(first!.search).toBe(second!.search);
  });

  it('getMany returns products in the order asked, duplicates included', async () => {
    const { store } = storeFor(backend);
    const products = await store.products.getMany(['42', '7', '42', '100']);
    expect(products.map((p) => p.id)).toEqual(['42', '7', '42', '100']);
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('a page asking for more than maxSize ids is split into chunks of maxSize', async () => {
    const { store } = storeFor(backend, { batch: { maxSize: 10 } });
    const ids = Array.from({ length: 25 }, (_, i) => String(i + 1));
    const products = await store.products.getMany(ids);
    expect(products).toHaveLength(25);
    const sizes = apiRequests(backend).map((r) => new URLSearchParams(r.search).get('ids')!.split(',').length);
    expect(sizes.sort((x, y) => x - y)).toEqual([5, 10, 10]);
  });

  it('a lookup for an id already in flight joins that request instead of making another', async () => {
    const { store } = storeFor(backend);
    const first = store.products.get('5');
    await new Promise((r) => setTimeout(r, 1)); // the batch has been dispatched
    const second = store.products.get('5');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(b);
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('an unknown id rejects only its own caller with NOT_FOUND; the others still get their products', async () => {
    const { store } = storeFor(backend);
    const results = await Promise.allSettled([store.products.get('1'), store.products.get('999999'), store.products.get('2')]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { id: '1' } });
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { id: '2' } });
    expect(results[1]!.status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(isVitrineError(error, 'NOT_FOUND')).toBe(true);
    expect(error.ids).toEqual(['999999']);
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('a product fetched once is served from memory without another request', async () => {
    const { store, events } = storeFor(backend);
    await store.products.get('9');
    await store.products.get('9');
    expect(apiRequests(backend)).toHaveLength(1);
    expect(events.request.map((e) => e.source)).toEqual(['network', 'cache']);
  });
});

describe('_peek (the cart file’s read of the memory cache)', () => {
  it('returns the memory copy and whether it is stale, with no request and no `cache` event: a peek is not a lookup', async () => {
    const { store, events } = storeFor(backend);
    const [product] = (await store.products.list({ limit: 2 })).items;
    const cacheEvents = events.cache.length;
    expect(store.products._peek(`p:${product!.id}`)).toEqual({ value: product, stale: false });
    expect(store.products._peek('p:not-held')).toBeUndefined();
    expect(events.cache).toHaveLength(cacheEvents);
    expect(apiRequests(backend)).toHaveLength(1);

    const { store: expired, events: expiredEvents } = storeFor(backend, { cache: { persist: false, ttlMs: 0 } });
    const held = await expired.products.get('9');
    await new Promise((r) => setTimeout(r, 2)); // past a ttl of 0
    expect(expired.products._peek('p:9')).toEqual({ value: held, stale: true });
    expect(expiredEvents.cache.filter((e) => e.key === 'p:9' && e.hit)).toHaveLength(0);
  });
});

describe('list', () => {
  it('a 24-product page is one request, and its products are then known without another', async () => {
    const { store } = storeFor(backend);
    const page = await store.products.list({ limit: 24, offset: 0 });
    expect(page.items).toHaveLength(24);
    expect(page.total).toBe(backend.catalog.products.length);
    await store.products.getMany(page.items.slice(0, 8).map((p) => p.id));
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('filters by category and keeps the total of that category', async () => {
    const { store } = storeFor(backend);
    const category = backend.catalog.categories[0]!;
    const page = await store.products.list({ limit: 5, category });
    const expected = backend.catalog.products.filter((p) => backend.catalog.categoryOf.get(p.id) === category);
    expect(page.items.length).toBeLessThanOrEqual(5);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.total).toBe(expected.length);
    expect(new URLSearchParams(apiRequests(backend)[0]!.search).get('category')).toBe(category);
  });

  it('rejects a nonsensical page size with INVALID_OPTIONS before any request', async () => {
    const { store } = storeFor(backend);
    await expect(store.products.list({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', field: 'limit' });
    await expect(store.products.list({ offset: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', field: 'offset' });
    expect(apiRequests(backend)).toHaveLength(0);
  });

  it('rejects a query that is not an object (null, a string, a number) with INVALID_OPTIONS naming it, before any request', async () => {
    const { store } = storeFor(backend);
    for (const query of [null, 'x', 5]) {
      const list = store.products.list as (query: unknown) => Promise<unknown>;
      await expect(list(query)).rejects.toMatchObject({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'query' });
    }
    expect(apiRequests(backend)).toHaveLength(0);
  });
});

describe('bad answers', () => {
  it('an empty 200 body is retried once, bypassing the HTTP cache, and then succeeds', async () => {
    backend.faults.add({ host: 'api', fault: 'empty', times: 1 });
    const seen: RequestInit[] = [];
    const { store } = storeFor(backend, {
      retry: { baseDelayMs: 1 },
      fetch: (input, init) => {
        seen.push(init ?? {});
        return fetch(input, init);
      },
    });
    const product = await store.products.get('4');
    expect(product.id).toBe('4');
    expect(apiRequests(backend)).toHaveLength(2);
    expect(seen[0]!.cache).toBeUndefined();
    expect(seen[1]!.cache).toBe('reload');
  });

  it('an API that keeps answering empty gives EMPTY_RESPONSE after the allowed attempts', async () => {
    backend.faults.add({ host: 'api', fault: 'empty' });
    const { store, events } = storeFor(backend, { retry: { attempts: 2, baseDelayMs: 1 } });
    await expect(store.products.get('4')).rejects.toMatchObject({ code: 'EMPTY_RESPONSE' });
    expect(apiRequests(backend)).toHaveLength(2);
    expect(events.error.map((e) => e.code)).toEqual(['EMPTY_RESPONSE']);
  });

  it('an HTML error page with 200 gives INVALID_RESPONSE after the allowed attempts', async () => {
    backend.faults.add({ host: 'api', fault: 'html' });
    const { store } = storeFor(backend, { retry: { attempts: 2, baseDelayMs: 1 } });
    const error = await store.products.get('4').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(String((error as Error).message)).toMatch(/Expected JSON .* got text\/html/);
    expect(apiRequests(backend)).toHaveLength(2);
  });

  it('a one-off HTML page or truncated body with 200 is retried, so the shopper still gets the product', async () => {
    for (const fault of ['html', 'truncate'] as const) {
      backend.faults.add({ host: 'api', fault, times: 1 });
      const { store } = storeFor(backend, { retry: { baseDelayMs: 1 } });
      await expect(store.products.get('4')).resolves.toMatchObject({ id: '4' });
      backend.faults.clear();
    }
    expect(apiRequests(backend)).toHaveLength(4);
  });

  it('a malformed product is dropped and reported, and the valid products in the same answer still arrive', async () => {
    backend.faults.add({ host: 'api', fault: 'malformed' });
    const { store, events } = storeFor(backend);
    const ids = ['10', '11', '12', '13', '14', '15'];
    const results = await Promise.allSettled(ids.map((id) => store.products.get(id)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const bad = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(4); // items 0 and 3 of the sorted answer are corrupted by the fault
    expect(bad.every((r) => r.reason.code === 'INVALID_PRODUCT')).toBe(true);
    const dropped = events.error.filter((e) => e.code === 'INVALID_PRODUCT');
    expect(dropped).toHaveLength(2);
    for (const e of dropped) {
      expect(e.ids).toHaveLength(1);
      expect(e.field).toMatch(/price|name|inStock/);
      expect(e.message).toContain(`"${e.ids![0]}"`);
    }
  });

  it('a negative or absurd price is a malformed product (dropped, named); -0 is 0', async () => {
    const amounts: Record<string, number> = { '1': -999.99, '2': 1e13, '3': -0 };
    const { store, events } = storeFor(backend, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const answer = await fetch(input, init);
        const body = (await answer.json()) as { items: { id: string; price: { amount: number } }[] };
        for (const item of body.items) if (item.id in amounts) item.price.amount = amounts[item.id]!;
        // JSON.stringify writes -0 as 0: spell it as an API would send it.
        return new Response(JSON.stringify(body).replace('"amount":0,', '"amount":-0,'), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const [negative, huge, zero] = await Promise.allSettled(['1', '2', '3'].map((id) => store.products.get(id)));
    expect(negative).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_PRODUCT' } });
    expect(huge).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_PRODUCT' } });
    expect(zero?.status === 'fulfilled' && Object.is(zero.value.price.amount, 0)).toBe(true);
    expect(events.error.filter((e) => e.code === 'INVALID_PRODUCT').map((e) => [e.ids, e.field])).toEqual([
      [['1'], 'price.amount'],
      [['2'], 'price.amount'],
    ]);
  });

  it('an id twice in one answer is one product, the first; the second is dropped and reported like a malformed one', async () => {
    const { store, events } = storeFor(backend, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const body = (await (await fetch(input, init)).json()) as { items: { id: string; name: string }[] };
        // Each item again, renamed: which copy wins must show.
        body.items = body.items.flatMap((item) => [item, { ...item, name: `${item.name} (copy)` }]);
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const page = await store.products.list({ limit: 3 });
    expect(page.items.map((p) => p.id)).toEqual(['1', '2', '3']);
    expect(page.items.some((p) => p.name.endsWith('(copy)'))).toBe(false);
    const [one] = await store.products.getMany(['4']);
    expect(one!.name.endsWith('(copy)')).toBe(false);
    const dropped = events.error.filter((e) => e.code === 'INVALID_PRODUCT');
    expect(dropped.map((e) => [e.ids, e.field])).toEqual([
      [['1'], 'id'],
      [['2'], 'id'],
      [['3'], 'id'],
      [['4'], 'id'],
    ]);
    expect(dropped[0]!.message).toMatch(/"1".*unique id/);
  });

  it('a blank name (white space, or only invisible characters) is a malformed product (dropped, named); bidi controls are stripped from product and variant names', async () => {
    const names: Record<string, string> = {
      '1': '',
      '2': ' \n\t\u3000',
      '3': '\u202E\u2066\u2069',
      '6': '\u200B\u200D\u2060\u00AD\u200F',
      // Would read "Kettle 00.9$" reversed after the override: a spoofed price in the name.
      '4': 'Kettle \u202E$9.00',
      '5': '\u2067مرحبا\u2069 \u202AKettle\u202C \u202B\u202D\u2068x',
    };
    const { store, events } = storeFor(backend, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const body = (await (await fetch(input, init)).json()) as { items: { id: string; name: string; variants?: unknown }[] };
        for (const item of body.items) if (item.id in names) item.name = names[item.id]!;
        const five = body.items.find((item) => item.id === '5')!;
        five.variants = [{ id: 'v1', name: 'Large \u202E', price: { amount: 1, currency: 'EUR' }, inStock: true }];
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const results = await Promise.allSettled(['1', '2', '3', '4', '5', '6'].map((id) => store.products.get(id)));
    expect([0, 1, 2, 5].map((i) => results[i]!.status === 'rejected' && (results[i] as PromiseRejectedResult).reason.code)).toEqual([
      'INVALID_PRODUCT',
      'INVALID_PRODUCT',
      'INVALID_PRODUCT',
      'INVALID_PRODUCT',
    ]);
    expect(events.error.filter((e) => e.code === 'INVALID_PRODUCT').map((e) => [e.ids, e.field])).toEqual([
      [['1'], 'name'],
      [['2'], 'name'],
      [['3'], 'name'],
      [['6'], 'name'],
    ]);
    const [four, five] = results.slice(3, 5).map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    expect(four?.name).toBe('Kettle $9.00');
    expect(five?.name).toBe('مرحبا Kettle x');
    expect(five?.variants?.[0]?.name).toBe('Large ');
  });

  it('bidi controls are stripped from the alt text and the description too (the alt shows when an image fails)', async () => {
    const { store } = storeFor(backend, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const body = (await (await fetch(input, init)).json()) as { items: { id: string; description?: string; image?: { alt?: string } }[] };
        const one = body.items.find((item) => item.id === '1')!;
        one.image = { ...(one.image as object), alt: 'Kettle \u202E$9.00' } as { alt: string };
        one.description = '\u2066Hand-finished\u2069 walnut \u202B\u202C';
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const product = await store.products.get('1');
    expect(product.image?.alt).toBe('Kettle $9.00');
    expect(product.description).toBe('Hand-finished walnut ');
  });

  it('a catalogue page whose every product is malformed is INVALID_RESPONSE naming the cause, not an empty page, and is not cached', async () => {
    let garbage = true;
    const { store, events } = storeFor(backend, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const body = (await (await fetch(input, init)).json()) as { items: { price: unknown }[] };
        if (garbage) for (const item of body.items) item.price = 'free';
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const failed = store.products.list({ limit: 3 });
    await expect(failed).rejects.toMatchObject({ code: 'INVALID_RESPONSE', url: expect.stringContaining('limit=3') });
    await expect(failed).rejects.toThrow(/price: expected object/);
    // Each drop is still reported, then the page's failure.
    expect(events.error.map((e) => e.code)).toEqual(['INVALID_PRODUCT', 'INVALID_PRODUCT', 'INVALID_PRODUCT', 'INVALID_RESPONSE']);
    garbage = false;
    expect((await store.products.list({ limit: 3 })).items).toHaveLength(3);
    expect(apiRequests(backend), 'the failed page was not cached').toHaveLength(2);
    // A page that is really empty is still an empty page.
    expect(await store.products.list({ category: 'no-such-category' })).toEqual({ items: [], total: 0 });
  });

  it('a wrong envelope (an array instead of {items}) gives INVALID_RESPONSE', async () => {
    const { store } = storeFor(backend, { fetch: async () => new Response('[{"id":"1"}]', { status: 200 }) });
    await expect(store.products.get('1')).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('a 404 from the API is not retried (other 4xx are the caller’s fault, not the network’s)', async () => {
    backend.faults.add({ host: 'api', fault: 'status', status: 404 });
    const { store } = storeFor(backend, { retry: { baseDelayMs: 1 } });
    await expect(store.products.get('1')).rejects.toMatchObject({ code: 'HTTP', status: 404 });
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('failures are never cached: the next lookup after an outage asks again and succeeds', async () => {
    const id = backend.faults.add({ host: 'api', fault: 'status', status: 500 });
    const { store } = storeFor(backend, { retry: { attempts: 1 } });
    await expect(store.products.get('2')).rejects.toMatchObject({ code: 'HTTP', status: 500 });
    backend.faults.remove(id);
    await expect(store.products.get('2')).resolves.toMatchObject({ id: '2' });
  });
});

describe('retries and time', () => {
  it('a 503 with Retry-After: 2 is retried no sooner than two seconds later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    backend.faults.add({ host: 'api', fault: 'retry-after', retryAfter: '2', times: 1 });
    const { store, events } = storeFor(backend, { retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const pending = store.products.get('3');
    await vi.advanceTimersByTimeAsync(1990);
    expect(apiRequests(backend)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    await expect(pending).resolves.toMatchObject({ id: '3' });
    expect(apiRequests(backend)).toHaveLength(2);
    expect(events.request.map((e) => [e.status, e.attempt])).toEqual([
      [503, 1],
      [200, 2],
    ]);
  });

  it('5xx retries back off exponentially within the full-jitter ceiling', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    backend.faults.add({ host: 'api', fault: 'status', status: 502, times: 2 });
    const { store } = storeFor(backend, { retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 } });
    const pending = store.products.get('3');
    // Retry 1 waits at most 1 s, retry 2 at most 2 s: all three tries are done within 3 s.
    await vi.advanceTimersByTimeAsync(3000);
    await expect(pending).resolves.toMatchObject({ id: '3' });
    expect(apiRequests(backend)).toHaveLength(3);
  });

  it('when the retry budget is spent, a failing API is not hammered: each lookup costs one request', async () => {
    backend.faults.add({ host: 'api', fault: 'status', status: 500 });
    const { store } = storeFor(backend, { retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, budget: 0.1, budgetFloor: 2 } });
    const errors: unknown[] = [];
    for (let i = 1; i <= 20; i++) errors.push(await store.products.get(String(i)).catch((e: unknown) => e));
    // 20 first tries earn 2 retries, plus the floor of 2: 24 requests, not 60.
    expect(apiRequests(backend)).toHaveLength(24);
    expect(store.retryBudget.stats.retries).toBe(4);
    expect(String((errors.at(-1) as Error).message)).toContain('retry budget is spent');
  });

  it('an API that hangs fails with TIMEOUT after timeoutMs instead of leaving the page waiting', async () => {
    backend.faults.add({ host: 'api', fault: 'hang' });
    const { store } = storeFor(backend, { timeoutMs: 50, retry: { attempts: 1 } });
    await expect(store.products.get('1')).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.waitFor(() => expect(backend.inFlight()).toBe(0));
  });

  it('a network error is retried and then reported as NETWORK', async () => {
    backend.faults.add({ host: 'api', fault: 'network' });
    const { store } = storeFor(backend, { retry: { attempts: 2, baseDelayMs: 1 } });
    await expect(store.products.get('1')).rejects.toMatchObject({ code: 'NETWORK' });
    expect(apiRequests(backend)).toHaveLength(2);
  });

  it('destroy() aborts lookups in flight with ABORTED', async () => {
    backend.faults.add({ host: 'api', fault: 'hang' });
    const { store } = storeFor(backend);
    const pending = store.products.get('1');
    await vi.waitFor(() => expect(apiRequests(backend)).toHaveLength(1));
    store.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await vi.waitFor(() => expect(backend.inFlight()).toBe(0));
  });
});
