/**
 * The support console and the debug overlay, in real headless Chromium against the same server
 * `npm run demo` starts (the simulated store on loopback, the console from demo/).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { DIAGNOSTICS_KIND, parseDiagnosticsReport } from '../../demo/console/diagnostics.js';
import { allImagesShown, ARTIFACTS, openConsole as openConsoleAt, switchOnCdnBlanks, useConsoleServer } from '../helpers/console-page.js';

const env = useConsoleServer();

beforeEach(async () => {
  await fetch(`${env.server.urls.api}/__control/reset`, { method: 'POST' });
});

const openConsole = (page: Page, search = '') => openConsoleAt(page, `${env.server.urls.site}/${search}`);

describe('support console', () => {
  it('loads on the simulated store and shows the live product grid with its requests', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openConsole(page);
    const { total } = await allImagesShown(page);
    // The simulated catalogue's first 24 products: 20 with an image, 4 without.
    expect(total).toBe(20);
    await expect.poll(() => page.locator('#asset-table tbody tr').count()).toBe(20);
    expect(await page.locator('#waterfall svg g.row.api').count()).toBe(1);
    expect(await page.locator('#waterfall svg g.row[data-host="origin"]').count()).toBe(0);
    expect(await page.locator('[data-counter="apiRequests"] dd').textContent()).toBe('1');
    await page.screenshot({ path: `${ARTIFACTS}/console-healthy.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a blank product API answer is asked of the API origin, and the waterfall draws that request as an origin fallback', async () => {
    await fetch(`${env.server.urls.api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'api', fault: 'empty', path: '/stores/*' }) });
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openConsole(page);
    const { total } = await allImagesShown(page);
    expect(total).toBe(20);
    await expect.poll(() => page.locator('#waterfall svg g.row[data-host="origin"]').filter({ hasText: 'origin API' }).count()).toBe(1);
    expect(await page.locator('#waterfall svg g.row.api.failed').count()).toBe(1);
    const log = ((await (await fetch(`${env.server.urls.api}/__control/counts`)).json()) as { log: Array<{ host: string; path: string }> }).log;
    expect(log.filter((e) => e.host === 'api' && e.path.startsWith('/_origin/stores/'))).toHaveLength(1);
    await page.close();
  });

  it('switching on "CDN blanks for 10%" shows origin fallbacks in the table and the waterfall, and every image still shows', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openConsole(page);
    const blanks = await switchOnCdnBlanks(page);

    // What the console shows is what the servers saw: one origin request per blank CDN answer.
    const counts = (await (await fetch(`${env.server.urls.api}/__control/counts`)).json()) as { log: Array<{ host: string; path: string; fault?: string }> };
    const blankAnswers = counts.log.filter((e) => e.host === 'cdn' && e.fault === 'empty').length;
    expect(blankAnswers).toBe(blanks);
    expect(counts.log.filter((e) => e.host === 'origin' && e.path.startsWith('/images/')).length).toBe(blankAnswers);
    await page.locator('#h-waterfall').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/console-cdn-blanks-10.png`, fullPage: true });
    await page.close();
  });

  it('"Copy diagnostics report" copies JSON of the documented shape, and the download is the same report', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.urls.site });
    const page = await context.newPage();
    await fetch(`${env.server.urls.api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1 }) });
    await openConsole(page);
    await allImagesShown(page);
    await expect.poll(() => page.locator('#asset-table tr[data-host="origin"]').count()).toBeGreaterThan(0);

    await page.locator('#copy-report').click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/copied/);
    const text = await page.evaluate(() => navigator.clipboard.readText());
    const report = parseDiagnosticsReport(JSON.parse(text));
    expect(report.kind).toBe(DIAGNOSTICS_KIND);
    expect(report.settings).toMatchObject({ storeId: '1003', api: env.server.urls.api, simulated: true });
    expect(report.faults).toEqual([expect.objectContaining({ host: 'cdn', fault: 'empty', share: 0.1 })]);
    expect(report.blankCdnUrls.length).toBeGreaterThan(0);
    expect(report.blankCdnUrls.every((u) => u.startsWith(env.server.urls.cdn))).toBe(true);
    expect(report.counters.originFallbacks).toBe(report.blankCdnUrls.length);
    expect(report.events.filter((e) => e.type === 'asset').length).toBe(20 + report.blankCdnUrls.length);
    expect(report.events.some((e) => e.type === 'request')).toBe(true);
    expect(report.environment.userAgent).toContain('Chrome');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-report').click()]);
    expect(download.suggestedFilename()).toMatch(/^vitrine-diagnostics-1003-.*\.json$/);
    const downloaded = parseDiagnosticsReport(JSON.parse(await readFile((await download.path()) ?? '', 'utf8')));
    expect(downloaded.blankCdnUrls).toEqual(report.blankCdnUrls);
    await context.close();
  });

  it('a bad pasted report is refused with the field that is wrong', () => {
    expect(() => parseDiagnosticsReport({ kind: DIAGNOSTICS_KIND, version: 1 })).toThrow(/createdAt|environment/);
  });
});

describe('debug overlay on a merchant page', () => {
  let site: RunningServer;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vitrine-merchant-'));
    site = await startServer({ site: { root }, distDir: 'dist' });
    const { api, cdn, origin } = site.urls;
    // A plain merchant page: the one script tag, nothing else of Vitrine.
    await writeFile(
      join(root, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title><link rel="icon" href="data:,"></head>
<body><h1>Our shop</h1><div id="store"></div>
<script src="/dist/vitrine.js" data-store-id="1003" data-api="${api}" data-cdn="${cdn}" data-origin="${origin}" data-target="#store" data-limit="8"></script>
</body></html>`,
    );
  });

  afterAll(async () => {
    await site?.close();
    await rm(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await fetch(`${site.urls.api}/__control/reset`, { method: 'POST' });
  });

  async function merchantPage(search: string): Promise<Page> {
    const page = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${site.urls.site}/${search}`);
    await page.locator('vitrine-grid').waitFor();
    await expect.poll(() => page.evaluate(() => document.querySelector('vitrine-grid')?.shadowRoot?.querySelectorAll('img').length ?? 0), { timeout: 20_000 }).toBe(8);
    return page;
  }

  it("appears with ?vitrine-debug and shows the page view's requests, fallbacks and counters", async () => {
    await fetch(`${site.urls.api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'empty', path: '/images/*' }) });
    const page = await merchantPage('?vitrine-debug');
    const overlay = page.locator('vitrine-debug');
    await overlay.waitFor({ timeout: 20_000 });
    await expect.poll(() => overlay.getAttribute('data-origin-fallbacks'), { timeout: 20_000 }).toBe('8');
    expect(await overlay.getAttribute('data-api-requests')).toBe('1');
    const text = (await overlay.locator('.box').textContent()) ?? '';
    expect(text).toContain('Origin fallbacks (8)');
    expect(text).toMatch(/empty.*→ origin ok/);
    expect(text).toContain('Blank CDN URLs');
    await page.screenshot({ path: `${ARTIFACTS}/merchant-debug-overlay.png` });
    // The overlay is its own file, fetched only because the page asked for it.
    const log = ((await (await fetch(`${site.urls.api}/__control/counts`)).json()) as { log: Array<{ path: string }> }).log;
    expect(log.filter((e) => e.path === '/sdk/vitrine-debug.js').length).toBe(1);
    await page.close();
  });

  it('does not appear, nor load its file, without ?vitrine-debug', async () => {
    const page = await merchantPage('');
    // The grid's images have all arrived: the overlay would have been asked for long before.
    await expect
      .poll(
        () => page.evaluate(() => [...(document.querySelector('vitrine-grid')?.shadowRoot?.querySelectorAll('img') ?? [])].filter((i) => i.complete && i.naturalWidth > 0).length),
        { timeout: 20_000 },
      )
      .toBe(8);
    expect(await page.locator('vitrine-debug').count()).toBe(0);
    const log = ((await (await fetch(`${site.urls.api}/__control/counts`)).json()) as { log: Array<{ path: string }> }).log;
    expect(log.filter((e) => e.path === '/sdk/vitrine-debug.js').length).toBe(0);
    await page.close();
  });
});
