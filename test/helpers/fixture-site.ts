import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';

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

/** What a test file's tests read from useFixtureSite(): set by its `beforeAll`. */
export interface FixtureEnv {
  readonly site: FixtureSite;
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * The hooks every fixture-site e2e file needs: the site and one headless Chromium for the file
 * (closed after it), and the backend's faults and counts cleared before each test (before the
 * file's own `beforeEach`, which may add faults of its own).
 */
export function useFixtureSite(fixtures: string, headers?: (path: string, sri: Sri) => Record<string, string>): FixtureEnv {
  let site: FixtureSite | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serveFixtures(fixtures, headers);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(() => {
    site!.server.backend.faults.clear();
    site!.server.backend.resetCounts();
  });
  return {
    get site() {
      return site!;
    },
    get server() {
      return site!.server;
    },
    get browser() {
      return browser!;
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
