/**
 * `npm run bench:paint` (issue #14): what a shopper waits for, in real headless Chromium, on the same
 * merchant pages the request budgets use (test/load/fixtures: a 24-product grid and an article with 8
 * `<vitrine-product>` embeds), for three clients side by side:
 *
 *   (a) this release with the bootstrap snippet (dist/sri.json `snippet`, inline; whatever the current
 *       build's snippet does, its parallel product request included once it is there)
 *   (b) this release as the plain `<script src=".../sdk/vitrine.js" data-…>` tag, no preload
 *   (c) the incident's pattern (bench/incident-client.ts in the page: one request per product, then
 *       three image-URL requests per product)
 *
 * Setup: the simulated store (demo/backend/serve.ts) in its own process on loopback, serving a
 * snapshot of dist/ taken at start; a fresh browser context (empty HTTP cache, IndexedDB, sockets)
 * per page view; every request delayed by the DevTools protocol (`Network.emulateNetworkConditions`,
 * `latency` = the round trip: Chromium holds each response back by it once per request, keeping the
 * connection busy meanwhile; connection setup is not delayed, throughput is not limited). Plain
 * HTTP/1.1, so at most 6 connections per host; `--h2` puts an HTTP/2 TLS front before the backend
 * (bench/paint-h2.ts: one multiplexed connection per host, like a CDN) and writes
 * test-artifacts/paint-h2.json. Runs alternate a, b, c, a, b, c… after one discarded warm-up round.
 * The viewport (1280×5000) holds every product, so lazy loading starts every image and "all shown"
 * means all of them for every client.
 *
 * Measured in the page (bench/paint-page.ts), from navigation start: the first product painted, all
 * products and images shown; from Resource Timing, the requests answered before the first product
 * paint (the document included: what that paint could have waited for) and the script bytes among
 * them. With two RTTs, the slope of first paint between them counts the round trips on its critical
 * path (the CPU time, the same at both, cancels out).
 *
 *   npm run bench:paint [-- --runs 7] [--rtt 50,150] [--quick] [--h2] [--trace]
 *
 * --quick: 3 runs per cell; --trace: print every page view's requests (start, request sent, end).
 *
 * Writes bench/results/paint.json (a --quick run writes test-artifacts/paint.json instead) and
 * prints a markdown table. A benchmark, not a test: nothing here fails on a figure.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { transformSync } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import ts from 'typescript';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../vitest.config.js';
import { startBackendProcess, type BackendUrls } from './backend-process.js';
import { startH2Front, type H2Front } from './paint-h2.js';
import type { PaintState, ResourceRow } from './paint-page.js';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = resolve(ROOT, 'test/load/fixtures');

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' },
    rtt: { type: 'string' },
    quick: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    h2: { type: 'boolean', default: false },
  },
  strict: true,
});

const QUICK = flags.quick === true;
const RUNS = flags.runs !== undefined ? Number(flags.runs) : QUICK ? 3 : 7;
const RTTS = (flags.rtt ?? '50,150').split(',').map(Number);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs expects a whole number ≥ 1, got ${flags.runs}`);
if (RTTS.some((r) => !Number.isFinite(r) || r < 0)) throw new Error(`--rtt expects milliseconds, e.g. 50,150; got ${flags.rtt}`);
const H2 = flags.h2 === true;
const OUT = resolve(ROOT, H2 ? 'test-artifacts/paint-h2.json' : QUICK ? 'test-artifacts/paint.json' : 'bench/results/paint.json');
const VIEWPORT = { width: 1280, height: 5000 };
const PAGE_TIMEOUT_MS = 60_000;

type ClientId = 'a' | 'b' | 'c';
type PageId = 'grid' | 'embeds';
const CLIENTS: Record<ClientId, string> = {
  a: '(a) bootstrap snippet',
  b: '(b) plain script tag',
  c: '(c) incident pattern',
};
const PAGES: Record<PageId, { title: string; products: number }> = {
  grid: { title: '24-product grid', products: 24 },
  embeds: { title: '8 embeds', products: 8 },
};

/** The issue's goals, stated with every run. */
const GOALS = {
  embedsAllShownAt150: { rttMs: 150, page: 'embeds' as PageId, fasterThanB: 1.3, fasterThanC: 3 },
  firstPaintRoundTrips: 3,
};

type Urls = BackendUrls;

interface Sample {
  firstMs: number;
  allMs: number;
  renderedEventMs: number | null;
  requestsBeforeFirst: number;
  apiBeforeFirst: number;
  scriptBytesBeforeFirst: number;
  requestsTotal: number;
  apiTotal: number;
  /** (a)/(b): the first API request started before the SDK bundle had arrived. */
  apiBeforeSdkArrived: boolean | null;
  /** Median responseEnd − requestStart over the page's requests: the emulated round trip, as seen. */
  observedRttMs: number;
  failedImages: number;
  images: number;
  /** Resource Timing's nextHopProtocol of the API and CDN requests (h2 with --h2, else http/1.1). */
  protocols: string[];
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const stat = (xs: readonly number[]): Stat => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * A copy of dist/ as it is now, checked whole (the bundle matches the hash in sri.json): others
 * rebuild dist/ while benchmarks run, and a page view must never meet a half-written one.
 */
async function snapshotDist(into: string): Promise<{ snippet: string; snippetBytes: number; integrity: string; gzipBytes: number }> {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      rmSync(into, { recursive: true, force: true });
      cpSync(resolve(ROOT, 'dist'), into, { recursive: true });
      const sri = JSON.parse(readFileSync(join(into, 'sri.json'), 'utf8')) as { snippet: string; snippetBytes: number; integrity: string; gzipBytes: number };
      const digest = `sha384-${createHash('sha384')
        .update(readFileSync(join(into, 'vitrine.js')))
        .digest('base64')}`;
      if (digest === sri.integrity && typeof sri.snippet === 'string') return sri;
    } catch {
      // dist/ is being rebuilt: try again.
    }
    await sleep(1000);
  }
  throw new Error('bench: dist/ did not settle into a complete build (sri.json matching vitrine.js) within 60 s; run `npm run build`');
}

/** The merchant pages: the budget fixtures, (a) with the script tag swapped for the inline snippet. */
function writePages(site: string, urls: Urls, snippet: string): void {
  const fill = (text: string) => text.replaceAll('{{api}}', urls.api).replaceAll('{{cdn}}', urls.cdn).replaceAll('{{origin}}', urls.origin);
  const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
  const TAG = /<script src="\{\{cdn\}\}\/sdk\/vitrine\.js"([^>]*)><\/script>/;
  for (const page of Object.keys(PAGES) as PageId[]) {
    const plain = read(`${page}.html`);
    if (!TAG.test(plain)) throw new Error(`bench: test/load/fixtures/${page}.html has no <script src="{{cdn}}/sdk/vitrine.js" …> tag to swap`);
    // The snippet reads the same data-* attributes from its own tag and inserts the bundle after it.
    // Placed as the README says: first in <head>, before any stylesheet (an inline script waits for
    // the stylesheets above it), and, in <head>, with the page's product ids in data-ids (the
    // <vitrine-product> elements are not parsed yet when it runs).
    const attributes = TAG.exec(plain)![1]!;
    const ids = [...plain.matchAll(/<vitrine-product product-id="([^"]+)"/g)].map((m) => m[1]);
    const tag = `<script${attributes}${ids.length ? ` data-ids="${ids.join(',')}"` : ''}>${snippet}</script>`;
    const withoutTag = plain.replace(TAG, '');
    const charset = '<meta charset="utf-8">';
    if (!withoutTag.includes(charset)) throw new Error(`bench: test/load/fixtures/${page}.html has no ${charset} to place the snippet after`);
    writeFileSync(join(site, `${page}-a.html`), fill(withoutTag.replace(charset, `${charset}\n  ${tag}`)));
    writeFileSync(join(site, `${page}-b.html`), fill(plain));
    writeFileSync(join(site, `${page}-c.html`), fill(read(`incident-${page}.html`)));
  }
  writeFileSync(join(site, 'common.css'), read('common.css'));
  // The incident client, transpiled for the page: the same file the load benchmark runs in Node.
  const incident = ts.transpileModule(readFileSync(resolve(ROOT, 'bench/incident-client.ts'), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
  }).outputText;
  writeFileSync(join(site, 'incident-client.js'), incident);
}

/** bench/paint-page.ts as a classic script defining `__vitrinePaint` (no bundler helpers leak into the page). */
const PAGE_SCRIPT = transformSync(readFileSync(resolve(ROOT, 'bench/paint-page.ts'), 'utf8'), {
  loader: 'ts',
  format: 'iife',
  globalName: '__vitrinePaint',
  target: 'es2020',
}).code;

async function pageView(browser: Browser, urls: Urls, page: PageId, client: ClientId, rttMs: number): Promise<Sample> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.addInitScript({ content: `${PAGE_SCRIPT}\nglobalThis.__vitrinePaint = __vitrinePaint;\n__vitrinePaint.paintMonitor(${PAGES[page].products});` });
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: rttMs, downloadThroughput: -1, uploadThroughput: -1 });
    await tab.goto(`${urls.site}/${page}-${client}.html`, { waitUntil: 'commit' });
    try {
      await tab.waitForFunction(
        () => {
          const w = window as unknown as { __paint?: PaintState; __vitrineFailed?: string };
          return (w.__paint?.all ?? -1) >= 0 || w.__vitrineFailed !== undefined;
        },
        undefined,
        { timeout: PAGE_TIMEOUT_MS, polling: 100 },
      );
    } catch (error) {
      throw new Error(`bench: ${page}-${client} at ${rttMs} ms did not show all products within ${PAGE_TIMEOUT_MS / 1000} s (${errors.join('; ') || String(error)})`);
    }
    const failed = await tab.evaluate(() => (window as unknown as { __vitrineFailed?: string }).__vitrineFailed);
    if (failed !== undefined) throw new Error(`bench: ${page}-${client} failed to render: ${failed}`);
    const state = await tab.evaluate(() => (window as unknown as { __paint: PaintState }).__paint);
    const { resources, document } = (await tab.evaluate('__vitrinePaint.collectResources()')) as { resources: ResourceRow[]; document: ResourceRow };
    const isApi = (r: ResourceRow) => r.name.startsWith(`${urls.api}/`);
    const isScript = (r: ResourceRow) => r.initiatorType === 'script' || /\.m?js(\?|$)/.test(new URL(r.name).pathname);
    // What the first paint could have waited for: requests answered before it (the document included).
    const before = resources.filter((r) => r.responseEnd <= state.first);
    const sdk = resources.find((r) => new URL(r.name).pathname === '/sdk/vitrine.js');
    const firstApi = resources.filter(isApi).sort((x, y) => x.startTime - y.startTime)[0];
    // Chromium's emulated latency holds the response's end back, so a request's round trip shows
    // between requestStart and responseEnd (queueing for a connection comes before requestStart).
    const waits = [document, ...resources].map((r) => r.responseEnd - r.requestStart).filter((w) => w > 0);
    if (flags.trace) {
      const t = (n: number) => String(Math.round(n)).padStart(5);
      console.log(`trace ${page}-${client} @${rttMs} ms: first ${Math.round(state.first)}, all ${Math.round(state.all)}, vitrine-rendered ${Math.round(state.renderedEvent)}`);
      const marks = (await tab.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))) as [string, number][];
      console.log(`  marks: ${marks.map(([n, at]) => `${n} ${Math.round(at)}`).join(', ')}`);
      for (const r of [document, ...resources].sort((x, y) => x.startTime - y.startTime)) {
        const u = new URL(r.name);
        console.log(`  ${t(r.startTime)} ${t(r.requestStart)} ${t(r.responseEnd)}  ${r.initiatorType.padEnd(10)} ${u.port} ${u.pathname}${u.search}`.slice(0, 160));
      }
    }
    return {
      firstMs: round(state.first),
      allMs: round(state.all),
      renderedEventMs: state.renderedEvent >= 0 ? round(state.renderedEvent) : null,
      requestsBeforeFirst: 1 + before.length,
      apiBeforeFirst: before.filter(isApi).length,
      scriptBytesBeforeFirst: before.filter(isScript).reduce((n, r) => n + r.encodedBodySize, 0),
      requestsTotal: 1 + resources.length,
      apiTotal: resources.filter(isApi).length,
      apiBeforeSdkArrived: client === 'c' || !sdk || !firstApi ? null : firstApi.startTime < sdk.responseEnd,
      observedRttMs: round(median(waits)),
      failedImages: state.failedImages,
      images: state.images,
      protocols: [...new Set(resources.map((r) => r.nextHopProtocol).filter(Boolean))].sort(),
    };
  } finally {
    await context.close();
  }
}

interface Cell {
  page: PageId;
  rttMs: number;
  client: ClientId;
  label: string;
  samples: Sample[];
}

function summarise(cells: readonly Cell[]) {
  const of = (page: PageId, rttMs: number, client: ClientId) => cells.find((c) => c.page === page && c.rttMs === rttMs && c.client === client)!;
  return cells.map((cell) => {
    const a = of(cell.page, cell.rttMs, 'a');
    const first = stat(cell.samples.map((s) => s.firstMs));
    const all = stat(cell.samples.map((s) => s.allMs));
    const aFirst = median(a.samples.map((s) => s.firstMs));
    const aAll = median(a.samples.map((s) => s.allMs));
    const parallel = cell.samples.map((s) => s.apiBeforeSdkArrived).filter((p) => p !== null);
    return {
      page: cell.page,
      pageTitle: PAGES[cell.page].title,
      rttMs: cell.rttMs,
      client: cell.client,
      label: cell.label,
      runs: cell.samples.length,
      firstProductPaintedMs: first,
      allShownMs: all,
      /** Median time of this client ÷ median time of (a): how many times faster (a) is. */
      ratioToA: { firstProductPainted: round(first.median / aFirst, 2), allShown: round(all.median / aAll, 2) },
      firstPaintRoundTrips: cell.rttMs > 0 ? round(first.median / cell.rttMs, 2) : null,
      requestsBeforeFirstPaint: stat(cell.samples.map((s) => s.requestsBeforeFirst)),
      apiRequestsBeforeFirstPaint: stat(cell.samples.map((s) => s.apiBeforeFirst)),
      scriptBytesBeforeFirstPaint: stat(cell.samples.map((s) => s.scriptBytesBeforeFirst)),
      requestsPerPageView: stat(cell.samples.map((s) => s.requestsTotal)),
      apiRequestsPerPageView: stat(cell.samples.map((s) => s.apiTotal)),
      productRequestInParallelWithSdk: parallel.length ? parallel.every(Boolean) : null,
      observedRttMs: stat(cell.samples.map((s) => s.observedRttMs)),
      imagesShown: stat(cell.samples.map((s) => s.images)),
      failedImages: cell.samples.reduce((n, s) => n + s.failedImages, 0),
      samples: cell.samples,
    };
  });
}

type Row = ReturnType<typeof summarise>[number];

/** Round trips on the first paint's critical path: its slope against the RTT (lowest to highest RTT measured). */
function roundTripsOnPath(rows: readonly Row[], page: PageId, client: ClientId): number | null {
  const mine = rows.filter((r) => r.page === page && r.client === client).sort((x, y) => x.rttMs - y.rttMs);
  const lo = mine[0];
  const hi = mine[mine.length - 1];
  if (!lo || !hi || hi.rttMs === lo.rttMs) return null;
  return round((hi.firstProductPaintedMs.median - lo.firstProductPaintedMs.median) / (hi.rttMs - lo.rttMs), 2);
}

const ms = (s: Stat) => `${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
const range = (s: Stat) => (s.min === s.max ? `${s.median}` : `${s.median} (${s.min}–${s.max})`);
const kb = (s: Stat) => (s.median / 1024).toFixed(1);
const ratio = (r: number, client: ClientId) => (client === 'a' ? '1' : `${r.toFixed(2)}×`);

function markdown(rows: readonly Row[]): string {
  const head = [
    'page',
    'RTT',
    'client',
    'first product painted, ms',
    '÷ (a)',
    'in RTTs',
    'all products + images shown, ms',
    '÷ (a)',
    'requests answered before first paint (API)',
    'script KB before first paint',
  ];
  const lines = rows.map((r) =>
    [
      r.pageTitle,
      `${r.rttMs} ms`,
      r.label,
      ms(r.firstProductPaintedMs),
      ratio(r.ratioToA.firstProductPainted, r.client),
      r.firstPaintRoundTrips === null ? '—' : r.firstPaintRoundTrips.toFixed(1),
      ms(r.allShownMs),
      ratio(r.ratioToA.allShown, r.client),
      `${range(r.requestsBeforeFirstPaint)} (${range(r.apiRequestsBeforeFirstPaint)})`,
      kb(r.scriptBytesBeforeFirstPaint),
    ].join(' | '),
  );
  return [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`, ...lines.map((l) => `| ${l} |`)].join('\n');
}

function goals(rows: readonly Row[]) {
  const g = GOALS.embedsAllShownAt150;
  const at = (client: ClientId) => rows.find((r) => r.page === g.page && r.rttMs === g.rttMs && r.client === client);
  const out: { goal: string; measured: string; met: boolean | null }[] = [];
  const b = at('b');
  const c = at('c');
  out.push({
    goal: `at ${g.rttMs} ms, (a) ≥ ${g.fasterThanB}× faster than (b) to all 8 embeds shown`,
    measured: b ? `${b.ratioToA.allShown}×` : 'not measured (no 150 ms run)',
    met: b ? b.ratioToA.allShown >= g.fasterThanB : null,
  });
  out.push({
    goal: `at ${g.rttMs} ms, (a) ≥ ${g.fasterThanC}× faster than (c) to all 8 embeds shown`,
    measured: c ? `${c.ratioToA.allShown}×` : 'not measured (no 150 ms run)',
    met: c ? c.ratioToA.allShown >= g.fasterThanC : null,
  });
  for (const r of rows.filter((x) => x.client === 'a' && x.rttMs > 0)) {
    const path = roundTripsOnPath(rows, r.page, 'a');
    out.push({
      goal: `(a) first product painted within ${GOALS.firstPaintRoundTrips} round trips of navigation start, cold (${r.pageTitle}, ${r.rttMs} ms)`,
      measured: `${Math.round(r.firstProductPaintedMs.median)} ms = ${r.firstPaintRoundTrips} RTT of wall time, CPU included${path === null ? '' : `; ${path} round trips on the critical path (slope)`}`,
      met: (r.firstPaintRoundTrips ?? Infinity) <= GOALS.firstPaintRoundTrips,
    });
  }
  return out;
}

/** The backend, killed however this process ends (an exception, Ctrl-C, a closed pipe). */
let backendChild: ChildProcess | undefined;
process.on('exit', () => backendChild?.kill('SIGTERM'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vitrine-paint-'));
  const site = join(work, 'site');
  const dist = join(work, 'dist');
  mkdirSync(site);
  let backend: ChildProcess | undefined;
  let browser: Browser | undefined;
  let front: H2Front | undefined;
  const started = Date.now();
  const loadBefore = loadavg();
  try {
    const sri = await snapshotDist(dist);
    const server = await startBackendProcess(['--site', site, '--dist', dist]);
    backend = server.child;
    backendChild = backend;
    let urls = server.urls;
    if (H2) {
      front = await startH2Front(urls, work);
      urls = front.urls as Urls;
    }
    writePages(site, urls, sri.snippet);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...(front ? [`--ignore-certificate-errors-spki-list=${front.spki}`] : [])] });
    console.log(
      `bench:paint: Chromium ${browser.version()}, Node ${process.version}, ${cpus().length} CPUs (load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}); ` +
        `${H2 ? 'HTTP/2 (TLS front)' : 'HTTP/1.1'}; RTT ${RTTS.join(', ')} ms; ${RUNS} runs per cell; snippet ${sri.snippetBytes} B, vitrine.js ${sri.gzipBytes} B gzip`,
    );

    // One discarded round, no latency: the backend's JIT, Chromium's first process launches.
    for (const page of Object.keys(PAGES) as PageId[]) for (const client of Object.keys(CLIENTS) as ClientId[]) await pageView(browser, urls, page, client, 0);

    const cells: Cell[] = [];
    for (const rttMs of RTTS) {
      for (const page of Object.keys(PAGES) as PageId[]) {
        const row = (Object.keys(CLIENTS) as ClientId[]).map((client) => ({ page, rttMs, client, label: CLIENTS[client], samples: [] as Sample[] }));
        cells.push(...row);
        for (let run = 0; run < RUNS; run++) {
          // Interleaved: a, b, c, a, b, c… so a drift in the machine's load hits every client alike.
          for (const cell of row) cell.samples.push(await pageView(browser, urls, page, cell.client, rttMs));
        }
        const line = row.map((c) => `${c.client} ${Math.round(median(c.samples.map((s) => s.firstMs)))}/${Math.round(median(c.samples.map((s) => s.allMs)))} ms`).join(', ');
        console.log(`bench:paint: ${PAGES[page].title} at ${rttMs} ms (first/all, medians): ${line}`);
      }
    }

    const rows = summarise(cells);
    const checked = goals(rows);
    const paths = (Object.keys(PAGES) as PageId[]).flatMap((page) =>
      (Object.keys(CLIENTS) as ClientId[]).map((client) => ({ page, client, label: CLIENTS[client], roundTrips: roundTripsOnPath(rows, page, client) })),
    );
    const seconds = round((Date.now() - started) / 1000);
    const result = {
      benchmark: 'first paint (issue #14)',
      generatedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        chromium: browser.version(),
        loadAverageBefore: loadBefore.map((l) => round(l, 2)),
        loadAverageAfter: loadavg().map((l) => round(l, 2)),
      },
      setup: {
        runsPerCell: RUNS,
        order: 'interleaved a, b, c, a, b, c… per page and RTT, after one discarded warm-up round at 0 ms',
        transport: H2
          ? 'HTTP/2 over TLS: bench/paint-h2.ts in front of the backend, one multiplexed connection per host'
          : "HTTP/1.1 on loopback, no TLS: Chromium opens at most 6 connections per host, so a host's requests beyond 6 wait for one to free up",
        latency:
          'Network.emulateNetworkConditions { latency: RTT, throughput unlimited }: Chromium holds every response back by RTT (its end, after requestStart), i.e. one round trip per request, and a connection stays busy meanwhile; connection setup (TCP, TLS) is not delayed',
        context:
          'a fresh browser context per page view (empty HTTP cache, IndexedDB and socket pool), viewport 1280×5000 at DPR 1 (every product on screen, so lazy loading starts every image)',
        backend: 'demo/backend/serve.ts in its own process on loopback (catalogue of 300), serving a snapshot of dist/ taken at start',
        pages:
          'test/load/fixtures/{grid,embeds}.html: (a) with its script tag replaced by the inline bootstrap snippet carrying the same data-* (plus data-ids of the page’s <vitrine-product> elements), placed first in <head> as the README says, (b) as is; (c) incident-{grid,embeds}.html with bench/incident-client.ts',
        firstProductPainted: 'first frame with one product card showing its name (rAF poll across shadow roots), timed after the frame rendered',
        allShown: 'first frame with every product card named and every image complete with naturalWidth > 0 (or a product without image)',
        requestsBeforeFirstPaint:
          'Resource Timing entries answered (responseEnd) before the first product paint, plus the document; script bytes: encodedBodySize (uncompressed on loopback) of the script files among them (inline scripts, e.g. the snippet, not counted)',
        roundTripsOnPath:
          'with two RTTs: (median first paint at the higher − at the lower) ÷ (higher − lower RTT), the sequential round trips before the first product paint, CPU time cancelled out',
        snippet: { bytes: sri.snippetBytes, text: sri.snippet },
        bundleGzipBytes: sri.gzipBytes,
      },
      goals: checked,
      roundTripsOnFirstPaintPath: paths,
      seconds,
      cells: rows,
    };
    mkdirSync(resolve(OUT, '..'), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);

    console.log(`\n${markdown(rows)}\n`);
    if (paths.some((p) => p.roundTrips !== null)) {
      console.log(
        `Round trips on the first paint's critical path (slope ${Math.min(...RTTS)} → ${Math.max(...RTTS)} ms): ${paths.map((p) => `${PAGES[p.page].title} ${p.client} ${p.roundTrips}`).join(', ')}\n`,
      );
    }
    console.log('Goals (issue #14):');
    for (const g of checked) console.log(`  ${g.met === null ? '·' : g.met ? '✓' : '✗'} ${g.goal}: ${g.measured}`);
    const parallel = rows.filter((r) => r.client === 'a').map((r) => r.productRequestInParallelWithSdk);
    console.log(
      `  (a)'s product request started before vitrine.js arrived: ${parallel.every(Boolean) ? 'yes' : parallel.some(Boolean) ? 'on some pages' : 'no (the snippet in this build has no parallel request)'}`,
    );
    console.log(`\nbench:paint: ${seconds} s; wrote ${OUT}`);
  } finally {
    await browser?.close();
    await front?.close();
    if (backend && backend.exitCode === null) {
      backend.kill('SIGTERM');
      await new Promise((r) => backend!.once('exit', r));
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
