/**
 * OWASP filter-evasion payloads in every product field the widgets render (names, descriptions, alt
 * text, URLs), in ids and in the category, answered at the network boundary (Playwright routes the
 * API) to the real script-tag bundle in Chromium. Nothing may execute, no dialog may open, and no
 * `javascript:`/`data:`/`vbscript:` URL may reach the DOM, shadow roots included.
 */
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

/** From the OWASP XSS Filter Evasion Cheat Sheet, each calling the canary or opening a dialog. */
export const PAYLOADS: readonly string[] = [
  '<script>__pwn()</script>',
  '<SCRIPT SRC=//xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=__pwn()>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '"><svg onload=__pwn()>',
  "'><svg/onload=alert(1)>",
  '<svg><script>__pwn()</script></svg>',
  '<iframe src="javascript:__pwn()"></iframe>',
  '<a href="javascript:__pwn()">x</a>',
  '<BODY ONLOAD=__pwn()>',
  '<details open ontoggle=__pwn()>',
  '<input autofocus onfocus=__pwn()>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__pwn()>',
  '</style><script>__pwn()</script>',
  '<style>@import "javascript:__pwn()";</style>',
  '<div style="background:url(javascript:__pwn())">',
  '<object data="data:text/html,<script>parent.__pwn()</script>"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  "{{constructor.constructor('__pwn()')()}}",
  '${__pwn()}',
  '\u003cscript\u003e__pwn()\u003c/script\u003e',
  '<scr<script>ipt>__pwn()</scr</script>ipt>',
  '%3Cscript%3E__pwn()%3C%2Fscript%3E',
];

/** URLs a product may try to smuggle into an href (each must be dropped or made harmless). */
export const URL_PAYLOADS: readonly string[] = [
  'javascript:__pwn()',
  'JaVaScRiPt:__pwn()',
  ' javascript:__pwn()',
  'java\tscript:__pwn()',
  'java\nscript:__pwn()',
  '\u0001javascript:__pwn()',
  'javascript&#58;__pwn()',
  'data:text/html,<script>__pwn()</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  '//xss.example/',
  'https://shop.example/p?q="><script>__pwn()</script>',
];

function hostileCatalogue() {
  const items: unknown[] = [];
  const payloads = [...PAYLOADS, ...URL_PAYLOADS];
  payloads.forEach((payload, i) => {
    items.push({
      id: `x${i}`,
      name: payload,
      description: payload,
      url: URL_PAYLOADS[i % URL_PAYLOADS.length],
      inStock: i % 2 === 0,
      price: { amount: 10 + i, currency: 'EUR' },
      image: { key: 'p1-163986ff', width: 1200, height: 900, alt: payload },
    });
    // The same payload as the id: the schema drops it, and dropping must not render it either.
    items.push({ id: payload, name: 'bad id', url: '/', inStock: true, price: { amount: 1, currency: 'EUR' } });
  });
  return { items, total: items.length, count: payloads.length };
}

let server: RunningServer;
let browser: Browser;
let siteDir: string;

beforeAll(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'vitrine-xss-'));
  await build({ entryPoints: [EMBED], bundle: true, format: 'iife', globalName: 'Vitrine', target: 'es2020', outfile: join(siteDir, 'vitrine.js'), logLevel: 'error' });
  server = await startServer({ site: { root: siteDir } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
});

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

describe('hostile product data rendered by the widgets in Chromium', () => {
  it('runs no payload, opens no dialog and puts no script URL in the DOM, whatever the catalogue contains', async () => {
    const catalogue = hostileCatalogue();
    const { urls } = server;
    const category = PAYLOADS[0]!;
    const page0 = `<!doctype html><meta charset="utf-8"><title>xss</title>
<script>window.__xss = 0; window.__pwn = function () { window.__xss++; };</script>
<div id="store"></div>
<vitrine-grid category="${attr(PAYLOADS[2]!)}" limit="5"></vitrine-grid>
<vitrine-product product-id="${attr(PAYLOADS[10]!)}"></vitrine-product>
<vitrine-product product-id="x3"></vitrine-product>
<script src="vitrine.js" data-store-id="1003" data-api="${urls.api}" data-cdn="${urls.cdn}" data-origin="${urls.origin}"
  data-target="#store" data-view="grid" data-limit="100" data-category="${attr(category)}"></script>`;
    await writeFile(join(siteDir, 'index.html'), page0);

    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    const apiQueries: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The network boundary: every product API answer is the hostile catalogue.
    await page.route(`${urls.api}/stores/**`, (route) => {
      apiQueries.push(route.request().url());
      void route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(catalogue) });
    });
    await page.goto(`${urls.site}/index.html`);
    // Every valid hostile product rendered as a card somewhere (the grid shows them all).
    await page.waitForFunction(
      (n) => {
        const texts: string[] = [];
        const walk = (root: Document | ShadowRoot) =>
          root.querySelectorAll('*').forEach((el) => {
            if (el.shadowRoot) {
              texts.push(el.shadowRoot.textContent ?? '');
              walk(el.shadowRoot);
            }
          });
        walk(document);
        return texts.join('').split('__pwn').length - 1 >= n;
      },
      PAYLOADS.filter((p) => p.includes('__pwn')).length,
      { timeout: 20_000 },
    );
    // Give event-handler payloads (onerror, onload, ontoggle, autofocus) their chance to fire.
    await page.mouse.move(10, 10);
    await page.mouse.move(300, 300);
    await page.keyboard.press('Tab');
    await page.waitForTimeout(500);

    const scan = await page.evaluate(() => {
      const bad: string[] = [];
      let elements = 0;
      let shadowRoots = 0;
      const walk = (root: Document | ShadowRoot) =>
        root.querySelectorAll('*').forEach((el) => {
          elements++;
          const tag = el.tagName.toLowerCase();
          if (root !== document && ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'details', 'input', 'body'].includes(tag)) bad.push(`<${tag}> in a shadow root`);
          for (const a of Array.from(el.attributes)) {
            if (/^on/i.test(a.name)) bad.push(`${tag}[${a.name}]`);
            if (/^\s*(javascript|data|vbscript):/i.test(a.value.replace(/[\u0000-\u0020]/g, ''))) bad.push(`${tag}[${a.name}=${a.value.slice(0, 40)}]`);
          }
          for (const prop of ['href', 'src', 'action', 'formAction', 'currentSrc'] as const) {
            const v = (el as unknown as Record<string, unknown>)[prop];
            if (typeof v === 'string' && /^(javascript|data|vbscript):/i.test(v)) bad.push(`${tag}.${prop}=${v.slice(0, 40)}`);
          }
          if (el.shadowRoot) {
            shadowRoots++;
            walk(el.shadowRoot);
          }
        });
      walk(document);
      return { bad, elements, shadowRoots, xss: (window as unknown as { __xss: number }).__xss };
    });
    await context.close();

    expect(scan.xss, 'payloads executed').toBe(0);
    expect(dialogs).toEqual([]);
    expect(scan.bad).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(scan.shadowRoots).toBeGreaterThanOrEqual(3);
    // The hostile category reached the API only as an encoded query value.
    expect(apiQueries.some((q) => new URL(q).searchParams.get('category') === category)).toBe(true);
    console.info(`[xss] ${PAYLOADS.length + URL_PAYLOADS.length} payloads × name/description/alt/url/id, ${scan.elements} elements scanned in ${scan.shadowRoots} shadow roots`);
  });
});
