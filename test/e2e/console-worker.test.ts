/**
 * The support console with the simulated store in msw's service worker (`?backend=worker`, and the
 * default on a plain static server): the same handlers as the loopback servers, answered inside
 * the page. The loopback store is running alongside, so "nothing reached it" is counted, not assumed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestCounts } from '../../demo/backend/handlers.js';
import { parseDiagnosticsReport } from '../../demo/console/diagnostics.js';
import { allImagesShown, ARTIFACTS, openConsole, switchOnCdnBlanks, useConsoleServer } from '../helpers/console-page.js';

const WORKER_API = 'https://api.vitrine.test';
const env = useConsoleServer();

/** What the in-page backend counted, asked through the worker like any other request. */
const workerCounts = (page: Page) => page.evaluate(async (api) => (await (await fetch(`${api}/__control/counts`)).json()) as RequestCounts, WORKER_API);
const loopbackCounts = async () => (await (await fetch(`${env.server.urls.api}/__control/counts`)).json()) as RequestCounts;

async function workerConsole(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.urls.site });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openConsole(page, `${env.server.urls.site}/?backend=worker`);
  return { context, page, errors };
}

describe('support console with the store in a service worker', () => {
  it('shows the live grid with every image decoded while no request reaches the loopback store', async () => {
    const before = (await loopbackCounts()).total;
    const { context, page, errors } = await workerConsole();
    expect(await page.locator('#store-name').textContent()).toContain('simulated (service worker)');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${env.server.urls.site}/mockServiceWorker.js`);

    const { total } = await allImagesShown(page);
    expect(total).toBe(20);
    await expect.poll(() => page.locator('#asset-table tbody tr').count()).toBe(20);
    expect(await page.locator('#waterfall svg g.row.api').count()).toBe(1);
    expect(await page.locator('[data-counter="apiRequests"] dd').textContent()).toBe('1');

    // The worker answered every one of them, with this browser's User-Agent, as a server would see it.
    const counts = await workerCounts(page);
    expect({ api: counts.api, cdn: counts.cdn, origin: counts.origin }).toEqual({ api: 1, cdn: 20, origin: 0 });
    expect(counts.log.every((e) => e.status === 200 && e.userAgent?.includes('HeadlessChrome'))).toBe(true);

    // The SDK's built files on the fake CDN come from the page's own /dist/.
    const sdk = await page.evaluate(async () => new Uint8Array(await (await fetch('https://cdn.vitrine.test/sdk/vitrine.js')).arrayBuffer()).length);
    expect(sdk).toBe((await readFile('dist/vitrine.js')).length);

    expect((await loopbackCounts()).total).toBe(before);
    await page.screenshot({ path: `${ARTIFACTS}/console-worker-healthy.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"CDN blanks for 10%" shows origin fallbacks and every image still shows; the copied report validates and names the worker store', async () => {
    const before = (await loopbackCounts()).total;
    const { context, page, errors } = await workerConsole();
    const blanks = await switchOnCdnBlanks(page);

    // One origin request per blank CDN answer, as the in-page backend saw them (view 2 only: its URLs carry "-2").
    const log = (await workerCounts(page)).log.filter((e) => e.search.endsWith('-2'));
    const blankAnswers = log.filter((e) => e.host === 'cdn' && e.fault === 'empty').length;
    expect(blankAnswers).toBe(blanks);
    expect(log.filter((e) => e.host === 'origin').length).toBe(blankAnswers);

    await page.locator('#copy-report').click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/copied/);
    const report = parseDiagnosticsReport(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())));
    expect(report.settings).toMatchObject({ storeId: '1003', api: WORKER_API, cdn: 'https://cdn.vitrine.test', origin: 'https://origin.vitrine.test', simulated: true });
    expect(report.faults).toEqual([expect.objectContaining({ host: 'cdn', fault: 'empty', share: 0.1 })]);
    expect(report.blankCdnUrls.length).toBe(blankAnswers);
    expect(report.blankCdnUrls.every((u) => u.startsWith('https://cdn.vitrine.test/images/'))).toBe(true);
    expect(report.counters.originFallbacks).toBe(blankAnswers);

    expect((await loopbackCounts()).total).toBe(before);
    await page.locator('#h-waterfall').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/console-worker-cdn-blanks-10.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a fault switched on stays on after a reload, like on the loopback store', async () => {
    const { context, page } = await workerConsole();
    await page.locator('[data-fault="cdn-blank-all"]').check();
    await expect.poll(() => page.locator('#view-no').textContent()).toBe('view 2');
    await openConsole(page, page.url());
    expect(await page.locator('[data-fault="cdn-blank-all"]').isChecked()).toBe(true);
    const { total } = await allImagesShown(page);
    // Every image blank on the CDN, every one shown from the origin.
    await expect.poll(() => page.locator('#asset-table tr[data-host="origin"][data-outcome="ok"]').count()).toBe(total);
    await context.close();
  });
});

describe('`npm run demo -- --static`: files only, no store servers', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    child?.kill();
  });

  it('the console runs the store in the service worker by default, "blanks only for this browser" included', async () => {
    child = spawn(process.execPath, ['scripts/demo.mjs', '--no-build', '--static', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const site = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
        if (url) resolve(url);
      });
      child?.once('exit', (code) => reject(new Error(`demo --static exited (${code}): ${out}`)));
    });
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await openConsole(page, `${site}/`);
    expect(await page.locator('html').getAttribute('data-backend')).toBe('worker');
    await page.locator('[data-fault="cdn-blank-ua"]').check();
    await expect.poll(() => page.locator('#view-no').textContent()).toBe('view 2');
    const { total, shown } = await allImagesShown(page);
    expect(shown).toBe(total);
    await expect.poll(() => page.locator('#asset-table tr[data-host="origin"][data-outcome="ok"]').count()).toBe(total);
    await context.close();
  });
});
