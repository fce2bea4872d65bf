/**
 * createCart() over a stand-in products layer (memory only, persist: false): variants, coded
 * refusals, events and the checkout hand-off. Storage, tabs and the real products layer are
 * tested in Chromium (test/browser/cart-core.test.ts, test/e2e/cart-tabs.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createCart } from '../../src/cart/cart.js';
import type { CartEvent } from '../../src/cart/types.js';
import type { Products } from '../../src/data/products.js';
import type { Product } from '../../src/data/schema.js';
import { VitrineError } from '../../src/errors.js';
import { createEventBus } from '../../src/events.js';
import { codeOf } from '../helpers/error-code.js';

const shirt: Product = {
  id: 'shirt',
  name: 'Linen shirt',
  price: { amount: 40, currency: 'EUR' },
  url: 'https://shop.example.com/p/shirt',
  inStock: true,
  variants: [
    { id: '4001', name: 'S', price: { amount: 39.5, currency: 'EUR' }, inStock: true },
    { id: '4002', name: 'M', price: { amount: 41.25, currency: 'EUR' }, inStock: true },
  ],
};
const mug: Product = { id: 'mug', name: 'Mug', price: { amount: 1.005, currency: 'EUR' }, url: 'https://shop.example.com/p/mug', inStock: true };
const yen: Product = { id: 'yen', name: 'Tea', price: { amount: 1500, currency: 'JPY' }, url: 'https://shop.example.com/p/yen', inStock: true };

function setup(options: { checkout?: unknown; down?: boolean } = {}) {
  const catalogue = new Map([shirt, mug, yen].map((p) => [p.id, p]));
  const asked: string[] = [];
  const get = async (id: string) => {
    asked.push(id);
    if (options.down) throw new VitrineError('NETWORK', 'Network error');
    const product = catalogue.get(id);
    if (!product) throw new VitrineError('NOT_FOUND', `No product "${id}"`, { ids: [id] });
    return product;
  };
  const products = { get, getMany: (ids: readonly string[]) => Promise.all(ids.map(get)), dehydrate: () => ({ items: [...catalogue.values()] }) } as unknown as Products;
  const bus = createEventBus();
  const events: CartEvent[] = [];
  bus.on('cart', (e) => events.push(e));
  const cart = createCart({ storeId: 's', dbName: 'unused', persist: false, products, bus, checkout: options.checkout as never, locale: 'de-DE' });
  return { cart, events, asked };
}

describe('createCart (memory only)', () => {
  it('a product with variants needs one of them, and an existing one', async () => {
    const { cart } = setup();
    expect(await codeOf(cart.add('shirt'))).toBe('VARIANT_REQUIRED');
    expect(await codeOf(cart.add('shirt', 1, 'XXL'))).toBe('UNKNOWN_VARIANT');
    expect(await codeOf(cart.add('mug', 1, '4001'))).toBe('UNKNOWN_VARIANT');
    expect(cart.count).toBe(0);
  });

  it('variant lines are priced and named by their variant and checked out by variant id', async () => {
    const { cart } = setup({ checkout: 'https://shop.example.com/cart/{lines}' });
    await cart.ready;
    await cart.add('shirt', 2, '4002');
    await cart.add('shirt', 1, '4001');
    const snap = await cart.add('mug', 3);
    expect(snap.lines.map((l) => [l.key, l.name, l.unitPrice?.minor, l.lineTotal?.minor, l.status])).toEqual([
      ['shirt/4002', 'Linen shirt, M', 4125, 8250, 'ok'],
      ['shirt/4001', 'Linen shirt, S', 3950, 3950, 'ok'],
      ['mug', 'Mug', 101, 303, 'ok'],
    ]);
    expect(snap.subtotal).toEqual({ minor: 12503, currency: 'EUR', exponent: 2 });
    expect(cart.format(snap.subtotal!)).toBe('125,03\u00a0€');
    expect(cart.checkout()).toEqual({ method: 'GET', href: 'https://shop.example.com/cart/4002:2,4001:1,mug:3' });
    expect(snap).toMatchObject({ persistent: false, confirmed: true, count: 6 });
  });

  it('refuses a second currency, and says which', async () => {
    const { cart } = setup();
    await cart.add('mug');
    const error = await cart.add('yen').catch((e: unknown) => e as VitrineError);
    expect(error).toMatchObject({ code: 'CURRENCY_MISMATCH', ids: ['yen'] });
    expect((error as Error).message).toMatch(/JPY.*EUR/);
  });

  it('emits one cart event per change, with what changed', async () => {
    const { cart, events } = setup();
    await cart.ready;
    await cart.add('mug', 2);
    await cart.setQuantity('mug', 5);
    await cart.remove('mug');
    await cart.add('mug');
    await cart.clear();
    expect(events.map((e) => [e.change, e.source, e.productId, e.quantity, e.snapshot.count])).toEqual([
      ['load', 'this-tab', undefined, undefined, 0],
      ['add', 'this-tab', 'mug', 2, 2],
      ['set', 'this-tab', 'mug', 5, 5],
      ['remove', 'this-tab', 'mug', undefined, 0],
      ['add', 'this-tab', 'mug', 1, 1],
      ['clear', 'this-tab', undefined, undefined, 0],
    ]);
    // A re-pricing that changes nothing is not an event.
    await cart.reprice();
    expect(events).toHaveLength(6);
  });

  it('setQuantity of a line in the cart asks nothing; of a new line, looks it up like add', async () => {
    const { cart, asked } = setup();
    await cart.add('mug');
    const before = asked.length;
    await cart.setQuantity('mug', 4);
    expect(asked.length).toBe(before);
    expect(await codeOf(cart.setQuantity('nope', 1))).toBe('UNKNOWN_PRODUCT');
  });

  it('an unreachable API rejects add with the transport’s code (nothing is added unseen)', async () => {
    const { cart } = setup({ down: true });
    expect(await codeOf(cart.add('mug'))).toBe('NETWORK');
    expect(cart.count).toBe(0);
  });

  it('bad options are refused at creation', () => {
    const bus = createEventBus();
    const products = {} as Products;
    expect(() => createCart({ storeId: 's', dbName: 'd', persist: false, products, bus, checkout: 'javascript:alert(1)//{lines}' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'checkout' }),
    );
    expect(() => createCart({ storeId: 's', dbName: 'd', persist: false, products, bus, checkout: undefined, limits: { maxLines: 0 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('an aborted signal closes the cart (destroy)', async () => {
    const controller = new AbortController();
    const bus = createEventBus();
    const cart = createCart({ storeId: 's', dbName: 'd', persist: false, products: {} as Products, bus, checkout: undefined, signal: controller.signal });
    controller.abort();
    expect((await cart.ready).lines).toEqual([]);
  });
});
