/**
 * The dashboard (`GET /`) against a collector filled through its real ingest URL, in real
 * headless Chromium: sign-in, tiles, charts, tables, alarms, the purge export, the hostile strings
 * shown as text, no console error, no CSP violation, axe, and 375 px wide. Screenshots land in
 * test-artifacts/ (not committed).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';
import { html, httpUrl, linkOrText, raw } from '../src/dashboard/html.js';
import { DASHBOARD_JS } from '../src/dashboard/client-script.js';
import { CSP } from '../src/dashboard/respond.js';
import { DASHBOARD_CSS } from '../src/dashboard/style.js';
import { createCollector, type Collector } from '../src/server.js';
import { openStore } from '../src/store/store.js';
import { BLANK_CSS, BLANK_IMG, HOSTILE_BLANK, HOSTILE_PAGES, fillDashboardData } from './dashboard-fixture.js';
import { makeRecord, makeReport, sqliteBackend, withFailingQueries } from './helpers.js';

const TOKEN = 's3cret';
const CONSOLE_URL = 'http://127.0.0.1:5173/demo/index.html';
const ARTIFACTS = 'test-artifacts';
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const backend = sqliteBackend();
let collector: Collector;
let browser: Browser;

beforeAll(async () => {
  collector = await createCollector({
    store: await backend.create(),
    token: TOKEN,
    rateLimit: 0,
    log: () => {},
    countryHeader: 'cf-ipcountry',
    minSample: 5,
    consoleUrl: CONSOLE_URL,
  });
  await fillDashboardData(collector);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  await backend.cleanup();
});

const cookie = { cookie: `vitrine_token=${TOKEN}` };
const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${collector.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(body), headers });

/** A page that records console errors, page errors, CSP violations and dialogs (an alert() that ran). */
async function watchedPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  const csp: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) csp.push(m.text());
    else if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.exposeFunction('__cspViolation', (v: string) => csp.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, problems, csp };
}

async function signIn(page: Page, path = '/') {
  await page.goto(`${collector.url}${path}`);
  await page.getByLabel('Token').fill(TOKEN);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.waitForSelector('#h-vitals');
}

async function axeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
}

describe('dashboard markup', () => {
  it('escapes every interpolated string, passes raw() fragments through, and links only http(s) URLs', () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    expect(html`<p title="${hostile}">${hostile}</p>`.text).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html`<p>${['<b>', raw('<i>ok</i>'), 3, undefined, null, false]}</p>`.text).toBe('<p>&lt;b&gt;<i>ok</i>3</p>');
    expect(html`${"it's `x`"}`.text).toBe('it&#39;s &#96;x&#96;');
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('data:text/html,<script>')).toBeUndefined();
    expect(httpUrl('/relative')).toBeUndefined();
    expect(httpUrl('https://cdn.example.com/a.css')).toBe('https://cdn.example.com/a.css');
    expect(linkOrText(HOSTILE_BLANK).text).toBe('javascript:alert(1)');
    expect(linkOrText(BLANK_IMG).text).toBe(
      '<a href="https://cdn.example.com/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E.png" rel="noopener noreferrer">https://cdn.example.com/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.png</a>',
    );
  });

  it('keeps /dashboard.js and /dashboard.css small, and the script parses', () => {
    expect(Buffer.byteLength(DASHBOARD_JS)).toBeLessThan(5 * 1024);
    expect(Buffer.byteLength(DASHBOARD_CSS)).toBeLessThan(12 * 1024);
    expect(() => new Function(DASHBOARD_JS)).not.toThrow();
  });
});

describe('dashboard over HTTP', () => {
  it('without the token: the API answers 401, / shows the sign-in form (401), the purge export is refused; ingest stays open', async () => {
    expect((await fetch(`${collector.url}/v1/field`)).status).toBe(401);
    const page = await fetch(`${collector.url}/`);
    expect(page.status).toBe(401);
    const text = await page.text();
    expect(text).toContain('<form class="login" method="post" action="/login">');
    expect(text).not.toContain('h-vitals');
    expect((await fetch(`${collector.url}/`, { headers: { cookie: 'vitrine_token=wrong' } })).status).toBe(401);
    expect((await fetch(`${collector.url}/purge.json?format=cloudflare`)).status).toBe(401);
    const ingest = await fetch(collector.ingestUrl, { method: 'POST', body: JSON.stringify(makeReport()), headers: { 'Content-Type': 'text/plain' } });
    expect(ingest.status).toBe(200);
  });

  it('signs in with the right token (303, HttpOnly SameSite=Strict cookie, Secure only over https), refuses a wrong one with 401 and a message, and signs out', async () => {
    const ok = await form({ token: TOKEN, next: '?store=1003&range=7d&evil=1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/?range=7d&store=1003');
    expect(ok.headers.get('set-cookie')).toBe('vitrine_token=s3cret; HttpOnly; SameSite=Strict; Path=/');
    const behindTls = await form({ token: TOKEN }, { 'X-Forwarded-Proto': 'https' });
    expect(behindTls.headers.get('set-cookie')).toBe('vitrine_token=s3cret; HttpOnly; SameSite=Strict; Path=/; Secure');

    const wrong = await form({ token: 'guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That token is not the one this collector was started with.');

    expect((await form({ token: 'x'.repeat(5000) })).status).toBe(413);
    const json = await fetch(`${collector.url}/login`, { method: 'POST', body: JSON.stringify({ token: TOKEN }), headers: { 'Content-Type': 'application/json' } });
    expect(json.status).toBe(415);
    for (const headers of [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' }]) {
      const crossSite = await form({ token: TOKEN }, headers);
      expect(crossSite.status).toBe(403);
      expect(crossSite.headers.get('set-cookie')).toBeNull();
    }

    const out = await fetch(`${collector.url}/logout`, { method: 'POST', redirect: 'manual', headers: cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toBe('vitrine_token=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
  });

  it('sends the strict CSP, nosniff, no-referrer and no-store on every dashboard answer', async () => {
    const answers = await Promise.all([
      fetch(`${collector.url}/`),
      fetch(`${collector.url}/`, { headers: cookie }),
      fetch(`${collector.url}/dashboard.css`),
      fetch(`${collector.url}/dashboard.js`),
      fetch(`${collector.url}/purge.json?format=fastly`, { headers: cookie }),
      fetch(`${collector.url}/purge.json?format=nope`, { headers: cookie }),
      form({ token: TOKEN }),
    ]);
    for (const res of answers) {
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(answers.map((r) => r.status)).toEqual([401, 200, 200, 200, 200, 400, 303]);
    expect(answers[2]!.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(answers[3]!.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    // No inline script or style anywhere in the page.
    const page = await (await fetch(`${collector.url}/`, { headers: cookie })).text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc="\/dashboard\.js")/);
    expect(page).not.toMatch(/<style|<[^>]*\s(style|on[a-z]+)=/i);
  });

  it('shows a refused filter as a 400 page naming the parameter, with the bad value escaped in the form', async () => {
    const res = await fetch(`${collector.url}/?country=${encodeURIComponent('<script>x</script>')}`, { headers: cookie });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('Invalid filter (<code>country</code>)');
    expect(text).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
    expect(text).not.toContain('<script>x');
    const range = await fetch(`${collector.url}/?range=2y`, { headers: cookie });
    expect(range.status).toBe(400);
    expect(await range.text()).toContain('Expected range to be one of 1h, 24h, 7d, 30d');
  });

  it('without a token (loopback only) shows the dashboard directly, saying "no token: loopback only", and says when the data is simulated', async () => {
    const open = await createCollector({ store: await backend.create(), rateLimit: 0, log: () => {} });
    try {
      const res = await fetch(`${open.url}/`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('no token: loopback only');
      expect(text).toContain('id="h-vitals"');
      expect(text).not.toContain('action="/logout"');
      expect(text).not.toContain('simulated data');
      await open.store.write([{ ...makeRecord(), simulated: true }, makeRecord()]);
      const mixed = await (await fetch(`${open.url}/`)).text();
      expect(mixed).toContain('<strong>simulated data.</strong> 1 of the 2 page views in range came from');
      expect((await fetch(`${open.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: 'x' }) })).status).toBe(303);
    } finally {
      await open.close();
    }
  });

  it("degrades per section: when the field answer's query fails, its sections say so, the alarms and blank variants still render, the page is a 200 and the log says why", async () => {
    const lines: string[] = [];
    const now = Date.now();
    // The field answer's rollup queries fail (with the error SQLite gave when this test stored
    // overflowing counters, which the answers now leave out: stored-counters.test.ts).
    const store = withFailingQueries(await openStore(await backend.create()), (sql) => sql.includes('GROUP BY dim, value'), 'integer overflow');
    const open = await createCollector({ store, rateLimit: 0, log: (l) => lines.push(l), now: () => now });
    try {
      const blank = 'https://cdn.example.com/a.avif';
      await open.store.write([
        makeRecord({ health: { blankUrls: [blank] } }, { receivedAt: now - 2 * 3_600_000 }),
        makeRecord({ health: { blankUrls: [blank] } }, { receivedAt: now - 60_000 }),
      ]);
      expect((await fetch(`${open.url}/v1/field`)).status).toBe(500);
      const res = await fetch(`${open.url}/`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.match(/<strong>Could not be loaded\.<\/strong>/g)).toHaveLength(1);
      expect(text).toMatch(/<h2 id="h-vitals">[^<]*<\/h2><p class="banner error" role="alert"><strong>Could not be loaded/);
      expect(text).toContain('No open alarm.');
      expect(text).toContain(blank);
      expect(text).toContain('<p class="range">Showing <time');
      expect(lines.filter((l) => /^dashboard: field data failed: .*overflow/.test(l))).toHaveLength(1);
    } finally {
      await open.close();
      await store.close();
    }
  });

  it('shows "not enough data" on a tile under the minimum sample', async () => {
    const res = await fetch(`${collector.url}/?range=1h&page=${encodeURIComponent('/nowhere')}`, { headers: cookie });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text.match(/not enough data<\/p>/g)).toHaveLength(5);
  });
});

describe('dashboard in Chromium', () => {
  it('signs in through the form and shows tiles, drawn charts with tooltips, tables, alarms and the purge export, with hostile strings as text, no console error and no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const { page, problems, csp } = await watchedPage(context);

    // The sign-in page is what / shows without the cookie.
    const first = await page.goto(`${collector.url}/`);
    expect(first?.status()).toBe(401);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await page.getByLabel('Token').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not the one');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-login.png` });
    await signIn(page);
    expect((await context.cookies()).find((c) => c.name === 'vitrine_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: TOKEN });

    // Tiles: five metrics, each with a number and a rating.
    const tiles = await page
      .locator('.tile')
      .evaluateAll((els) =>
        els.map((e) => ({ name: e.querySelector('h3 abbr')?.textContent, value: e.querySelector('.value')?.textContent, rating: e.querySelector('.rating')?.textContent })),
      );
    expect(tiles.map((t) => t.name)).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    for (const t of tiles) {
      expect(t.value).toMatch(/^\d[\d,.]*( ms| s)?$/);
      expect(t.rating).toMatch(/^(Good|Needs improvement|Poor)$/);
    }

    // Charts: real paths through many points, axes with tick labels, a legend per SDK version.
    const vitals = page.locator('#chart-vitals');
    expect(await vitals.getAttribute('role')).toBe('img');
    expect(await page.locator('#chart-vitals-title').textContent()).toBe('LCP p75 per hour');
    const d = await vitals.locator('path.line').getAttribute('d');
    expect(d?.match(/[ML]/g)?.length).toBeGreaterThanOrEqual(20);
    expect(await vitals.locator('circle.pt').count()).toBeGreaterThanOrEqual(20);
    expect(await vitals.locator('text.tick').count()).toBeGreaterThanOrEqual(6);
    const requests = page.locator('#chart-requests');
    expect(await requests.locator('path.line').count()).toBe(2);
    expect(await page.locator('#chart-requests + figcaption .legend li').allTextContents()).toEqual(['SDK 0.1.0', 'SDK 0.2.0']);
    expect(await page.locator('#table-requests').textContent()).toContain('4.00');

    // dashboard.js: hovering a point shows its exact value.
    const point = vitals.locator('circle.pt').nth(5);
    await point.hover();
    const tip = vitals.locator('g.tip');
    await expect.poll(() => tip.getAttribute('visibility')).toBe('visible');
    expect(await tip.textContent()).toMatch(/UTC.*LCP p75 [\d,]+ ms \(\d+ views\)/);
    await requests.locator('circle.pt').last().hover();
    expect(await requests.locator('g.tip').textContent()).toMatch(/SDK 0\.\d\.0: \d\.\d\d requests\/view/);

    // Tables by each dimension, plus blank variants, each captioned with scoped headers.
    const captions = await page.locator('table caption').allTextContents();
    for (const c of ['By page', 'By browser', 'By country', 'By device', 'By SDK version', 'URLs reported blank, most reported first']) expect(captions).toContain(c);
    expect(await page.locator('#table-browser tbody th').allTextContents()).toEqual(expect.arrayContaining(['Chrome 131', 'Safari 17', 'Firefox 133']));
    expect(await page.locator('#table-country tbody th').allTextContents()).toEqual(expect.arrayContaining(['DE', 'US', 'FR']));
    expect(await page.locator('#table-sdk tbody th').allTextContents()).toEqual(expect.arrayContaining(['0.1.0', '0.2.0']));
    expect(await page.locator('th:not([scope])').count()).toBe(0);
    expect(await page.locator('#table-blank').textContent()).toContain('Safari 17 · DE · mobile');

    // Alarms: the request explosion of SDK 0.2.0, with evidence and a console link.
    const alarms = page.locator('section[aria-labelledby="h-alarms"]');
    expect(await alarms.locator('.alarm.open').count()).toBeGreaterThanOrEqual(1);
    expect(await alarms.textContent()).toContain('sdk 0.2.0');
    expect(await alarms.locator('.alarm.open dl.evidence div').count()).toBeGreaterThan(0);
    const reproduce = await alarms.getByRole('link', { name: 'Reproduce in the console' }).first().getAttribute('href');
    expect(reproduce?.startsWith(`${CONSOLE_URL}?`)).toBe(true);

    // Hostile strings: shown as text, nothing made of them.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const s of [...HOSTILE_PAGES, BLANK_IMG]) expect(text).toContain(s);
    // Not a URL: dropped at ingest, so neither listed nor counted among the URLs to purge.
    expect(text).not.toContain(HOSTILE_BLANK);
    expect(text).toContain('Purge request for these 2 URLs');
    expect(
      await page.evaluate(() => ({
        img: document.querySelectorAll('img').length,
        scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
        handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
        badLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!).filter((h) => !/^(https?:\/\/|\/|#)/.test(h)),
      })),
    ).toEqual({ img: 0, scripts: ['/dashboard.js'], handlers: 0, badLinks: [] });
    expect(await page.locator('#table-blank a[href^="javascript"]').count()).toBe(0);

    await page.screenshot({ path: `${ARTIFACTS}/dashboard-desktop.png`, fullPage: true });

    // The purge export downloads the same body as /v1/blank-variants?format=cloudflare.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Cloudflare JSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^vitrine-purge-cloudflare-.*\.json$/);
    const body = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(JSON.stringify(body)).toContain(BLANK_CSS);
    expect(JSON.stringify(body)).not.toContain(HOSTILE_BLANK);
    const api = await (await fetch(`${collector.url}/v1/blank-variants?format=cloudflare`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
    expect(JSON.stringify(body)).toBe(JSON.stringify(api));

    // A hostile page value, followed as a drill-down link, lands in the filter as text.
    await Promise.all([page.waitForURL(/page=/), page.locator('#table-page a', { hasText: HOSTILE_PAGES[1]! }).click()]);
    expect(await page.locator('#f-page').inputValue()).toBe(HOSTILE_PAGES[1]);
    expect(await page.locator('img').count()).toBe(0);

    // Other metric selected; signing out shows the sign-in form again.
    await page.getByRole('link', { name: 'INP', exact: true }).click();
    expect(await page.locator('#chart-vitals-title').textContent()).toBe('INP p75 per hour');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('form.login');

    // The sign-in page's own 401s are the only failed loads; nothing else went wrong.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('fits a 375 px wide screen: no horizontal page overflow, tables scroll inside their own region, tiles wrap', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const { page, problems, csp } = await watchedPage(context);
    await signIn(page);
    const overflow = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      // What sticks out past the viewport, outside the tables' own scrolling regions (an
      // absolutely placed element inside one escapes it unless the region is its containing block).
      offenders: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 375.5 && (!e.parentElement?.closest('.scroll') || getComputedStyle(e.closest('.scroll')!).position === 'static'))
        .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} → ${Math.round(e.getBoundingClientRect().right)}`)
        .slice(0, 10),
    }));
    expect(overflow.offenders).toEqual([]);
    expect(overflow.width).toBeLessThanOrEqual(375);
    const scrolls = await page.locator('.scroll').evaluateAll((els) => els.map((e) => ({ client: e.clientWidth, scroll: e.scrollWidth })));
    expect(scrolls.some((s) => s.scroll > s.client)).toBe(true);
    const tileRows = await page.locator('.tile').evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size);
    expect(tileRows).toBeGreaterThan(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-375.png`, fullPage: true });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-375-top.png` });
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('has no axe violations on the sign-in page, the dashboard (desktop and 375 px) and a refused filter', async () => {
    // bypassCSP only here: axe is injected as a script the page's own CSP would block.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${collector.url}/`);
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page);
    await page.locator('details').evaluateAll((els) => els.forEach((e) => e.setAttribute('open', '')));
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${collector.url}/?country=xx`);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
