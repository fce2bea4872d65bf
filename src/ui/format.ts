import { chooseLocale } from '../i18n/locale.js';

/** Price formatting for the shopper's locale, one cached `Intl.NumberFormat` per locale and currency. */
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The merchant page's language (`<html lang>`), else the shopper's, else English; a malformed
 * `<html lang>` is skipped. The widgets format with their storefront's chosen locale (the `locale`
 * option first: `store.messages()`), which falls back to this.
 */
export function pageLocale(doc?: Pick<Document, 'documentElement'>): string {
  return chooseLocale(undefined, doc);
}

// The page's locale by default: chooseLocale() without an option is pageLocale().
export function formatPrice(price: { amount: number; currency: string }, locale: string = chooseLocale()): string {
  return priceFormat(price.currency, locale).format(price.amount);
}

/** The cached `Intl.NumberFormat` for `currency` in `locale`. */
export function priceFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // A malformed `<html lang>` must not hide prices: fall back to the runtime's default locale.
      formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Builds the page locale's first currency formatter ahead of the first render: that one costs
 * 15–30 ms in Chromium (the locale's data loads), every later currency about 0.1 ms. Called in a
 * task of its own while the product request is in flight.
 */
export function warmPriceFormat(locale?: string): void {
  priceFormat('USD', chooseLocale(locale));
}
