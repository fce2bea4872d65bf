/**
 * The script-tag embed on plain merchant pages served from loopback, in real headless Chromium:
 * the built dist/vitrine.js (run `npm run build` first), the simulated backend, real HTTP.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { useFixtureSite, waitForCards, type Sri } from '../helpers/fixture-site.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/embed/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** The strict merchant CSP: only the snippet's hash may run script; no inline styles; Trusted Types enforced. */
const strictCsp = (sri: Sri) =>
  `script-src 'self' '${sri.snippetHash}' 'strict-dynamic'; style-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types vitrine`;

const env = useFixtureSite(FIXTURES, (path, sri) => (path.endsWith('strict.html') ? { 'Content-Security-Policy': strictCsp(sri) } : {}));

interface Watched {
  page: Page;
  errors: string[];
  dialogs: string[];
}

async function openPage(path: string): Promise<Watched> {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const watched: Watched = { page, errors: [], dialogs: [] };
  page.on('console', (m) => m.type() === 'error' && watched.errors.push(m.text()));
  page.on('pageerror', (e) => watched.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${env.server.urls.site}/${path}`);
  return watched;
}

/** Cards with a name, across every widget's shadow root. */
const cardNames = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('vitrine-grid, vitrine-product')].flatMap((el) =>
      [...(el.shadowRoot?.querySelectorAll('.card:not(.skeleton) .name') ?? [])].map((n) => n.textContent),
    ),
  );

const apiRequests = () => env.server.backend.counts().log.filter((e) => e.host === 'api');

describe('script-tag embed on a merchant page (Chromium)', () => {
  it('one script tag renders the product grid (screenshot saved to test-artifacts/embed-grid.png)', async () => {
    const { page, errors } = await openPage('grid.html');
    await waitForCards(page, 12);
    expect(await cardNames(page)).toHaveLength(12);
    // Prices follow <html lang="en-GB">.
    const firstPrice = await page.evaluate(() => document.querySelector('vitrine-grid')!.shadowRoot!.querySelector('.price')!.textContent);
    expect(firstPrice).toMatch(/[£€$¥]/);
    expect(apiRequests()).toHaveLength(1);
    await page.evaluate(() =>
      Promise.all([...document.querySelector('vitrine-grid')!.shadowRoot!.querySelectorAll('img[src]')].map((i) => (i as HTMLImageElement).decode().catch(() => undefined))),
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'embed-grid.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('eight <vitrine-product> elements (and a second tag for the same store) make exactly one API request and share one storefront', async () => {
    const { page, errors } = await openPage('products.html');
    await waitForCards(page, 8);
    const calls = apiRequests();
    expect(calls).toHaveLength(1);
    expect(new URLSearchParams(calls[0]!.search).get('ids')!.split(',')).toEqual(['101', '102', '103', '104', '105', '106', '107', '108']);
    expect(await page.evaluate(() => (window as unknown as Record<symbol, Map<string, unknown>>)[Symbol.for('vitrine.storefronts')]!.size)).toBe(1);
    expect(await page.evaluate(() => typeof (window as unknown as { Vitrine: { createStorefront: unknown } }).Vitrine.createStorefront)).toBe('function');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the bootstrap snippet works under a strict CSP (hash, style-src self, Trusted Types) with zero violations', async () => {
    const { page, errors } = await openPage('strict.html');
    await waitForCards(page, 6);
    await page.evaluate(() =>
      Promise.all([...document.querySelector('vitrine-grid')!.shadowRoot!.querySelectorAll('img[src]')].map((i) => (i as HTMLImageElement).decode().catch(() => undefined))),
    );
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    // The page really enforces it: an inline style attribute set by the page itself is refused.
    expect(await page.evaluate(() => !!document.querySelector('script[integrity]'))).toBe(true);
    const fromCdn = env.server.backend.counts().log.filter((e) => e.path === '/sdk/vitrine.js');
    expect(fromCdn.map((e) => e.host)).toEqual(['cdn']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a blank (zero-byte) bundle on the CDN still gives a working store: the snippet loads it from the origin', async () => {
    env.server.backend.faults.add({ host: 'cdn', fault: 'empty', path: '/sdk/vitrine.js' });
    const { page } = await openPage('strict.html');
    await waitForCards(page, 6);
    const sdk = env.server.backend.counts().log.filter((e) => e.path === '/sdk/vitrine.js');
    expect(sdk.map((e) => `${e.host}:${e.fault ?? 'ok'}`)).toEqual(['cdn:empty', 'origin:ok']);
    expect(await cardNames(page)).toHaveLength(6);
    await page.context().close();
  });

  it('data-check-pixels: a truncated CDN image is caught by the pixel check, loaded with the first image in vitrine-assets.js, and shown from the origin', async () => {
    env.server.backend.faults.add({ host: 'cdn', fault: 'truncate', path: '/images/*' });
    const { page, errors } = await openPage('check-pixels.html');
    await waitForCards(page, 3);
    // A truncated copy also loads (complete, with a width): only the origin's copy is the end state.
    const origin = env.server.urls.origin;
    await page.waitForFunction((from) => {
      const imgs = [...(document.querySelector('vitrine-grid')?.shadowRoot?.querySelectorAll('img') ?? [])];
      return imgs.length === 3 && imgs.every((img) => img.complete && img.naturalWidth > 0 && img.currentSrc.startsWith(`${from}/images/`));
    }, origin);
    const log = env.server.backend.counts().log;
    // The check's code is one lazy file, fetched once, from the CDN (only the images are faulty there).
    expect(log.filter((e) => e.path === '/sdk/vitrine-assets.js').map((e) => e.host)).toEqual(['cdn']);
    expect(log.filter((e) => e.host === 'cdn' && e.path.startsWith('/images/') && e.fault === 'truncate').length).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('hostile merchant CSS (display:none !important on everything, 1px images, 2px fonts) leaves the widget readable', async () => {
    const { page } = await openPage('hostile.html');
    await waitForCards(page, 4);
    const boxes = await page.evaluate(() => {
      const grid = document.querySelector('vitrine-grid')!;
      return {
        display: getComputedStyle(grid).display,
        fontSize: parseFloat(getComputedStyle(grid).fontSize),
        cards: [...grid.shadowRoot!.querySelectorAll('.card')].map((c) => ({
          width: c.getBoundingClientRect().width,
          name: c.querySelector('.name')!.getBoundingClientRect().height,
          img: c.querySelector('img')!.getBoundingClientRect().width,
        })),
      };
    });
    expect(boxes.display).toBe('block');
    expect(boxes.fontSize).toBeGreaterThan(10);
    for (const card of boxes.cards) {
      expect(card.width).toBeGreaterThan(100);
      expect(card.name).toBeGreaterThan(10);
      expect(card.img).toBeGreaterThan(50);
    }
    await page.context().close();
  });

  it('axe-core reports no violations on the merchant page with the grid', async () => {
    const { page } = await openPage('grid.html');
    await waitForCards(page, 12);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; help: string }[] }> } }).axe;
      return (await axe.run({ include: [['vitrine-grid']] }, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.help}`);
    });
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('a grid of listed ids with one the API does not know shows the others, in one request, and names the unknown id once on the console', async () => {
    const { page, errors } = await openPage('ids-grid.html');
    await expect.poll(() => cardNames(page), { timeout: 20_000 }).toEqual(['Amber Letter Set', 'Linen Stacking Rings']);
    expect(apiRequests()).toHaveLength(1);
    expect(errors).toEqual(['[vitrine] <vitrine-grid>: No product "no-such-id" in store 1003']);
    await page.context().close();
  });

  it('a grid whose API answers 500 shows "Try again" and tells the merchant once, on the console, with the code', async () => {
    env.server.backend.faults.add({ host: 'api', fault: 'status', status: 500 });
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && m.text().startsWith('[vitrine]') && warnings.push(m.text()));
    await page.goto(`${env.server.urls.site}/grid.html`);
    await page.waitForFunction(() => !!document.querySelector('vitrine-grid')?.shadowRoot?.querySelector('.retry'), undefined, { timeout: 30_000 });
    await expect.poll(() => warnings, { timeout: 30_000 }).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[vitrine\] <vitrine-grid>: HTTP: Expected 2xx from http:\/\/127\.0\.0\.1:\d+\/stores\/1003\/products\?limit=12&offset=0, got 500/);
    await context.close();
  });

  it('bad attributes give one console error naming the attribute and leave the page untouched', async () => {
    const { page, errors } = await openPage('bad.html');
    await page.waitForLoadState('load');
    await page.waitForFunction(() => true);
    expect(errors.some((e) => e.includes('data-origin') && e.includes('required'))).toBe(true);
    expect(errors.some((e) => e.includes('data-limit') && e.includes('"many"'))).toBe(true);
    expect(errors.some((e) => e.includes('data-target') && e.includes('#nowhere'))).toBe(true);
    expect(errors).toContain('[vitrine] <script data-limit>: expected a whole number, got "0x3"');
    expect(errors).toContain('[vitrine] <script data-offset>: expected a whole number, got "3e0"');
    expect(errors).toContain('[vitrine] <script data-sample-rate>: Invalid option sampleRate: expected number, got "0x1"');
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    expect(await page.evaluate(() => document.getElementById('store')!.innerHTML.trim())).toBe('<p id="merchant">Merchant content</p>');
    expect(apiRequests()).toHaveLength(0);
    await page.context().close();
  });

  it('measures script start → first product painted (median of 7 cold loads; reported, not asserted)', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const { page } = await openPage('grid.html');
      await waitForCards(page, 12);
      await page.waitForFunction(() => performance.getEntriesByName('vitrine:first-product').length > 0);
      samples.push(await page.evaluate(() => performance.getEntriesByName('vitrine:first-product')[0]!.startTime - performance.getEntriesByName('vitrine:start')[0]!.startTime));
      await page.context().close();
    }
    samples.sort((a, b) => a - b);
    const median = samples[3]!;
    console.log(`[embed] script start → first product painted: median ${median.toFixed(1)} ms over 7 cold loads (${samples.map((s) => s.toFixed(0)).join(', ')})`);
    expect(samples).toHaveLength(7);
  });
});
