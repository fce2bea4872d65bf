import { describe, expect, it } from 'vitest';
import { applyOp, EMPTY_CART, lineKey, parseStoredCart, resolveLimits, type CartOp, type CartState } from '../../src/cart/lines.js';
import { formatCartHint, parseCartHint, cartHintKey } from '../../src/cart/hint.js';
import { isVitrineError, type VitrineError } from '../../src/errors.js';

const caught = (fn: () => unknown): VitrineError => {
  try {
    fn();
  } catch (error) {
    if (isVitrineError(error)) return error;
    throw error;
  }
  throw new Error('expected a VitrineError');
};

const run = (...ops: CartOp[]) => ops.reduce<CartState>((state, op) => applyOp(state, op), EMPTY_CART);

describe('cart operations', () => {
  it('add makes a line; the same product and variant again adds to it', () => {
    const state = run({ type: 'add', productId: 'a', quantity: 2 }, { type: 'add', productId: 'a', quantity: 3 });
    expect(state).toEqual({ revision: 2, lines: [{ productId: 'a', quantity: 5 }] });
  });

  it('another variant of the same product is another line', () => {
    const state = run(
      { type: 'add', productId: 'a', variantId: 's', quantity: 1 },
      { type: 'add', productId: 'a', variantId: 'm', quantity: 1 },
      { type: 'add', productId: 'a', quantity: 1 },
    );
    expect(state.lines.map((l) => lineKey(l.productId, l.variantId))).toEqual(['a/s', 'a/m', 'a']);
  });

  it('set replaces the quantity (and creates the line), remove and clear empty it', () => {
    let state = run({ type: 'add', productId: 'a', quantity: 2 }, { type: 'set', productId: 'a', quantity: 7 }, { type: 'set', productId: 'b', quantity: 1 });
    expect(state.lines).toEqual([
      { productId: 'a', quantity: 7 },
      { productId: 'b', quantity: 1 },
    ]);
    state = applyOp(state, { type: 'remove', productId: 'a' });
    expect(state.lines).toEqual([{ productId: 'b', quantity: 1 }]);
    state = applyOp(state, { type: 'clear' });
    expect(state).toEqual({ revision: 5, lines: [] });
  });

  it('an op that changes nothing returns the same state (nothing to write or broadcast)', () => {
    const state = run({ type: 'add', productId: 'a', quantity: 2 });
    expect(applyOp(state, { type: 'set', productId: 'a', quantity: 2 })).toBe(state);
    expect(applyOp(state, { type: 'remove', productId: 'zzz' })).toBe(state);
    expect(applyOp(EMPTY_CART, { type: 'clear' })).toBe(EMPTY_CART);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '2', null, undefined, 100])('quantity %s is INVALID_QUANTITY', (quantity) => {
    const error = caught(() => applyOp(EMPTY_CART, { type: 'add', productId: 'a', quantity: quantity as number }));
    expect(error.code).toBe('INVALID_QUANTITY');
    expect(error.message).toContain('1 to 99');
    expect(caught(() => applyOp(EMPTY_CART, { type: 'set', productId: 'a', quantity: quantity as number })).code).toBe('INVALID_QUANTITY');
  });

  it('an add past the per-line limit is refused, naming the limit (not clamped)', () => {
    const state = run({ type: 'add', productId: 'a', quantity: 98 });
    const error = caught(() => applyOp(state, { type: 'add', productId: 'a', quantity: 2 }));
    expect(error.code).toBe('INVALID_QUANTITY');
    expect(error.message).toMatch(/limit of 99/);
    expect(applyOp(state, { type: 'add', productId: 'a', quantity: 1 }).lines[0]!.quantity).toBe(99);
  });

  it('a line past maxLines is CART_FULL; more of an existing line still fits', () => {
    const limits = resolveLimits({ maxLines: 2 });
    let state = applyOp(applyOp(EMPTY_CART, { type: 'add', productId: 'a', quantity: 1 }, limits), { type: 'add', productId: 'b', quantity: 1 }, limits);
    expect(caught(() => applyOp(state, { type: 'add', productId: 'c', quantity: 1 }, limits)).code).toBe('CART_FULL');
    expect(caught(() => applyOp(state, { type: 'set', productId: 'c', quantity: 1 }, limits)).code).toBe('CART_FULL');
    state = applyOp(state, { type: 'add', productId: 'a', quantity: 1 }, limits);
    expect(state.lines[0]!.quantity).toBe(2);
  });

  it.each(['', 'a/b', 'a b', '../x', 'x'.repeat(65), '<script>', 42, null])('product id %j is UNKNOWN_PRODUCT, a variant id UNKNOWN_VARIANT', (id) => {
    expect(caught(() => applyOp(EMPTY_CART, { type: 'add', productId: id as string, quantity: 1 })).code).toBe('UNKNOWN_PRODUCT');
    expect(caught(() => applyOp(EMPTY_CART, { type: 'remove', productId: id as string })).code).toBe('UNKNOWN_PRODUCT');
    expect(caught(() => applyOp(EMPTY_CART, { type: 'add', productId: 'a', variantId: id as string, quantity: 1 })).code).toBe('UNKNOWN_VARIANT');
  });

  it('limits are checked as options', () => {
    expect(resolveLimits(undefined)).toEqual({ maxLines: 100, maxQuantity: 99 });
    for (const bad of [{ maxLines: 0 }, { maxQuantity: 1.5 }, { maxLines: 1001 }, { maxQuantity: 'x' }]) {
      expect(caught(() => resolveLimits(bad as never))).toMatchObject({ code: 'INVALID_OPTIONS' });
    }
  });
});

describe('parseStoredCart: whatever storage gives back', () => {
  it('reads a valid entry as it is', () => {
    const raw = {
      revision: 4,
      lines: [
        { productId: 'a', quantity: 2 },
        { productId: 'b', variantId: 'm', quantity: 1 },
      ],
    };
    expect(parseStoredCart(raw)).toEqual({ state: raw, dropped: [] });
  });

  it('nothing stored is the empty cart, nothing reported', () => {
    expect(parseStoredCart(undefined)).toEqual({ state: EMPTY_CART, dropped: [] });
  });

  it.each([
    ['a string', 'cart'],
    ['an array', []],
    ['no revision', { lines: [] }],
    ['a negative revision', { revision: -1, lines: [] }],
    ['a fractional revision', { revision: 1.5, lines: [] }],
    ['lines not an array', { revision: 1, lines: {} }],
    ['too many lines', { revision: 1, lines: Array.from({ length: 10_001 }, () => ({})) }],
  ])('%s: the whole entry is dropped and described, never thrown', (_, raw) => {
    const { state, dropped } = parseStoredCart(raw);
    expect(state).toEqual(EMPTY_CART);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.message).toMatch(/^Dropped the stored cart/);
  });

  it('drops each bad line on its own, keeps the good ones and strips unknown keys', () => {
    const raw = {
      revision: 9,
      lines: [
        { productId: 'a', quantity: 1, price: 1 },
        { productId: 'a/../b', quantity: 1 },
        { productId: 'c', quantity: 0 },
        { productId: 'd', quantity: 2.5 },
        { productId: 'e', variantId: '', quantity: 1 },
        null,
        JSON.parse('{"productId":"f","quantity":3,"__proto__":{"polluted":true}}'),
      ],
    };
    const { state, dropped } = parseStoredCart(raw);
    expect(state).toEqual({
      revision: 9,
      lines: [
        { productId: 'a', quantity: 1 },
        { productId: 'f', quantity: 3 },
      ],
    });
    expect(dropped.map((d) => d.field)).toEqual(['lines[1].productId', 'lines[2].quantity', 'lines[3].quantity', 'lines[4].variantId', 'lines[5].(root)']);
    expect(Object.getPrototypeOf(state.lines[1])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('merges duplicate lines, lowers quantities over the limit, drops lines past maxLines', () => {
    const limits = resolveLimits({ maxLines: 2, maxQuantity: 5 });
    const raw = {
      revision: 1,
      lines: [
        { productId: 'a', quantity: 3 },
        { productId: 'a', quantity: 4 },
        { productId: 'b', quantity: 9 },
        { productId: 'c', quantity: 1 },
      ],
    };
    const { state, dropped } = parseStoredCart(raw, limits);
    expect(state.lines).toEqual([
      { productId: 'a', quantity: 5 },
      { productId: 'b', quantity: 5 },
    ]);
    expect(dropped.map((d) => d.field)).toEqual(['lines[1]', 'lines[2].quantity', 'lines[3]']);
  });

  it('a throwing getter in the entry is a dropped entry, not an exception', () => {
    const raw = Object.defineProperty({ revision: 1 }, 'lines', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(parseStoredCart(raw).state).toEqual(EMPTY_CART);
  });
});

describe('the localStorage hint', () => {
  it('is "<count>|ids" with sorted unique product ids, absent for an empty cart', () => {
    expect(cartHintKey('1003')).toBe('vitrine-cart:1003');
    expect(
      formatCartHint([
        { productId: 'b', quantity: 2 },
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toBe('6|a,b');
    expect(formatCartHint([])).toBeUndefined();
  });

  it('parses what it writes', () => {
    expect(parseCartHint('6|a,b')).toEqual({ count: 6, ids: ['a', 'b'] });
    expect(parseCartHint(formatCartHint([{ productId: 'x_1-Y', quantity: 99 }]))).toEqual({ count: 99, ids: ['x_1-Y'] });
  });

  it.each([
    null,
    undefined,
    '',
    '0|a',
    '-1|a',
    '3',
    '3|',
    '3|a,',
    '3|a b',
    '3|a/b',
    `3|${'x'.repeat(65)}`,
    'x|a',
    '01|a',
    `3|${Array.from({ length: 1001 }, (_, i) => `i${i}`).join(',')}`,
  ])('anything else (%j) is undefined, never thrown', (value) => {
    expect(parseCartHint(value)).toBeUndefined();
  });
});
