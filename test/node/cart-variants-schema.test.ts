import { describe, expect, it } from 'vitest';
import { parseProductsBody, parseStoredProduct } from '../../src/data/schema.js';

const base = { id: 'shirt', name: 'Linen shirt', price: { amount: 49, currency: 'EUR' }, url: 'https://shop.example.com/p/shirt', inStock: true };
const variant = (id: string, extra: object = {}) => ({ id, name: `Size ${id}`, price: { amount: 49, currency: 'EUR' }, inStock: true, ...extra });

describe('Product.variants in the schema', () => {
  it('keeps valid variants, with only their known keys', () => {
    const product = parseStoredProduct({ ...base, variants: [variant('s', { sku: 'X', __proto__: { polluted: true } }), variant('m')] });
    expect(product?.variants).toEqual([variant('s'), variant('m')]);
    expect(Object.keys(product!.variants![0]!)).toEqual(['id', 'name', 'price', 'inStock']);
  });

  it('a product without variants stays as it was', () => {
    expect(parseStoredProduct(base)).toEqual(base);
  });

  it.each([
    ['a variant id outside the product-id pattern', [variant('a/b')], 'variants[0].id'],
    ['a variant name over 200 characters', [variant('s', { name: 'x'.repeat(201) })], 'variants[0].name'],
    ['a variant price in no ISO 4217 shape', [variant('s', { price: { amount: 1, currency: 'eur' } })], 'variants[0].price.currency'],
    ['a non-finite variant amount', [variant('s', { price: { amount: Infinity, currency: 'EUR' } })], 'variants[0].price.amount'],
    ['a variant without inStock', [{ id: 's', name: 'S', price: { amount: 1, currency: 'EUR' } }], 'variants[0].inStock'],
    ['more than 100 variants', Array.from({ length: 101 }, (_, i) => variant(`v${i}`)), 'variants'],
    ['variants not an array', { s: variant('s') }, 'variants'],
  ])('drops a product with %s, naming the field', (_, variants, field) => {
    const parsed = parseProductsBody(
      {
        items: [
          { ...base, variants },
          { ...base, id: 'ok' },
        ],
      },
      'test',
    );
    expect(parsed.items.map((p) => p.id)).toEqual(['ok']);
    expect(parsed.dropped).toEqual([expect.objectContaining({ id: 'shirt', field })]);
  });

  it('exactly 100 variants pass', () => {
    expect(parseStoredProduct({ ...base, variants: Array.from({ length: 100 }, (_, i) => variant(`v${i}`)) })?.variants).toHaveLength(100);
  });
});
