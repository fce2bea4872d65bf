import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright';
import { startServer, type RunningServer } from '../../demo/backend/server.js';

const SRI = fileURLToPath(new URL('../../dist/sri.json', import.meta.url));

export interface Sri {
  snippet: string;
  snippetHash: string;
  integrity: string;
}

export interface FixtureSite {
  server: RunningServer;
  /** The folder the merchant pages are served from (write more pages into it). */
  root: string;
  sri: Sri;
  close(): Promise<void>;
}

/**
 * The simulated backend over loopback with a folder of merchant pages: each fixture is a template
 * whose {{api}}, {{cdn}}, {{origin}} and {{snippet}} are filled in once the ports are known.
 */
export async function serveFixtures(fixtures: string, headers?: (path: string, sri: Sri) => Record<string, string>): Promise<FixtureSite> {
  const sri = JSON.parse(await readFile(SRI, 'utf8')) as Sri;
  const root = await mkdtemp(join(tmpdir(), 'vitrine-site-'));
  const server = await startServer({ distDir: 'dist', site: { root, ...(headers && { headers: (path: string) => headers(path, sri) }) } });
  for (const name of await readdir(fixtures)) {
    const text = (await readFile(join(fixtures, name), 'utf8'))
      .replaceAll('{{api}}', server.urls.api)
      .replaceAll('{{cdn}}', server.urls.cdn)
      .replaceAll('{{origin}}', server.urls.origin)
      .replaceAll('{{snippet}}', sri.snippet);
    await writeFile(join(root, name), text);
  }
  return {
    server,
    root,
    sri,
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Resolves once `count` product cards (not skeletons) show a name, across every widget's shadow root. */
export const waitForCards = (page: Page, count: number) =>
  page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('vitrine-grid, vitrine-product')].reduce((sum, el) => sum + (el.shadowRoot?.querySelectorAll('.card:not(.skeleton) .name').length ?? 0), 0) >=
      n,
    count,
    { timeout: 20_000 },
  );

/**
 * A page opened in `context` at `url`, with every console error and uncaught exception it logs
 * collected; `waitUntil` as Playwright's (`load` by default).
 */
export async function openPage(context: BrowserContext, url: string, waitUntil: 'load' | 'domcontentloaded' = 'load'): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil });
  return { page, errors };
}
