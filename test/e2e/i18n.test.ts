/**
 * The script tag in the shopper's language, in real Chromium against the built dist/ on loopback:
 * a page with data-locale="de" (or <html lang="de">) downloads exactly one more file, the German
 * table, from the CDN (the origin when the CDN copy is blank), and shows German; a malformed
 * data-locale or data-messages is one console error and English widgets; a language file that never
 * comes gives English after a bounded wait, reported on the bus; Arabic is right to left, and what is
 * shown reads in its own direction there: prices as Intl wrote them, English fallback text left to
 * right; a name too long for its two lines ends with an ellipsis; an English name starts on an Arabic
 * card's right (screenshot: test-artifacts/i18n-ar-names-375.png).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { openPage, useFixtureSite, waitForCards } from '../helpers/fixture-site.js';
import de from '../../src/i18n/de.js';
import ar from '../../src/i18n/ar.js';
import { EN } from '../../src/i18n/en.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/i18n/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const env = useFixtureSite(FIXTURES);

async function open(path: string, waitUntil?: 'domcontentloaded'): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'en-US' });
  return openPage(context, `${env.server.urls.site}/${path}`, waitUntil);
}

const grid = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('vitrine-grid')!;
    const root = el.shadowRoot!;
    return {
      stock: [...root.querySelectorAll('.stock')].map((n) => n.textContent),
      label: root.querySelector('.list')?.getAttribute('aria-label'),
      text: root.textContent ?? '',
      lang: el.getAttribute('lang'),
      dir: el.getAttribute('dir'),
    };
  });
/** The SDK's files fetched for this page view, as host + path. */
const sdkFiles = () =>
  env.server.backend
    .counts()
    .log.filter((e) => e.path.startsWith('/sdk/'))
    .map((e) => `${e.host} ${e.path}`);
const germanOrEnglish = (stock: (string | null)[], table: Record<string, string>) => stock.every((s) => s === table['inStock'] || s === table['outOfStock']);

describe("the script tag in the shopper's language (Chromium)", () => {
  it('data-locale="de": one extra request, the German table from the CDN, and German widgets', async () => {
    const { page, errors } = await open('de.html');
    await waitForCards(page, 4);
    const shown = await grid(page);
    expect(germanOrEnglish(shown.stock, de)).toBe(true);
    expect(shown.label).toBe(de['products']);
    expect(Object.values(EN).filter((english) => shown.text.includes(english))).toEqual([]);
    expect(shown.lang).toBe('de');
    expect(shown.dir).toBe('ltr');
    // Prices follow the locale too (the page itself is English).
    expect(await page.evaluate(() => document.querySelector('vitrine-grid')!.shadowRoot!.querySelector('.price')!.textContent)).toMatch(/\d,\d\d\s/);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js', 'cdn /sdk/vitrine-i18n-de.js']);
    expect(env.server.backend.counts().log.filter((e) => e.host === 'api')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('<html lang="de"> without data-locale picks German the same way; <html lang="en"> loads no language file', async () => {
    const german = await open('html-lang.html');
    await waitForCards(german.page, 4);
    expect((await grid(german.page)).label).toBe(de['products']);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js', 'cdn /sdk/vitrine-i18n-de.js']);
    await german.page.context().close();

    env.server.backend.resetCounts();
    const english = await open('en.html');
    await waitForCards(english.page, 4);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js']);
    await english.page.context().close();
  });

  it('a blank German file on the CDN is fetched once more from the origin (after the recovery code, from the origin too), and the widgets are German', async () => {
    env.server.backend.faults.add({ host: 'cdn', fault: 'empty', path: '/sdk/vitrine-i18n-de.js' });
    const { page, errors } = await open('de.html');
    await waitForCards(page, 4);
    expect((await grid(page)).label).toBe(de['products']);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js', 'cdn /sdk/vitrine-i18n-de.js', 'origin /sdk/vitrine-recover.js', 'origin /sdk/vitrine-i18n-de.js']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a German file that never comes: the skeleton waits at most 3 s, then English, and an ASSET_FAILED error event', async () => {
    env.server.backend.faults.add({ host: 'cdn', fault: 'hang', path: '/sdk/vitrine-i18n-de.js' });
    env.server.backend.faults.add({ host: 'origin', fault: 'hang', path: '/sdk/vitrine-i18n-de.js' });
    // A script the page requested before its `load` holds that event until the connection ends, and
    // nothing a script does frees it (README Troubleshooting): so the page is taken as soon as it is parsed.
    const { page, errors } = await open('de.html', 'domcontentloaded');
    await page.evaluate(() => {
      const w = window as unknown as { __errors: unknown[]; Vitrine: { getStorefront(id: string): { on(n: string, l: (e: unknown) => void): void } } };
      w.__errors = [];
      w.Vitrine.getStorefront('1003').on('error', (e) => w.__errors.push(e));
    });
    await page.waitForTimeout(1500);
    // Products are there by now, but not shown in the wrong language: still the skeleton.
    expect(await page.evaluate(() => document.querySelector('vitrine-grid')!.shadowRoot!.querySelectorAll('.skeleton').length)).toBe(4);
    await waitForCards(page, 4);
    const shown = await grid(page);
    expect(shown.label).toBe(EN.products);
    expect(germanOrEnglish(shown.stock, EN)).toBe(true);
    const reported = (await page.evaluate(() => (window as unknown as { __errors: { code: string; message: string; field: string }[] }).__errors)).filter(
      (e) => e.field === 'locale',
    );
    expect(reported.map((e) => e.code)).toEqual(['ASSET_FAILED']);
    expect(reported[0]!.message).toMatch(/"de" messages did not load/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a malformed data-locale: one console error naming it, and English widgets (no language file)', async () => {
    const { page, errors } = await open('bad-locale.html');
    await waitForCards(page, 4);
    const shown = await grid(page);
    expect(shown.label).toBe(EN.products);
    expect(germanOrEnglish(shown.stock, EN)).toBe(true);
    expect(shown.lang).toBe('en');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\[vitrine\] <script data-locale>: Invalid option locale: expected a BCP 47 tag like "de-AT", got "de_DE"/);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js']);
    await page.context().close();
  });

  it('data-messages overrides strings; not JSON, or an unknown key, is one console error and English', async () => {
    const good = await open('messages.html');
    await waitForCards(good.page, 4);
    const shown = await grid(good.page);
    expect(shown.stock.every((s) => s === 'Sofort lieferbar' || s === de['outOfStock'])).toBe(true);
    expect(shown.stock).toContain('Sofort lieferbar');
    expect(good.errors).toEqual([]);
    await good.page.context().close();

    for (const [path, message] of [
      ['bad-messages.html', /^\[vitrine\] <script data-messages>: Invalid option messages: expected an object of key → text \(data-messages: in JSON\), got "\{inStock: Sofort\}"/],
      ['unknown-key.html', /^\[vitrine\] <script data-messages>: Invalid option messages\.inStok: expected a message key, got "inStok"/],
    ] as const) {
      const bad = await open(path);
      await waitForCards(bad.page, 4);
      expect(germanOrEnglish((await grid(bad.page)).stock, EN), path).toBe(true);
      expect(bad.errors, path).toHaveLength(1);
      expect(bad.errors[0], path).toMatch(message);
      await bad.page.context().close();
    }
  });

  it('an Arabic page: Arabic text, dir=rtl, the first card at the right', async () => {
    const { page, errors } = await open('ar.html');
    await waitForCards(page, 4);
    const shown = await grid(page);
    expect(shown.label).toBe(ar['products']);
    expect(shown.dir).toBe('rtl');
    const [list, first] = await page.evaluate(() => {
      const root = document.querySelector('vitrine-grid')!.shadowRoot!;
      return [root.querySelector('.list')!.getBoundingClientRect().right, root.querySelector('.card')!.getBoundingClientRect().right];
    });
    expect(Math.abs(list! - first!)).toBeLessThan(1);
    expect(sdkFiles()).toEqual(['cdn /sdk/vitrine.js', 'cdn /sdk/vitrine-i18n-ar.js']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  describe('right to left, as the shopper sees it (375 px)', () => {
    const LONG = 'Extraordinarily long hand-finished walnut pour-over kettle with a copper spout and its matching stand';
    const PRICES = [
      { amount: 185.62, currency: 'GBP' },
      { amount: 24.5, currency: 'USD' },
      { amount: 3400, currency: 'JPY' },
      { amount: 12.345, currency: 'KWD' },
    ];
    /** A page in `lang` whose four products are inlined (no API request): these prices, the second one's name too long for two lines. */
    async function rtlPage(lang: string, inline = true): Promise<string> {
      const items = PRICES.map((price, i) => ({
        id: String(i + 1),
        name: i === 1 ? LONG : `Oak Desk Lamp ${i + 1}`,
        price,
        url: `https://shop.vitrine.test/products/${i + 1}`,
        inStock: true,
      }));
      const block = JSON.stringify({ items, lists: { 'l::0:4': { ids: items.map((p) => p.id), total: 4 } } });
      const name = `rtl-${lang}${inline ? '' : '-api'}.html`;
      const { api, cdn, origin } = env.server.urls;
      await writeFile(
        join(env.site.root, name),
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Merchant page</title></head><body>
${inline ? `<script type="application/json" data-vitrine-products="1003">${block}</script>` : ''}<div id="store"></div>
<script src="${cdn}/sdk/vitrine.js" data-store-id="1003" data-api="${api}" data-cdn="${cdn}" data-origin="${origin}" data-target="#store" data-limit="4"></script>
</body></html>`,
      );
      const context = await env.browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'en-US' });
      const { page, errors } = await openPage(context, `${env.server.urls.site}/${name}`);
      pages.push(page);
      // A failing API is its own console line; nothing else may be.
      expect(errors.filter((e) => !/status of 500/.test(e))).toEqual([]);
      return name;
    }
    const pages: Page[] = [];
    const last = () => pages.at(-1)!;

    /** Where each character of `selector`'s elements is drawn (its glyph box's centre), in text order. */
    const glyphs = (page: Page, selector: string) =>
      page.evaluate((selector) => {
        const root = document.querySelector('vitrine-grid')!.shadowRoot!;
        return [...root.querySelectorAll(selector)].map((el) => {
          const chars: { c: string; x: number }[] = [];
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
            for (let i = 0; i < node.data.length; i++) {
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const box = range.getClientRects()[0];
              if (box && box.width > 0) chars.push({ c: node.data[i]!, x: box.left + box.width / 2 });
            }
          }
          return { text: el.textContent ?? '', direction: getComputedStyle(el).direction, chars };
        });
      }, selector);

    /**
     * A price reads as Intl wrote it: the currency symbol in one piece (a Latin "UK£" left to right,
     * never "£UK") and on the left of the digits (right to left: the amount first, at the right;
     * Urdu's "£185.62" is written symbol first).
     */
    const readsAsIntl = (price: { text: string; chars: { c: string; x: number }[] }) => {
      const digits = price.chars.filter((g) => /[0-9\u0660-\u0669]/.test(g.c));
      const symbol = price.chars.filter((g) => !/[0-9\u0660-\u0669.,\u066b\u066c\s\u200e\u200f]/.test(g.c));
      const latin = symbol.filter((g) => /[A-Z£$¥]/.test(g.c));
      return {
        text: price.text,
        symbolLeftOfDigits: Math.max(...symbol.map((g) => g.x)) < Math.min(...digits.map((g) => g.x)),
        symbolInOnePiece: latin.every((g, i) => i === 0 || g.x > latin[i - 1]!.x),
      };
    };

    it('Arabic prices read as Intl wrote them ("UK£ 185.62", never "£UK 185.62"), their text unchanged; Hebrew and Urdu ones too', async () => {
      for (const lang of ['ar', 'he', 'ur']) {
        await rtlPage(lang);
        await waitForCards(last(), 4);
        const prices = await glyphs(last(), '.price');
        const intl = await last().evaluate(
          (prices) => prices.map((p) => new Intl.NumberFormat(document.documentElement.lang, { style: 'currency', currency: p.currency }).format(p.amount)),
          PRICES,
        );
        expect(
          prices.map((p) => p.text),
          lang,
        ).toEqual(intl);
        expect(
          prices.map((p) => p.direction),
          lang,
        ).toEqual(['rtl', 'rtl', 'rtl', 'rtl']);
        expect(prices.map(readsAsIntl), lang).toEqual(intl.map((text) => ({ text, symbolLeftOfDigits: true, symbolInOnePiece: true })));
        await last().context().close();
      }
    });

    it('Hebrew (no table of its own, so English) reads the English left to right: "loaded." ends with its full stop; Arabic stays right to left', async () => {
      env.server.backend.faults.add({ host: 'api', fault: 'status', status: 500 });
      env.server.backend.faults.add({ host: 'origin', fault: 'status', status: 500 });
      for (const lang of ['he', 'ar']) {
        await rtlPage(lang, false);
        await last().waitForFunction(() => document.querySelector('vitrine-grid')?.shadowRoot?.querySelector('.status'), undefined, { timeout: 20_000 });
        expect(await last().evaluate(() => document.querySelector('vitrine-grid')!.dir)).toBe('rtl');
        const [status] = await glyphs(last(), '.status');
        const sentence = lang === 'he' ? EN.loadFailed : ar['loadFailed']!;
        expect(status!.text.startsWith(sentence)).toBe(true);
        const stop = status!.chars.findIndex((g) => g.c === '.');
        const letters = status!.chars.slice(0, stop).map((g) => g.x);
        expect(status!.direction, lang).toBe(lang === 'he' ? 'ltr' : 'rtl');
        // The full stop at the sentence's end: the right of its letters in English, the left in Arabic.
        expect(lang === 'he' ? status!.chars[stop]!.x > Math.max(...letters) : status!.chars[stop]!.x < Math.min(...letters), lang).toBe(true);
        await last().context().close();
      }
    });

    it('a name too long for its two lines ends with an ellipsis, its card no taller, its link named in full', async () => {
      await rtlPage('ar');
      const page = last();
      await waitForCards(page, 4);
      const shown = await page.evaluate(() => {
        const root = document.querySelector('vitrine-grid')!.shadowRoot!;
        const names = [...root.querySelectorAll<HTMLElement>('.name')];
        return {
          clamp: names.map((n) => getComputedStyle(n).webkitLineClamp),
          lines: names.map((n) => n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)),
          cards: [...root.querySelectorAll('.card')].map((c) => c.getBoundingClientRect().height),
        };
      });
      expect(shown.clamp).toEqual(['2', '2', '2', '2']);
      expect(shown.lines.map((n) => n.toFixed(2))).toEqual(['2.00', '2.00', '2.00', '2.00']);
      expect(new Set(shown.cards).size).toBe(1);
      // What is drawn: the clamped name differs from the same name left unclamped (its last line's "…").
      const name = page.locator('vitrine-grid .card').nth(1).locator('.name');
      const clamped = await name.screenshot();
      await name.evaluate((n) => n.style.setProperty('-webkit-line-clamp', 'none'));
      expect((await name.screenshot()).equals(clamped)).toBe(false);
      await expect.poll(() => page.getByRole('link', { name: LONG, exact: true }).count()).toBe(1);
      await page.context().close();
    });

    it('on the Arabic page, an English name starts at its card\'s right, and the long one\'s "…" is drawn, not clipped (screenshot)', async () => {
      await rtlPage('ar');
      const page = last();
      await waitForCards(page, 4);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.locator('vitrine-grid').screenshot({ path: join(ARTIFACTS, 'i18n-ar-names-375.png') });
      // Each one-line name's text against its card's link: no gap on the right, the free space on its left.
      const gaps = await page.evaluate(() =>
        [...document.querySelector('vitrine-grid')!.shadowRoot!.querySelectorAll('.card')].map((card) => {
          const range = document.createRange();
          range.selectNodeContents(card.querySelector('.name')!);
          const text = range.getBoundingClientRect();
          const link = card.querySelector('.link')!.getBoundingClientRect();
          return { lines: range.getClientRects().length, left: Math.round(text.left - link.left), right: Math.round(link.right - text.right) };
        }),
      );
      const short = gaps.filter((_, i) => i !== 1);
      expect(short.map((g) => g.lines)).toEqual([1, 1, 1]);
      expect(short.map((g) => g.right)).toEqual([0, 0, 0]);
      for (const g of short) expect(g.left).toBeGreaterThan(0);
      // With the long name's glyphs transparent (an inline span: the same lines), what is still drawn in
      // its colour is the clamp's "…": there, and at the right, where the English line ends.
      const name = page.locator('vitrine-grid .card').nth(1).locator('.name');
      await name.evaluate((n) => {
        const glyphs = document.createElement('span');
        glyphs.style.color = 'transparent';
        glyphs.append(...n.childNodes);
        n.append(glyphs);
      });
      const shot = (await name.screenshot()).toString('base64');
      const ink = await page.evaluate(async (base64) => {
        const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const xs: number[] = [];
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 384) xs.push((i / 4) % image.width);
        return { pixels: xs.length, centre: xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 / image.width : 0 };
      }, shot);
      expect(ink.pixels).toBeGreaterThan(2);
      expect(ink.centre).toBeGreaterThan(0.5);
      await page.context().close();
    });
  });
});
