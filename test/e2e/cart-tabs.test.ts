/**
 * One cart across tabs, in real Chromium (Playwright, one browser context = one profile): two tabs
 * adding the same product at the same moment end with one line holding both quantities, with Web
 * Locks and without them (the revision compare-and-swap alone); a tab hears another's change; and
 * the cart closes its channel and database on pagehide, so the page can enter the bfcache, and
 * catches up on pageshow. The page bundles the cart from src/ with esbuild (fixtures/cart/cart-page.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const ENTRY = fileURLToPath(new URL('./fixtures/cart/cart-page.ts', import.meta.url));
const STORE = 'tabs';

let server: RunningServer;
let browser: Browser;
let siteDir: string;

beforeAll(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'vitrine-cart-'));
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    outfile: join(siteDir, 'cart.js'),
    logLevel: 'error',
    define: { __VITRINE_VERSION__: '"0.0.0-test"' },
  });
  server = await startServer({ site: { root: siteDir } });
  // Playwright turns the back/forward cache off by default; these tests need it on.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  const page = (dbName: string) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>cart</title>
<script>window.__config = { api: ${JSON.stringify(server.urls.api)}, storeId: ${JSON.stringify(STORE)}, dbName: ${JSON.stringify(dbName)} };</script>
<script src="cart.js"></script>`;
  await writeFile(join(siteDir, 'cart.html'), page('vitrine-e2e'));
  await writeFile(join(siteDir, 'other.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>elsewhere</title><p>elsewhere</p>');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
});

interface Seen {
  change: string;
  source: string;
  revision: number;
  lines: string[];
}

async function openTab(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${server.urls.site}/cart.html`);
  await page.evaluate(() => (window as unknown as { __cart: { ready: Promise<unknown> } }).__cart.ready);
  return { page, errors };
}

const lines = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cart: { lines: { key: string; quantity: number }[] } }).__cart.lines.map((l) => `${l.key}:${l.quantity}`));
const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: Seen[] }).__events);

/** Both tabs call add() at the same wall-clock instant (a shared deadline, not one after the other). */
async function addAtOnce(pages: Page[], productId: string, quantities: number[]) {
  const at = Date.now() + 300;
  await Promise.all(
    pages.map((page, i) =>
      page.evaluate(
        ([at, id, quantity]) =>
          new Promise((resolve, reject) => {
            const cart = (window as unknown as { __cart: { add(id: string, q: number): Promise<unknown> } }).__cart;
            setTimeout(() => cart.add(id as string, quantity as number).then(() => resolve(undefined), reject), (at as number) - Date.now());
          }),
        [at, productId, quantities[i]!] as const,
      ),
    ),
  );
}

async function expectEventually(page: Page, expected: string[]) {
  await expect.poll(() => lines(page), { timeout: 5000 }).toEqual(expected);
}

describe('one cart across tabs (Chromium)', () => {
  it('two tabs adding the same product at the same moment: one line with both quantities, in both tabs', async () => {
    const context = await browser.newContext();
    const a = await openTab(context);
    const b = await openTab(context);
    expect(await a.page.evaluate(() => typeof navigator.locks?.request)).toBe('function');
    await addAtOnce([a.page, b.page], '17', [2, 3]);
    await expectEventually(a.page, ['17:5']);
    await expectEventually(b.page, ['17:5']);
    // Revisions 1 and 2: two committed writes, neither lost.
    expect(Math.max(...(await events(a.page)).map((e) => e.revision))).toBe(2);
    expect(await a.page.evaluate((key) => localStorage.getItem(key), `vitrine-cart:${STORE}`)).toBe('5|17');
    expect([...a.errors, ...b.errors]).toEqual([]);
    await context.close();
  });

  it('without Web Locks, the revision compare-and-swap alone keeps both quantities', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined }));
    const a = await openTab(context);
    const b = await openTab(context);
    expect(await a.page.evaluate(() => navigator.locks)).toBeUndefined();
    await addAtOnce([a.page, b.page], '19', [1, 4]);
    await addAtOnce([a.page, b.page], '20', [1, 1]);
    await expectEventually(a.page, ['19:5', '20:2']);
    await expectEventually(b.page, ['19:5', '20:2']);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await context.close();
  });

  it('a tab hears another tab’s change (BroadcastChannel) and says where it came from; older revisions are ignored', async () => {
    const context = await browser.newContext();
    const a = await openTab(context);
    const b = await openTab(context);
    await a.page.evaluate(() => (window as unknown as { __cart: { add(id: string, q: number): Promise<unknown> } }).__cart.add('21', 2));
    await expectEventually(b.page, ['21:2']);
    const heard = (await events(b.page)).find((e) => e.source === 'other-tab');
    expect(heard).toMatchObject({ change: 'add', revision: 1, lines: ['21:2'] });
    // A stale message (revision 1 again, other lines) is ignored.
    await a.page.evaluate((name) => {
      const channel = new BroadcastChannel(name);
      channel.postMessage({ revision: 1, state: { revision: 1, lines: [{ productId: '99', quantity: 9 }] } });
      channel.close();
    }, `vitrine-cart:${STORE}`);
    await a.page.evaluate(() => (window as unknown as { __cart: { remove(id: string): Promise<unknown> } }).__cart.remove('21'));
    await expectEventually(b.page, []);
    expect((await events(b.page)).map((e) => e.lines.join())).not.toContain('99:9');
    expect((await events(b.page)).at(-1)).toMatchObject({ change: 'clear', source: 'other-tab', revision: 2 });
    await context.close();
  });

  it('pagehide closes the channel and the database: the page enters the bfcache, comes back, and catches up', async () => {
    const context = await browser.newContext();
    const a = await openTab(context);
    const b = await openTab(context);
    await a.page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
      return (window as unknown as { __cart: { add(id: string, q: number): Promise<unknown> } }).__cart.add('23', 1);
    });
    await expectEventually(b.page, ['23:1']);

    const cdp = await context.newCDPSession(a.page);
    await cdp.send('Page.enable');
    const notUsed: unknown[] = [];
    cdp.on('Page.backForwardCacheNotUsed', (e) => notUsed.push(e));
    await a.page.goto(`${server.urls.site}/other.html`);
    // While tab A sits in the bfcache, tab B changes the cart.
    await b.page.evaluate(() => (window as unknown as { __cart: { add(id: string, q: number): Promise<unknown> } }).__cart.add('23', 2));
    await a.page.goBack({ waitUntil: 'commit' });
    await a.page.waitForFunction(() => (window as unknown as { __pageshows?: boolean[] }).__pageshows?.includes(true), undefined, { timeout: 5000 });
    expect(notUsed).toEqual([]);
    // The same document came back (its marker survived): restored, not reloaded.
    expect(await a.page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    // It re-read the record on pageshow (the broadcast it missed while frozen).
    await expectEventually(a.page, ['23:3']);
    // And its reopened channel hears the next change.
    await b.page.evaluate(() => (window as unknown as { __cart: { add(id: string, q: number): Promise<unknown> } }).__cart.add('24', 1));
    await expectEventually(a.page, ['23:3', '24:1']);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await context.close();
  });
});
