/**
 * The cart from Node (server code, a script, a test): no document, so no announcements and no DOM
 * events, but the same cart: add, price, check out.
 */
import { describe, expect, it } from 'vitest';
import { storeFor, useBackend } from '../helpers/node-store.js';

const backend = useBackend();

describe('the cart without a document', () => {
  it('adds, prices and checks out in Node, with no error on the bus', async () => {
    const { store, events } = storeFor(backend, { checkout: 'https://shop.example.test/cart/{lines}' });
    await store.cart.ready;
    const after = await store.cart.add('1', 2);
    expect(after.count).toBe(2);
    expect(after.lines.map((l) => [l.productId, l.status])).toEqual([['1', 'ok']]);
    expect(store.cart.checkout()).toEqual({ method: 'GET', href: 'https://shop.example.test/cart/1:2' });
    expect(events.error).toEqual([]);
    store.destroy();
  });
});
