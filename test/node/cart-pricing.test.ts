import { describe, expect, it } from 'vitest';
import { priceLines, type ProductKnowledge } from '../../src/cart/pricing.js';
import type { CartState } from '../../src/cart/lines.js';
import type { Money } from '../../src/cart/types.js';
import type { Product } from '../../src/data/schema.js';

const product = (id: string, amount: number, currency = 'EUR', extra: Partial<Product> = {}): Product => ({
  id,
  name: `Product ${id}`,
  price: { amount, currency },
  url: `https://shop.example.com/p/${id}`,
  inStock: true,
  ...extra,
});
const eur = (minor: number): Money => ({ minor, currency: 'EUR', exponent: 2 });
const state = (...lines: CartState['lines']): CartState => ({ revision: 3, lines });
const known = (...entries: [string, ProductKnowledge][]) => new Map(entries);

describe('priceLines', () => {
  it('prices confirmed lines exactly; the subtotal is the sum of the line totals', () => {
    const snap = priceLines(
      state({ productId: 'a', quantity: 3 }, { productId: 'b', quantity: 1 }),
      known(['a', { product: product('a', 0.1), confirmed: true }], ['b', { product: product('b', 0.2), confirmed: true }]),
      new Map(),
      true,
    );
    expect(snap.lines.map((l) => [l.key, l.status, l.unitPrice?.minor, l.lineTotal?.minor])).toEqual([
      ['a', 'ok', 10, 30],
      ['b', 'ok', 20, 20],
    ]);
    expect(snap).toMatchObject({ subtotal: eur(50), count: 4, confirmed: true, revision: 3, persistent: true });
  });

  it('JPY and KWD keep their own exponents', () => {
    const jpy = priceLines(state({ productId: 'a', quantity: 2 }), known(['a', { product: product('a', 1500, 'JPY'), confirmed: true }]), new Map(), true);
    expect(jpy.subtotal).toEqual({ minor: 3000, currency: 'JPY', exponent: 0 });
    const kwd = priceLines(state({ productId: 'a', quantity: 3 }), known(['a', { product: product('a', 1.005, 'KWD'), confirmed: true }]), new Map(), true);
    expect(kwd.subtotal).toEqual({ minor: 3015, currency: 'KWD', exponent: 3 });
  });

  it('last known data is unconfirmed: priced and counted, the cart not confirmed', () => {
    const snap = priceLines(state({ productId: 'a', quantity: 1 }), known(['a', { product: product('a', 5), confirmed: false }]), new Map(), true);
    expect(snap.lines[0]).toMatchObject({ status: 'unconfirmed', unitPrice: eur(500) });
    expect(snap).toMatchObject({ subtotal: eur(500), confirmed: false });
  });

  it('a confirmed price that differs from the one shown before is changed, with the old price, and counted at the new one', () => {
    const snap = priceLines(state({ productId: 'a', quantity: 2 }), known(['a', { product: product('a', 6), confirmed: true }]), new Map([['a', eur(500)]]), true);
    expect(snap.lines[0]).toMatchObject({ status: 'changed', unitPrice: eur(600), previousUnitPrice: eur(500), lineTotal: eur(1200) });
    expect(snap).toMatchObject({ subtotal: eur(1200), confirmed: false });
  });

  it('gone, out of stock and unknown lines are kept and not counted', () => {
    const snap = priceLines(
      state({ productId: 'a', quantity: 1 }, { productId: 'gone', quantity: 1 }, { productId: 'oos', quantity: 2 }, { productId: 'never', quantity: 1 }),
      known(
        ['a', { product: product('a', 1), confirmed: true }],
        ['gone', { product: product('gone', 2), confirmed: true, gone: true }],
        ['oos', { product: product('oos', 3, 'EUR', { inStock: false }), confirmed: true }],
      ),
      new Map(),
      true,
    );
    expect(snap.lines.map((l) => [l.key, l.status, l.name])).toEqual([
      ['a', 'ok', 'Product a'],
      ['gone', 'gone', 'Product gone'],
      ['oos', 'out-of-stock', 'Product oos'],
      ['never', 'unknown', ''],
    ]);
    expect(snap).toMatchObject({ subtotal: eur(100), count: 5, confirmed: false });
  });

  it('variants: priced and stocked by the variant, named with it; a confirmed product without the variant makes it gone', () => {
    const shirt = product('shirt', 40, 'EUR', {
      name: 'Linen shirt',
      variants: [
        { id: 's', name: 'S', price: { amount: 39.5, currency: 'EUR' }, inStock: true },
        { id: 'xl', name: 'XL', price: { amount: 45, currency: 'EUR' }, inStock: false },
      ],
    });
    const snap = priceLines(
      state({ productId: 'shirt', variantId: 's', quantity: 2 }, { productId: 'shirt', variantId: 'xl', quantity: 1 }, { productId: 'shirt', variantId: 'm', quantity: 1 }),
      known(['shirt', { product: shirt, confirmed: true }]),
      new Map(),
      true,
    );
    expect(snap.lines.map((l) => [l.key, l.status, l.name, l.lineTotal?.minor])).toEqual([
      ['shirt/s', 'ok', 'Linen shirt, S', 7900],
      ['shirt/xl', 'out-of-stock', 'Linen shirt, XL', 4500],
      ['shirt/m', 'gone', 'Linen shirt', undefined],
    ]);
    expect(snap.subtotal).toEqual(eur(7900));
  });

  it('a line in another currency than the others is not summed', () => {
    const snap = priceLines(
      state({ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 1 }),
      known(['a', { product: product('a', 1), confirmed: true }], ['b', { product: product('b', 100, 'JPY'), confirmed: true }]),
      new Map(),
      true,
    );
    expect(snap.lines.map((l) => l.status)).toEqual(['ok', 'other-currency']);
    expect(snap.subtotal).toEqual(eur(100));
  });

  it('hostile prices too large for exact integers leave the line unpriced, never a wrong sum', () => {
    const snap = priceLines(
      state({ productId: 'a', quantity: 99 }, { productId: 'b', quantity: 1 }),
      known(['a', { product: product('a', 1e14), confirmed: true }], ['b', { product: product('b', 1), confirmed: true }]),
      new Map(),
      false,
    );
    expect(snap.lines[0]).toMatchObject({ status: 'unknown' });
    expect(snap.lines[0]!.lineTotal).toBeUndefined();
    expect(snap).toMatchObject({ subtotal: eur(100), persistent: false });
  });

  it('an empty cart has no subtotal and nothing to confirm', () => {
    expect(priceLines(state(), new Map(), new Map(), true)).toMatchObject({ lines: [], count: 0, subtotal: undefined, confirmed: true });
  });
});
