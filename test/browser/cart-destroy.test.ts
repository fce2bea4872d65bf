/**
 * `store.cart` after `store.destroy()`, through the storefront's facade (the npm build: the cart's
 * code is a chunk), in real Chromium against the loopback backend: every change is refused with
 * ABORTED, as the products layer refuses after destroy, and nothing more reaches IndexedDB or the
 * localStorage hint. Catalogue facts: 17 and 19 are EUR and in stock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStorefront, type Storefront } from '../../src/index.js';
import { cartHintKey } from '../../src/cart/hint.js';
import { createKeyValueStore } from '../../src/lib/storage.js';
import { backend, backendUrls, freshDbName } from '../helpers/browser-backend.js';
import { codeOf } from '../helpers/error-code.js';

const STORE = 'cart-destroy';
const cartRecord = (dbName: string) => createKeyValueStore(`${dbName}-cart`, 'carts');
let store: Storefront | undefined;

function open(dbName: string): Storefront {
  const urls = backendUrls();
  store = createStorefront({ storeId: STORE, api: urls.api, cdn: urls.cdn, origin: urls.origin, cache: { dbName } });
  return store;
}

/** Every change the cart offers, each refused after destroy (checkout throws at once; the others reject). */
const changes = (s: Storefront) => ({
  // 17 is in the memory cache by then: no request to fail, only the cart itself can refuse.
  add: codeOf(s.cart.add('17')),
  setQuantity: codeOf(s.cart.setQuantity('17', 5)),
  remove: codeOf(s.cart.remove('17')),
  clear: codeOf(s.cart.clear()),
  reprice: codeOf(s.cart.reprice()),
  checkout: codeOf(Promise.resolve().then(() => s.cart.checkout())),
});
const allAborted = { add: 'ABORTED', setQuantity: 'ABORTED', remove: 'ABORTED', clear: 'ABORTED', reprice: 'ABORTED', checkout: 'ABORTED' };

beforeEach(async () => {
  await backend.reset();
  localStorage.removeItem(cartHintKey(STORE));
});
afterEach(() => store?.destroy());

describe('store.cart after store.destroy() (real Chromium)', () => {
  it('a loaded cart refuses every change with ABORTED and writes nothing more, not even a change begun just before', async () => {
    const dbName = freshDbName('cart-destroy');
    const s = open(dbName);
    await s.cart.ready;
    await s.cart.add('17');
    const before = { record: (await cartRecord(dbName).getMany([STORE]))[0], hint: localStorage.getItem(cartHintKey(STORE)) };
    expect(before).toEqual({ record: { revision: 1, lines: [{ productId: '17', quantity: 1 }] }, hint: '1|17' });
    // Begun before destroy (its product from the memory cache), not yet written when the storefront goes.
    const inFlight = codeOf(s.cart.add('17', 2));
    s.destroy();
    // Nor is the cart's database opened again (destroy closed it; an open connection blocks other tabs' upgrades).
    const opens: string[] = [];
    const realOpen = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      opens.push(name);
      return realOpen.call(this, name, version);
    };
    try {
      expect(await inFlight).toBe('ABORTED');
      expect(await Promise.all(Object.values(changes(s)))).toEqual(Object.values(allAborted));
      // Whatever was still queued has had its chance to write.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      IDBFactory.prototype.open = realOpen;
    }
    expect(opens).toEqual([]);
    expect({ record: (await cartRecord(dbName).getMany([STORE]))[0], hint: localStorage.getItem(cartHintKey(STORE)) }).toEqual(before);
  });

  it('a cart never used before destroy refuses every change, checkout too, with ABORTED and stores nothing, not even its hint or a clean-up', async () => {
    const dbName = freshDbName('cart-destroy-unused');
    // A stored cart from an earlier view, with a corrupt line a live cart would write back cleaned.
    const stored = {
      revision: 3,
      lines: [
        { productId: '17', quantity: 1 },
        { productId: '../x', quantity: 1 },
      ],
    };
    await cartRecord(dbName).setMany([[STORE, stored]]);
    const s = open(dbName);
    // Before destroy, a checkout before the cart's code loaded is CART_NOT_READY ("await ready")…
    expect(await codeOf(Promise.resolve().then(() => s.cart.checkout()))).toBe('CART_NOT_READY');
    s.destroy();
    const codes = changes(s);
    // …after it, ABORTED like every other call: awaiting ready would never help.
    expect(Object.fromEntries(await Promise.all(Object.entries(codes).map(async ([k, v]) => [k, await v])))).toEqual(allAborted);
    // The storefront's own reason, as the other calls reject with.
    expect(() => s.cart.checkout()).toThrow('The storefront was destroyed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await cartRecord(dbName).getMany([STORE]))[0]).toEqual(stored);
    expect(localStorage.getItem(cartHintKey(STORE))).toBeNull();
  });
});
