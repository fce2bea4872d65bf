/**
 * The bootstrap snippet's early product request, in real headless Chromium against the simulated
 * backend over loopback HTTP: it starts while vitrine.js is still downloading, the SDK adopts it
 * (still one API request, with the same retries), and a warm view starts nothing.
 *
 * vitrine.js is served 400 ms late on every test, so "in parallel" is a fact of the timeline (the
 * API request starts before the bundle's response ends), not a race against the machine's speed.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/prefetch/', import.meta.url));
const SRI = fileURLToPath(new URL('../../dist/sri.json', import.meta.url));
const BUNDLE_DELAY_MS = 400;

let server: RunningServer;
let browser: Browser;
let site: string;

beforeAll(async () => {
  const sri = JSON.parse(await readFile(SRI, 'utf8')) as { snippet: string };
  site = await mkdtemp(join(tmpdir(), 'vitrine-prefetch-'));
  server = await startServer({ distDir: 'dist', site: { root: site } });
  for (const name of await readdir(FIXTURES)) {
    const text = (await readFile(join(FIXTURES, name), 'utf8'))
      .replaceAll('{{api}}', server.urls.api)
      .replaceAll('{{cdn}}', server.urls.cdn)
      .replaceAll('{{origin}}', server.urls.origin)
      .replaceAll('{{snippet}}', sri.snippet);
    await writeFile(join(site, name), text);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

beforeEach(() => {
  server.backend.faults.clear();
  server.backend.resetCounts();
  server.backend.faults.add({ host: 'cdn', path: '/sdk/vitrine.js', fault: 'slow', delayMs: BUNDLE_DELAY_MS });
});

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(path: string, context?: BrowserContext): Promise<Opened> {
  context ??= await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${server.urls.site}/${path}`);
  return { context, page, errors };
}

const waitForCards = (page: Page, count: number) =>
  page.waitForFunction(
    (n) => [...document.querySelectorAll('vitrine-grid, vitrine-product')].reduce((sum, el) => sum + (el.shadowRoot?.querySelectorAll('.card:not(.skeleton) .name').length ?? 0), 0) >= n,
    count,
    { timeout: 20_000 },
  );

const apiRequests = () => server.backend.counts().log.filter((e) => e.host === 'api' && e.path.includes('/products'));

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
    // The SDK wrote the hint the next view's snippet reads.
    expect(await hints(page)).toEqual([`vitrine-fresh:${server.urls.api}/stores/1003/products?limit=8&offset=0`]);
    expect(errors).toEqual([]);

    server.backend.resetCounts();
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

  it('an expired hint starts the request early again, and the stale cached grid is revalidated by that same request', async () => {
    const { context, page } = await open('grid.html');
    await waitForCards(page, 8);
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('vitrine-fresh:')) localStorage.setItem(key, String(Date.now() - 1));
    });
    server.backend.resetCounts();
    await page.reload();
    await waitForCards(page, 8);
    // Wait for the hint to be renewed: the revalidation has landed.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('vitrine-fresh:') && Number(localStorage.getItem(k)) > Date.now()));
    expect(apiRequests()).toHaveLength(1);
    await context.close();
  });

  it('an early request that fails (503) is retried by the SDK like its own: two requests, the grid shown, no unhandled rejection', async () => {
    server.backend.faults.add({ host: 'api', path: '/stores/1003/products', fault: 'status', status: 503, times: 1 });
    const { context, page, errors } = await open('grid.html');
    await waitForCards(page, 8).catch((e: Error) => {
      throw new Error(`${e.message}; errors ${JSON.stringify(errors)}; log ${JSON.stringify(server.backend.counts().log.map((l) => [l.host, l.path, l.search, l.status]))}`);
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
});
