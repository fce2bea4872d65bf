/**
 * `npm run bench:scale`: past one machine, by simulation (no network). Page views arrive at the rate of
 * `--views-per-day` over a Zipf-distributed page set; each page shows a fixed set of products drawn
 * from a Zipf-distributed catalogue. A CDN (several PoPs, each its own cache) sits in front of the
 * API with a TTL and stale-while-revalidate; what it cannot answer goes to the origin. For each way of
 * asking for a page's products, the simulation counts CDN requests, the CDN's hit ratio and the
 * origin's requests (and product rows) per second:
 *
 *   batched      Vitrine: one request per page view, the page's sorted id set as its URL (its own cache key)
 *   per-product  one request per product: URLs shared by every page that shows the product
 *   incident     the incident: per product, one API request plus three image-URL requests
 *   blocks       the page's ids split along stable id blocks (`--block` ids each): one request per block
 *                touched, the page's ids in that block as the URL
 *   whole-blocks one request per block touched, for the whole block (one URL per block, shared by every
 *                page; the answer carries ids the page did not ask for)
 *
 * Results: test-artifacts/scale.json (`-- --write`: bench/results/scale.json). Every input is an option:
 *   --views-per-day 1e9 --products 200000 --pages 100000 --ids-per-page 24 --zipf-products 0.9
 *   --zipf-pages 1.0 --ttl 300 --swr 300 --pops 20 --seconds 600 --warmup 600 --block 64 --seed 1
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { prng } from '../demo/backend/catalog.js';

const ROOT = resolve(import.meta.dirname, '..');

interface Inputs {
  viewsPerDay: number;
  products: number;
  pages: number;
  idsPerPage: number;
  zipfProducts: number;
  zipfPages: number;
  /** CDN: seconds an entry is fresh, then seconds it is served stale while one request revalidates it. */
  ttl: number;
  swr: number;
  /** CDN points of presence, each with its own cache; views are spread evenly over them. */
  pops: number;
  /** Simulated seconds measured, after `warmup` seconds that fill the caches (simulated, not counted). */
  seconds: number;
  warmup: number;
  block: number;
  seed: number;
}

const DEFAULTS: Inputs = {
  viewsPerDay: 1e9,
  products: 200_000,
  pages: 100_000,
  idsPerPage: 24,
  zipfProducts: 0.9,
  zipfPages: 1.0,
  ttl: 300,
  swr: 300,
  pops: 20,
  seconds: 600,
  warmup: 600,
  block: 64,
  seed: 1,
};

export function parseInputs(argv: readonly string[]): Inputs {
  const inputs = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--write') continue;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m?.[1]?.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Inputs | undefined;
    if (!m || !key || !(key in inputs))
      throw new Error(
        `bench:scale: unknown option ${arg} (options: ${Object.keys(DEFAULTS)
          .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
          .join(' ')})`,
      );
    const raw = m[2] ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value < 0) throw new Error(`bench:scale: --${m[1]} expects a number ≥ 0, got ${raw}`);
    inputs[key] = value;
  }
  return inputs;
}

/** Samples ranks 0..n-1 with P(k) ∝ 1/(k+1)^s, by binary search over the cumulative weights. */
function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

type Strategy = 'batched' | 'per-product' | 'blocks' | 'whole-blocks';
const STRATEGIES: readonly Strategy[] = ['batched', 'per-product', 'blocks', 'whole-blocks'];

/** One page's requests under one strategy: a cache key (interned URL) and the product rows its answer carries. */
interface PageRequests {
  keys: Int32Array;
  rows: Int32Array;
}

interface Tally {
  cdnRequests: number;
  hits: number;
  staleHits: number;
  originRequests: number;
  originRows: number;
  rowsToBrowser: number;
}

export interface StrategyResult {
  requestsPerView: number;
  /** Product rows in the answers one page view downloads (the whole block for whole-blocks). */
  rowsPerView: number;
  cdnRequestsPerSecond: number;
  hitRatio: number;
  staleShare: number;
  originRequestsPerSecond: number;
  originRowsPerSecond: number;
  originRowsPerRequest: number;
  distinctUrls: number;
}

export function simulate(inputs: Inputs): { inputs: Inputs; viewsPerSecond: number; results: Record<Strategy | 'incident', StrategyResult> } {
  // The simulated catalogue's seeded generator, so a run is the same every time.
  const random = prng(inputs.seed);
  const productRank = zipf(inputs.products, inputs.zipfProducts, random);
  // Product ids are not popularity ranks: a stable shuffle, so an id block mixes popular and rare products.
  const idOf = new Int32Array(inputs.products);
  for (let i = 0; i < inputs.products; i++) idOf[i] = i;
  for (let i = inputs.products - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idOf[i], idOf[j]] = [idOf[j]!, idOf[i]!];
  }
  // URLs interned per strategy: the same URL is the same cache key whichever page asks for it.
  const interned = new Map<Strategy, Map<string, number>>(STRATEGIES.map((s) => [s, new Map()]));
  const intern = (strategy: Strategy, url: string) => {
    const table = interned.get(strategy)!;
    let key = table.get(url);
    if (key === undefined) table.set(url, (key = table.size));
    return key;
  };
  const pages: Array<Record<Strategy, PageRequests>> = [];
  for (let p = 0; p < inputs.pages; p++) {
    const set = new Set<number>();
    while (set.size < Math.min(inputs.idsPerPage, inputs.products)) set.add(idOf[productRank()]!);
    const ids = [...set].sort((a, b) => a - b);
    const byBlock = new Map<number, number[]>();
    for (const id of ids) {
      const b = Math.floor(id / inputs.block);
      let list = byBlock.get(b);
      if (!list) byBlock.set(b, (list = []));
      list.push(id);
    }
    const of = (strategy: Strategy, list: Array<[string, number]>): PageRequests => ({
      keys: Int32Array.from(list.map(([url]) => intern(strategy, url))),
      rows: Int32Array.from(list.map(([, rows]) => rows)),
    });
    pages.push({
      batched: of('batched', [[ids.join(','), ids.length]]),
      'per-product': of(
        'per-product',
        ids.map((id) => [String(id), 1]),
      ),
      blocks: of(
        'blocks',
        [...byBlock.values()].map((list) => [list.join(','), list.length]),
      ),
      'whole-blocks': of(
        'whole-blocks',
        [...byBlock.keys()].map((b) => [`block ${b}`, inputs.block]),
      ),
    });
  }
  const pageRank = zipf(inputs.pages, inputs.zipfPages, random);
  const viewsPerSecond = inputs.viewsPerDay / 86_400;
  const total = Math.round(viewsPerSecond * (inputs.warmup + inputs.seconds));
  const measuredFrom = Math.round(viewsPerSecond * inputs.warmup);

  // Per strategy and PoP: when each URL was last fetched from the origin (NaN: never).
  const fetchedAt = new Map<Strategy, Float64Array[]>(
    STRATEGIES.map((s) => [s, Array.from({ length: inputs.pops }, () => new Float64Array(interned.get(s)!.size).fill(Number.NaN))]),
  );
  const tallies = new Map<Strategy, Tally>(STRATEGIES.map((s) => [s, { cdnRequests: 0, hits: 0, staleHits: 0, originRequests: 0, originRows: 0, rowsToBrowser: 0 }]));
  const seen = new Map<Strategy, Uint8Array>(STRATEGIES.map((s) => [s, new Uint8Array(interned.get(s)!.size)]));
  const { ttl, swr } = inputs;
  for (let v = 0; v < total; v++) {
    const t = v / viewsPerSecond;
    const page = pages[pageRank()]!;
    const pop = Math.floor(random() * inputs.pops);
    const measuring = v >= measuredFrom;
    for (const strategy of STRATEGIES) {
      const cache = fetchedAt.get(strategy)![pop]!;
      const tally = tallies.get(strategy)!;
      const { keys, rows } = page[strategy];
      for (let r = 0; r < keys.length; r++) {
        const key = keys[r]!;
        const age = t - cache[key]!; // NaN when never fetched: every comparison below is false
        if (age <= ttl) {
          if (measuring) tally.hits++;
        } else {
          // Within stale-while-revalidate the stale copy is served and one request revalidates it (its
          // answer lands before the next view); past it, or never fetched, a miss: one origin request.
          if (measuring && age <= ttl + swr) {
            tally.hits++;
            tally.staleHits++;
          }
          cache[key] = t;
          if (measuring) {
            tally.originRequests++;
            tally.originRows += rows[r]!;
          }
        }
        if (measuring) {
          tally.cdnRequests++;
          tally.rowsToBrowser += rows[r]!;
          seen.get(strategy)![key] = 1;
        }
      }
    }
  }
  const views = total - measuredFrom;
  const resultOf = (tally: Tally, distinctUrls: number, factor = 1): StrategyResult => ({
    requestsPerView: round((factor * tally.cdnRequests) / views, 2),
    rowsPerView: round(tally.rowsToBrowser / views, 1),
    cdnRequestsPerSecond: Math.round((factor * tally.cdnRequests) / inputs.seconds),
    hitRatio: round(tally.hits / tally.cdnRequests, 4),
    staleShare: round(tally.staleHits / tally.cdnRequests, 4),
    originRequestsPerSecond: round((factor * tally.originRequests) / inputs.seconds, 1),
    originRowsPerSecond: Math.round((factor * tally.originRows) / inputs.seconds),
    originRowsPerRequest: round(tally.originRows / Math.max(1, tally.originRequests), 1),
    distinctUrls: factor * distinctUrls,
  });
  const distinct = (s: Strategy) => seen.get(s)!.reduce((n, x) => n + x, 0);
  const results = Object.fromEntries(STRATEGIES.map((s) => [s, resultOf(tallies.get(s)!, distinct(s))])) as Record<Strategy | 'incident', StrategyResult>;
  // The incident's three image-URL requests per product follow the product request's access pattern
  // exactly (same product, same moment, same TTL), so they hit and miss with it: 4× the per-product figures.
  results.incident = resultOf(tallies.get('per-product')!, distinct('per-product'), 4);
  return { inputs, viewsPerSecond: Math.round(viewsPerSecond), results };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function main(): void {
  const inputs = parseInputs(process.argv.slice(2));
  const run = simulate(inputs);
  const head = '| requests | per view | rows per view | CDN req/s | CDN hit ratio | served stale | origin req/s | origin rows/s | rows per origin req | distinct URLs |';
  const rows = Object.entries(run.results).map(
    ([name, r]) =>
      `| ${name} | ${r.requestsPerView} | ${r.rowsPerView} | ${r.cdnRequestsPerSecond.toLocaleString('en')} | ${(r.hitRatio * 100).toFixed(2)}% | ${(r.staleShare * 100).toFixed(1)}% | ${r.originRequestsPerSecond.toLocaleString('en')} | ${r.originRowsPerSecond.toLocaleString('en')} | ${r.originRowsPerRequest} | ${r.distinctUrls.toLocaleString('en')} |`,
  );
  console.log(
    `bench:scale: ${inputs.viewsPerDay.toExponential(1)} page views/day (${run.viewsPerSecond.toLocaleString('en')}/s), ${inputs.products.toLocaleString('en')} products (Zipf ${inputs.zipfProducts}), ${inputs.pages.toLocaleString('en')} pages (Zipf ${inputs.zipfPages}) of ${inputs.idsPerPage} ids, CDN ${inputs.pops} PoPs, TTL ${inputs.ttl} s + stale-while-revalidate ${inputs.swr} s, ${inputs.seconds} s measured after ${inputs.warmup} s, blocks of ${inputs.block}\n`,
  );
  console.log([head, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n'));
  const out = resolve(ROOT, process.argv.includes('--write') ? 'bench/results/scale.json' : 'test-artifacts/scale.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\nbench:scale: wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'scale.ts')) main();
