import { describe, expect, it } from 'vitest';
import { addMoney, exponentOf, formatMoney, multiplyMoney, toDecimalString, toMinor } from '../../src/cart/money.js';
import { isVitrineError } from '../../src/errors.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isVitrineError(error) ? error.code : 'not a VitrineError';
  }
  return 'no error';
};

describe('currency exponents (Intl)', () => {
  it.each([
    ['JPY', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(exponentOf(currency)).toBe(exponent);
  });
});

describe('toMinor: exact conversion from the API’s decimal amounts', () => {
  it.each([
    [19.99, 'EUR', 1999],
    [1.005, 'EUR', 101], // Math.round(1.005 * 100) is 100
    [1.015, 'EUR', 102], // 1.015 * 100 = 101.49999999999999
    [8.345, 'EUR', 835],
    [0.1 + 0.2, 'EUR', 30], // 0.30000000000000004
    [0.29, 'EUR', 29], // 0.29 * 100 = 28.999999999999996
    [4.35, 'EUR', 435], // 4.35 * 100 = 434.99999999999994
    [1500, 'JPY', 1500],
    [1500.5, 'JPY', 1501],
    [1499.4, 'JPY', 1499],
    [1.25, 'KWD', 1250],
    [1.0005, 'KWD', 1001], // 1.0005 * 1000 = 1000.4999999999999
    [0.0005, 'KWD', 1],
    [0.0004, 'KWD', 0],
    [0, 'EUR', 0],
    [-2.675, 'EUR', -268], // half away from zero
    [1e-7, 'EUR', 0],
    [123456789012.34, 'EUR', 12345678901234],
  ])('%d %s → %i', (amount, currency, minor) => {
    expect(toMinor(amount, currency)).toEqual({ minor, currency, exponent: exponentOf(currency) });
  });

  it('never yields -0', () => {
    expect(Object.is(toMinor(-0.001, 'EUR').minor, 0)).toBe(true);
  });

  it('refuses what no safe integer holds, and non-finite amounts', () => {
    expect(code(() => toMinor(1e17, 'EUR'))).toBe('INVALID_PRODUCT');
    expect(code(() => toMinor(1.5e21, 'JPY'))).toBe('INVALID_PRODUCT');
    expect(code(() => toMinor(Infinity, 'EUR'))).toBe('INVALID_PRODUCT');
    expect(code(() => toMinor(Number.NaN, 'EUR'))).toBe('INVALID_PRODUCT');
  });
});

describe('integer arithmetic', () => {
  const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });
  it('adds and multiplies exactly', () => {
    expect(addMoney(eur(10), eur(20))).toEqual(eur(30));
    expect(multiplyMoney(toMinor(0.1, 'EUR'), 3)).toEqual(eur(30));
    expect(multiplyMoney(toMinor(19.99, 'EUR'), 99)).toEqual(eur(197901));
  });
  it('refuses two currencies', () => {
    expect(code(() => addMoney(eur(1), { minor: 1, currency: 'JPY', exponent: 0 }))).toBe('CURRENCY_MISMATCH');
  });
  it('refuses results past Number.MAX_SAFE_INTEGER', () => {
    expect(code(() => addMoney(eur(Number.MAX_SAFE_INTEGER), eur(1)))).toBe('INVALID_PRODUCT');
    expect(code(() => multiplyMoney(eur(2 ** 52), 3))).toBe('INVALID_PRODUCT');
    expect(code(() => multiplyMoney(eur(1), 1.5))).toBe('INVALID_QUANTITY');
  });
});

describe('formatting', () => {
  it('spells minor units as an exact decimal', () => {
    expect(toDecimalString({ minor: 5, currency: 'EUR', exponent: 2 })).toBe('0.05');
    expect(toDecimalString({ minor: -1234, currency: 'EUR', exponent: 2 })).toBe('-12.34');
    expect(toDecimalString({ minor: 1250, currency: 'KWD', exponent: 3 })).toBe('1.250');
    expect(toDecimalString({ minor: 1500, currency: 'JPY', exponent: 0 })).toBe('1500');
    expect(toDecimalString({ minor: Number.MAX_SAFE_INTEGER, currency: 'EUR', exponent: 2 })).toBe('90071992547409.91');
  });

  it.each([
    [{ minor: 1999, currency: 'EUR', exponent: 2 }, 'en-US', '€19.99'],
    [{ minor: 1999, currency: 'EUR', exponent: 2 }, 'de-DE', '19,99\u00a0€'],
    [{ minor: 1500, currency: 'JPY', exponent: 0 }, 'en-US', '¥1,500'],
    [{ minor: 1500, currency: 'JPY', exponent: 0 }, 'ja-JP', '￥1,500'],
    [{ minor: 1250, currency: 'KWD', exponent: 3 }, 'en-US', 'KWD\u00a01.250'],
    [{ minor: 1000, currency: 'KWD', exponent: 3 }, 'en-US', 'KWD\u00a01.000'],
  ])('%o in %s → %s', (money, locale, text) => {
    expect(formatMoney(money, locale)).toBe(text);
  });

  it('formats large amounts without float drift', () => {
    expect(formatMoney({ minor: Number.MAX_SAFE_INTEGER, currency: 'EUR', exponent: 2 }, 'en-US')).toBe('€90,071,992,547,409.91');
  });

  it('a malformed locale falls back to the default instead of throwing', () => {
    expect(formatMoney({ minor: 100, currency: 'EUR', exponent: 2 }, 'not a locale!')).toMatch(/1/);
  });
});
