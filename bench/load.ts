/**
 * Load benchmark: what a release costs the servers. The simulated backend runs as a real HTTP server
 * on loopback in its own process (demo/backend/serve.ts); simulated shoppers drive it at a fixed
 * concurrency for a fixed time, first with Vitrine's headless core (a fresh storefront per page
 * view, nothing shared between shoppers), then with the incident's request pattern, for the same
 * two page shapes. autocannon measures the raw HTTP side: what one API request of each kind costs.
 *
 *   npm run bench:load            (≈ 55 s; env BENCH_SECONDS, BENCH_CONCURRENCY to change)
 *
 * Prints a table and writes bench/results/load.json. Loopback only; bounded in time and count.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createStorefront } from '../src/index.js';
import { startBackendProcess, type BackendUrls } from './backend-process.js';
import { incidentPageView, incidentRequestsPerPageView } from './incident-client.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 7);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP_MS = 1000;
/** A hard stop per phase, whatever happens: the benchmark is bounded in count as well as time. */
const MAX_PAGE_VIEWS = 200_000;
const STORE = '1003';

type Urls = BackendUrls;
type Client = 'vitrine' | 'incident';

interface PageShape {
  id: 'grid' | 'embeds';
  title: string;
  ids: readonly string[];
}

const SHAPES: readonly PageShape[] = [
  { id: 'grid', title: '24-product grid', ids: Array.from({ length: 24 }, (_, i) => String(i + 1)) },
  { id: 'embeds', title: '8 single-product embeds', ids: ['42', '7', '118', '250', '3', '77', '199', '15'] },
];

interface PhaseResult {
  shape: PageShape['id'];
  client: Client;
  seconds: number;
  pageViews: number;
  failed: number;
  pageViewsPerSecond: number;
  serverRequests: number;
  serverRequestsPerSecond: number;
  requestsPerPageView: number;
  /** Time until the page's product data (and, for the incident client, its image URLs) were in hand. */
  latencyMs: { p50: number; p95: number; p99: number };
  /** Server process CPU over the phase: seconds, share of one core, and per page view. */
  serverCpu: { seconds: number; coreShare: number; msPerPageView: number };
}

/** User+system CPU seconds of a process, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function control(urls: Urls, path: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`${urls.api}/__control/${path}`, { method });
  if (!response.ok) throw new Error(`bench: control ${path} answered ${response.status}`);
  return response.json();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One simulated page view; resolves when the page has its product data. Counts its own requests. */
function pageView(client: Client, shape: PageShape, urls: Urls, counter: { requests: number }): Promise<unknown> {
  const countingFetch: typeof fetch = (input, init) => {
    counter.requests++;
    return fetch(input, init);
  };
  if (client === 'incident') return incidentPageView({ api: urls.api, cdn: urls.cdn, storeId: STORE, ids: shape.ids, fetch: countingFetch });
  // A fresh storefront per page view: a new shopper, nothing in memory, no IndexedDB in Node.
  const store = createStorefront({ storeId: STORE, api: urls.api, cdn: urls.cdn, origin: urls.origin, cache: { persist: false }, fetch: countingFetch });
  const data = shape.id === 'grid' ? store.products.list({ limit: shape.ids.length }).then((page) => page.items) : Promise.all(shape.ids.map((id) => store.products.get(id)));
  return data.then((products) => products.map((p) => store.images.url(p, 'thumbnail'))).finally(() => store.destroy());
}

async function runPhase(client: Client, shape: PageShape, urls: Urls, pid: number): Promise<PhaseResult> {
  // Warm-up: connections open, JIT warm, then a clean log so the counts are this phase's alone.
  await drive(client, shape, urls, WARMUP_MS, { requests: 0 }, []);
  await control(urls, 'reset', 'POST');
  const counter = { requests: 0 };
  const latencies: number[] = [];
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const failed = await drive(client, shape, urls, SECONDS * 1000, counter, latencies);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const counts = (await control(urls, 'counts')) as { api: number; total: number };
  if (counts.api !== counter.requests) {
    console.warn(`bench: ${client}/${shape.id}: the server logged ${counts.api} API requests, the clients sent ${counter.requests}`);
  }
  await control(urls, 'reset', 'POST');
  latencies.sort((a, b) => a - b);
  const pageViews = latencies.length;
  return {
    shape: shape.id,
    client,
    seconds: round(seconds, 2),
    pageViews,
    failed,
    pageViewsPerSecond: round(pageViews / seconds),
    serverRequests: counts.api,
    serverRequestsPerSecond: round(counts.api / seconds),
    requestsPerPageView: round(counts.api / Math.max(1, pageViews + failed), 2),
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)) },
    serverCpu: { seconds: round(cpu, 2), coreShare: round(cpu / seconds, 2), msPerPageView: round((cpu * 1000) / Math.max(1, pageViews), 3) },
  };
}

/** CONCURRENCY shoppers, each viewing pages back to back until the time is up; returns failures. */
async function drive(client: Client, shape: PageShape, urls: Urls, ms: number, counter: { requests: number }, latencies: number[]): Promise<number> {
  const deadline = performance.now() + ms;
  let failed = 0;
  let started = 0;
  const shopper = async () => {
    while (performance.now() < deadline && started < MAX_PAGE_VIEWS) {
      started++;
      const t0 = performance.now();
      try {
        await pageView(client, shape, urls, counter);
        latencies.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, shopper));
  return failed;
}

/** Raw HTTP: what one batched Vitrine request and one incident request cost the server, on their own. */
async function rawHttp(urls: Urls): Promise<Record<string, { requestsPerSecond: number; p50Ms: number; p99Ms: number; bytesPerRequest: number }>> {
  const targets = {
    'vitrine: one batched request, 24 ids': `${urls.api}/stores/${STORE}/products?ids=${[...SHAPES[0]!.ids].sort().join(',')}`,
    'incident: one product request': `${urls.api}/stores/${STORE}/products?ids=1`,
    'incident: one image-URL request': `${urls.api}/stores/${STORE}/products?ids=1&variant=thumbnail`,
  };
  const out: Record<string, { requestsPerSecond: number; p50Ms: number; p99Ms: number; bytesPerRequest: number }> = {};
  for (const [name, url] of Object.entries(targets)) {
    const result = await autocannon({ url, connections: CONCURRENCY, duration: 2 });
    out[name] = {
      requestsPerSecond: round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      bytesPerRequest: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    };
  }
  await control(urls, 'reset', 'POST');
  return out;
}

function printTable(phases: readonly PhaseResult[], ratios: Record<string, Record<string, number>>): void {
  const rows = phases.map((p) => [
    `${p.shape}`,
    p.client,
    String(p.pageViewsPerSecond),
    String(p.serverRequestsPerSecond),
    String(p.requestsPerPageView),
    `${p.latencyMs.p50} / ${p.latencyMs.p95} / ${p.latencyMs.p99}`,
    `${Math.round(p.serverCpu.coreShare * 100)}%`,
    String(p.serverCpu.msPerPageView),
    String(p.failed),
  ]);
  const head = ['page', 'client', 'page views/s', 'server req/s', 'req/page view', 'data p50/p95/p99 ms', 'server CPU', 'CPU ms/page view', 'failed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log('\nVitrine / incident pattern:');
  for (const [shape, r] of Object.entries(ratios)) {
    console.log(
      `  ${shape}: ${r.pageViewsPerSecond}× page views/s, ${r.fewerServerRequestsPerPageView}× fewer server requests per page view, ${r.lessServerCpuPerPageView}× less server CPU per page view, p50 data latency ${r.latencyP50}×`,
    );
  }
}

async function main(): Promise<void> {
  const { child, urls } = await startBackendProcess();
  const pid = child.pid!;
  let closed = false;
  const stop = () => {
    if (!closed) child.kill('SIGTERM');
    closed = true;
  };
  process.on('exit', stop);
  try {
    console.log(`bench: backend pid ${pid} at ${urls.api}; ${CONCURRENCY} shoppers, ${SECONDS} s per phase, Node ${process.version}, ${cpus().length} CPUs`);
    const raw = await rawHttp(urls);
    const phases: PhaseResult[] = [];
    for (const shape of SHAPES) {
      for (const client of ['vitrine', 'incident'] as const) {
        const result = await runPhase(client, shape, urls, pid);
        phases.push(result);
        console.log(`bench: ${shape.id}/${client}: ${result.pageViews} page views in ${result.seconds} s`);
      }
    }
    const ratios: Record<string, Record<string, number>> = {};
    for (const shape of SHAPES) {
      const v = phases.find((p) => p.shape === shape.id && p.client === 'vitrine')!;
      const i = phases.find((p) => p.shape === shape.id && p.client === 'incident')!;
      ratios[shape.id] = {
        pageViewsPerSecond: round(v.pageViewsPerSecond / i.pageViewsPerSecond),
        fewerServerRequestsPerPageView: round(i.requestsPerPageView / v.requestsPerPageView),
        lessServerCpuPerPageView: round(i.serverCpu.msPerPageView / v.serverCpu.msPerPageView),
        latencyP50: round(v.latencyMs.p50 / i.latencyMs.p50, 2),
        incidentRequestsPerPageViewExpected: incidentRequestsPerPageView(shape.ids.length),
      };
    }
    printTable(phases, ratios);
    console.log('\nRaw HTTP (autocannon, one URL at a time):');
    for (const [name, r] of Object.entries(raw)) console.log(`  ${name}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.bytesPerRequest} B/response`);
    // A run writes under test-artifacts/; only `npm run bench:load -- --write` replaces the committed results.
    const out = resolve(ROOT, process.argv.includes('--write') ? 'bench/results/load.json' : 'test-artifacts/load.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, concurrency: CONCURRENCY, secondsPerPhase: SECONDS, phases, ratios, rawHttp: raw }, null, 2)}\n`,
    );
    console.log(`\nbench: wrote ${out}`);
  } finally {
    stop();
  }
}

await main();
