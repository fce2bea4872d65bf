/**
 * An older shop's page in windows-1252, with no `<meta charset>`, whose CDN serves scripts without
 * a charset: the browser then decodes vitrine.js and vitrine-debug.js in the page's encoding, so
 * any non-ASCII byte in them turns into mojibake ("Vitrine debug Â· store"). Every script-tag file
 * is emitted as ASCII only; this page shows why, in real Chromium.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';
import { waitForCards } from '../helpers/fixture-site.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

let server: RunningServer;
let browser: Browser;
let site: string;

beforeAll(async () => {
  site = await mkdtemp(join(tmpdir(), 'vitrine-1252-'));
  // The site plays the CDN too (data-cdn points at /cdn on it), so its headers decide the scripts' charset.
  await mkdir(join(site, 'cdn', 'sdk'), { recursive: true });
  for (const name of await readdir(DIST)) if (/^vitrine.*\.js$/.test(name)) await cp(join(DIST, name), join(site, 'cdn', 'sdk', name));
  server = await startServer({
    distDir: 'dist',
    site: {
      root: site,
      headers: (path) => (path.endsWith('.html') ? { 'Content-Type': 'text/html; charset=windows-1252' } : path.endsWith('.js') ? { 'Content-Type': 'text/javascript' } : {}),
    },
  });
  const cdn = `${server.urls.site}/cdn`;
  const page =
    `<!doctype html><html lang="fr"><head><title>Boutique ancienne</title></head><body><h1>Caf\u00e9 \u00e0 la cr\u00e8me</h1><div id="store"></div>` +
    `<script src="${cdn}/sdk/vitrine.js" data-store-id="1003" data-api="${server.urls.api}" data-cdn="${cdn}" data-origin="${cdn}" data-target="#store" data-limit="4"></script></body></html>`;
  await writeFile(join(site, 'shop.html'), Buffer.from(page, 'latin1'));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

describe('a windows-1252 page without <meta charset> (Chromium)', () => {
  it('every script-tag file is ASCII only', async () => {
    for (const name of await readdir(DIST)) {
      if (!/^vitrine.*\.js$/.test(name)) continue;
      const bytes = await readFile(join(DIST, name));
      expect(
        bytes.findIndex((b) => b > 0x7f),
        `${name}: first non-ASCII byte`,
      ).toBe(-1);
    }
  });

  it('shows the widgets and the debug overlay without mojibake', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.urls.site}/shop.html?vitrine-debug`);
    expect(await page.evaluate(() => document.characterSet)).toBe('windows-1252');
    // The page's own text decodes as the merchant wrote it: the test page really is windows-1252.
    expect(await page.textContent('h1')).toBe('Caf\u00e9 \u00e0 la cr\u00e8me');
    await waitForCards(page, 4);
    // The page is in French, so the overlay and the widgets are too (vitrine-i18n-fr.js): more
    // non-ASCII text (é, à, ’) that must arrive as written.
    await page.waitForFunction(() => !!document.querySelector('vitrine-debug')?.shadowRoot?.textContent?.includes('boutique 1003'), null, { timeout: 20_000 });
    const overlay = await page.evaluate(() => document.querySelector('vitrine-debug')!.shadowRoot!.textContent!);
    expect(overlay).toContain('D\u00e9bogage Vitrine \u00b7 boutique 1003');
    expect(overlay).not.toMatch(/\u00c2|\u00e2\u20ac/);
    const cards = await page.evaluate(() => document.querySelector('vitrine-grid')!.shadowRoot!.textContent!);
    expect(cards).not.toMatch(/\u00c2|\u00e2\u20ac/);
    expect(cards).toMatch(/En stock|Rupture de stock/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
