/**
 * Server rendering for npm users: a server-side storefront looks products up, `dehydrate()`s them
 * into the page, and the client's storefront, created with that `initialData`, makes 0 API
 * requests on its first view. Inlined data is validated like an API answer.
 */
import { describe, expect, it } from 'vitest';
import { createStorefront, isVitrineError, toJsonLd, toScriptJson, type DehydratedProducts } from '../../src/index.js';
import { apiRequests, storeFor, useBackend } from '../helpers/node-store.js';

const backend = useBackend();

/** What a server would inline: dehydrate() through toScriptJson, read back as the browser would. */
const throughHtml = (value: unknown): unknown => JSON.parse(toScriptJson(value));

describe('dehydrate() → initialData', () => {
  it('a grid page and two single products looked up on the server cost the client 0 API requests', async () => {
    const server = storeFor(backend).store;
    const page = await server.products.list({ limit: 12, category: 'kitchen & bath' });
    await server.products.getMany(['7', '8']);
    const html = toScriptJson(server.products.dehydrate());
    expect(apiRequests(backend)).toHaveLength(2);

    backend.resetCounts();
    const { store: client, events } = storeFor(backend, { initialData: JSON.parse(html) });
    const again = await client.products.list({ limit: 12, category: 'kitchen & bath' });
    expect(again.items.map((p) => p.id)).toEqual(page.items.map((p) => p.id));
    expect(again.total).toBe(page.total);
    expect((await client.products.getMany(['8', '7'])).map((p) => p.id)).toEqual(['8', '7']);
    expect(apiRequests(backend), 'the first client view asks the API for nothing').toHaveLength(0);
    expect(events.error).toEqual([]);
  });

  it('an API answer ({"items": [...]}) primes by id too; ids it lacks are fetched in one request', async () => {
    const server = storeFor(backend).store;
    const items = await server.products.getMany(['1', '2', '3']);
    backend.resetCounts();
    const { store } = storeFor(backend);
    expect(store.products.prime(throughHtml({ items }))).toBe(3);
    await store.products.getMany(['1', '2', '3', '4']);
    const calls = apiRequests(backend);
    expect(calls.map((c) => new URLSearchParams(c.search).get('ids'))).toEqual(['4']);
  });

  it('hostile inlined data: a bad product is dropped and reported (INVALID_PRODUCT), the good ones primed; a page missing a product is not primed', async () => {
    const server = storeFor(backend).store;
    const [good] = await server.products.getMany(['5']);
    backend.resetCounts();
    const { store, events } = storeFor(backend);
    const primed = store.products.prime({
      items: [good, { id: '6', name: '<img src=x onerror=alert(1)>', price: { amount: 'free', currency: 'EUR' }, url: 'javascript:alert(1)', inStock: true }],
      // As JSON.parse builds it from a page: "__proto__" an own key, not the prototype.
      lists: JSON.parse('{"l::0:2": {"ids": ["5", "6"], "total": 2}, "__proto__": {"ids": ["5"], "total": 1}}'),
    });
    expect(primed).toBe(1);
    expect(events.error.map((e) => e.code)).toEqual(['INVALID_PRODUCT', 'INVALID_RESPONSE', 'INVALID_RESPONSE']);
    expect(events.error[0]).toMatchObject({ field: 'price.amount', ids: ['6'] });
    expect((await store.products.get('5')).id).toBe('5');
    expect(apiRequests(backend)).toHaveLength(0);
    // The list was not primed: asking for it goes to the API.
    await store.products.list({ limit: 2 });
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('an inlined page whose total is not a count (negative, fractional, NaN) or that holds more than a page is not primed, and says so', async () => {
    const server = storeFor(backend).store;
    const [good] = await server.products.getMany(['5']);
    backend.resetCounts();
    const { store, events } = storeFor(backend);
    const many = Array.from({ length: 101 }, () => '5');
    store.products.prime({
      items: [good],
      lists: { 'l::0:1': { ids: ['5'], total: -1 }, 'l::0:2': { ids: ['5'], total: 1.5 }, 'l::0:3': { ids: ['5'], total: Number.NaN }, 'l::0:4': { ids: many, total: 101 } },
    });
    expect(events.error.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_RESPONSE', 'lists.l::0:1'],
      ['INVALID_RESPONSE', 'lists.l::0:2'],
      ['INVALID_RESPONSE', 'lists.l::0:3'],
      ['INVALID_RESPONSE', 'lists.l::0:4'],
    ]);
    // None was primed: each page goes to the API, whose answer is checked the same way.
    await store.products.list({ limit: 1 });
    expect(apiRequests(backend)).toHaveLength(1);
  });

  it('a malformed envelope is a coded INVALID_RESPONSE from createStorefront, naming what came', () => {
    for (const initialData of [null, [], 'items', { items: 'no' }, { items: [], lists: [] }]) {
      try {
        storeFor(backend, { initialData: initialData as never });
        expect.unreachable(`accepted ${JSON.stringify(initialData)}`);
      } catch (error) {
        expect(isVitrineError(error) && error.code, JSON.stringify(initialData)).toBe('INVALID_RESPONSE');
      }
    }
    // initialData never reaches the options check: an unknown option is still refused by name.
    expect(() =>
      createStorefront({ storeId: '1', api: 'https://a.test', cdn: 'https://c.test', origin: 'https://o.test', initialData: { items: [] }, colour: 'red' } as never),
    ).toThrow(/colour/);
  });

  it('data with throwing getters or Proxy traps (objects, not JSON) is INVALID_RESPONSE from prime(), and the cache keeps what it had', async () => {
    const server = storeFor(backend).store;
    const items = await server.products.getMany(['1', '2']);
    backend.resetCounts();
    const { store } = storeFor(backend);
    expect(store.products.prime(throughHtml({ items }))).toBe(2);
    const before = store.products.dehydrate();
    const boom = () => {
      throw new Error('x');
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const hostile: unknown[] = [
      {
        get items() {
          return boom();
        },
      },
      new Proxy({}, { get: boom }),
      revoked.proxy,
      { items: new Proxy([], { get: boom }) },
      {
        items: [],
        get lists() {
          return boom();
        },
      },
      { items: [], lists: new Proxy({}, { ownKeys: boom }) },
      {
        items: [],
        lists: {
          'l::0:2': {
            get ids() {
              return boom();
            },
            total: 2,
          },
        },
      },
    ];
    for (const [n, data] of hostile.entries()) {
      let thrown: unknown;
      try {
        store.products.prime(data);
      } catch (error) {
        thrown = error;
      }
      expect(isVitrineError(thrown, 'INVALID_RESPONSE'), `hostile data #${n}: ${String(thrown)}`).toBe(true);
      expect((thrown as Error).message).toContain('initial data');
    }
    expect(store.products.dehydrate()).toEqual(before);
    expect((await store.products.getMany(['1', '2'])).map((p) => p.name)).toEqual(items.map((p) => p.name));
    expect(apiRequests(backend), 'the primed products are still served from the cache').toHaveLength(0);
    // The same through createStorefront({ initialData }).
    expect(() => storeFor(backend, { initialData: hostile[0] as never })).toThrowError(expect.objectContaining({ code: 'INVALID_RESPONSE' }));
  });

  it('an initialData getter that throws is INVALID_RESPONSE "Unreadable initial data" from createStorefront, as malformed data is; a getter that answers is read once and primes', async () => {
    const bases = { storeId: '1003', api: backend.bases.api, cdn: backend.bases.cdn, origin: backend.bases.origin, cache: { persist: false } };
    const cause = new Error('x');
    let reads = 0;
    let thrown: unknown;
    try {
      createStorefront({
        ...bases,
        get initialData(): never {
          reads++;
          throw cause;
        },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'VitrineError', code: 'INVALID_RESPONSE', message: '[vitrine] Unreadable initial data: x', cause });
    expect(reads).toBe(1);
    // A getter that answers is data like any other: read once, primed.
    const items = await storeFor(backend).store.products.getMany(['1', '2']);
    backend.resetCounts();
    reads = 0;
    const store = createStorefront({
      ...bases,
      get initialData() {
        reads++;
        return throughHtml({ items }) as DehydratedProducts;
      },
    });
    expect(reads).toBe(1);
    expect((await store.products.getMany(['1', '2'])).map((p) => p.id)).toEqual(['1', '2']);
    expect(apiRequests(backend)).toHaveLength(0);
    store.destroy();
  });
});

describe('toJsonLd and toScriptJson', () => {
  it('a product is a schema.org Product with its Offer (price as a plain decimal, availability, image URL from the product data)', async () => {
    const { store } = storeFor(backend);
    const product = await store.products.get('12');
    backend.resetCounts();
    const ld = toJsonLd(product, store);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      sku: '12',
      name: product.name,
      offers: { '@type': 'Offer', price: String(product.price.amount), priceCurrency: product.price.currency },
    });
    expect(ld.offers.availability).toBe(product.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock');
    expect(ld.image).toBe(store.images.url(product, 'image'));
    expect(apiRequests(backend), 'no request for the image URL').toHaveLength(0);
  });

  it('no product text can close the script element or open a comment, and the JSON reads back the same', () => {
    const hostile = { name: '</script><script>alert(1)</script><!-- & \u2028\u2029' };
    const text = toScriptJson(hostile);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(hostile);
  });
});
