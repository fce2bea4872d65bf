/**
 * Runs one example against Vitrine's built-in simulated store (demo/backend) on loopback:
 *
 *   npm run build                                   # dist/, which every example uses
 *   node --import tsx examples/run.ts plain-html    # or react-vite, ssr
 *
 * It starts the store (API, CDN, origin: separate loopback servers, like production), prepares the
 * example for its URLs (fills in the HTML template, builds the React app with Vite, or starts the
 * SSR server), prints the page's URL and runs until Ctrl-C. test/e2e/examples.test.ts starts the
 * examples through the same startExample(), so what it opens in Chromium is what you open.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../demo/backend/server.js';

export const EXAMPLES = ['plain-html', 'react-vite', 'ssr'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export interface RunningExample {
  /** The page to open. */
  url: string;
  /** The simulated store: its URLs, request log and faults (`backend.counts()`, `backend.faults`). */
  server: RunningServer;
  close(): Promise<void>;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = join(HERE, '..', 'dist');
const STORE_ID = '1003';

export async function startExample(name: ExampleName): Promise<RunningExample> {
  const site = await mkdtemp(join(tmpdir(), `vitrine-example-${name}-`));
  const server = await startServer({ distDir: DIST, site: { root: site } });
  const { api, cdn, origin } = server.urls;
  const closers: (() => Promise<void>)[] = [() => server.close(), () => rm(site, { recursive: true, force: true })];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
  };
  try {
    if (name === 'plain-html') {
      const { snippet } = JSON.parse(await readFile(join(DIST, 'sri.json'), 'utf8')) as { snippet: string };
      const html = (await readFile(join(HERE, 'plain-html', 'index.html'), 'utf8'))
        .replaceAll('{{api}}', api)
        .replaceAll('{{cdn}}', cdn)
        .replaceAll('{{origin}}', origin)
        .replaceAll('{{snippet}}', () => snippet);
      await writeFile(join(site, 'index.html'), html);
      return { url: `${server.urls.site}/`, server, close };
    }
    if (name === 'react-vite') {
      await buildReactExample(site, { VITE_VITRINE_STORE_ID: STORE_ID, VITE_VITRINE_API: api, VITE_VITRINE_CDN: cdn, VITE_VITRINE_ORIGIN: origin });
      return { url: `${server.urls.site}/`, server, close };
    }
    const ssr = await (await loadSsrServer())({ storeId: STORE_ID, api, cdn, origin });
    closers.push(() => ssr.close());
    return { url: ssr.url, server, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * ssr/server.ts imports `vitrine` by name, which is the BUILT dist/. The root type check (npm test
 * runs it before the build) reaches this file through test/e2e/examples.test.ts, so the server is
 * imported through a specifier it does not follow; examples/tsconfig.json checks it after the build.
 */
async function loadSsrServer(): Promise<(options: { storeId: string; api: string; cdn: string; origin: string }) => Promise<{ url: string; close(): Promise<void> }>> {
  const specifier = './ssr/server.js';
  return ((await import(specifier)) as { startSsrServer: Awaited<ReturnType<typeof loadSsrServer>> }).startSsrServer;
}

/** `vite build` of examples/react-vite into outDir, with the store's URLs as its VITE_* environment. */
export async function buildReactExample(outDir: string, env: Record<string, string>): Promise<void> {
  const { build } = await import('vite');
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    await build({ configFile: join(HERE, 'react-vite', 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

// Run from the command line (not when imported by the test).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const name = process.argv[2] as ExampleName;
  if (!EXAMPLES.includes(name)) {
    console.error(`usage: node --import tsx examples/run.ts ${EXAMPLES.join('|')}`);
    process.exit(2);
  }
  const example = await startExample(name);
  console.log(`${name}: ${example.url}`);
  console.log(`simulated store: api ${example.server.urls.api}, cdn ${example.server.urls.cdn}, origin ${example.server.urls.origin} (Ctrl-C stops)`);
  const stop = () => void example.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
