import { VitrineError } from '../errors.js';
import type { Money } from './types.js';

/**
 * Money in integer minor units (pure, no I/O). Prices arrive as decimal major-unit numbers
 * (`19.99`); adding or multiplying those as floats drifts (0.1 + 0.2), so everything the cart sums
 * is converted once, exactly, to an integer count of the currency's smallest unit.
 */

const exponents = new Map<string, number>();

/** The currency's own number of decimals as the browser's ICU data knows it (JPY 0, EUR 2, KWD 3). Cached: building a NumberFormat is not cheap. */
export function exponentOf(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

const tooLarge = (what: string) => new VitrineError('INVALID_PRODUCT', `${what} is too large to be counted exactly in minor units`);

/** Guards every integer the cart computes: past 2^53 an integer is no longer exact. */
function safe(minor: number, what: string): number {
  if (!Number.isSafeInteger(minor)) throw tooLarge(what);
  return minor === 0 ? 0 : minor; // never -0
}

/**
 * A major-unit amount (as the API sends it) in minor units, rounded half away from zero at the
 * currency's exponent. The conversion works on the number's shortest decimal spelling (`String(1.005)`
 * is '1.005'), not on `amount * 10^exp` — `1.005 * 100` is 100.49999999999999, so `Math.round`
 * would lose the cent the catalogue asked for.
 */
export function toMinor(amount: number, currency: string): Money {
  if (!Number.isFinite(amount)) throw new VitrineError('INVALID_PRODUCT', `Expected a finite price, got ${amount}`);
  const exponent = exponentOf(currency);
  // '1.005', '-0.5', '1e-7', '1.5e+21': sign, digits, optional fraction, optional exponent.
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(amount));
  if (!match) throw new VitrineError('INVALID_PRODUCT', `Unreadable price ${amount}`);
  const [, sign, whole, fraction = '', power = '0'] = match;
  // All digits as one integer string, with the decimal point moved `shift` places to the right.
  const digits = whole! + fraction;
  const point = whole!.length + Number(power) + exponent;
  if (point > 17) throw tooLarge(`The price ${amount}`);
  let units: number;
  if (point <= 0) {
    units = point === 0 && digits[0]! >= '5' ? 1 : 0;
  } else {
    const kept = digits.slice(0, point).padEnd(point, '0');
    const next = digits[point] ?? '0';
    units = Number(kept) + (next >= '5' ? 1 : 0);
  }
  return { minor: safe(sign && units ? -units : units, `The price ${amount}`), currency, exponent };
}

export const zero = (currency: string): Money => ({ minor: 0, currency, exponent: exponentOf(currency) });

export const sameMoney = (a: Money | undefined, b: Money | undefined): boolean => a === b || (!!a && !!b && a.minor === b.minor && a.currency === b.currency);

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new VitrineError('CURRENCY_MISMATCH', `Cannot add ${b.currency} to ${a.currency}`);
  return { ...a, minor: safe(a.minor + b.minor, 'The sum') };
}

export function multiplyMoney(unit: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new VitrineError('INVALID_QUANTITY', `Expected a whole quantity, got ${quantity}`);
  return { ...unit, minor: safe(unit.minor * quantity, 'The line total') };
}

/** '-1234' at exponent 2 → '-12.34': exact, for Intl (which formats a decimal string without going through a float). */
export function toDecimalString({ minor, exponent }: Money): string {
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${minor < 0 ? '-' : ''}${whole}${fraction}`;
}

const formats = new Map<string, Intl.NumberFormat>();

/** The amount in the page's locale ('€19.99', '19,99 €', '¥1,500', 'KWD 1.250'), always with the currency's own decimals. */
export function formatMoney(money: Money, locale?: string): string {
  // A decimal string is formatted exactly (Intl.NumberFormat v3); the cast is for older lib typings.
  return moneyFormat(money, locale).format(toDecimalString(money) as unknown as number);
}

/** The same as Intl's parts (the drawer isolates the currency symbol in right-to-left prices). */
export function moneyParts(money: Money, locale?: string): Intl.NumberFormatPart[] {
  return moneyFormat(money, locale).formatToParts(toDecimalString(money) as unknown as number);
}

function moneyFormat(money: Money, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${money.currency}`;
  let format = formats.get(key);
  if (!format) {
    const options = { style: 'currency', currency: money.currency, minimumFractionDigits: money.exponent, maximumFractionDigits: money.exponent } as const;
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      // A malformed locale tag (from a page's lang attribute) must not break the cart: the browser's default.
      format = new Intl.NumberFormat(undefined, options);
    }
    formats.set(key, format);
  }
  return format;
}
