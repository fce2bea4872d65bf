/**
 * The support console's Field view in real Chromium: a vitrine-collector started here (as `npm run
 * demo` starts one) and filled with `simulate` data; the console, pointed at it, shows the p75
 * tiles and the incident's two alarms with their evidence, and each alarm's "Reproduce" link
 * reopens the console under the alarm's conditions — the blank CDN variant's fault switched on (the
 * storefront then falls back to the origin for that image), or the incident's request pattern run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestCounts } from '../../demo/backend/handlers.js';
import type { FieldAnswer } from '../../collector/src/field/types.js';
import { createCollector, type Collector } from '../../collector/src/server.js';
import { runSimulate, type SimulateResult } from '../../collector/src/simulate.js';
import { allImagesShown, ARTIFACTS, openConsole, useConsoleServer } from '../helpers/console-page.js';

const env = useConsoleServer();
const TOKEN = 'console-field-test-token';
let collector: Collector;
let simulated: SimulateResult;
let dir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-console-field-'));
  collector = await createCollector({ store: join(dir, 'field.db'), token: TOKEN, consoleUrl: `${env.server.urls.site}/`, rateLimit: 0, log: () => undefined });
  simulated = await runSimulate({ store: collector.store, log: () => undefined });
});
afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await collector?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await fetch(`${env.server.urls.api}/__control/reset`, { method: 'POST' });
});

const consoleUrl = (extra = '') => `${env.server.urls.site}/?collector=${encodeURIComponent(collector.ingestUrl)}${extra}`;

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

/** The console on its Field tab, the token handed over in the URL as `npm run demo` prints it. */
async function fieldTab(page: Page): Promise<void> {
  await openConsole(page, consoleUrl(`&collectorToken=${TOKEN}#field`));
  await page.locator('#field[data-loaded="true"]').waitFor({ timeout: 20_000 });
}

const faults = async () => (await (await fetch(`${env.server.urls.api}/__control/faults`)).json()) as Record<string, unknown>[];

describe('support console Field view', () => {
  it('shows the p75 tiles, the simulated-data note and the two open alarms with their evidence, read from the collector', async () => {
    const { page, errors } = await newPage();
    await fieldTab(page);
    expect(await page.locator('#field-view').isVisible()).toBe(true);
    expect(await page.locator('#live-view').isVisible()).toBe(false);
    // The token left the address bar (kept in this browser for that collector).
    expect(page.url()).not.toContain('collectorToken');
    expect(page.url()).not.toContain(TOKEN);

    const tiles = page.locator('#field dl.field-tiles [data-metric]');
    expect(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-metric')))).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    for (const text of await page.locator('#field dl.field-tiles .value').allTextContents()) expect(text).toMatch(/^\d[\d.]*( ms| s)?$/);
    expect(await page.locator('#field [data-metric="LCP"]').getAttribute('data-rating')).toMatch(/^(good|needs-improvement|poor)$/);
    expect(await page.locator('#field .field-views').getAttribute('data-views')).toBe(String(simulated.views));
    expect(await page.locator('#field .simulated-note').textContent()).toContain(
      `all ${simulated.views.toLocaleString('en')} page views here were made by \`vitrine-collector simulate\``,
    );

    const alarms = page.locator('#field li.alarm.open');
    expect(await alarms.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')} ${e.getAttribute('data-subject')}`).sort())).toEqual([
      'blank-variant Safari 17 in DE',
      'requests-per-view sdk 0.2.0',
    ]);
    expect(await page.locator('#tab-field').textContent()).toContain('(2 alarms)');
    const blank = page.locator('#field li.alarm[data-kind="blank-variant"]');
    expect(await blank.locator('.alarm-summary').textContent()).toMatch(/1 CDN URL is blank for Safari 17 in DE/);
    expect(await blank.locator('.evidence-table td.url').textContent()).toBe(simulated.plan.blank.url);
    const requests = page.locator('#field li.alarm[data-kind="requests-per-view"]');
    expect(await requests.locator('[data-key="version"] dd').textContent()).toBe('0.2.0');
    expect(await requests.locator('[data-key="previous"] dd').textContent()).toBe('0.1.0');
    expect(Number(await requests.locator('[data-key="ratio"] dd').textContent())).toBeGreaterThan(3.5);
    // The blank URL in the blank-variants table, with where it was seen.
    expect(await page.locator(`#field table.field-blank tr[data-url="${simulated.plan.blank.url}"] td`).nth(2).textContent()).toContain('Safari 17 × DE');

    await page.screenshot({ path: `${ARTIFACTS}/console-field.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("the collector lets only the console's origin read its answers across origins (preflight included), never with credentials", async () => {
    const preflight = (origin: string) =>
      fetch(`${collector.url}/v1/alarms`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
    const ok = await preflight(env.server.urls.site);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(env.server.urls.site);
    expect(ok.headers.get('access-control-allow-headers')).toBe('Authorization');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
    const refused = await fetch(`${collector.url}/v1/field`, { headers: { Origin: 'https://elsewhere.example', Authorization: `Bearer ${TOKEN}` } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('"Reproduce" on the blank-variant alarm switches on its CDN fault, and the storefront falls back to the origin for that image', async () => {
    const { page, errors } = await newPage();
    await fieldTab(page);
    await page.locator('#field li.alarm[data-kind="blank-variant"] a.reproduce').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('Ready');
    // Applied once: the link's query left the address bar; the collector setting stayed.
    expect(page.url()).not.toContain('faults=');
    expect(page.url()).toContain(`collector=${encodeURIComponent(collector.ingestUrl)}`);

    const { path } = simulated.plan.blank;
    expect((await faults()).map(({ id: _id, hits: _hits, ...rule }) => rule)).toEqual([{ host: 'cdn', fault: 'empty', path, userAgent: 'Safari' }]);
    expect(await page.locator('#reproduce-panel').isVisible()).toBe(true);
    expect(await page.locator('#reproduce-panel .reproduce-faults li').textContent()).toBe(`CDN answers 200 with an empty body for ${path} (User-Agent containing "Safari")`);

    // The shopper's view under that fault: the first card's image blank on the CDN, then from the origin.
    const { total, shown } = await allImagesShown(page);
    expect(shown).toBe(total);
    const blankRow = page.locator('#asset-table tr[data-host="cdn"][data-outcome="empty"]');
    const fallbackRow = page.locator('#asset-table tr[data-host="origin"][data-outcome="ok"]');
    await expect.poll(() => fallbackRow.count(), { timeout: 20_000 }).toBe(1);
    expect(await blankRow.count()).toBe(1);
    expect(new URL((await blankRow.locator('td.url').textContent())!).pathname).toBe(path);
    expect(new URL((await fallbackRow.locator('td.url').textContent())!).pathname).toBe(path);
    await expect.poll(() => page.locator('[data-counter="originFallbacks"] dd').textContent()).toBe('1');
    await page.screenshot({ path: `${ARTIFACTS}/console-field-reproduce-blank.png` });

    // Taken off, the next view is healthy.
    await page.locator('#reproduce-off').click();
    await expect.poll(async () => (await faults()).length).toBe(0);
    await expect.poll(() => page.locator('#view-no').textContent()).toBe('view 2');
    await allImagesShown(page);
    expect(await page.locator('#asset-table tr[data-host="origin"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a dashboard-style reproduce link (console URL + the alarm's query) reproduces the blank variant, and the console's storefront reports that view, blank URL included, to the collector", async () => {
    const { page, errors } = await newPage();
    const alarm = (await collector.store.db.all<{ reproduce: string }>("SELECT reproduce FROM alarms WHERE kind = 'blank-variant' AND resolved_at IS NULL"))[0]!;
    await openConsole(page, `${consoleUrl()}&${alarm.reproduce}`);
    expect(await page.locator('#reproduce-panel .reproduce-title').textContent()).toBe('Reproducing an alarm');
    await expect.poll(() => page.locator('#asset-table tr[data-host="origin"][data-outcome="ok"]').count(), { timeout: 20_000 }).toBe(1);
    // The reporter loads after the first product paint, off the critical path; then the page leaves.
    await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((e) => /console-reporter-/.test(e.name))), { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(300);
    await page.goto('about:blank');
    const cdnUrl = `${env.server.urls.cdn}${simulated.plan.blank.path}`;
    const own = async () =>
      (await collector.store.db.all<{ body: string; browser: string }>('SELECT body, browser FROM reports WHERE simulated = 0')).map((r) => ({
        browser: r.browser,
        report: JSON.parse(r.body) as { sdk: string; health: { blankUrls: string[]; originFallbacks: number } },
      }));
    await expect.poll(async () => (await own()).some((r) => r.report.health.blankUrls.includes(cdnUrl)), { timeout: 20_000 }).toBe(true);
    const mine = (await own()).find((r) => r.report.health.blankUrls.includes(cdnUrl))!;
    expect(mine.browser).toBe('Chrome');
    expect(mine.report.health.originFallbacks).toBe(1);
    expect(mine.report.sdk).toMatch(/^\d+\.\d+\.\d+/);
    // This fresh browser holds no token, so the Field view's three reads were refused (and it says so).
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    expect(errors.length).toBe(3);
  });

  it('"Reproduce" on the requests-per-view alarm runs the incident pattern beside the Vitrine view: 96 API requests for 24 products against 1', async () => {
    const { page, errors } = await newPage();
    await fieldTab(page);
    await page.locator('#field li.alarm[data-kind="requests-per-view"] a.reproduce').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('Ready');
    expect(page.url()).not.toContain('pattern=');
    const result = page.locator('#incident .incident-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-incident-requests')).toBe('96');
    expect(await result.getAttribute('data-products')).toBe('24');
    expect(await page.locator('#incident').textContent()).toContain('bench/incident-client.ts');
    await allImagesShown(page);
    expect(await page.locator('[data-counter="apiRequests"] dd').textContent()).toBe('1');
    // What the simulated store saw: 24 product lookups and 72 image-URL lookups from the incident client.
    const log = ((await (await fetch(`${env.server.urls.api}/__control/counts`)).json()) as RequestCounts).log.filter(
      (e) => e.host === 'api' && e.method === 'GET' && e.search.includes('ids='),
    );
    expect(log.filter((e) => e.search.includes('variant=')).length).toBe(72);
    expect(log.filter((e) => !e.search.includes('variant=') && !e.search.includes('%2C') && !e.search.includes(',')).length).toBe(24);
    await page.screenshot({ path: `${ARTIFACTS}/console-field-reproduce-incident.png` });
    expect(errors).toEqual([]);
  });

  it('"Reproduce" on the requests-per-view alarm after another alarm\'s Reproduce runs against a healthy store: the earlier fault is taken off', async () => {
    // What the blank-variant alarm's Reproduce leaves on (HeadlessChrome's User-Agent holds "Safari").
    const path = new URL(simulated.plan.blank.url).pathname;
    await fetch(`${env.server.urls.api}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'cdn', fault: 'empty', path, userAgent: 'Safari' }),
    });
    expect(await faults()).toHaveLength(1);
    const { page, errors } = await newPage();
    await fieldTab(page);
    await page.locator('#field li.alarm[data-kind="requests-per-view"] a.reproduce').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('Ready');
    await page.locator('#incident .incident-result').waitFor({ timeout: 20_000 });
    expect(await faults()).toEqual([]);
    expect(await page.locator('#reproduce-panel .reproduce-healthy').textContent()).toBe('Every fault is off: this page view runs against a healthy store.');
    await allImagesShown(page);
    expect(await page.locator('[data-counter="originFallbacks"] dd').textContent()).toBe('0');
    expect(errors).toEqual([]);
  });

  it('without the token the Field view says the collector refused, and how to set it', async () => {
    const { page } = await newPage();
    await openConsole(page, consoleUrl('#field'));
    await page.locator('#field[data-loaded="true"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#field .field-error').textContent()).toMatch(/refused to answer without a token \(401\): set "Collector token" in Store settings/);
    expect(await page.locator('#field li.alarm').count()).toBe(0);
    // Set in the settings form, it is kept for the collector and the view loads.
    await page.locator('#settings-box summary').click();
    await page.locator('#settings input[name="collectorToken"]').fill(TOKEN);
    await page.locator('#settings button[type="submit"]').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('Ready');
    expect(page.url()).not.toContain(TOKEN);
    await page.locator('#tab-field').click();
    await expect.poll(() => page.locator('#field li.alarm.open').count(), { timeout: 20_000 }).toBe(2);
  });

  it('`npm run demo` starts a collector beside the simulated store, filled with simulated shoppers, and prints the console URL, the dashboard and the token', async () => {
    const child = spawn(process.execPath, ['scripts/demo.mjs', '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toContain('Ctrl-C to stop.');
      const printed = (re: RegExp) => re.exec(out)?.[1] ?? '';
      const consoleLink = printed(/Vitrine support console:\s+(\S+)/);
      const dashboard = printed(/vitrine-collector:\s+(\S+)/);
      const token = printed(/\(dashboard; token (\S+)\)/);
      const db = printed(/field data in SQLite:\s+(\S+)/);
      expect(consoleLink).toContain(`collectorToken=${token}`);
      expect(out).toContain(`the console's storefront reports to ${dashboard}v1/reports`);
      expect(out).toMatch(/vitrine-collector simulate: 3000 simulated page views written/);
      expect(existsSync(db)).toBe(true);
      const field = (await (await fetch(`${dashboard}v1/field?store=1003`, { headers: { Authorization: `Bearer ${token}` } })).json()) as FieldAnswer;
      expect(field.simulatedViews).toBe(3_000);
      expect((await fetch(`${dashboard}v1/field`)).status).toBe(401);
      // The printed link: the console on the simulated store, its Field view on this collector.
      const { page, errors } = await newPage();
      await openConsole(page, consoleLink);
      await page.locator('#tab-field').click();
      await expect.poll(() => page.locator('#field li.alarm.open').count(), { timeout: 20_000 }).toBe(2);
      expect(errors).toEqual([]);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // The temporary database went with it.
      expect(existsSync(db)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
