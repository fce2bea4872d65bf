/**
 * Vitals and health reporting end to end: a merchant page in real headless Chromium, the simulated
 * backend and collector on loopback HTTP, real navigations for page leave, unload and bfcache.
 * Request counts and event order only; no timing assertions.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { parseVitalsReport, MAX_REPORT_BYTES, type VitalsReport } from '../../src/vitals-schema.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const SITE = fileURLToPath(new URL('./fixtures/vitals/', import.meta.url));
/** What the build stamps as `sdk` in every report. */
const PACKAGE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

let server: RunningServer;
let browser: Browser;
let bfcacheBrowser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServer({ site: { root: SITE } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  // Playwright turns the back/forward cache off by default; the bfcache round trip needs it on.
  bfcacheBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
});
afterAll(async () => {
  await browser?.close();
  await bfcacheBrowser?.close();
  await server?.close();
});
afterEach(async () => {
  await context?.close();
  server.backend.faults.clear();
  server.backend.clearBeacons();
});

async function fresh(from: Browser = browser): Promise<BrowserContext> {
  await post('/__control/reset');
  context = await from.newContext();
  return context;
}

async function post(path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${server.urls.api}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

function pageUrl(extra: Record<string, string> = {}, file = 'index.html'): string {
  const { api, cdn, origin, collector, site } = server.urls;
  return `${site}/${file}?${new URLSearchParams({ api, cdn, origin, collector: `${collector}/rum`, ...extra })}`;
}

/**
 * Opens the merchant page (index.html drives the API from its own script; tag.html is a plain
 * data-* script tag) and waits until products are painted and the reporter has seen FCP and TTFB.
 */
async function visit(page: Page, extra: Record<string, string> = {}, waitForReporter = true, file = 'index.html'): Promise<void> {
  await page.goto(pageUrl(extra, file));
  await page.waitForFunction(() => (window as unknown as { __painted: boolean }).__painted);
  if (waitForReporter) {
    await page.waitForFunction(() => {
      const seen = (window as unknown as { __vitals: string[] }).__vitals;
      return seen.includes('FCP') && seen.includes('TTFB');
    });
  }
}

async function leave(page: Page): Promise<void> {
  await page.goto(`${server.urls.site}/other.html`);
}

/** Leaves the page while the browser is offline, so its report cannot be sent; back online after. */
async function leaveOffline(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
  await page.goto('about:blank');
  await page.context().setOffline(false);
}

async function reports(count: number): Promise<VitalsReport[]> {
  // Beacons travel after the navigation; poll the collector (by count, not by time).
  for (let i = 0; i < 200; i++) {
    const got = server.backend.beacons();
    if (got.length >= count) return got.map((b) => parseVitalsReport(b));
    await new Promise((r) => setTimeout(r, 25));
  }
  return server.backend.beacons().map((b) => parseVitalsReport(b));
}

const collectorRequests = () => server.backend.counts().log.filter((e) => e.host === 'collector').length;

describe('vitals beacon (Chromium, loopback collector)', () => {
  it('leaving the page delivers exactly one report with LCP, FCP, TTFB and CLS, and INP after an interaction', async () => {
    const page = await (await fresh()).newPage();
    await visit(page);
    // Watch for the interaction's timing entry before clicking (the timeline only buffers entries
    // over 104 ms), then wait for it by event, not time: on a loaded machine it can come frames
    // after the click, and a shopper who left before it has no INP.
    await page.evaluate(() => {
      const w = window as unknown as { __interactionTimed: boolean };
      w.__interactionTimed = false;
      new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => ((e as PerformanceEntry & { interactionId?: number }).interactionId ?? 0) > 0)) w.__interactionTimed = true;
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
    });
    await page.click('#buy');
    await page.waitForFunction(() => (window as unknown as { __interactionTimed: boolean }).__interactionTimed);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await leave(page);
    const [report, ...extra] = await reports(1);
    // Give a duplicate the chance to show up: the other page's load is a full round trip.
    await page.reload();
    expect(extra).toHaveLength(0);
    expect(server.backend.beacons()).toHaveLength(1);
    // Schema v2, stamped with the SDK's version; no release was set.
    expect(report).toMatchObject({ v: 2, sdk: PACKAGE_VERSION });
    expect(report).not.toHaveProperty('release');
    const names = report!.vitals.map((v) => v.name).sort();
    expect(names).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    const lcp = report!.vitals.find((v) => v.name === 'LCP');
    expect(lcp?.attribution).toMatchObject({ inVitrine: true, fromOrigin: false });
    expect(lcp?.attribution?.url).toMatch(/\/images\/1003\/.+\/400\.webp$/);
    expect(report!.vitals.find((v) => v.name === 'INP')?.attribution?.target).toContain('buy');
    expect(report!.page).toBe('/index.html');
    expect(JSON.stringify(report)).not.toContain('collector=');
    const bytes = Buffer.byteLength(JSON.stringify(server.backend.beacons()[0]));
    expect(bytes).toBeLessThan(MAX_REPORT_BYTES);
    console.log(`[vitals] typical report: ${bytes} bytes`);
  });

  it('a script tag with data-release: the release tag is in the report, next to the SDK version', async () => {
    const page = await (await fresh()).newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await visit(page, { release: 'shop-2024.06.1+b7' }, true, 'tag.html');
    await leave(page);
    const [report, ...extra] = await reports(1);
    expect(extra).toHaveLength(0);
    expect(report).toMatchObject({ v: 2, sdk: PACKAGE_VERSION, release: 'shop-2024.06.1+b7', storeId: '1003', page: '/tag.html' });
    expect(errors).toEqual([]);
  });

  it('a script tag with a bad data-release says so by name, and nothing is rendered or reported', async () => {
    const page = await (await fresh()).newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pageUrl({ release: 'spring sale' }, 'tag.html'));
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toContain('data-release');
    expect(errors[0]).toContain('"spring sale"');
    await leave(page);
    expect(server.backend.counts().log.filter((e) => e.host === 'api' || e.host === 'collector')).toEqual([]);
  });

  it('two blank CDN images show up as two origin fallbacks and their URLs, ready to purge', async () => {
    const page = await (await fresh()).newPage();
    server.backend.faults.add({ host: 'cdn', fault: 'empty', path: '/images/*', times: 2 });
    await visit(page);
    await leave(page);
    const [report] = await reports(1);
    const h = report!.health;
    expect(h.assets.image).toEqual({ ok: 4, empty: 2, failed: 0 });
    expect(h.originFallbacks).toBe(2);
    expect(h.blankUrls).toHaveLength(2);
    for (const url of h.blankUrls) expect(url.startsWith(`${server.urls.cdn}/images/1003/`)).toBe(true);
    expect(h.apiRequests).toBe(1);
    expect(h.batches.count).toBe(0); // a list query asks by page, not by ids
    // The LCP image is one of the four; whether it came from the origin is reported either way.
    expect(typeof report!.vitals.find((v) => v.name === 'LCP')?.attribution?.fromOrigin).toBe('boolean');
  });

  it('sampleRate 0 sends nothing and never even loads the vitals code', async () => {
    const page = await (await fresh()).newPage();
    await visit(page, { sampleRate: '0' }, false);
    await leave(page);
    await page.goto(pageUrl({ sampleRate: '0' }));
    await page.waitForFunction(() => (window as unknown as { __painted: boolean }).__painted);
    expect(collectorRequests()).toBe(0);
    expect(server.backend.counts().log.filter((e) => e.path.includes('vitrine-vitals'))).toHaveLength(0);
  });

  it('a bfcache round trip sends a second report for the restored view', async () => {
    const page = await (await fresh(bfcacheBrowser)).newPage();
    await visit(page);
    await leave(page);
    await reports(1);
    // A page restored from the bfcache fires pageshow, not load.
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __painted: boolean }).__painted);
    const restored = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type);
    await leave(page);
    const got = await reports(2);
    expect(got).toHaveLength(2);
    expect(got[1]!.viewId).not.toBe(got[0]!.viewId);
    expect(got[1]!.navigationType).toBe('back-forward-cache');
    expect(restored).toBe('navigate'); // the same document came back: it was restored, not reloaded
  });

  it('offline, then collector down: the report waits in IndexedDB and arrives exactly once when the collector is back', async () => {
    const ctx = await fresh();
    const page = await ctx.newPage();
    await visit(page);
    const firstView = await page.evaluate(() => (window as unknown as { __vitals: string[] }).__vitals.length);
    expect(firstView).toBeGreaterThan(0);
    await leaveOffline(page);
    expect(server.backend.counts().log.filter((e) => e.host === 'collector')).toEqual([]);

    // Next visit: the collector answers 503. The flush costs one request and keeps the report.
    server.backend.faults.add({ host: 'collector', fault: 'status', status: 503 });
    await visit(page);
    await expect.poll(() => collectorRequests()).toBe(1);
    await page.goto('about:blank');
    expect(server.backend.beacons()).toHaveLength(0);

    // The collector is back: both kept reports arrive, each once, marked as delivered late.
    server.backend.faults.clear();
    await visit(page);
    const got = await reports(2);
    expect(got).toHaveLength(2);
    expect(got.every((r) => r.queued)).toBe(true);
    expect(new Set(got.map((r) => r.viewId)).size).toBe(2);
    await leave(page);
    const all = await reports(3);
    expect(all).toHaveLength(3);
    expect(all[2]!.queued).toBeUndefined();
    // A fourth visit finds nothing left to flush.
    await visit(page);
    await leave(page);
    expect(await reports(4)).toHaveLength(4);
    expect(new Set(server.backend.beacons().map((b) => (b as VitalsReport).viewId)).size).toBe(4);
  });

  /**
   * Run in another tab of the shop: makes the reporter's IndexedDB write wait, as a slow machine does
   * now and then, but for certain. `open`: holds the database and asks for an upgrade it blocks, so the
   * next view's open() queues behind it. `transaction`: keeps a readwrite transaction busy, so the
   * view's flush, and the write of its report behind it, wait. `__release()` lets them go.
   */
  const holdVitalsDb = (how: 'open' | 'transaction') =>
    new Promise<void>((resolve, reject) => {
      const w = window as unknown as { __release: () => Promise<void> };
      const holder = indexedDB.open('vitrine-vitals', 1);
      holder.onupgradeneeded = () => holder.result.createObjectStore('reports');
      holder.onerror = () => reject(holder.error);
      holder.onsuccess = () => {
        if (how === 'transaction') {
          let busy = true;
          const store = holder.result.transaction('reports', 'readwrite').objectStore('reports');
          const spin = () => {
            if (busy) store.get(0).onsuccess = spin;
          };
          spin();
          w.__release = () =>
            new Promise((done) => {
              busy = false;
              store.transaction.oncomplete = () => (holder.result.close(), done());
            });
          return resolve();
        }
        const upgrade = indexedDB.open('vitrine-vitals', 2);
        upgrade.onblocked = () => resolve();
        w.__release = () =>
          new Promise((done) => {
            upgrade.onsuccess = () => (upgrade.result.close(), done());
            upgrade.onerror = () => done();
            holder.result.close();
          });
      };
    });

  it.each([
    ['before the vitals database has finished opening', 'open'],
    ['while IndexedDB is busy with another transaction', 'transaction'],
  ] as const)('offline, leaving %s: the report is still kept for the next visit', async (_name, how) => {
    const ctx = await fresh();
    const other = await ctx.newPage();
    await other.goto(`${server.urls.site}/other.html`);
    await other.evaluate(holdVitalsDb, how);
    const page = await ctx.newPage();
    await visit(page);
    await leaveOffline(page);
    await other.evaluate(() => (window as unknown as { __release: () => Promise<void> }).__release());
    expect(collectorRequests()).toBe(0);

    // Next visit (nothing in the way now): the report of the view that left early arrives, once, marked as late.
    await visit(page);
    const [late, ...extra] = await reports(1);
    expect(extra).toHaveLength(0);
    expect(late?.queued).toBe(true);
    await leave(page);
    const all = await reports(2);
    expect(all).toHaveLength(2);
    expect(all[1]!.queued).toBeUndefined();
  });

  it('a queued report the collector refuses for good (4xx) is dropped and counted, not sent on every visit', async () => {
    const ctx = await fresh();
    const page = await ctx.newPage();
    await visit(page);
    await leaveOffline(page);
    expect(collectorRequests()).toBe(0);

    // Next visit: the collector refuses the queued report (say it is older than it keeps). It is dropped, and the
    // collector, which is up, gets this view's report as usual, counting the drop.
    server.backend.faults.add({ host: 'collector', fault: 'status', status: 400, times: 1 });
    await visit(page);
    await expect.poll(() => collectorRequests()).toBe(1);
    await leave(page);
    const [report, ...extra] = await reports(1);
    expect(extra).toHaveLength(0);
    expect(report!.queued).toBeUndefined();
    expect(report!.health.beaconsDropped).toBe(1);
    expect(collectorRequests()).toBe(2);

    // Nothing was put back: a third visit has nothing to flush, only its own report to send.
    await visit(page);
    await leave(page);
    const all = await reports(2);
    expect(all).toHaveLength(2);
    expect(all[1]!.health.beaconsDropped).toBe(0);
    expect(collectorRequests()).toBe(3);
  });

  it('nothing of the vitals code loads before the first product paint (Resource Timing waterfall)', async () => {
    const page = await (await fresh()).newPage();
    await visit(page);
    const waterfall = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => ({ name: new URL(e.name).pathname, start: Math.round(e.startTime), end: Math.round((e as PerformanceResourceTiming).responseEnd) })),
    );
    console.log(`[vitals] waterfall\n${waterfall.map((e) => `${String(e.start).padStart(6)} → ${String(e.end).padStart(6)}  ${e.name}`).join('\n')}`);
    const vitals = waterfall.filter((e) => e.name.includes('vitrine-vitals'));
    expect(vitals).toHaveLength(1);
    const images = waterfall.filter((e) => e.name.startsWith('/images/'));
    expect(images.length).toBeGreaterThan(0);
    const firstImageDone = Math.min(...images.map((e) => e.end));
    expect(vitals[0]!.start).toBeGreaterThanOrEqual(firstImageDone);
  });
});
