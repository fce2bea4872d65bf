/**
 * A merchant page under a strict Content-Security-Policy with Trusted Types enforced, the CDN and
 * origin hosts listed as a merchant would: the embed renders, images, a script, a stylesheet and JSON
 * load, CDN blanks fall back to the origin — and the page records zero `securitypolicyviolation`s.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

const EMBED = fileURLToPath(new URL('../../src/embed.ts', import.meta.url));

let server: RunningServer;
let browser: Browser;
let siteDir: string;
let csp = '';

beforeAll(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'vitrine-csp-'));
  await build({ entryPoints: [EMBED], bundle: true, format: 'iife', globalName: 'Vitrine', target: 'es2020', outfile: join(siteDir, 'vitrine.js'), logLevel: 'error' });
  server = await startServer({ site: { root: siteDir, headers: (path) => (path.endsWith('.html') ? { 'Content-Security-Policy': csp } : {}) } });
  const { api, cdn, origin, collector } = server.urls;
  csp = [
    `default-src 'none'`,
    `script-src 'self' ${cdn} ${origin}`,
    `style-src 'self' ${cdn} ${origin}`,
    `img-src 'self' ${cdn} ${origin}`,
    `connect-src ${api} ${cdn} ${origin} ${collector}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `require-trusted-types-for 'script'`,
    `trusted-types vitrine`,
  ].join('; ');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
});

describe('a strict CSP page with Trusted Types', () => {
  it('renders the store and survives CDN→origin fallbacks without a single CSP violation', async () => {
    const { urls, backend } = server;
    // The page's own logic must be 'self' too: an external file, no inline script.
    const body = Buffer.from(await (await fetch(`${urls.origin}/assets/csp1.js`)).arrayBuffer());
    const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    await writeFile(
      join(siteDir, 'page.js'),
      `window.__run = async function () {
  const store = Vitrine.getStorefront('1003');
  const out = {};
  const ps = await store.products.getMany(['1', '2', '3']);
  const imgs = ps.map(function () { const i = document.createElement('img'); document.body.append(i); return i; });
  out.images = (await Promise.all(ps.map(function (p, n) { return store.assets.image(imgs[n], p, 'smallThumbnail'); }))).map(function (r) { return r.host; });
  out.script = (await store.assets.script('/assets/csp1.js', { integrity: ${JSON.stringify(integrity)} })).host;
  out.style = (await store.assets.style('/assets/csp1.css')).host;
  out.json = (await store.assets.json('/assets/csp1.json')).host;
  out.ran = window.__vitrineAsset_csp1_js === true;
  return out;
};`,
    );
    await writeFile(
      join(siteDir, 'index.html'),
      `<!doctype html><meta charset="utf-8"><title>csp</title><div id="store"></div>
<script src="vitrine.js" data-store-id="1003" data-api="${urls.api}" data-cdn="${urls.cdn}" data-origin="${urls.origin}" data-target="#store" data-view="grid" data-limit="6"></script>
<script src="page.js"></script>`,
    );
    backend.faults.clear();
    // Every CDN asset is blank: every one of them takes the fallback path.
    backend.faults.add({ host: 'cdn', fault: 'empty' });

    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Installed by the browser before any page script, so it sees violations from the first byte.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    const response = await page.goto(`${urls.site}/index.html`);
    expect(response?.headers()['content-security-policy']).toContain('trusted-types vitrine');
    await page.waitForFunction(() => {
      const grid = document.querySelector('#store *');
      return Boolean(grid?.shadowRoot?.textContent?.trim());
    });
    const out = await page.evaluate(() => (window as unknown as { __run(): Promise<Record<string, unknown>> }).__run());
    // Let the grid's own images finish their fallbacks too.
    await page.waitForTimeout(1000);
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    await context.close();

    expect(out).toEqual({ images: ['origin', 'origin', 'origin'], script: 'origin', style: 'origin', json: 'origin', ran: true });
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The fallbacks really happened under the policy: the CDN was asked and blanked.
    expect(backend.counts().log.filter((e) => e.host === 'cdn' && e.fault === 'empty').length).toBeGreaterThanOrEqual(6);
  });
});
