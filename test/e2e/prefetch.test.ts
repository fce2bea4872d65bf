/**
 * The bootstrap snippet's early product request, in real headless Chromium against the simulated
 * backend over loopback HTTP: it starts while vitrine.js is still downloading, the SDK adopts it
 * (still one API request, with the same retries), and a warm view starts nothing.
 *
 * vitrine.js is served 400 ms late on every test, so "in parallel" is a fact of the timeline (the
 * API request starts before the bundle's response ends), not a race against the machine's speed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright';
import { beforeEach, describe, expect, it } from 'vitest';
import { openPage, useFixtureSite, waitForCards } from '../helpers/fixture-site.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/prefetch/', import.meta.url));
const BUNDLE_DELAY_MS = 400;

const env = useFixtureSite(FIXTURES);

beforeEach(() => {
  env.server.backend.faults.add({ host: 'cdn', path: '/sdk/vitrine.js', fault: 'slow', delayMs: BUNDLE_DELAY_MS });
});

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(path: string, context?: BrowserContext): Promise<Opened> {
  context ??= await env.browser.newContext();
  return { context, ...(await openPage(context, `${env.server.urls.site}/${path}`)) };
}

const apiRequests = () => env.server.backend.counts().log.filter((e) => e.host === 'api' && e.path.includes('/products'));

/** Resource Timing of the product request(s) and of the bundle, as the page saw them. */
const timeline = (page: Page) =>
  page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const bundle = entries.find((e) => e.name.endsWith('/sdk/vitrine.js'))!;
    return { api: entries.filter((e) => e.name.includes('/products?')).map((e) => ({ start: e.startTime, end: e.responseEnd })), bundleEnd: bundle.responseEnd };
  });

/** Every localStorage hint the SDK wrote. */
const hints = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vitrine-fresh:')));

describe('the bootstrap snippet starts the product request while vitrine.js downloads (Chromium)', () => {
  it('grid: one API request, started before the bundle arrived and adopted by the SDK; the reload is warm: 0 requests, nothing started early', async () => {
    const { context, page, errors } = await open('grid.html');
    await waitForCards(page, 8);
    const calls = apiRequests();
    expect(calls.map((c) => c.search)).toEqual(['?limit=8&offset=0']);
    const t = await timeline(page);
    expect(t.api).toHaveLength(1);
    expect(t.api[0]!.start, 'the product request started before the bundle finished downloading').toBeLessThan(t.bundleEnd);
    // The SDK wrote the hint the next view's snippet reads (in a task after the answer).
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('vitrine-fresh:')));
    expect(await hints(page)).toEqual([`vitrine-fresh:${env.server.urls.api}/stores/1003/products?limit=8&offset=0`]);
    expect(errors).toEqual([]);

    env.server.backend.resetCounts();
    await page.reload();
    await waitForCards(page, 8);
    expect(apiRequests(), 'a warm view makes no API request').toHaveLength(0);
    expect(await page.evaluate(() => Object.keys((window as { VitrinePrefetch?: object }).VitrinePrefetch ?? {}))).toEqual([]);
    await context.close();
  });

  it('eight <vitrine-product> after which the snippet stands: one request for their sorted ids, before the bundle arrived', async () => {
    const { context, page, errors } = await open('embeds.html');
    await waitForCards(page, 8);
    const calls = apiRequests();
    expect(calls.map((c) => c.search)).toEqual(['?ids=101,102,103,104,105,106,107,108']);
    const t = await timeline(page);
    expect(t.api[0]!.start).toBeLessThan(t.bundleEnd);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a snippet in <head> with data-ids prefetches those; an element it did not list is asked for on its own, nothing twice', async () => {
    const { context, page, errors } = await open('embeds-head.html');
    await waitForCards(page, 4);
    const calls = apiRequests().map((c) => c.search);
    expect(calls.sort()).toEqual(['?ids=101,102,103', '?ids=104']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an expired hint (IndexedDB still fresh) starts the request early again, and the SDK revalidates with it: one request, never wasted', async () => {
    const { context, page } = await open('grid.html');
    await waitForCards(page, 8);
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('vitrine-fresh:')) localStorage.setItem(key, String(Date.now() - 1));
    });
    env.server.backend.resetCounts();
    await page.reload();
    await waitForCards(page, 8);
    // Wait for the hint to be renewed: the revalidation has landed.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('vitrine-fresh:') && Number(localStorage.getItem(k)) > Date.now()));
    expect(apiRequests()).toHaveLength(1);
    await context.close();
  });

  it('an early request that fails (503) is retried by the SDK like its own: two requests, the grid shown, no unhandled rejection', async () => {
    env.server.backend.faults.add({ host: 'api', path: '/stores/1003/products', fault: 'status', status: 503, times: 1 });
    const { context, page, errors } = await open('grid.html');
    await waitForCards(page, 8).catch((e: Error) => {
      throw new Error(`${e.message}; errors ${JSON.stringify(errors)}; log ${JSON.stringify(env.server.backend.counts().log.map((l) => [l.host, l.path, l.search, l.status]))}`);
    });
    const calls = apiRequests();
    expect(calls.map((c) => c.status)).toEqual([503, 200]);
    expect(errors.filter((e) => !/503|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });

  it('the plain tag with the documented preload line: the SDK reuses the preloaded answer, one request', async () => {
    const { context, page, errors } = await open('preload.html');
    await waitForCards(page, 8);
    expect(apiRequests()).toHaveLength(1);
    expect(errors.filter((e) => !/preload/.test(e))).toEqual([]);
    await context.close();
  });

  it('the plain tag on a fresh profile does not wait for IndexedDB: its request starts before any database has opened; the next view reads it back (0 requests)', async () => {
    const context = await env.browser.newContext();
    await context.addInitScript(() => {
      const w = window as unknown as { __idbOpened: number[] };
      w.__idbOpened = [];
      const open = indexedDB.open.bind(indexedDB);
      indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
        const request = open(...args);
        request.addEventListener('success', () => w.__idbOpened.push(performance.now()));
        return request;
      };
    });
    const { page } = await open('plain.html', context);
    await waitForCards(page, 8);
    const t = await timeline(page);
    const opened = await page.evaluate(() => (window as unknown as { __idbOpened: number[] }).__idbOpened);
    expect(t.api).toHaveLength(1);
    expect(opened.length, 'the storefront does use IndexedDB').toBeGreaterThan(0);
    expect(t.api[0]!.start, 'the product request did not wait for a database to open').toBeLessThan(Math.min(...opened));

    env.server.backend.resetCounts();
    await page.reload();
    await waitForCards(page, 8);
    expect(apiRequests()).toHaveLength(0);
    await context.close();
  });

  describe('products the merchant inlined', () => {
    /** A server-rendered page: the grid's products inlined as JSON (the attribute names the store). */
    async function ssrPage(name: string, block: string): Promise<void> {
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Server-rendered</title></head><body>
<script type="application/json" data-vitrine-products="1003">${block}</script>
<div id="store"></div>
<script data-store-id="1003" data-api="${env.server.urls.api}" data-cdn="${env.server.urls.cdn}" data-origin="${env.server.urls.origin}" data-target="#store" data-limit="8">${env.site.sri.snippet}</script>
</body></html>`;
      await writeFile(join(env.site.root, name), html);
    }

    it('a grid page inlined as dehydrate() writes it: 0 API requests, nothing started early, the products shown', async () => {
      const answer = (await (await fetch(`${env.server.urls.api}/stores/1003/products?limit=8&offset=0`)).json()) as { items: { id: string }[]; total: number };
      env.server.backend.resetCounts();
      const block = JSON.stringify({ items: answer.items, lists: { 'l::0:8': { ids: answer.items.map((p) => p.id), total: answer.total } } }).replace(/</g, '\\u003c');
      await ssrPage('ssr.html', block);
      const { context, page, errors } = await open('ssr.html');
      await waitForCards(page, 8);
      expect(apiRequests()).toHaveLength(0);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('a malformed block is one console error naming it; the grid is fetched as usual', async () => {
      await ssrPage('ssr-bad.html', '{"items": "none"}');
      const { context, page, errors } = await open('ssr-bad.html');
      await waitForCards(page, 8);
      expect(apiRequests()).toHaveLength(1);
      expect(errors).toEqual([expect.stringMatching(/^\[vitrine\] Expected "items" to be an array in the answer from initial data/)]);
      await context.close();
    });

    it('a block with a malformed product and a bad page entry says each on the console; the grid is fetched as usual', async () => {
      const answer = (await (await fetch(`${env.server.urls.api}/stores/1003/products?ids=1,2`)).json()) as { items: { id: string; price: unknown }[] };
      env.server.backend.resetCounts();
      const [good, bad] = answer.items;
      const block = JSON.stringify({ items: [good, { ...bad, price: 'free' }], lists: { 'l::0:8': { ids: ['1'], total: 'many' } } });
      await ssrPage('ssr-partly-bad.html', block);
      const { context, page, errors } = await open('ssr-partly-bad.html');
      await waitForCards(page, 8);
      expect(apiRequests()).toHaveLength(1);
      expect(errors).toEqual([expect.stringMatching(/^\[vitrine\] .*"2".*price/), expect.stringMatching(/^\[vitrine\] Expected lists\.l::0:8 in the initial data/)]);
      await context.close();
    });
  });
});
