import fc from 'fast-check';
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
    ['two variants with one id', [variant('s'), variant('s', { name: 'Small' })], 'variants[1].id'],
    ['a variant id repeated after others', [variant('s'), variant('m'), variant('l'), variant('m', { price: { amount: 1, currency: 'EUR' } })], 'variants[3].id'],
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

  it('duplicate variant ids: the later one named, in the words used for duplicate product ids; never read back from storage either', () => {
    const parsed = parseProductsBody({ items: [{ ...base, variants: [variant('s'), variant('m'), variant('s')] }] }, 'test');
    expect(parsed).toEqual({ items: [], total: undefined, dropped: [{ id: 'shirt', field: 'variants[2].id', message: 'variants[2].id: expected a unique id, got "s"' }] });
    // A duplicate product id in one answer says the same of `id`.
    expect(parseProductsBody({ items: [base, base] }, 'test').dropped).toEqual([{ id: 'shirt', field: 'id', message: 'id: expected a unique id, got "shirt"' }]);
    expect(parseStoredProduct({ ...base, variants: [variant('s'), variant('s')] })).toBeUndefined();
    // Ids differing only in case are different ids (as product ids are).
    expect(parseStoredProduct({ ...base, variants: [variant('s'), variant('S')] })?.variants?.map((v) => v.id)).toEqual(['s', 'S']);
  });

  it('property: distinct variant ids pass in any order; one repeated anywhere drops the product, naming the first repeat', () => {
    const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (ids, copy, at) => {
        expect(parseStoredProduct({ ...base, variants: ids.map((id) => variant(id)) })?.variants?.map((v) => v.id)).toEqual(ids);
        const repeated = ids[copy % ids.length]!;
        const withCopy = [...ids];
        withCopy.splice(at % (ids.length + 1), 0, repeated);
        const first = withCopy.indexOf(repeated, withCopy.indexOf(repeated) + 1);
        const parsed = parseProductsBody({ items: [{ ...base, variants: withCopy.map((id) => variant(id)) }] }, 'test');
        expect(parsed.items).toEqual([]);
        expect(parsed.dropped).toEqual([expect.objectContaining({ id: 'shirt', field: `variants[${first}].id` })]);
      }),
      { numRuns: 300 },
    );
  });

  it('exactly 100 variants pass', () => {
    expect(parseStoredProduct({ ...base, variants: Array.from({ length: 100 }, (_, i) => variant(`v${i}`)) })?.variants).toHaveLength(100);
  });
});
