/**
 * The widgets in the shopper's language, in Chromium against the loopback backend: every built-in
 * language renders every state (loading, products with one out of stock, empty, error, not
 * available, misconfigured) with no English left and never showed English first; `messages`
 * overrides; a missing key falls back to English; Arabic mirrors the layout; nothing overflows at
 * 375 px; a product name starts on the card's side, whatever its script, and a clamped one keeps its
 * "…". Screenshots of German and Arabic at 375 px, and of the names on Arabic and English cards and
 * drawers, go to test-artifacts/i18n-*.png.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { createStorefront, type Storefront, type StorefrontOptions } from '../../src/index.js';
import { EN } from '../../src/i18n/en.js';
import de from '../../src/i18n/de.js';
import fr from '../../src/i18n/fr.js';
import es from '../../src/i18n/es.js';
import ja from '../../src/i18n/ja.js';
import ar from '../../src/i18n/ar.js';
import type { MessageTable } from '../../src/i18n/messages.js';
import { defineElements } from '../../src/ui/define-elements.js';
import { formatPrice } from '../../src/ui/format.js';
import { ERROR_EVENT, RENDERED_EVENT } from '../../src/ui/widget-base.js';
import { backend, backendStore, backendUrls } from '../helpers/browser-backend.js';

const TABLES: [string, MessageTable][] = [
  ['de-DE', de],
  ['fr-FR', fr],
  ['es-ES', es],
  ['ja-JP', ja],
  ['ar-EG', ar],
];
const ENGLISH = Object.values(EN);

let stores: Storefront[] = [];
let host: HTMLElement;

/** A storefront on the loopback backend whose product answers pass through `edit` (the second product out of stock by default). */
function open(options: Partial<StorefrontOptions> & { answer?: (url: string) => Response | undefined } = {}) {
  const { answer, ...rest } = options;
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    const given = answer?.(url);
    if (given) return given;
    const response = await fetch(input, init);
    const body = (await response.json()) as { items: { inStock: boolean }[] };
    if (body.items[1]) body.items[1].inStock = false;
    return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
  const store = backendStore('i18n', { retry: { attempts: 1 }, fetch: fetchImpl, ...rest });
  stores.push(store);
  defineElements(store);
  return store;
}

function widget(store: Storefront, tag: 'vitrine-grid' | 'vitrine-product', attributes: Record<string, string>, into: HTMLElement = host): HTMLElement & { store?: Storefront } {
  const element = document.createElement(tag) as HTMLElement & { store?: Storefront };
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.store = store;
  into.append(element);
  return element;
}

const settled = (element: HTMLElement) =>
  new Promise<string>((resolve) => {
    element.addEventListener(RENDERED_EVENT, () => resolve('rendered'), { once: true });
    element.addEventListener(ERROR_EVENT, () => resolve('error'), { once: true });
  });

/** Everything a shopper (or a screen reader) gets from a widget: its text and every accessible name. */
function shown(element: Element): string {
  const root = element.shadowRoot!;
  return [root.textContent ?? '', ...[...root.querySelectorAll('[aria-label]')].map((node) => node.getAttribute('aria-label'))].join('\n');
}

/** Records every text node and accessible name that ever entered the widget's shadow root. */
function recordEverything(element: Element): string[] {
  const seen: string[] = [];
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node instanceof Element || node instanceof Text)
          seen.push(node.textContent ?? '', ...(node instanceof Element ? [...node.querySelectorAll('[aria-label]'), node].map((n) => n.getAttribute('aria-label') ?? '') : []));
  }).observe(root, { childList: true, subtree: true });
  return seen;
}

const englishIn = (text: string) => ENGLISH.filter((english) => text.includes(english));

beforeEach(async () => {
  await backend.reset();
  host = document.createElement('div');
  host.style.width = '700px';
  document.body.append(host);
});
afterEach(async () => {
  for (const store of stores) store.destroy();
  stores = [];
  host.remove();
  await page.viewport(1100, 800);
});

describe('every built-in language, every widget state (Chromium)', () => {
  for (const [locale, table] of TABLES) {
    it(`${locale}: loading, products, out of stock, empty, error, not available, misconfigured; no English, none first`, async () => {
      const empty = (url: string) => (url.includes('category=none') ? new Response('{"items":[],"total":0}', { headers: { 'content-type': 'application/json' } }) : undefined);
      const store = open({ locale, answer: empty });
      const failing = open({ locale, answer: () => new Response('down', { status: 500 }) });
      const hanging = open({ locale, answer: () => undefined, fetch: () => new Promise<Response>(() => undefined) });

      // Loading: the skeleton says nothing in any language (and names nothing).
      const loading = widget(hanging, 'vitrine-grid', { limit: '2' });
      await vi.waitFor(() => expect(loading.getAttribute('lang')).toBe(locale));
      expect(loading.shadowRoot!.querySelectorAll('.skeleton')).toHaveLength(2);
      expect(shown(loading).trim()).toBe('');

      const elements = {
        grid: widget(store, 'vitrine-grid', { limit: '3' }),
        empty: widget(store, 'vitrine-grid', { limit: '3', category: 'none' }),
        error: widget(failing, 'vitrine-grid', { limit: '3' }),
        missing: widget(store, 'vitrine-product', { 'product-id': '99999' }),
      };
      const histories = Object.fromEntries(Object.entries(elements).map(([name, element]) => [name, recordEverything(element)]));
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const misconfigured = widget(store, 'vitrine-grid', { limit: 'many' });
      const results = await Promise.all([...Object.values(elements), misconfigured].map(settled));
      // The empty state is a rendered answer; the other three are error states.
      expect(results).toEqual(['rendered', 'rendered', 'error', 'error', 'error']);
      consoleError.mockRestore();

      const grid = elements.grid.shadowRoot!;
      const stock = [...grid.querySelectorAll('.stock')].map((n) => n.textContent);
      const products = await store.products.list({ limit: 3, offset: 0 });
      expect(stock).toEqual(products.items.map((p) => table[p.inStock ? 'inStock' : 'outOfStock']));
      expect(stock).toContain(table['inStock']);
      expect(stock).toContain(table['outOfStock']);
      expect(grid.querySelector('.list')!.getAttribute('aria-label')).toBe(table['products']);
      expect(grid.querySelector('.price')!.textContent).toBe(formatPrice(products.items[0]!.price, locale));
      expect(elements.empty.shadowRoot!.querySelector('.status')!.textContent).toBe(table['noProducts']);
      expect(elements.error.shadowRoot!.querySelector('.status')!.firstChild!.textContent).toBe(table['loadFailed']);
      expect(elements.error.shadowRoot!.querySelector('.retry')!.textContent).toBe(table['retry']);
      expect(elements.missing.shadowRoot!.querySelector('.status')!.textContent).toBe(table['notAvailable']);
      expect(misconfigured.shadowRoot!.querySelector('.status')!.textContent).toBe(table['misconfigured']);

      for (const [name, element] of [...Object.entries(elements), ['misconfigured', misconfigured] as const]) {
        expect(englishIn(shown(element)), `${locale} ${name}: English on screen`).toEqual([]);
        expect(element.getAttribute('dir')).toBe(locale.startsWith('ar') ? 'rtl' : 'ltr');
      }
      // No flash: nothing English ever entered the widgets, not even before the table arrived.
      for (const [name, history] of Object.entries(histories)) expect(englishIn(history.join('\n')), `${locale} ${name}: English shown first`).toEqual([]);
    });
  }

  it('English reads as before (that no language file loads is test/e2e/i18n.test.ts)', async () => {
    const store = open({ locale: 'en-US' });
    const grid = widget(store, 'vitrine-grid', { limit: '2' });
    await settled(grid);
    expect([...grid.shadowRoot!.querySelectorAll('.stock')].map((n) => n.textContent)).toEqual(['In stock', 'Out of stock']);
    expect(grid.getAttribute('dir')).toBe('ltr');
  });
});

describe('overrides and fallback', () => {
  it('messages override any string, in a built-in language too', async () => {
    const store = open({ locale: 'de', messages: { inStock: 'Sofort lieferbar', retry: 'Nochmal laden', loadFailed: 'Gerade nicht erreichbar.' } });
    const failing = open({ locale: 'de', messages: { retry: 'Nochmal laden', loadFailed: 'Gerade nicht erreichbar.' }, answer: () => new Response('', { status: 503 }) });
    const grid = widget(store, 'vitrine-grid', { limit: '2' });
    const error = widget(failing, 'vitrine-grid', { limit: '2' });
    await Promise.all([settled(grid), settled(error)]);
    expect([...grid.shadowRoot!.querySelectorAll('.stock')].map((n) => n.textContent)).toEqual(['Sofort lieferbar', de['outOfStock']]);
    expect(error.shadowRoot!.querySelector('.status')!.firstChild!.textContent).toBe('Gerade nicht erreichbar.');
    expect(error.shadowRoot!.querySelector('.retry')!.textContent).toBe('Nochmal laden');
  });

  it('a key missing from the table falls back to English, key by key (a merchant table for a language with none built in)', async () => {
    const portuguese = { inStock: 'Em estoque', outOfStock: 'Esgotado' };
    const store = open({ locale: 'pt-BR', messages: portuguese });
    const failing = open({ locale: 'pt-BR', messages: portuguese, answer: () => new Response('', { status: 500 }) });
    const grid = widget(store, 'vitrine-grid', { limit: '2' });
    const error = widget(failing, 'vitrine-grid', { limit: '2' });
    await Promise.all([settled(grid), settled(error)]);
    expect([...grid.shadowRoot!.querySelectorAll('.stock')].map((n) => n.textContent)).toEqual(['Em estoque', 'Esgotado']);
    expect(grid.shadowRoot!.querySelector('.list')!.getAttribute('aria-label')).toBe('Products');
    expect(error.shadowRoot!.querySelector('.retry')!.textContent).toBe('Try again');
    // Prices still follow the locale.
    const [first] = (await store.products.list({ limit: 2, offset: 0 })).items;
    expect(grid.shadowRoot!.querySelector('.price')!.textContent).toBe(formatPrice(first!.price, 'pt-BR'));
    expect(grid.getAttribute('lang')).toBe('pt-BR');
  });

  it('without a locale option the widgets follow <html lang>', async () => {
    const before = document.documentElement.lang;
    document.documentElement.lang = 'es-MX';
    try {
      const grid = widget(open(), 'vitrine-grid', { limit: '2' });
      await settled(grid);
      expect(grid.shadowRoot!.querySelector('.stock')!.textContent).toBe(es['inStock']);
      expect(grid.getAttribute('lang')).toBe('es-MX');
    } finally {
      document.documentElement.lang = before;
    }
  });
});

describe('right to left', () => {
  it('Arabic sets dir=rtl and mirrors the layout: the first card at the right edge, the retry button spaced on its right', async () => {
    const edges = async (locale: string) => {
      const box = document.createElement('div');
      box.style.width = '700px';
      host.append(box);
      const grid = widget(open({ locale }), 'vitrine-grid', { limit: '3' }, box);
      const error = widget(open({ locale, answer: () => new Response('', { status: 500 }) }), 'vitrine-grid', { limit: '1' }, box);
      await Promise.all([settled(grid), settled(error)]);
      const list = grid.shadowRoot!.querySelector('.list')!.getBoundingClientRect();
      const cards = [...grid.shadowRoot!.querySelectorAll('.card')].map((c) => c.getBoundingClientRect());
      const name = grid.shadowRoot!.querySelector('.name')!.getBoundingClientRect();
      const retry = getComputedStyle(error.shadowRoot!.querySelector('.retry')!);
      return { grid, list, cards, name, retry };
    };
    const ltr = await edges('de');
    const rtl = await edges('ar');
    expect(rtl.grid.getAttribute('dir')).toBe('rtl');
    expect(getComputedStyle(rtl.grid.shadowRoot!.querySelector('.card')!).direction).toBe('rtl');
    expect(ltr.cards.length).toBe(3);
    expect(ltr.cards[0]!.top).toBe(ltr.cards[1]!.top); // one row: the order is across
    expect(Math.abs(ltr.cards[0]!.left - ltr.list.left)).toBeLessThan(1);
    expect(Math.abs(rtl.cards[0]!.right - rtl.list.right)).toBeLessThan(1);
    expect(rtl.cards[1]!.right).toBeLessThan(rtl.cards[0]!.left + 1);
    expect(ltr.cards[1]!.left).toBeGreaterThan(ltr.cards[0]!.right - 1);
    // margin-inline-start: on the left in German, on the right in Arabic.
    expect([ltr.retry.marginLeft, ltr.retry.marginRight]).toEqual(['8px', '0px']);
    expect([rtl.retry.marginLeft, rtl.retry.marginRight]).toEqual(['0px', '8px']);
  });
});

describe('the debug overlay right to left', () => {
  it('in Arabic, each line of facts keeps its own left-to-right order (a request line), under a right-to-left heading', async () => {
    const { showDebugOverlay } = await import('../../src/ui/debug-overlay.js');
    const { createMessages } = await import('../../src/i18n/messages.js');
    const { api, cdn, origin } = backendUrls();
    const store = createStorefront({ storeId: '1003', api, cdn, origin, cache: { persist: false }, locale: 'ar-EG' });
    const past = [
      { type: 'request', at: 0, data: { url: `${backendUrls().api}/stores/1003/products?limit=6&offset=0`, status: 200, attempt: 1, source: 'network', ms: 95 } },
    ] as const;
    const remove = showDebugOverlay(store, past as never, createMessages('ar-EG', [ar]));
    try {
      const root = document.querySelector('vitrine-debug')!.shadowRoot!;
      expect(document.querySelector('vitrine-debug')!.getAttribute('dir')).toBe('rtl');
      const request = [...root.querySelectorAll('li')].find((li) => li.textContent?.includes('limit=6'))!;
      expect(request.textContent).toBe('200 ?limit=6&offset=0 95 ms');
      expect(getComputedStyle(request).direction).toBe('ltr');
      expect(getComputedStyle(root.querySelector('h3')!).direction).toBe('rtl');
    } finally {
      remove();
      store.destroy();
    }
  });
});

describe('phones: 375 px', () => {
  const overflowing = (element: Element) =>
    [element, ...element.shadowRoot!.querySelectorAll('.card, .link, .price, .stock, .status, button, .list')]
      .filter((node) => node.scrollWidth > node.clientWidth + 0.5)
      .map((node) => `${node.className || node.localName}: ${node.scrollWidth} > ${node.clientWidth}`);

  for (const [locale] of [['en-US'], ...TABLES]) {
    it(`${locale}: no card, button or message overflows${/^(de|ar)/.test(locale!) ? ' (screenshot)' : ''}`, async () => {
      await page.viewport(375, 812);
      host.style.width = '';
      document.body.style.margin = '0';
      const grid = widget(open({ locale }), 'vitrine-grid', { limit: '4' });
      const product = widget(open({ locale }), 'vitrine-product', { 'product-id': '99999' });
      const error = widget(open({ locale, answer: () => new Response('', { status: 500 }) }), 'vitrine-grid', { limit: '1' });
      await Promise.all([settled(grid), settled(product), settled(error)]);
      for (const element of [grid, product, error]) {
        expect(element.getBoundingClientRect().width).toBeLessThanOrEqual(375);
        expect(overflowing(element), `${locale} <${element.localName}>`).toEqual([]);
      }
      expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(375);
      if (/^(de|ar)/.test(locale!)) {
        await Promise.all([...grid.shadowRoot!.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)));
        await page.screenshot({ path: `../../test-artifacts/i18n-${locale!.slice(0, 2)}-375.png`, element: host });
      }
      document.body.style.margin = '';
    });
  }
});

describe('names from the catalogue line up with the card, whatever their script', () => {
  // Wide enough for the 700 px grid: a screenshot shows only what is in the viewport.
  beforeEach(() => page.viewport(1100, 800));
  const SHORT_EN = 'Linen shirt';
  const SHORT_AR = 'قميص كتان';
  const LONG_EN = 'Extraordinarily long hand-finished walnut pour-over kettle with a copper spout and its matching stand';
  const LONG_AR = 'غلاية صب يدوية من خشب الجوز طويلة للغاية مع صنبور نحاسي وحامل مطابق لها ومزيد من الكلمات';
  // One word wider than a card: its name box must still end at the card's edge.
  const WORD = 'Supercalifragilisticexpialidociousextralongname';
  const ITEMS = [SHORT_EN, SHORT_AR, LONG_EN, LONG_AR, WORD].map((name, i) => ({
    id: `n${i + 1}`,
    name,
    price: { amount: 24.5, currency: 'USD' },
    url: `https://shop.vitrine.test/products/n${i + 1}`,
    inStock: true,
  }));
  /** The catalogue: these five products for a list, the ones asked for by id. */
  const catalogue = (url: string) => {
    const ids = new URL(url).searchParams.get('ids')?.split(',');
    const items = ids ? ITEMS.filter((p) => ids.includes(p.id)) : ITEMS;
    return new Response(JSON.stringify({ items, total: items.length }), { headers: { 'content-type': 'application/json' } });
  };

  /** Where a name's text is drawn in `area` (the card's link, the drawer line's column): its distance to each edge. */
  function gaps(name: Element, area: Element) {
    const range = document.createRange();
    range.selectNodeContents(name);
    const text = range.getBoundingClientRect();
    const box = area.getBoundingClientRect();
    return { left: Math.round(text.left - box.left), right: Math.round(box.right - text.right) };
  }

  /**
   * Where the clamp's "…" is drawn in a name: 'left', 'right', or 'none' when it is not drawn (clipped).
   * With the name's own glyphs made transparent (an inline span: the lines break as before), what is
   * still drawn in its colour is the ellipsis, which Chromium paints in the block's colour.
   */
  async function ellipsis(name: HTMLElement, shot: HTMLElement): Promise<string> {
    const glyphs = document.createElement('span');
    glyphs.style.color = 'transparent';
    glyphs.append(...name.childNodes);
    name.append(glyphs);
    try {
      const base64 = await page.screenshot({ element: shot, save: false });
      const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
      const from = shot.getBoundingClientRect();
      const box = name.getBoundingClientRect();
      const scale = image.width / from.width;
      const [x, y, w, h] = [box.left - from.left, box.top - from.top, box.width, box.height].map((v) => Math.round(v * scale)) as [number, number, number, number];
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(x, y, w, h).data;
      const inked: number[] = [];
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 384) inked.push((i / 4) % w);
      if (inked.length < 3) return 'none';
      return Math.min(...inked) + Math.max(...inked) > w ? 'right' : 'left';
    } finally {
      name.replaceChildren(...glyphs.childNodes);
    }
  }

  for (const locale of ['ar', 'en']) {
    const start = locale === 'ar' ? 'right' : 'left';
    const end = locale === 'ar' ? 'left' : 'right';
    it(`${locale}: a one-line name of either script starts at the card's ${start}; a clamped one keeps its "…" at its own end (screenshot)`, async () => {
      const grid = widget(open({ locale, answer: catalogue }), 'vitrine-grid', { limit: '5' });
      await settled(grid);
      const cards = [...grid.shadowRoot!.querySelectorAll('.card')];
      const names = cards.map((card) => card.querySelector<HTMLElement>('.name')!);
      expect(names.map((n) => n.textContent)).toEqual(ITEMS.map((p) => p.name));
      // Each name still reads in its own direction.
      expect(names.map((n) => getComputedStyle(n).direction)).toEqual(['ltr', 'rtl', 'ltr', 'rtl', 'ltr']);
      for (const i of [0, 1]) {
        const gap = gaps(names[i]!, cards[i]!.querySelector('.link')!);
        expect(gap[start], `${ITEMS[i]!.name}: ${JSON.stringify(gap)}`).toBe(0);
        expect(gap[end], `${ITEMS[i]!.name}: ${JSON.stringify(gap)}`).toBeGreaterThan(40);
      }
      for (const i of [2, 3]) {
        const name = names[i]!;
        expect(name.scrollHeight, ITEMS[i]!.name).toBeGreaterThan(name.clientHeight);
        // An English name ends at its right, an Arabic one at its left: the "…" is there, not clipped away.
        expect(await ellipsis(name, grid), ITEMS[i]!.name).toBe(i === 2 ? 'right' : 'left');
      }
      // As wide as its text, but never wider than the card: the long word is cut at the card's edge.
      const link = cards[4]!.querySelector('.link')!;
      expect(names[4]!.getBoundingClientRect().width).toBeCloseTo(link.getBoundingClientRect().width, 0);
      expect(link.scrollWidth).toBeLessThanOrEqual(link.clientWidth);
      await page.screenshot({ path: `../../test-artifacts/i18n-names-${locale}.png`, element: grid });
    });

    it(`${locale}: in the cart drawer, a line's name of either script starts at its column's ${start} (screenshot)`, async () => {
      const store = open({ locale, answer: catalogue, checkout: 'https://shop.vitrine.test/cart/{lines}' });
      await store.cart.add('n1', 1);
      await store.cart.add('n2', 1);
      const cart = document.createElement('vitrine-cart');
      host.append(cart);
      await vi.waitFor(() => expect(cart.shadowRoot!.querySelector('.badge')).not.toBeNull(), { timeout: 5000 });
      cart.shadowRoot!.querySelector<HTMLElement>('.badge')!.click();
      await vi.waitFor(() => expect(cart.shadowRoot!.querySelectorAll('dialog .line')).toHaveLength(2), { timeout: 5000 });
      const lines = [...cart.shadowRoot!.querySelectorAll('dialog .line')];
      expect(lines.map((line) => line.querySelector('.name')!.textContent)).toEqual([SHORT_EN, SHORT_AR]);
      for (const line of lines) {
        // The name's column (the second and third), as wide as the quantity row below it.
        const gap = gaps(line.querySelector('.name')!, line.querySelector('.qty')!);
        expect(gap[start], `${line.querySelector('.name')!.textContent}: ${JSON.stringify(gap)}`).toBe(0);
        expect(gap[end], `${line.querySelector('.name')!.textContent}: ${JSON.stringify(gap)}`).toBeGreaterThan(40);
      }
      await page.screenshot({ path: `../../test-artifacts/i18n-drawer-names-${locale}.png`, element: cart.shadowRoot!.querySelector('dialog')! });
      cart.shadowRoot!.querySelector('dialog')!.close();
      await store.cart.clear();
    });
  }

  it('he: a language with no table lays the card out right to left, and its English stock label starts at the right too', async () => {
    // Hebrew has no built-in table: its messages are English (dir=auto: left to right) on a
    // right-to-left card, as the name of an English product is.
    const grid = widget(open({ locale: 'he', answer: catalogue }), 'vitrine-grid', { limit: '5' });
    await settled(grid);
    const card = grid.shadowRoot!.querySelector('.card')!;
    expect(getComputedStyle(card).direction).toBe('rtl');
    const label = card.querySelector<HTMLElement>('.stock')!;
    expect(label.textContent).toBe('In stock');
    expect(getComputedStyle(label).direction).toBe('ltr');
    const gap = gaps(label, card.querySelector('.link')!);
    expect(gap.right, JSON.stringify(gap)).toBe(0);
    expect(gap.left, JSON.stringify(gap)).toBeGreaterThan(40);
  });
});
