import { describe, expect, it } from 'vitest';
import { formatPrice, pageLocale } from '../../src/ui/format.js';

describe("formatPrice: prices read as the page's language writes them", () => {
  it('formats by locale and currency, so a German page shows 1.234,50 €', () => {
    expect(formatPrice({ amount: 1234.5, currency: 'EUR' }, 'de-DE')).toBe(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5));
    expect(formatPrice({ amount: 1234.5, currency: 'EUR' }, 'de-DE')).toMatch(/1\.234,50\s€/);
    expect(formatPrice({ amount: 19.99, currency: 'USD' }, 'en-US')).toBe('$19.99');
    expect(formatPrice({ amount: 1500, currency: 'JPY' }, 'ja-JP')).toMatch(/1,500/);
  });

  it('a malformed <html lang> still shows a price instead of breaking the card', () => {
    expect(() => formatPrice({ amount: 5, currency: 'GBP' }, 'not a locale!!')).not.toThrow();
    expect(formatPrice({ amount: 5, currency: 'GBP' }, 'not a locale!!')).toMatch(/5/);
  });

  it('reads the page language from <html lang>, then the browser, then English', () => {
    expect(pageLocale({ documentElement: { lang: 'fr-CA' } } as unknown as Document)).toBe('fr-CA');
    expect(pageLocale({ documentElement: { lang: '' } } as unknown as Document)).toBe(typeof navigator === 'undefined' ? 'en' : navigator.language || 'en');
    expect(pageLocale(undefined)).toBeTruthy();
  });
});
