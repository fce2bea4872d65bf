/**
 * The script tag's setup mistakes (a misspelt attribute, a second tag whose settings are ignored),
 * named by the debug overlay (its Setup section and the console) and only there: without
 * `?vitrine-debug` the page says nothing more and never fetches vitrine-debug.js. Real headless
 * Chromium on the built dist/ (run `npm run build` first), the simulated backend over loopback.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { useFixtureSite, waitForCards } from '../helpers/fixture-site.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/embed/', import.meta.url));
const env = useFixtureSite(FIXTURES);

/** The page, with every console warning and error (and uncaught exception) it logs, in order, and every URL it requested. */
async function open(path: string): Promise<{ page: Page; lines: string[]; requested: string[] }> {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const lines: string[] = [];
  const requested: string[] = [];
  page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`${env.server.urls.site}/${path}`);
  return { page, lines, requested };
}

const debugFileFetches = () => env.server.backend.counts().log.filter((e) => e.path === '/sdk/vitrine-debug.js').length;

/** Each overlay's Setup section, as its lines (null: the overlay has none). */
const setupSections = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('vitrine-debug')].map((overlay) => {
      const heading = [...(overlay.shadowRoot?.querySelectorAll('h3') ?? [])].find((h) => h.textContent === 'Setup');
      return heading ? [...(heading.nextElementSibling?.querySelectorAll('li') ?? [])].map((li) => li.textContent) : null;
    }),
  );

describe('the script tag’s setup mistakes, named by the debug overlay (Chromium)', () => {
  it('a misspelt attribute: nothing without the overlay; with ?vitrine-debug, one console warning naming the one meant, and the overlay’s Setup section', async () => {
    const plain = await open('typo.html');
    await waitForCards(plain.page, 4);
    await plain.page.waitForLoadState('networkidle');
    // The core's own error for the tag with no data-store-id, and nothing else.
    expect(plain.lines).toEqual(['error: [vitrine] <script data-store-id>: is required']);
    expect(await plain.page.locator('vitrine-debug').count()).toBe(0);
    expect(debugFileFetches()).toBe(0);
    await plain.page.context().close();

    const { page, lines } = await open('typo.html?vitrine-debug');
    await waitForCards(page, 4);
    const typos = [
      '<script data-limt>: not a Vitrine attribute, ignored; did you mean data-limit?',
      '<script data-stor>: not a Vitrine attribute, ignored; did you mean data-store-id?',
    ];
    await expect.poll(() => setupSections(page), { timeout: 20_000 }).toEqual([typos]);
    // Other tools' data-cfasync, data-nscript, data-cookieconsent and data-id are left alone.
    expect(lines).toEqual(['error: [vitrine] <script data-store-id>: is required', ...typos.map((t) => `warning: [vitrine] ${t}`)]);
    expect(debugFileFetches()).toBe(1);
    await page.screenshot({ path: 'test-artifacts/debug-setup.png' });
    await page.context().close();
  });

  it('a later tag whose storefront settings are not the ones in use: nothing without the overlay; with ?vitrine-debug, said once on the console and in every overlay’s Setup section', async () => {
    const shown = (page: Page) =>
      page.evaluate(() =>
        ['#a', '#b', '#c'].map((id) => {
          const grid = document.querySelector(`${id} vitrine-grid`) as (Element & { store?: { options: { storeId: string } } }) | null;
          return `${id}: ${grid?.shadowRoot?.querySelectorAll('.card:not(.skeleton)').length} from ${grid?.store?.options.storeId}`;
        }),
      );
    const plain = await open('second-tag.html');
    await waitForCards(plain.page, 4);
    await plain.page.waitForLoadState('networkidle');
    expect(await shown(plain.page)).toEqual(['#a: 2 from 1003', '#b: 1 from 1003', '#c: 1 from 1005']);
    expect(plain.lines).toEqual([]);
    expect(debugFileFetches()).toBe(0);
    await plain.page.context().close();

    const { page, lines } = await open('second-tag.html?vitrine-debug');
    await waitForCards(page, 4);
    const ignored = [
      `<script data-store-id="1003">: settings ignored, the page uses an earlier tag's (store 1003)`,
      `<script data-store-id="1004">: settings ignored, the page uses an earlier tag's (store 1003)`,
    ];
    // One overlay per storefront the tags made (1003, 1004, 1005); the identical third tag says nothing.
    await expect.poll(() => setupSections(page), { timeout: 20_000 }).toEqual([ignored, ignored, ignored]);
    expect(await shown(page)).toEqual(['#a: 2 from 1003', '#b: 1 from 1003', '#c: 1 from 1005']);
    expect(lines).toEqual(ignored.map((t) => `warning: [vitrine] ${t}`));
    await page.context().close();
  });

  it('a page whose only tag is broken (data-stor): nothing more without the overlay; with ?vitrine-debug, the overlay’s Setup section alone, with the typo and the tag’s own error', async () => {
    const required = '<script data-store-id>: is required';
    const typo = '<script data-stor>: not a Vitrine attribute, ignored; did you mean data-store-id?';
    const plain = await open('broken.html');
    await plain.page.waitForLoadState('networkidle');
    expect(plain.lines).toEqual([`error: [vitrine] ${required}`]);
    expect(await plain.page.locator('vitrine-debug').count()).toBe(0);
    // Nothing fetched for it: the page's own files and vitrine.js only, no overlay file from any host.
    expect(plain.requested.filter((url) => url.includes('vitrine-debug.js'))).toEqual([]);
    expect(debugFileFetches()).toBe(0);
    expect(await plain.page.locator('#merchant').textContent()).toBe('Merchant content');
    await plain.page.context().close();

    // It was no overlay at all: the tag made no storefront, and the overlay needed one's assets.
    const { page, lines, requested } = await open('broken.html?vitrine-debug');
    await expect.poll(() => setupSections(page), { timeout: 20_000 }).toEqual([[typo, required]]);
    expect(lines).toEqual([`error: [vitrine] ${required}`, `warning: [vitrine] ${typo}`]);
    // From next to the tag's own file, once.
    expect(requested.filter((url) => url.includes('vitrine-debug.js'))).toEqual([`${env.server.urls.site}/dist/vitrine-debug.js`]);
    const overlay = page.locator('vitrine-debug');
    expect(await overlay.getAttribute('aria-label')).toBe('Vitrine debug overlay');
    // Only the Setup section: no storefront, so no requests, assets or vitals to show.
    expect(await page.evaluate(() => [...(document.querySelector('vitrine-debug')?.shadowRoot?.querySelectorAll('h3') ?? [])].map((h) => h.textContent))).toEqual(['Setup']);
    // Nothing already on the page is lost.
    expect(await page.locator('#merchant').textContent()).toBe('Merchant content');
    await page.screenshot({ path: 'test-artifacts/debug-setup-broken-tag.png' });
    // Its close button removes it.
    await overlay.locator('button').click();
    expect(await page.locator('vitrine-debug').count()).toBe(0);
    await page.context().close();
  });

  it('a tag with a bad data-api and data-debug: the Setup section names the tag’s own error', async () => {
    const { page, lines } = await open('broken-api.html');
    await expect.poll(() => setupSections(page), { timeout: 20_000 }).toHaveLength(1);
    const [section] = await setupSections(page);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: \[vitrine\] <script data-api>: /);
    expect(section).toEqual([lines[0]!.replace('error: [vitrine] ', '')]);
    expect(await page.locator('#merchant').textContent()).toBe('Merchant content');
    await page.context().close();
  });
});
