/**
 * fast-check over random sequences of cart operations (valid and invalid input alike), priced with
 * random catalogue data: the cart's invariants hold after every step, not only at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOp, EMPTY_CART, lineKey, parseStoredCart, resolveLimits, type CartOp, type CartState } from '../../src/cart/lines.js';
import { priceLines, type ProductKnowledge } from '../../src/cart/pricing.js';
import { formatCartHint, parseCartHint } from '../../src/cart/hint.js';
import { isVitrineError } from '../../src/errors.js';
import type { Product } from '../../src/data/schema.js';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const variants = [undefined, 's', 'm'];
const quantityArb = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -3, max: 200 }), fc.constantFrom(0, 1.5, Number.NaN));
const opArb: fc.Arbitrary<CartOp> = fc.oneof(
  fc.record({ type: fc.constant('add' as const), productId: fc.constantFrom(...ids), variantId: fc.constantFrom(...variants), quantity: quantityArb }),
  fc.record({ type: fc.constant('set' as const), productId: fc.constantFrom(...ids), variantId: fc.constantFrom(...variants), quantity: quantityArb }),
  fc.record({ type: fc.constant('remove' as const), productId: fc.constantFrom(...ids), variantId: fc.constantFrom(...variants) }),
  fc.constant({ type: 'clear' as const }),
);
const limitsArb = fc.record({ maxLines: fc.integer({ min: 1, max: 8 }), maxQuantity: fc.integer({ min: 1, max: 30 }) });

const currencyArb = fc.constantFrom('EUR', 'JPY', 'KWD');
const knowledgeArb = (currency: string): fc.Arbitrary<ProductKnowledge> =>
  fc.record({
    product: fc.option(
      fc
        .record({
          amount: fc.oneof(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.constantFrom(1.005, 0.1, 0.2, 19.99, 8.345)),
          inStock: fc.boolean(),
          variantAmount: fc.double({ min: 0, max: 500, noNaN: true }),
        })
        .map(
          ({ amount, inStock, variantAmount }): Product => ({
            id: 'x',
            name: 'X',
            price: { amount, currency },
            url: 'https://shop.example.com/x',
            inStock,
            variants: [{ id: 's', name: 'S', price: { amount: variantAmount, currency }, inStock: true }],
          }),
        ),
      { nil: undefined },
    ),
    confirmed: fc.boolean(),
    gone: fc.boolean(),
  });

describe('cart properties', () => {
  it('over random op sequences: quantities stay positive integers within the limit, line keys unique, lines within maxLines, errors coded', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), limitsArb, (ops, rawLimits) => {
        const limits = resolveLimits(rawLimits);
        let state: CartState = EMPTY_CART;
        for (const op of ops) {
          const before = state;
          try {
            state = applyOp(state, op, limits);
          } catch (error) {
            expect(isVitrineError(error)).toBe(true);
            expect(['INVALID_QUANTITY', 'CART_FULL', 'UNKNOWN_PRODUCT', 'UNKNOWN_VARIANT']).toContain((error as { code: string }).code);
            state = before;
          }
          expect(state.revision === before.revision || state.revision === before.revision + 1).toBe(true);
          expect(state.lines.length).toBeLessThanOrEqual(limits.maxLines);
          const keys = state.lines.map((l) => lineKey(l.productId, l.variantId));
          expect(new Set(keys).size).toBe(keys.length);
          for (const line of state.lines) {
            expect(Number.isInteger(line.quantity)).toBe(true);
            expect(line.quantity).toBeGreaterThan(0);
            expect(line.quantity).toBeLessThanOrEqual(limits.maxQuantity);
          }
          // What is stored reads back as it was written.
          expect(parseStoredCart(JSON.parse(JSON.stringify(state)), limits)).toEqual({ state, dropped: [] });
          // The hint reads back the count and the ids.
          const hint = parseCartHint(formatCartHint(state.lines));
          if (!state.lines.length) expect(hint).toBeUndefined();
          else expect(hint).toEqual({ count: state.lines.reduce((n, l) => n + l.quantity, 0), ids: [...new Set(state.lines.map((l) => l.productId))].sort() });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the subtotal always equals the sum of the counted lines’ totals, each exactly unit × quantity', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 30 }),
        currencyArb.chain((currency) => fc.tuple(fc.constant(currency), fc.array(knowledgeArb(currency), { minLength: ids.length, maxLength: ids.length }))),
        (ops, [currency, knowledge]) => {
          let state: CartState = EMPTY_CART;
          for (const op of ops) {
            try {
              state = applyOp(state, op);
            } catch {
              // refused input leaves the state as it was
            }
          }
          const known = new Map(ids.map((id, i) => [id, knowledge[i]!]));
          const snap = priceLines(state, known, new Map(), true);
          const counted = snap.lines.filter((l) => ['ok', 'changed', 'unconfirmed'].includes(l.status));
          const sum = counted.reduce((n, l) => n + l.lineTotal!.minor, 0);
          if (counted.length) expect(snap.subtotal).toEqual({ minor: sum, currency, exponent: counted[0]!.unitPrice!.exponent });
          else expect(snap.subtotal).toBeUndefined();
          expect(Number.isSafeInteger(sum)).toBe(true);
          for (const line of snap.lines) {
            expect(line.quantity).toBeGreaterThan(0);
            if (line.lineTotal) expect(line.lineTotal.minor).toBe(line.unitPrice!.minor * line.quantity);
            if (line.status === 'gone' || line.status === 'out-of-stock' || line.status === 'unknown') expect(counted).not.toContain(line);
          }
          expect(snap.count).toBe(state.lines.reduce((n, l) => n + l.quantity, 0));
          expect(snap.confirmed).toBe(snap.lines.every((l) => l.status === 'ok'));
        },
      ),
      { numRuns: 300 },
    );
  });
});
