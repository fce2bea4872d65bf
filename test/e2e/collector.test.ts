/**
 * The SDK and the field collector end to end: real Chromium page views of a merchant page (the
 * simulated store on loopback) report to a real vitrine-collector on loopback, which stores each
 * view once — on leave, after a bfcache restore, and when a report had to wait for a later visit
 * because the collector was restarted in between. Then the incident's two faults, replayed through
 * Chromium page views plus generated reports, open their alarms and resolve when traffic heals.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { createCollector, type Collector } from '../../collector/src/server.js';
import type { CollectorOptions } from '../../collector/src/config.js';
import type { AlarmAnswer } from '../../collector/src/field/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const SITE = fileURLToPath(new URL('./fixtures/vitals/', import.meta.url));
const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
const SAFARI_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

let server: RunningServer;
let browser: Browser;
let bfcacheBrowser: Browser;
/** A Chromium whose every request (beacons after unload included) says it is Safari on an iPhone. */
let safari: Browser;
let collector: Collector;
let dir: string;
const contexts: BrowserContext[] = [];
const proxies = new Map<string, { server: Server; url: string }>();

/**
 * What stands in front of a collector in production: a CDN or load balancer that adds the shopper's
 * country (Cloudflare's CF-IPCountry). One loopback proxy per country, forwarding to the collector.
 */
async function viaCountry(country: string): Promise<string> {
  let proxy = proxies.get(country);
  if (!proxy) {
    const server = createServer((req, res) => {
      const target = new URL(req.url ?? '/', collector.url);
      const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host, 'cf-ipcountry': country } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    proxy = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    proxies.set(country, proxy);
  }
  return `${proxy.url}/v1/reports`;
}

async function startCollector(options: Partial<CollectorOptions> = {}, port = 0): Promise<Collector> {
  collector = await createCollector({ store: join(dir, 'field.db'), port, rateLimit: 0, countryHeader: 'cf-ipcountry', log: () => undefined, ...options });
  return collector;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-collector-'));
  server = await startServer({ site: { root: SITE } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  bfcacheBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  // A context's userAgent option does not reach a beacon sent after the page has gone; the flag does.
  safari = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--user-agent=${SAFARI_UA}`] });
});
afterAll(async () => {
  await browser?.close();
  await bfcacheBrowser?.close();
  await safari?.close();
  await server?.close();
  for (const p of proxies.values()) await new Promise((r) => p.server.close(r));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  server.backend.faults.clear();
  await collector?.close();
  rmSync(join(dir, 'field.db'), { force: true });
  rmSync(join(dir, 'field.db-wal'), { force: true });
  rmSync(join(dir, 'field.db-shm'), { force: true });
});

const countries = new WeakMap<Page, string>();

async function shopper(options: { country?: string; from?: Browser } = {}): Promise<Page> {
  const context = await (options.from ?? browser).newContext();
  contexts.push(context);
  const page = await context.newPage();
  if (options.country) countries.set(page, options.country);
  return page;
}

async function pageUrl(page: Page): Promise<string> {
  const { api, cdn, origin, site } = server.urls;
  const country = countries.get(page);
  const ingest = country ? await viaCountry(country) : collector.ingestUrl;
  return `${site}/index.html?${new URLSearchParams({ api, cdn, origin, collector: ingest })}`;
}

async function visit(page: Page): Promise<void> {
  await page.goto(await pageUrl(page));
  await page.waitForFunction(() => (window as unknown as { __painted: boolean }).__painted);
  await page.waitForFunction(() => {
    const seen = (window as unknown as { __vitals: string[] }).__vitals;
    return seen.includes('FCP') && seen.includes('TTFB');
  });
}

const leave = (page: Page) => page.goto(`${server.urls.site}/other.html`);

/** Waits (by count, not time) until the collector holds `n` views. */
async function stored(n: number): Promise<{ view_id: string; navigation_type: string; queued: number; sdk: string; browser: string; country: string; body: string }[]> {
  for (let i = 0; i < 300; i++) {
    if ((await collector.store.countReports()) >= n) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return collector.store.db.all('SELECT view_id, navigation_type, queued, sdk, browser, country, body FROM reports ORDER BY received_at');
}

describe('Chromium page views → vitrine-collector', () => {
  it('leaving the page stores its one report, with the SDK version, the browser and the country, and nothing more', async () => {
    await startCollector();
    const page = await shopper({ country: 'DE' });
    await visit(page);
    await leave(page);
    const [row, ...extra] = await stored(1);
    // A second page load gives a duplicate the time to arrive.
    await page.reload();
    expect(extra).toEqual([]);
    expect(await collector.store.countReports()).toBe(1);
    expect(row).toMatchObject({ navigation_type: 'navigate', queued: 0, sdk: VERSION, browser: 'Chrome', country: 'DE' });
    const body = JSON.parse(row!.body) as { vitals: { name: string }[]; page: string };
    expect(body.page).toBe('/index.html');
    expect(body.vitals.map((v) => v.name)).toEqual(expect.arrayContaining(['FCP', 'LCP', 'TTFB']));
    // The User-Agent string is not kept, only what was derived from it.
    expect(row!.body).not.toMatch(/Mozilla|HeadlessChrome/);
  });

  it('a bfcache round trip stores a second view for the restored page', async () => {
    await startCollector();
    const page = await shopper({ from: bfcacheBrowser });
    await visit(page);
    await leave(page);
    await stored(1);
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __painted: boolean }).__painted);
    await leave(page);
    const rows = await stored(2);
    expect(rows.map((r) => r.navigation_type)).toEqual(['navigate', 'back-forward-cache']);
    expect(new Set(rows.map((r) => r.view_id)).size).toBe(2);
  });

  it('a report that could not leave (offline, collector restarted meanwhile) arrives once on the next visit, filed as queued', async () => {
    const first = await startCollector();
    const port = Number(new URL(first.url).port);
    const page = await shopper();
    await visit(page);
    await page.context().setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    await page.goto('about:blank');
    await page.context().setOffline(false);
    // The collector restarts (same port, same database) while the report waits in IndexedDB.
    await first.close();
    await startCollector({}, port);
    expect(await collector.store.countReports()).toBe(0);
    await visit(page);
    const [queued] = await stored(1);
    expect(queued).toMatchObject({ queued: 1 });
    await leave(page);
    const rows = await stored(2);
    // Another visit flushes nothing more: the queued report went once.
    await visit(page);
    await leave(page);
    const all = await stored(3);
    expect(rows.slice(0, 2).map((r) => r.queued)).toEqual([1, 0]);
    expect(all).toHaveLength(3);
    expect(new Set(all.map((r) => r.view_id)).size).toBe(3);
  });
});

describe('the incident, replayed through Chromium page views and generated reports', () => {
  // Small samples so that a test can fill them with real page views; the defaults are 30 and 5.
  const alarms = { minSample: 6, blankMinViews: 3 };
  const answer = async () => (await (await fetch(`${collector.url}/v1/alarms`)).json()) as AlarmAnswer;

  /** A generated report from the previous SDK version (the traffic before the release). */
  const generated = (n: number, o: { sdk: string; apiRequests: number; userAgent?: string }) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(collector.ingestUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', 'User-Agent': o.userAgent ?? FIREFOX_UA, 'CF-IPCountry': 'FR' },
          body: JSON.stringify({
            v: 2,
            sdk: o.sdk,
            storeId: '1003',
            viewId: `generated${o.sdk.replace(/\W/g, '')}${i}${Math.random().toString(36).slice(2, 10)}`,
            page: '/index.html',
            navigationType: 'navigate',
            time: Date.now(),
            vitals: [{ name: 'LCP', value: 1500, delta: 1500, id: 'g', rating: 'good', navigationType: 'navigate' }],
            health: {
              apiRequests: o.apiRequests,
              apiRetries: 0,
              batches: { count: 0, ids: 0, max: 0 },
              cache: { fresh: 0, stale: 0, miss: 0 },
              assets: {
                image: { ok: 4, empty: 0, failed: 0 },
                script: { ok: 0, empty: 0, failed: 0 },
                style: { ok: 0, empty: 0, failed: 0 },
                json: { ok: 0, empty: 0, failed: 0 },
              },
              originFallbacks: 0,
              breakerOpenings: 0,
              retryBudgetSpent: 0,
              beaconsDropped: 0,
              errors: 0,
              blankUrls: [],
              blankUrlsOmitted: 0,
            },
          }),
        }).then((r) => expect(r.status).toBe(200)),
      ),
    );

  it('a version making 4× the requests of this one opens the requests alarm naming both, and it resolves when traffic heals', async () => {
    let now = Date.now();
    await startCollector({ minSample: alarms.minSample, alarms, now: () => now });
    // This release, measured in Chromium: one batched request per page view.
    for (let i = 0; i < alarms.minSample; i++) {
      const page = await shopper();
      await visit(page);
      await leave(page);
    }
    await stored(alarms.minSample);
    // The next version, as its shoppers' reports arrive: the incident's four requests per view.
    await generated(alarms.minSample, { sdk: '9.9.0', apiRequests: 4 });
    const open = (await answer()).open.find((a) => a.kind === 'requests-per-view' && a.subject === 'sdk 9.9.0');
    expect(open?.evidence).toMatchObject({ version: '9.9.0', previous: VERSION, requestsPerView: 4, previousRequestsPerView: 1, ratio: 4 });
    // Rolled back: the window moves past the bad version's views.
    now += 31 * 60_000;
    const later = await answer();
    expect(later.open.filter((a) => a.kind === 'requests-per-view')).toEqual([]);
    expect(later.resolved.map((a) => a.subject)).toContain('sdk 9.9.0');
  });

  it('a CDN copy blank for Safari only, in Germany only, opens a blank-variant alarm for that browser × country, and Chrome in Germany does not see it', async () => {
    let now = Date.now();
    await startCollector({ minSample: alarms.minSample, alarms, now: () => now });
    // The CDN serves a zero-byte copy of one product's images to Safari only.
    server.backend.faults.add({ host: 'cdn', fault: 'empty', path: '/images/*', userAgent: 'Version/17.5 Mobile' });
    const views = async (from: Browser, country: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const page = await shopper({ from, country });
        await visit(page);
        await leave(page);
      }
    };
    await views(browser, 'DE', alarms.minSample); // Chrome in Germany: fine
    await views(safari, 'DE', alarms.minSample); // Safari in Germany: blank copies, origin fallbacks
    await generated(alarms.minSample * 2, { sdk: VERSION, apiRequests: 1, userAgent: SAFARI_UA }); // Safari in France: fine
    const rows = await stored(alarms.minSample * 4);
    expect(rows.filter((r) => r.browser === 'Safari' && r.country === 'DE')).toHaveLength(alarms.minSample);
    expect(
      rows.filter((r) => r.browser === 'Safari' && r.country === 'DE').every((r) => (JSON.parse(r.body) as { health: { blankUrls: string[] } }).health.blankUrls.length > 0),
    ).toBe(true);
    const open = (await answer()).open.filter((a) => a.kind === 'blank-variant');
    expect(open.map((a) => a.subject)).toEqual(['Safari 17 in DE']);
    const urls = open[0]!.evidence['urls'] as { url: string; blankElsewhere: number }[];
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) {
      expect(u.url.startsWith(`${server.urls.cdn}/images/`)).toBe(true);
      expect(u.blankElsewhere).toBe(0);
    }
    // The purge export names exactly those URLs, for the German mobile copy.
    const purge = (await (await fetch(`${collector.url}/v1/blank-variants?format=cloudflare`)).json()) as {
      requests: { body: { files: { url: string; headers: Record<string, string> }[] } }[];
    };
    expect(purge.requests[0]!.body.files.map((f) => f.url).sort()).toEqual(urls.map((u) => u.url).sort());
    expect(purge.requests[0]!.body.files[0]!.headers).toEqual({ 'CF-IPCountry': 'DE', 'CF-Device-Type': 'mobile' });
    // Purged: Safari in Germany sees good copies again; once the window holds only those, the alarm resolves.
    server.backend.faults.clear();
    now += 31 * 60_000;
    await views(safari, 'DE', alarms.minSample);
    const healed = await answer();
    expect(healed.open.filter((a) => a.kind === 'blank-variant')).toEqual([]);
    expect(healed.resolved.map((a) => a.subject)).toContain('Safari 17 in DE');
  });
});
