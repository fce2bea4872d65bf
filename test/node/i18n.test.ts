/**
 * The message table (src/i18n): which locale is chosen, the fallback per key, the `messages`
 * overrides and their errors, plural forms per language, and that every built-in table has exactly
 * the English keys (plural keys: exactly the language's CLDR categories).
 */
import { describe, expect, it, vi } from 'vitest';
import { createStorefront, isVitrineError, type StorefrontOptions } from '../../src/index.js';
import {
  chooseLocale,
  createMessages,
  createMessagesLoader,
  EN,
  EN_BUY,
  EN_CART,
  EN_DEBUG,
  extend,
  format,
  isMessageKey,
  isRtl,
  languageOf,
  type LANGUAGES,
  unknownKeys,
  type MessageTable,
} from '../../src/i18n/index.js';
import de from '../../src/i18n/de.js';
import fr from '../../src/i18n/fr.js';
import es from '../../src/i18n/es.js';
import ja from '../../src/i18n/ja.js';
import ar from '../../src/i18n/ar.js';

const TABLES: Record<(typeof LANGUAGES)[number], MessageTable> = { de, fr, es, ja, ar };
const ENGLISH: MessageTable = { ...EN, ...EN_BUY, ...EN_CART, ...EN_DEBUG };
const PLURAL = /\.(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const plainKeys = (table: MessageTable) =>
  Object.keys(table)
    .filter((key) => !PLURAL.test(key))
    .sort();
const pluralKeys = (table: MessageTable) =>
  [
    ...new Set(
      Object.keys(table)
        .filter((key) => PLURAL.test(key))
        .map(base),
    ),
  ].sort();
const valid: StorefrontOptions = {
  storeId: '1003',
  api: 'https://api.example.com',
  cdn: 'https://cdn.example.com',
  origin: 'https://origin.example.com',
  cache: { persist: false },
};
const page = (lang: string) => ({ documentElement: { lang } });

function errorOf(options: unknown) {
  try {
    createStorefront(options as StorefrontOptions);
  } catch (error) {
    return error;
  }
  throw new Error('createStorefront accepted invalid options');
}

describe('choosing the locale', () => {
  it('takes the option, else <html lang>, else navigator.language, else English', () => {
    expect(chooseLocale('de-AT', page('fr'))).toBe('de-AT');
    expect(chooseLocale(undefined, page('fr-CA'))).toBe('fr-CA');
    expect(chooseLocale(undefined, page('ES-mx'))).toBe('es-MX');
    vi.stubGlobal('navigator', { language: 'ja-JP' });
    try {
      expect(chooseLocale(undefined, page(''))).toBe('ja-JP');
      // A malformed <html lang> is skipped, not passed on to Intl (which would throw).
      expect(chooseLocale(undefined, page('en_US'))).toBe('ja-JP');
      expect(chooseLocale(undefined, undefined)).toBe('ja-JP');
    } finally {
      vi.unstubAllGlobals();
    }
    vi.stubGlobal('navigator', undefined);
    try {
      expect(chooseLocale(undefined, page(''))).toBe('en');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('matches the built-in tables by primary language subtag, else English; RTL for Arabic and Hebrew', () => {
    expect(languageOf('de-AT')).toBe('de');
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('fr-CA')).toBe('fr');
    expect(languageOf('ar-EG')).toBe('ar');
    expect(languageOf('ja')).toBe('ja');
    expect(languageOf('it-IT')).toBe('en');
    expect(languageOf('he')).toBe('en');
    expect(languageOf('en-GB')).toBe('en');
    for (const rtl of ['ar', 'ar-EG', 'he', 'he-IL', 'fa', 'ur-PK']) expect(isRtl(rtl), rtl).toBe(true);
    for (const ltr of ['en', 'de-AT', 'ja', 'arn', 'hr', 'fr']) expect(isRtl(ltr), ltr).toBe(false);
    expect(createMessages('ar', []).dir).toBe('rtl');
    expect(createMessages('de', []).dir).toBe('ltr');
  });

  it('a locale option is canonicalised, and a malformed one is INVALID_OPTIONS naming locale', () => {
    expect(createStorefront({ ...valid, locale: 'DE-at' }).options.locale).toBe('de-AT');
    expect(createStorefront(valid).options.locale).toBeUndefined();
    for (const bad of ['en_US', 'not a locale', '', 'x', 42, ['de']]) {
      const error = errorOf({ ...valid, locale: bad });
      expect(isVitrineError(error, 'INVALID_OPTIONS'), String(bad)).toBe(true);
      expect((error as { field: string }).field).toBe('locale');
    }
    expect((errorOf({ ...valid, locale: 'en_US' }) as Error).message).toMatch(/locale: expected a BCP 47 tag like "de-AT", got "en_US"/);
  });
});

describe('messages overrides', () => {
  it('are checked: an unknown key or a non-string text is INVALID_OPTIONS naming messages.<key>', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ retryy: 'Nochmal' }, 'messages.retryy', /messages\.retryy: expected a message key/],
      [{ retry: 42 }, 'messages.retry', /messages\.retry: expected string, got 42/],
      [{ inStock: null }, 'messages.inStock', /expected string, got null/],
      [{ toString: 'x' }, 'messages.toString', /expected a message key/],
      [{ 'shop.add': 'x' }, 'messages.shop.add', /expected a message key/],
      ['{"retry":"x"}', 'messages', /messages: expected an object of key → text/],
      [['retry'], 'messages', /expected an object/],
    ];
    for (const [messages, field, text] of cases) {
      const error = errorOf({ ...valid, messages });
      expect(isVitrineError(error, 'INVALID_OPTIONS'), JSON.stringify(messages)).toBe(true);
      expect((error as { field: string }).field).toBe(field);
      expect((error as Error).message).toMatch(text);
    }
    expect(createStorefront({ ...valid, messages: { retry: 'Nochmal', 'cart.badge.few': 'x', 'debug.title': 'y' } }).options.messages).toEqual({
      retry: 'Nochmal',
      'cart.badge.few': 'x',
      'debug.title': 'y',
    });
  });

  it('the cart and overlay keys are checked against their own tables when those load (unknownKeys)', () => {
    const overrides = { 'cart.add': 'x', 'cart.badge': 'x', 'cart.badge.few': 'x', 'cart.ad': 'x', 'cart.add.one': 'x', 'debug.titel': 'x', retry: 'x' };
    expect(unknownKeys(overrides, { ...EN_BUY, ...EN_CART }).map((e) => [e.code, e.field])).toEqual([
      ['INVALID_OPTIONS', 'messages.cart.ad'],
      ['INVALID_OPTIONS', 'messages.cart.add.one'],
    ]);
    expect(unknownKeys(overrides, EN_DEBUG).map((e) => e.field)).toEqual(['messages.debug.titel']);
    expect(unknownKeys(undefined, EN_DEBUG)).toEqual([]);
  });

  it('every English key is a message key, and the core knows nothing outside its namespaces', () => {
    for (const key of Object.keys(ENGLISH)) expect(isMessageKey(key), key).toBe(true);
    for (const key of Object.keys(ENGLISH).filter((key) => PLURAL.test(key))) expect(isMessageKey(base(key)), key).toBe(true);
    for (const key of ['', 'cart', 'cart.', 'retry.one', 'Retry', '__proto__', 'constructor']) expect(isMessageKey(key), key).toBe(false);
  });

  it('win over the language table; a key missing there falls back to English, key by key', async () => {
    const load = vi.fn(async () => ({ inStock: 'Auf Lager' }) as MessageTable);
    const messages = createMessagesLoader({ locale: 'de-AT', messages: { retry: 'Nochmal laden' } }, load, () => undefined);
    const m = await messages();
    expect(load).toHaveBeenCalledWith('de');
    expect(m.locale).toBe('de-AT');
    expect(m.t('retry')).toBe('Nochmal laden');
    expect(m.t('inStock')).toBe('Auf Lager');
    expect(m.t('outOfStock')).toBe('Out of stock');
    expect(m.t('no.such.key')).toBe('no.such.key');
    // Once per locale and page view: every widget shares one load.
    expect(await messages()).toBe(m);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('loading a language', () => {
  it('English needs no file', async () => {
    const load = vi.fn();
    const m = await createMessagesLoader({ locale: 'en-GB' }, load, () => undefined)();
    expect(load).not.toHaveBeenCalled();
    expect(m.t('retry')).toBe('Try again');
  });

  it('a failed language file gives English and one coded error', async () => {
    const report = vi.fn();
    const messages = createMessagesLoader({ locale: 'ja' }, () => Promise.reject(new Error('both hosts failed')), report);
    const m = await messages();
    await messages();
    expect(m.t('retry')).toBe('Try again');
    expect(m.locale).toBe('ja');
    expect(report).toHaveBeenCalledTimes(1);
    expect(report.mock.calls[0]).toEqual(['ASSET_FAILED', expect.stringMatching(/"ja" messages did not load \(both hosts failed\), English shown/)]);
  });

  it('the wait is bounded: a file that does not come gives English after waitMs, and stays English', async () => {
    vi.useFakeTimers();
    try {
      const report = vi.fn();
      let arrive: (table: MessageTable) => void = () => undefined;
      const messages = createMessagesLoader({ locale: 'ar' }, () => new Promise((resolve) => (arrive = resolve)), report, 3000);
      const pending = messages();
      await vi.advanceTimersByTimeAsync(3000);
      const m = await pending;
      expect(m.t('retry')).toBe('Try again');
      expect(report.mock.calls[0]![1]).toMatch(/not in 3000 ms/);
      arrive(ar);
      expect((await messages()).t('retry')).toBe('Try again');
    } finally {
      vi.useRealTimers();
    }
  });

  it('the storefront reports a failed language on the bus and never rejects', async () => {
    // In Node the ESM loader imports the chunk: the real table arrives.
    const store = createStorefront({ ...valid, locale: 'fr-CA', messages: { noProducts: 'Rien ici' } });
    const m = await store.messages();
    expect(m.t('retry')).toBe('Réessayer');
    expect(m.t('noProducts')).toBe('Rien ici');
    expect(m.dir).toBe('ltr');
    store.destroy();
  });
});

describe('plural forms (Intl.PluralRules) and placeholders', () => {
  const messagesIn = (lang: keyof typeof TABLES | 'en', locale: string = lang) => extend(createMessages(locale, lang === 'en' ? [] : [TABLES[lang]]), ENGLISH);

  it('English: 0 items, 1 item, 3 items', () => {
    const m = messagesIn('en');
    expect([0, 1, 3].map((count) => format(m, 'cart.badge', { count }))).toEqual(['Cart, 0 items', 'Cart, 1 item', 'Cart, 3 items']);
    expect(format(m, 'cart.added', { quantity: 2, name: 'Mug', count: 3 })).toBe('Added 2 × Mug. Cart: 3 items.');
    expect(format(m, 'cart.removed', { name: 'Mug', count: 1 })).toBe('Removed Mug. Cart: 1 item.');
    expect(format(m, 'cart.priceChanged', { was: '$5.00' })).toBe('Price changed: was $5.00');
    expect(format(m, 'cart.badge', { count: 1234 })).toBe('Cart, 1,234 items');
  });

  it('Arabic: zero, one, two, few (3–10), many (11–99), other (100+)', () => {
    const m = messagesIn('ar');
    const forms = [0, 1, 2, 3, 10, 11, 99, 100, 102].map((count) => format(m, 'cart.badge', { count }));
    expect(forms).toEqual(
      [
        'السلة، لا توجد منتجات',
        'السلة، منتج واحد',
        'السلة، منتجان',
        'السلة، 3 منتجات',
        'السلة، 10 منتجات',
        'السلة، 11 منتجًا',
        'السلة، 99 منتجًا',
        'السلة، 100 منتج',
        'السلة، 102 منتج',
      ].map((text) => text.replace(/\d+/, (n) => Number(n).toLocaleString('ar'))),
    );
    expect(format(m, 'cart.added', { quantity: 1, name: 'كوب', count: 2 })).toMatch(/منتجان\.$/);
  });

  it('French: 0 and 1 are singular, a million takes "d’articles"; German, Spanish and Japanese', () => {
    const fr = messagesIn('fr');
    expect([0, 1, 2, 1_000_000].map((count) => format(fr, 'cart.badge', { count }))).toEqual([
      'Panier, 0 article',
      'Panier, 1 article',
      'Panier, 2 articles',
      `Panier, ${(1_000_000).toLocaleString('fr')} d’articles`,
    ]);
    expect([1, 5].map((count) => format(messagesIn('de', 'de-AT'), 'cart.badge', { count }))).toEqual(['Warenkorb, 1 Artikel', 'Warenkorb, 5 Artikel']);
    expect([0, 1, 5].map((count) => format(messagesIn('es'), 'cart.badge', { count }))).toEqual(['Carrito, 0 artículos', 'Carrito, 1 artículo', 'Carrito, 5 artículos']);
    expect([1, 5].map((count) => format(messagesIn('ja'), 'cart.badge', { count }))).toEqual(['カート、1点', 'カート、5点']);
  });

  it('a plural override without a category applies to every count; a missing category falls back to other', () => {
    const m = extend(createMessages('ar', [{ 'cart.badge': 'Basket ({count})' }]), ENGLISH);
    expect(format(m, 'cart.badge', { count: 3 })).toBe(`Basket (${(3).toLocaleString('ar')})`);
    // An Arabic locale with only the English table: 'few' is not there, so 'other'.
    expect(format(extend(createMessages('ar', []), ENGLISH), 'cart.badge', { count: 3 })).toBe(`Cart, ${(3).toLocaleString('ar')} items`);
    expect(format(createMessages('en', [{ x: 'a {missing} b' }]), 'x')).toBe('a {missing} b');
  });
});

describe('the built-in tables', () => {
  it('every language has exactly the English keys; plural keys exactly its CLDR categories', () => {
    for (const [lang, table] of Object.entries(TABLES)) {
      expect(plainKeys(table), lang).toEqual(plainKeys(ENGLISH));
      expect(pluralKeys(table), lang).toEqual(pluralKeys(ENGLISH));
      const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const key of pluralKeys(ENGLISH)) {
        const forms = Object.keys(table)
          .filter((k) => base(k) === key && PLURAL.test(k))
          .map((k) => k.split('.').pop())
          .sort();
        expect(forms, `${lang} ${key}`).toEqual(categories);
      }
    }
    expect(new Intl.PluralRules('ar').resolvedOptions().pluralCategories).toHaveLength(6);
  });

  it('every text is translated (no English left but brand and technical tokens) and keeps the English placeholders', () => {
    const same = new Set(['Vitrine']);
    for (const [lang, table] of Object.entries(TABLES)) {
      for (const [key, text] of Object.entries(table)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        const english = ENGLISH[key] ?? ENGLISH[`${base(key)}.other`]!;
        if (!same.has(english)) expect(text, `${lang} ${key}`).not.toBe(english);
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        // A plural form may spell the number out (Arabic "منتج واحد", "منتجان") instead of {count}.
        const wanted = placeholders(english).filter((p) => !(p === 'count' && PLURAL.test(key)));
        expect(
          placeholders(text).filter((p) => p !== 'count' || !PLURAL.test(key)),
          `${lang} ${key}`,
        ).toEqual(wanted);
      }
    }
  });
});
