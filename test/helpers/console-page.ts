import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

export const ARTIFACTS = 'test-artifacts';

/**
 * For one test file: the demo's own build step (skipped when dist/ is newer than its sources; it
 * also copies msw's worker script), the server `npm run demo` starts, and one Chromium. Read the
 * fields inside tests, once beforeAll has run.
 */
export function useConsoleServer(): { readonly server: RunningServer; readonly browser: Browser } {
  const env = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/demo.mjs', '--build-only', '--if-stale'], { stdio: 'inherit', timeout: 400_000 });
    env.server = await startServer({ site: { root: 'demo' }, distDir: 'dist' });
    env.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 420_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Every product image in the console's live grid (inside the widgets' shadow roots): how many, how many show pixels. */
export function imagesShown(page: Page): Promise<{ total: number; shown: number }> {
  return page.evaluate(() => {
    const imgs: HTMLImageElement[] = [];
    const walk = (root: Element | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        // Products without an image get a documented placeholder, not an <img> to load.
        if (el instanceof HTMLImageElement && el.getAttribute('data-vitrine-placeholder') !== 'no-image') imgs.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    const host = document.getElementById('storefront');
    if (host) walk(host);
    return { total: imgs.length, shown: imgs.filter((img) => img.complete && img.naturalWidth > 0).length };
  });
}

/** Every image in view finished: as many shown as there are images. Scrolls the grid so lazy ones load. */
export async function allImagesShown(page: Page): Promise<{ total: number; shown: number }> {
  await expect
    .poll(
      async () => {
        await page.locator('#storefront').evaluate((el) => el.scrollTo(0, el.scrollHeight));
        const { total, shown } = await imagesShown(page);
        return total > 0 && total === shown;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return imagesShown(page);
}

/** Opens the console and waits until it has started its first view. */
export async function openConsole(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('Ready');
}

/**
 * Switches "CDN blanks for 10%" on and checks what support must see in the new view: every image
 * still shown, and one origin fallback per blank CDN answer, in the asset table and the waterfall.
 * Returns how many blank CDN answers the console showed, to compare with the backend's own log.
 */
export async function switchOnCdnBlanks(page: Page): Promise<number> {
  await allImagesShown(page);
  await page.locator('[data-fault="cdn-blank-10"]').check();
  await expect.poll(() => page.locator('#view-no').textContent()).toBe('view 2');
  const { total, shown } = await allImagesShown(page);
  expect(shown).toBe(total);

  const blanks = page.locator('#asset-table tr[data-host="cdn"][data-outcome="empty"]');
  const fallbacks = page.locator('#asset-table tr[data-host="origin"][data-outcome="ok"]');
  await expect.poll(() => fallbacks.count()).toBeGreaterThan(0);
  expect(await fallbacks.count()).toBe(await blanks.count());
  expect(await page.locator('#waterfall g.row[data-host="origin"]').count()).toBe(await fallbacks.count());
  expect(await page.locator('#waterfall g.row[data-host="cdn"][data-failed="true"] .fail-mark').count()).toBe(await blanks.count());
  return blanks.count();
}
