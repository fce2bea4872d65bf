/**
 * The cart's core in real Chromium: IndexedDB persistence, corrupt and blocked storage, and
 * re-pricing through the real products layer (transport, batcher, cache) against the loopback backend.
 * Catalogue facts used (demo/backend/catalog.ts, deterministic): 17 (€191.43), 19 (€157.24) and 20
 * (€29.09) are EUR and in stock, 32 is EUR and out of stock, 5 is JPY, ids past 300 do not exist;
 * 50 (€190.90) is EUR and in stock, past a first page of 24 (ids 1–24).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_SCHEMA_VERSION } from '../../src/data/cache.js';
import { createKeyValueStore } from '../../src/lib/storage.js';
import { cartHintKey } from '../../src/cart/hint.js';
import type { CartCore } from '../../src/cart/cart.js';
import type { Product } from '../../src/data/schema.js';
import { backend, freshDbName } from '../helpers/browser-backend.js';
import { openPage, waitForCart } from './cart-fixture.js';
import { codeOf } from '../helpers/error-code.js';

const STORE = 'cart';
const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });

const apiCalls = async () => (await backend.counts()).log.filter((e) => e.host === 'api' && e.path.startsWith(`/stores/${STORE}/`));

const opened: { close(cart?: CartCore): void; cart: CartCore | undefined }[] = [];
function page(options: Parameters<typeof openPage>[0]) {
  const p = openPage({ storeId: STORE, ...options });
  const entry = { ...p, cart: undefined as CartCore | undefined };
  opened.push(entry);
  return Object.assign(entry, {
    start(extra?: Parameters<typeof p.make>[0]) {
      entry.cart = p.make(extra);
      return entry.cart;
    },
  });
}

const cartRecord = (dbName: string) => createKeyValueStore(`${dbName}-cart`, 'carts');
const productRecords = (dbName: string) => createKeyValueStore(`${dbName}-products`, 'entries');

const restorers: (() => void)[] = [];
function patch<T extends object, K extends keyof T>(target: T, key: K, value: T[K]) {
  const original = Object.getOwnPropertyDescriptor(target, key)!;
  Object.defineProperty(target, key, { ...original, value });
  restorers.push(() => Object.defineProperty(target, key, original));
}

beforeEach(async () => {
  await backend.reset();
  localStorage.removeItem(cartHintKey(STORE));
});
afterEach(async () => {
  while (opened.length) {
    const p = opened.pop()!;
    p.close(p.cart);
  }
  while (restorers.length) restorers.pop()!();
  await backend.clearFaults();
});

describe('the cart in IndexedDB (real Chromium)', () => {
  it('survives a new page view: same lines, re-priced, and the hint says so', async () => {
    const dbName = freshDbName('cart-reload');
    const first = page({ dbName });
    const cart = first.start();
    await cart.ready;
    await cart.add('17', 2);
    const snap = await cart.add('19');
    expect(snap.lines.map((l) => [l.key, l.quantity, l.status])).toEqual([
      ['17', 2, 'ok'],
      ['19', 1, 'ok'],
    ]);
    expect(snap).toMatchObject({ count: 3, subtotal: eur(2 * 19143 + 15724), confirmed: true, persistent: true, revision: 2 });
    expect(localStorage.getItem(cartHintKey(STORE))).toBe('3|17,19');
    // Only ids and quantities are stored, never a price.
    expect((await cartRecord(dbName).getMany([STORE]))[0]).toEqual({
      revision: 2,
      lines: [
        { productId: '17', quantity: 2 },
        { productId: '19', quantity: 1 },
      ],
    });
    first.close(cart);
    opened.pop();

    const second = page({ dbName });
    const again = second.start();
    const loaded = await again.ready;
    expect(loaded.lines.map((l) => [l.key, l.quantity])).toEqual([
      ['17', 2],
      ['19', 1],
    ]);
    const priced = await again.reprice();
    expect(priced).toMatchObject({ count: 3, subtotal: eur(2 * 19143 + 15724), confirmed: true, revision: 2 });
    expect(second.events.map((e) => e.change)).toContain('load');
    expect(again.format(priced.subtotal!)).toBe('€540.10');

    await again.setQuantity('17', 1);
    await again.remove('19');
    expect(again.snapshot.lines.map((l) => [l.key, l.quantity])).toEqual([['17', 1]]);
    expect(localStorage.getItem(cartHintKey(STORE))).toBe('1|17');
    await again.clear();
    expect(again.snapshot).toMatchObject({ lines: [], count: 0, subtotal: undefined });
    expect(localStorage.getItem(cartHintKey(STORE))).toBeNull();
    expect(second.errors).toEqual([]);
  });

  it('a corrupt stored cart is dropped line by line and reported, never thrown, and written back clean', async () => {
    const dbName = freshDbName('cart-corrupt');
    await cartRecord(dbName).setMany([
      [
        STORE,
        {
          revision: 4,
          lines: [
            { productId: '17', quantity: 1, price: 0.01 },
            { productId: '../x', quantity: 1 },
            { productId: '19', quantity: -2 },
          ],
        },
      ],
    ]);
    const p = page({ dbName });
    const cart = p.start();
    const snap = await cart.ready;
    expect(snap.lines.map((l) => l.key)).toEqual(['17']);
    expect(p.errors.map((e) => [e.code, e.field])).toEqual([
      ['STORAGE', 'cart.lines[1].productId'],
      ['STORAGE', 'cart.lines[2].quantity'],
    ]);
    expect((await cartRecord(dbName).getMany([STORE]))[0]).toEqual({ revision: 5, lines: [{ productId: '17', quantity: 1 }] });
  });

  it('an unreadable stored cart becomes the empty cart, reported once', async () => {
    const dbName = freshDbName('cart-garbage');
    await cartRecord(dbName).setMany([[STORE, 'not a cart']]);
    const p = page({ dbName });
    const snap = await p.start().ready;
    expect(snap).toMatchObject({ lines: [], persistent: true });
    expect(p.errors).toEqual([expect.objectContaining({ code: 'STORAGE', field: 'cart.(root)' })]);
  });

  it('IndexedDB.open throwing: a memory-only cart (persistent: false), one STORAGE error, everything else works', async () => {
    patch(IDBFactory.prototype, 'open', function open(): IDBOpenDBRequest {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    const p = page({ dbName: freshDbName('cart-blocked') });
    const cart = p.start();
    await cart.ready;
    const snap = await cart.add('17', 2);
    await cart.add('17');
    expect(snap).toMatchObject({ persistent: false, count: 2, subtotal: eur(2 * 19143) });
    expect(cart.snapshot.lines[0]!.quantity).toBe(3);
    expect(p.errors.filter((e) => e.code === 'STORAGE')).toHaveLength(1);
    expect(p.errors[0]!.message).toMatch(/kept in this page only/);
    // Nothing tells the next page view of a cart that will not be there.
    expect(localStorage.getItem(cartHintKey(STORE))).toBeNull();
  });

  it('no IndexedDB at all: memory only, reported once', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
    Object.defineProperty(globalThis, 'indexedDB', { configurable: true, value: undefined });
    restorers.push(() => Object.defineProperty(globalThis, 'indexedDB', descriptor));
    const p = page({ dbName: freshDbName('cart-none') });
    const cart = p.start();
    await cart.ready;
    expect((await cart.add('20')).persistent).toBe(false);
    expect(p.errors.filter((e) => e.code === 'STORAGE')).toHaveLength(1);
  });

  it('a full disk (QuotaExceededError on write): the change is kept in memory, reported once, never thrown', async () => {
    const dbName = freshDbName('cart-quota');
    const p = page({ dbName });
    const cart = p.start();
    await cart.ready;
    patch(IDBObjectStore.prototype, 'put', function put(): IDBRequest {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const snap = await cart.add('17');
    expect(snap).toMatchObject({ persistent: false, count: 1 });
    await cart.add('19');
    expect(cart.count).toBe(2);
    const storage = p.errors.filter((e) => e.code === 'STORAGE');
    expect(storage).toHaveLength(1);
    expect(storage[0]!.message).toMatch(/quota/i);
  });

  it('persist: false keeps the cart in memory by choice: nothing stored, nothing reported', async () => {
    const dbName = freshDbName('cart-off');
    const p = page({ dbName, persist: false });
    const cart = p.start();
    await cart.ready;
    expect((await cart.add('17')).persistent).toBe(false);
    expect(p.errors).toEqual([]);
    expect(localStorage.getItem(cartHintKey(STORE))).toBeNull();
  });
});

describe('re-pricing through the page’s products layer (real Chromium, loopback backend)', () => {
  it('the cart’s ids (from the hint) and a widget’s lookup in the same task make one API request', async () => {
    const dbName = freshDbName('cart-batch');
    await cartRecord(dbName).setMany([
      [
        STORE,
        {
          revision: 3,
          lines: [
            { productId: '17', quantity: 1 },
            { productId: '19', quantity: 2 },
            { productId: '20', quantity: 1 },
          ],
        },
      ],
    ]);
    localStorage.setItem(cartHintKey(STORE), '4|17,19,20');
    const p = page({ dbName });
    // One task: a widget asks for its product, and the cart is created.
    const widget = p.products.get('21');
    const cart = p.start();
    await widget;
    await cart.ready;
    const snap = await cart.reprice();
    expect(snap).toMatchObject({ confirmed: true, count: 4, subtotal: eur(19143 + 2 * 15724 + 2909) });
    const calls = await apiCalls();
    expect(calls.map((c) => c.search)).toEqual(['?ids=17,19,20,21']);
  });

  it('add() of a product nobody looked up asks for it once; a second add is served from the cache', async () => {
    const p = page({ dbName: freshDbName('cart-add') });
    const cart = p.start();
    await cart.ready;
    await cart.add('23');
    await cart.add('23', 2);
    expect(cart.snapshot.lines).toEqual([expect.objectContaining({ key: '23', quantity: 3, status: 'ok', name: expect.any(String) })]);
    expect(await apiCalls()).toHaveLength(1);
  });

  it('unknown products, bad quantities and a second currency are refused with their codes', async () => {
    const p = page({ dbName: freshDbName('cart-refuse'), limits: { maxLines: 2 } });
    const cart = p.start();
    await cart.ready;
    expect(await codeOf(cart.add('99999'))).toBe('UNKNOWN_PRODUCT');
    expect(await codeOf(cart.add('not/an/id'))).toBe('UNKNOWN_PRODUCT');
    expect(await codeOf(cart.add('17', 0))).toBe('INVALID_QUANTITY');
    expect(await codeOf(cart.add('17', 100))).toBe('INVALID_QUANTITY');
    expect(await codeOf(cart.add('17', 1, 'm'))).toBe('UNKNOWN_VARIANT');
    await cart.add('17');
    expect(await codeOf(cart.add('5'))).toBe('CURRENCY_MISMATCH');
    await cart.add('19');
    expect(await codeOf(cart.add('20'))).toBe('CART_FULL');
    expect(cart.snapshot.lines.map((l) => l.key)).toEqual(['17', '19']);
  });

  it('out of stock: kept on its line, not counted, the cart not confirmed; checkout leaves it out', async () => {
    const p = page({ dbName: freshDbName('cart-oos'), checkout: 'https://shop.example.com/cart/{lines}' });
    const cart = p.start();
    await cart.ready;
    await cart.add('17');
    const snap = await cart.add('32', 2);
    expect(snap.lines.map((l) => [l.key, l.status])).toEqual([
      ['17', 'ok'],
      ['32', 'out-of-stock'],
    ]);
    expect(snap).toMatchObject({ subtotal: eur(19143), confirmed: false, count: 3 });
    expect(cart.checkout()).toEqual({ method: 'GET', href: 'https://shop.example.com/cart/17:1' });
  });

  it('a product gone from the catalogue (NOT_FOUND) shows as gone on its line', async () => {
    const dbName = freshDbName('cart-gone');
    await cartRecord(dbName).setMany([
      [
        STORE,
        {
          revision: 1,
          lines: [
            { productId: '17', quantity: 1 },
            { productId: '99999', quantity: 1 },
          ],
        },
      ],
    ]);
    const p = page({ dbName });
    const cart = p.start();
    await cart.ready;
    const snap = await cart.reprice();
    expect(snap.lines.map((l) => [l.key, l.status])).toEqual([
      ['17', 'ok'],
      ['99999', 'gone'],
    ]);
    expect(snap).toMatchObject({ subtotal: eur(19143), confirmed: false });
  });

  it('a price changed since the last visit: shown at the old price first (unconfirmed), then as changed with both prices', async () => {
    const dbName = freshDbName('cart-price');
    await cartRecord(dbName).setMany([[STORE, { revision: 1, lines: [{ productId: '17', quantity: 2 }] }]]);
    // What the last visit cached: product 17 at €150.00, cached long ago (stale).
    const first = page({ dbName });
    const real = await first.products.get('17');
    await backend.reset();
    await productRecords(dbName).setMany([[`p:17`, { v: CACHE_SCHEMA_VERSION, at: 0, data: { ...real, price: { amount: 150, currency: 'EUR' } } }]]);
    first.close();
    opened.pop();

    const p = page({ dbName });
    const cart = p.start();
    await cart.ready;
    const shown = await cart.reprice();
    expect(shown.lines[0]).toMatchObject({ status: 'unconfirmed', unitPrice: eur(15000) });
    expect(shown).toMatchObject({ subtotal: eur(30000), confirmed: false });
    const changed = await waitForCart(p.events, (e) => e.snapshot.lines[0]?.status === 'changed');
    expect(changed.change).toBe('reprice');
    expect(changed.snapshot.lines[0]).toMatchObject({ unitPrice: eur(19143), previousUnitPrice: eur(15000), lineTotal: eur(2 * 19143) });
    expect(changed.snapshot).toMatchObject({ subtotal: eur(2 * 19143), confirmed: false });
    // Changing the line is accepting the new price.
    const accepted = await cart.setQuantity('17', 1);
    expect(accepted.lines[0]).toMatchObject({ status: 'ok', unitPrice: eur(19143) });
    expect(accepted.confirmed).toBe(true);
    expect(await apiCalls()).toHaveLength(1); // the one background revalidation
  });

  it('a cached product the revalidation no longer returns is gone, without a second request to find out', async () => {
    const dbName = freshDbName('cart-stale-gone');
    await cartRecord(dbName).setMany([[STORE, { revision: 1, lines: [{ productId: '99998', quantity: 1 }] }]]);
    await productRecords(dbName).setMany([
      [
        `p:99998`,
        {
          v: CACHE_SCHEMA_VERSION,
          at: 0,
          data: { id: '99998', name: 'Discontinued lamp', price: { amount: 10, currency: 'EUR' }, url: 'https://shop.example.com/p', inStock: true },
        },
      ],
    ]);
    const p = page({ dbName });
    const cart = p.start();
    await cart.ready;
    expect((await cart.reprice()).lines[0]).toMatchObject({ status: 'unconfirmed', name: 'Discontinued lamp' });
    const gone = await waitForCart(p.events, (e) => e.snapshot.lines[0]?.status === 'gone');
    expect(gone.snapshot.subtotal).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(await apiCalls()).toHaveLength(1);
  });

  it('API down: the lines keep their last known prices, unconfirmed; with nothing known, unknown', async () => {
    const dbName = freshDbName('cart-down');
    await cartRecord(dbName).setMany([
      [
        STORE,
        {
          revision: 1,
          lines: [
            { productId: '17', quantity: 1 },
            { productId: '19', quantity: 1 },
          ],
        },
      ],
    ]);
    const first = page({ dbName });
    const real = await first.products.get('17');
    await productRecords(dbName).setMany([[`p:17`, { v: CACHE_SCHEMA_VERSION, at: 0, data: real }]]);
    first.close();
    opened.pop();
    await backend.reset();
    await backend.addFault({ host: 'api', fault: 'status', status: 503 });

    const p = page({ dbName, checkout: 'https://shop.example.com/cart/{lines}' });
    const cart = p.start();
    await cart.ready;
    const snap = await cart.reprice();
    expect(snap.lines.map((l) => [l.key, l.status])).toEqual([
      ['17', 'unconfirmed'],
      ['19', 'unknown'],
    ]);
    expect(snap).toMatchObject({ subtotal: eur(19143), confirmed: false });
    await new Promise((r) => setTimeout(r, 200)); // the failed revalidation
    expect(cart.snapshot.lines[0]!.status).toBe('unconfirmed');
    // The hand-off still works: the shop prices the order itself.
    expect(cart.checkout()).toEqual({ method: 'GET', href: 'https://shop.example.com/cart/17:1,19:1' });
    expect(p.errors.some((e) => e.code === 'HTTP')).toBe(true);
  });

  it('checkout without the option, and of an empty cart, are coded errors', async () => {
    const p = page({ dbName: freshDbName('cart-checkout') });
    const cart = p.start();
    await cart.ready;
    expect(() => cart.checkout()).toThrow(expect.objectContaining({ code: 'CHECKOUT_UNAVAILABLE' }));
    const q = page({ dbName: freshDbName('cart-checkout2'), checkout: { url: 'https://shop.example.com/cart', method: 'POST' } });
    const other = q.start();
    await other.ready;
    expect(() => other.checkout()).toThrow(expect.objectContaining({ code: 'CART_EMPTY' }));
    await other.add('17', 2);
    expect(other.checkout()).toEqual({ method: 'POST', action: 'https://shop.example.com/cart', fields: [['lines', '17:2']] });
  });
});

describe('priced from what the page shows (a grid’s answer; real Chromium, loopback backend)', () => {
  // As the storefront wires a grid page: no batch of ids to join, so nothing is asked when the cart
  // loads. 17 is on the grid's first page of 24, 50 is not.
  const GRID_PAGE = { priceAtLoad: false };
  const gridCart = (dbName: string) =>
    cartRecord(dbName).setMany([
      [
        STORE,
        {
          revision: 2,
          lines: [
            { productId: '17', quantity: 2 },
            { productId: '50', quantity: 1 },
          ],
        },
      ],
    ]);
  const statuses = (lines: readonly { key: string; status: string }[]) => lines.map((l) => [l.key, l.status]);

  it('a grid answer in before the cart’s code: its lines are ok at once, the others unknown, no request of the cart’s own; the drawer asks for the rest alone', async () => {
    const dbName = freshDbName('cart-grid-before');
    await gridCart(dbName);
    const p = page({ dbName });
    await p.products.list({ limit: 24 });
    const loaded = await p.start(GRID_PAGE).ready;
    expect(statuses(loaded.lines)).toEqual([
      ['17', 'ok'],
      ['50', 'unknown'],
    ]);
    expect(loaded.lines[0]).toMatchObject({ unitPrice: eur(19143), lineTotal: eur(2 * 19143) });
    expect(loaded).toMatchObject({ count: 3, subtotal: eur(2 * 19143), confirmed: false });
    // The `load` event carries it: what the badge and the drawer read.
    expect(p.events.find((e) => e.change === 'load')?.snapshot).toEqual(loaded);
    expect((await apiCalls()).map((c) => c.search)).toEqual(['?limit=24&offset=0']);
    // Opening the drawer (reprice) asks for what the page does not show, in one request.
    const all = await p.cart!.reprice();
    expect(statuses(all.lines)).toEqual([
      ['17', 'ok'],
      ['50', 'ok'],
    ]);
    expect(all).toMatchObject({ subtotal: eur(2 * 19143 + 19090), confirmed: true });
    expect((await apiCalls()).map((c) => c.search)).toEqual(['?limit=24&offset=0', '?ids=50']);
  });

  it('a grid answer landing after the cart loaded re-prices its lines (a page with a badge loads the cart at once), still with no request of its own', async () => {
    const dbName = freshDbName('cart-grid-after');
    await gridCart(dbName);
    const p = page({ dbName });
    const cart = p.start(GRID_PAGE);
    expect(statuses((await cart.ready).lines)).toEqual([
      ['17', 'unknown'],
      ['50', 'unknown'],
    ]);
    await p.products.list({ limit: 24 });
    const priced = await waitForCart(p.events, (e) => e.snapshot.lines[0]?.status === 'ok');
    expect(priced.change).toBe('reprice');
    expect(statuses(priced.snapshot.lines)).toEqual([
      ['17', 'ok'],
      ['50', 'unknown'],
    ]);
    expect(priced.snapshot.subtotal).toEqual(eur(2 * 19143));
    expect((await apiCalls()).map((c) => c.search)).toEqual(['?limit=24&offset=0']);
  });

  it('a stale cached grid: its copy is last known (unconfirmed) until the list’s revalidation lands, then the new price shows as changed; never a request of its own', async () => {
    const dbName = freshDbName('cart-grid-stale');
    await gridCart(dbName);
    // What the last visit cached, long ago: the first page of 24, with 17 at €150.00.
    const first = page({ dbName });
    const { items, total } = await first.products.list({ limit: 24 });
    first.close();
    opened.pop();
    await backend.reset();
    const at = (data: unknown): unknown => ({ v: CACHE_SCHEMA_VERSION, at: 0, data });
    await productRecords(dbName).setMany([
      ...items.map((product): [string, unknown] => [`p:${product.id}`, at(product.id === '17' ? { ...product, price: { amount: 150, currency: 'EUR' } } : product)]),
      ['l::0:24', at({ ids: items.map((product: Product) => product.id), total })],
    ]);
    // The list's revalidation is held until the cart has loaded.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const realFetch = globalThis.fetch;
    patch(globalThis, 'fetch', (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('limit=')) await held;
      return realFetch(input, init);
    }) as typeof fetch);

    const p = page({ dbName });
    expect((await p.products.list({ limit: 24 })).items[16]).toMatchObject({ id: '17', price: { amount: 150 } });
    const loaded = await p.start(GRID_PAGE).ready;
    expect(loaded.lines[0]).toMatchObject({ key: '17', status: 'unconfirmed', unitPrice: eur(15000) });
    expect(loaded).toMatchObject({ subtotal: eur(2 * 15000), confirmed: false });
    release();
    const changed = await waitForCart(p.events, (e) => e.snapshot.lines[0]?.status === 'changed');
    expect(changed.snapshot.lines[0]).toMatchObject({ unitPrice: eur(19143), previousUnitPrice: eur(15000) });
    expect(changed.snapshot.lines[1]).toMatchObject({ key: '50', status: 'unknown' });
    expect((await apiCalls()).map((c) => c.search)).toEqual(['?limit=24&offset=0']);
  });
});
