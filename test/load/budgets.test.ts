/**
 * Request budgets: real merchant pages in headless Chromium against the simulated backend over
 * loopback HTTP. Every scenario is one page view; the backend's own log counts what it cost (API,
 * CDN and origin requests, body bytes), and anything above the committed budget in budgets.json
 * fails the build. The same page views through the incident's request pattern are the comparison.
 *
 * Lowering a budget is a one-line change in budgets.json; raising one is a reviewed decision.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule, LogEntry } from '../../demo/backend/index.js';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = resolve(import.meta.dirname, 'fixtures');

type Figure = 'api' | 'cdn' | 'origin' | 'bytes';
const FIGURES: readonly Figure[] = ['api', 'cdn', 'origin', 'bytes'];
type Counts = Record<Figure, number>;
/** Also measured, not budgeted here: the bundle's own size budget is budgets.json "bundle". */
type Measured = Counts & { sdkBytes: number /** host, status and path of each request, for the artifact */; requests: string[] };

interface Scenario {
  id: string;
  /** What a reviewer reads in a failure message and the table. */
  title: string;
  page: 'grid' | 'embeds' | 'grid-cart' | 'embeds-cart' | 'cart-only';
  /**
   * A returning shopper's cart: these products were added in an earlier visit (cart-setup.html) and
   * their cached product data has expired since (dropped), so the view must re-price them.
   */
  cart?: readonly string[];
  faults?: FaultRule[];
  /** Measured on a second view in the same browser context, after the first has been cached. */
  warm?: boolean;
  /** The tag carries `data-api-origin` (the simulated API's `/_origin` paths): `<page>-origin.html`. */
  apiOrigin?: boolean;
  /** The page ends on the widgets' error state (`vitrine-error` with no retry pending), not on products. */
  endsInError?: boolean;
}

/** The returning shopper's cart: five USD products (a cart holds one currency), none on the embeds page. */
const CART = ['2', '4', '27', '31', '34'];

const SCENARIOS: readonly Scenario[] = [
  { id: 'grid-cold', title: '24-product grid, cold', page: 'grid' },
  { id: 'embeds-cold', title: '8 single-product embeds, cold', page: 'embeds' },
  { id: 'grid-warm', title: '24-product grid, warm', page: 'grid', warm: true },
  { id: 'embeds-warm', title: '8 single-product embeds, warm', page: 'embeds', warm: true },
  // The cart re-priced through the page's one batched request: 5 products of its own, none on the page.
  { id: 'embeds-cart-cold', title: '8 embeds and a 5-line cart of other products, cold', page: 'embeds-cart', cart: CART },
  { id: 'embeds-cart-warm', title: '8 embeds and a 5-line cart of other products, warm', page: 'embeds-cart', cart: CART, warm: true },
  // A slow answer: the cart's file (and its re-pricing) is there while the page's request is still in
  // flight, and must join it rather than ask again.
  {
    id: 'embeds-cart-api-slow',
    title: '8 embeds and a 5-line cart, API answering in 1 s',
    page: 'embeds-cart',
    cart: CART,
    faults: [{ host: 'api', fault: 'slow', delayMs: 1000 }],
  },
  { id: 'grid-cart-cold', title: '24-product grid and a 5-line cart, cold', page: 'grid-cart', cart: CART },
  { id: 'cart-only-cold', title: 'a page with only the cart badge and a 5-line cart, cold', page: 'cart-only', cart: CART },
  {
    id: 'grid-cdn-blank-10pct',
    title: '24-product grid, 10% of CDN images blank',
    page: 'grid',
    faults: [{ host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1 }],
  },
  {
    id: 'embeds-cdn-blank-10pct',
    title: '8 embeds, 10% of CDN images blank',
    page: 'embeds',
    faults: [{ host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1 }],
  },
  // The SDK itself stays reachable (a merchant whose bundle did not load has no storefront at all):
  // every image path on the CDN is down.
  { id: 'grid-cdn-down', title: '24-product grid, CDN down for images', page: 'grid', faults: [{ host: 'cdn', fault: 'network', path: '/images/*' }] },
  { id: 'grid-api-slow', title: '24-product grid, API answering in 1 s', page: 'grid', faults: [{ host: 'api', fault: 'slow', delayMs: 1000 }] },
  // The API behind its CDN, with `data-api-origin` on the tag (API counts include the API origin's requests).
  { id: 'grid-api-origin-healthy', title: '24-product grid, apiOrigin set, API healthy', page: 'grid', apiOrigin: true },
  {
    id: 'grid-api-blank-origin',
    title: '24-product grid, API blank for this variant, apiOrigin answers',
    page: 'grid',
    apiOrigin: true,
    faults: [{ host: 'api', fault: 'empty', path: '/stores/*' }],
  },
  {
    id: 'embeds-api-503-origin',
    title: '8 embeds, API 503 on every request, apiOrigin answers',
    page: 'embeds',
    apiOrigin: true,
    faults: [{ host: 'api', fault: 'status', status: 503, path: '/stores/*' }],
  },
  {
    id: 'grid-api-and-origin-down',
    title: '24-product grid, API and API origin both down',
    page: 'grid',
    apiOrigin: true,
    endsInError: true,
    faults: [{ host: 'api', fault: 'network' }],
  },
];

interface Row {
  scenario: Scenario;
  vitrine: Measured;
  incident: Measured | undefined;
  budget: Counts;
}

const budgets = JSON.parse(readFileSync(resolve(ROOT, 'budgets.json'), 'utf8')) as { requests?: Record<string, Partial<Counts>> };

function budgetFor(id: string): Counts {
  const entry = budgets.requests?.[id];
  const missing = FIGURES.filter((f) => typeof entry?.[f] !== 'number');
  if (!entry || missing.length > 0) throw new Error(`budgets.json has no requests.${id}.{${missing.join(',')}}: every scenario needs a budget for ${FIGURES.join(', ')}`);
  return entry as Counts;
}

/** The incident client, transpiled for the page: the same file the load benchmark runs in Node. */
const incidentModule = ts.transpileModule(readFileSync(resolve(ROOT, 'bench/incident-client.ts'), 'utf8'), {
  compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
}).outputText;

let server: RunningServer;
let browser: Browser;
const rows: Row[] = [];
const site = mkdtempSync(join(tmpdir(), 'vitrine-budgets-'));

beforeAll(async () => {
  server = await startServer({ distDir: resolve(ROOT, 'dist'), site: { root: site } });
  // Merchant pages are static files with literal tags, written once the backend's loopback ports are
  // known. (Pages fulfilled by Playwright instead would count as public and be refused loopback access.)
  const { api, cdn, origin } = server.urls;
  for (const file of readdirSync(FIXTURES)) {
    const text = readFileSync(resolve(FIXTURES, file), 'utf8').replaceAll('{{api}}', api).replaceAll('{{cdn}}', cdn).replaceAll('{{origin}}', origin);
    writeFileSync(join(site, file), text);
    if (file === 'grid.html' || file === 'embeds.html') {
      // The same page with the API's origin on the tag, counting the widgets' final error states too.
      const withOrigin = text
        .replace(`data-api="${api}"`, `data-api="${api}" data-api-origin="${api}/_origin"`)
        .replace(
          'window.__vitrineRendered = 0;',
          "window.__vitrineRendered = 0; window.__vitrineErrors = 0;\n    document.addEventListener('vitrine-error', (e) => { if (!e.detail.pending) window.__vitrineErrors++; });",
        );
      writeFileSync(join(site, file.replace('.html', '-origin.html')), withOrigin);
    }
  }
  writeFileSync(join(site, 'incident-client.js'), incidentModule);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(site, { recursive: true, force: true });
  if (rows.length > 0) {
    mkdirSync(resolve(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(
      resolve(ROOT, 'test-artifacts/request-budgets.json'),
      `${JSON.stringify(
        rows.map(({ scenario, ...r }) => ({ id: scenario.id, title: scenario.title, ...r })),
        null,
        2,
      )}\n`,
    );
    console.log(table(rows));
  }
});

/** A fresh shopper: its own IndexedDB and HTTP cache, a fixed viewport so lazy loading is the same every run. */
const newShopper = () => browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Widgets (or, on the incident pages, page scripts) announcing a finished render, per page. */
const RENDERS: Record<Scenario['page'], number> = { grid: 1, embeds: 8, 'grid-cart': 1, 'embeds-cart': 8, 'cart-only': 0 };

/** Waits until the page has rendered and the backend has gone quiet (nothing in flight, no new requests). */
async function settle(page: Page, renders: number, endsInError = false, cart = false): Promise<void> {
  await page.waitForFunction(
    ([n, errors, withCart]) => {
      const w = window as { __vitrineRendered?: number; __vitrineFailed?: string; __vitrineErrors?: number; __vitrineCart?: unknown };
      if (withCart && !w.__vitrineCart) return false;
      return (w.__vitrineRendered ?? 0) >= n || w.__vitrineFailed !== undefined || (errors && (w.__vitrineErrors ?? 0) >= 1);
    },
    [renders, endsInError, cart] as const,
    { timeout: 30_000 },
  );
  const failed = await page.evaluate(() => (window as { __vitrineFailed?: string }).__vitrineFailed);
  if (failed !== undefined) throw new Error(`the page failed to render: ${failed}`);
  await page.waitForLoadState('networkidle');
  let last = -1;
  for (let quiet = 0; quiet < 3; ) {
    await sleep(200);
    const total = server.backend.counts().total;
    quiet = total === last && server.backend.inFlight() === 0 ? quiet + 1 : 0;
    last = total;
  }
}

/** Waits until the cold view's products are in IndexedDB, so the warm view measures the cache and not a race. */
async function persisted(page: Page, entries: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      new Promise<boolean>((done) => {
        const open = indexedDB.open('vitrine-products');
        open.onerror = () => done(false);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('entries')) return (db.close(), done(false));
          const count = db.transaction('entries').objectStore('entries').count();
          count.onsuccess = () => (db.close(), done(count.result >= n));
          count.onerror = () => (db.close(), done(false));
        };
      }),
    entries,
    { timeout: 15_000, polling: 100 },
  );
}

/** Requests per host; body bytes of data and images (the SDK bundle's bytes apart). */
function tally(log: readonly LogEntry[]): Measured {
  const counts: Measured = { api: 0, cdn: 0, origin: 0, bytes: 0, sdkBytes: 0, requests: [] };
  for (const entry of log) {
    counts.requests.push(`${entry.host} ${entry.status}${entry.fault ? ` (${entry.fault})` : ''} ${entry.path}${entry.search}`);
    if (entry.host === 'collector') continue;
    counts[entry.host]++;
    if (entry.path.startsWith('/sdk/')) counts.sdkBytes += entry.bytes;
    else counts.bytes += entry.bytes;
  }
  return counts;
}

/**
 * An earlier visit put `ids` in the cart (IndexedDB `vitrine-cart` and its localStorage hint); the
 * product data that visit cached is then dropped, as if it had expired, on a blank page of the same
 * origin (its own connections closed, so the deletion is not blocked).
 */
async function returningCart(context: BrowserContext, ids: readonly string[]): Promise<void> {
  const setup = await context.newPage();
  await setup.goto(`${server.urls.site}/cart-setup.html#${ids.join(',')}`);
  await setup.waitForFunction(() => (window as { __cartReady?: unknown }).__cartReady !== undefined, undefined, { timeout: 20_000 });
  expect(await setup.evaluate(() => (window as { __cartReady?: unknown }).__cartReady)).toBe(ids.length);
  await setup.close();
  const blank = await context.newPage();
  await blank.goto(`${server.urls.site}/blank.html`);
  await blank.evaluate(async () => {
    for (const key of Object.keys(localStorage)) if (/^vitrine-(fresh|cached):/.test(key)) localStorage.removeItem(key);
    await new Promise((done) => {
      const request = indexedDB.deleteDatabase('vitrine-products');
      request.onsuccess = request.onerror = request.onblocked = done;
    });
  });
  await blank.close();
}

/** One page view of the scenario (after a cold one in the same context when warm); what it cost the backend. */
async function pageView(scenario: Scenario, file: string): Promise<Measured> {
  const context = await newShopper();
  try {
    if (scenario.cart) await returningCart(context, scenario.cart);
    if (scenario.warm) {
      const first = await context.newPage();
      await first.goto(`${server.urls.site}/${file}`);
      await settle(first, RENDERS[scenario.page], false, !!scenario.cart);
      // Vitrine persists products in the background; the incident client persists nothing.
      if (!file.startsWith('incident')) await persisted(first, (scenario.page.startsWith('grid') ? 25 : 8) + (scenario.cart?.length ?? 0));
      await first.close();
    }
    server.backend.resetCounts();
    for (const rule of scenario.faults ?? []) server.backend.faults.add(rule);
    const page = await context.newPage();
    await page.goto(`${server.urls.site}/${file}`);
    await settle(page, RENDERS[scenario.page], scenario.endsInError && !file.startsWith('incident'), !!scenario.cart && !file.startsWith('incident'));
    const counts = tally(server.backend.counts().log);
    if (scenario.apiOrigin && !file.startsWith('incident')) {
      const origin = server.backend.counts().log.filter((e) => e.host === 'api' && e.path.startsWith('/_origin/'));
      // The API origin is never asked while the API answers.
      if (!scenario.faults) expect(origin, 'API origin requests on a healthy API').toEqual([]);
      else expect(origin.length, 'API origin requests').toBeGreaterThan(0);
    }
    await page.close();
    return counts;
  } finally {
    server.backend.faults.clear();
    server.backend.resetCounts();
    await context.close();
  }
}

/** One line per figure over budget: the scenario, the figure, the budget and where it lives. */
export function overBudget(scenario: Pick<Scenario, 'id' | 'title'>, counts: Counts, budget: Counts): string[] {
  const name = (f: Figure) => (f === 'bytes' ? 'data and image bytes' : `${f === 'api' ? 'API' : f.toUpperCase()} requests`);
  return FIGURES.filter((f) => counts[f] > budget[f]).map(
    (f) => `${scenario.title}: ${name(f)} per page view ${counts[f]} > budget ${budget[f]} (budgets.json requests["${scenario.id}"].${f})`,
  );
}

function table(all: readonly Row[]): string {
  const head = '| scenario | API | CDN | origin | data+image KB | SDK KB | incident API | incident CDN | incident KB | API requests saved |';
  const line = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const kb = (n: number) => (n / 1024).toFixed(1);
  const body = all.map(
    ({ scenario: s, vitrine: v, incident: i }) =>
      `| ${s.title} | ${v.api} | ${v.cdn} | ${v.origin} | ${kb(v.bytes)} | ${kb(v.sdkBytes)} | ${i ? `${i.api} | ${i.cdn} | ${kb(i.bytes)} | ${v.api === 0 ? `all ${i.api}` : `${(i.api / v.api).toFixed(0)}×`}` : '— | — | — | —'} |`,
  );
  return [head, line, ...body].join('\n');
}

// No retries here (the e2e tier retries flaky page tests): a budget must hold on the first try, or
// a race that costs a request now and then would pass on a second attempt.
describe('request budgets per page view (real Chromium, loopback backend)', { retry: 0 }, () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.title}: a shopper's page view costs no more requests or bytes than budgeted`, async () => {
      const budget = budgetFor(scenario.id);
      const vitrine = await pageView(scenario, `${scenario.page}${scenario.apiOrigin ? '-origin' : ''}.html`);
      // The incident client has no API origin and no cart: its page views are the comparison for the plain scenarios only.
      const incident = scenario.apiOrigin || scenario.cart ? undefined : await pageView(scenario, `incident-${scenario.page}.html`);
      rows.push({ scenario, vitrine, incident, budget });
      // The cart's products rode along with the page's one request of ids, not a request of their own.
      if (scenario.cart && scenario.page === 'embeds-cart' && !scenario.warm) {
        // (every cold one: also under a slow API)
        const api = vitrine.requests.filter((r) => r.startsWith('api '));
        expect(api).toHaveLength(1);
        for (const id of scenario.cart) expect(api[0]!.split('ids=')[1]!.split(',')).toContain(id);
      }
      expect(overBudget(scenario, vitrine, budget)).toEqual([]);
    });
  }

  it('a page view over budget fails with a message naming the scenario, the figure and the budget', () => {
    const over = overBudget({ id: 'grid-cold', title: '24-product grid, cold' }, { api: 2, cdn: 17, origin: 0, bytes: 10 }, { api: 1, cdn: 17, origin: 0, bytes: 10 });
    expect(over).toEqual(['24-product grid, cold: API requests per page view 2 > budget 1 (budgets.json requests["grid-cold"].api)']);
  });

  it('cold page views make one API request and warm ones none (a page with only the cart badge none): at least 50× fewer than the incident pattern overall', () => {
    expect(rows.map((r) => r.scenario.id)).toEqual(SCENARIOS.map((s) => s.id));
    const plain = rows.filter((r) => !r.scenario.apiOrigin);
    for (const { scenario, vitrine } of plain) expect(vitrine.api, scenario.title).toBe(scenario.warm || scenario.page === 'cart-only' ? 0 : 1);
    // Against the incident pattern: the page views it has a twin of.
    const compared = plain.filter((r) => r.incident);
    const sum = (pick: (r: Row) => number) => compared.reduce((n, r) => n + pick(r), 0);
    expect(sum((r) => r.incident?.api ?? 0)).toBeGreaterThanOrEqual(50 * sum((r) => r.vitrine.api));
    // With the API origin: one request while the API is healthy; 1 + 1 per lookup while it fails and the origin
    // answers; 1 + 1 + the budgeted retry when both are down.
    const api = (id: string) => rows.find((r) => r.scenario.id === id)?.vitrine.api;
    expect([api('grid-api-origin-healthy'), api('grid-api-blank-origin'), api('embeds-api-503-origin'), api('grid-api-and-origin-down')]).toEqual([1, 2, 2, 3]);
  });
});
