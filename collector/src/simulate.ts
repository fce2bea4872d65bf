import type { ParseArgsConfig } from 'node:util';
import { readFlags, UsageError } from './flags.js';
import { makeProduct, prng } from '../../demo/backend/catalog.js';
import { alarmAnswer, evaluateAlarms, ALARM_DEFAULTS } from './field/answers.js';
import { rate, type Metric } from './field/thresholds.js';
import type { Alarm } from './field/types.js';
import { normalise } from './ingest/normalise.js';
import type { ViewRecord } from './ingest/record.js';
import { parseVitalsReport, type HealthCounters, type VitalEntry, type VitalsReport } from './sdk.js';
import { openStore, type FieldStore } from './store/store.js';

/**
 * `vitrine-collector simulate`: demo data, so a newcomer sees the field answers and both of the
 * incident's alarms without a shop of their own. Simulated shoppers of the simulated store (the
 * demo's catalogue, store 1003) over the last `minutes`: several browsers, countries, pages and
 * devices, vitals drawn log-normally around typical medians, and the incident's two faults —
 *
 * - SDK 0.1.0 (one batched API request per page view) until the last third of the time, then
 *   0.2.0 rolling out (35 % of page views, rising to 80 %) with the incident's request pattern:
 *   the batched request plus one each for image, thumbnail and small thumbnail (4 per view);
 * - one CDN copy blank for one browser in one country: the home grid's first card's thumbnail,
 *   cached empty for Safari 17 in Germany from a little past half-way; those page views report the
 *   URL in `health.blankUrls` and fetch it from the origin instead (`originFallbacks`).
 *
 * Every report is a valid v2 report (checked with the SDK's own schema), normalised exactly as
 * ingest does (User-Agent → browser, major, device; then dropped), and marked `simulated` so the
 * dashboard says so. Deterministic: the same seed and `now` give the same page views (and the same
 * view ids, so writing them twice stores them once).
 */
export interface SimulateOptions {
  /** Page views to make. Default 3000. */
  views?: number;
  /** Spread over the last this many minutes before `now`. Default 120. */
  minutes?: number;
  /** Default 1. */
  seed?: number;
  /** The end of the simulated time (ms since the epoch). Default Date.now(). */
  now?: number;
  /** Default the simulated store's, '1003'. */
  storeId?: string;
}

export const SIMULATE_DEFAULTS = { views: 3000, minutes: 120, seed: 1, storeId: '1003' } as const;
export const OLD_SDK = '0.1.0';
export const NEW_SDK = '0.2.0';
/** The merchant's release while the simulation runs (the SDK upgrade is the CDN's script, not theirs). */
export const SIMULATED_RELEASE = 'shop-2026.12.1';
/** Where the simulated CDN copies live (the simulated store's CDN host; only the path matters to a purge or a reproduction). */
export const SIMULATED_CDN = 'https://cdn.vitrine.test';

/** Which copy is blank, for whom, and when: the facts the blank-variant alarm should name. */
export interface SimulationPlan {
  start: number;
  end: number;
  /** 0.2.0 starts rolling out here. */
  rolloutAt: number;
  blankFrom: number;
  blank: { url: string; path: string; browser: 'Safari'; browserMajor: '17'; country: 'DE'; productId: string };
}

const MIN = 60_000;

export function simulationPlan(options: SimulateOptions = {}): SimulationPlan {
  const { end, span, storeId } = resolved(options);
  const start = end - span;
  // The home grid's first card (product 1 of the simulated catalogue) at the grid's 1x width.
  const product = makeProduct(1).product;
  const path = `/images/${encodeURIComponent(storeId)}/${encodeURIComponent(product.image!.key)}/400.webp`;
  return {
    start,
    end,
    rolloutAt: start + Math.round((span * 2) / 3),
    blankFrom: start + Math.round(span * 0.55),
    blank: { url: `${SIMULATED_CDN}${path}`, path, browser: 'Safari', browserMajor: '17', country: 'DE', productId: product.id },
  };
}

function resolved(options: SimulateOptions) {
  const views = options.views ?? SIMULATE_DEFAULTS.views;
  const minutes = options.minutes ?? SIMULATE_DEFAULTS.minutes;
  const seed = options.seed ?? SIMULATE_DEFAULTS.seed;
  const end = Math.floor(options.now ?? Date.now());
  const storeId = options.storeId ?? SIMULATE_DEFAULTS.storeId;
  if (!Number.isInteger(views) || views < 0 || views > 10_000_000) throw new RangeError(`Expected views to be a whole number from 0 to 10000000, got ${views}`);
  if (!(minutes > 0) || minutes > 7 * 24 * 60) throw new RangeError(`Expected minutes from 1 to ${7 * 24 * 60}, got ${minutes}`);
  if (!Number.isInteger(seed)) throw new RangeError(`Expected seed to be a whole number, got ${seed}`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) throw new RangeError(`Expected storeId as 1–64 of A–Z a–z 0–9 _ -, got ${JSON.stringify(storeId)}`);
  return { views, seed, end, span: Math.round(minutes * MIN), storeId };
}

type Device = 'desktop' | 'mobile' | 'tablet';
interface Client {
  ua: string;
  device: Device;
  /** Share of page views. */
  weight: number;
  safari17?: boolean;
}

/** A European-leaning shop's traffic mix. Strings as the browsers send them. */
const CLIENTS: readonly Client[] = [
  { weight: 0.22, device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { weight: 0.04, device: 'desktop', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { weight: 0.2, device: 'mobile', ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36' },
  {
    weight: 0.11,
    device: 'mobile',
    safari17: true,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  },
  { weight: 0.08, device: 'mobile', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' },
  {
    weight: 0.03,
    device: 'tablet',
    safari17: true,
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  },
  { weight: 0.06, device: 'desktop', safari17: true, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15' },
  { weight: 0.08, device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' },
  { weight: 0.1, device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0' },
  {
    weight: 0.07,
    device: 'mobile',
    ua: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  { weight: 0.01, device: 'tablet', ua: 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36' },
];

/** Country shares, and how much slower than Germany a page loads there (network and distance). */
const COUNTRIES: readonly { code: string; weight: number; slow: number }[] = [
  { code: 'DE', weight: 0.28, slow: 1 },
  { code: 'FR', weight: 0.13, slow: 1.02 },
  { code: 'GB', weight: 0.12, slow: 0.97 },
  { code: 'US', weight: 0.15, slow: 1.12 },
  { code: 'NL', weight: 0.06, slow: 0.95 },
  { code: 'ES', weight: 0.06, slow: 1.05 },
  { code: 'JP', weight: 0.08, slow: 1.2 },
  { code: 'BR', weight: 0.08, slow: 1.45 },
  { code: 'XX', weight: 0.04, slow: 1.1 }, // no trusted country header (stored as 'unknown')
];

const CATEGORY_PAGES = [
  '/category/kitchen',
  '/category/garden',
  '/category/lighting',
  '/category/textiles',
  '/category/stationery',
  '/category/toys',
  '/category/outdoor',
  '/category/bath',
];
type PageKind = 'home' | 'category' | 'product' | 'search' | 'cart';
const PAGES: readonly { kind: PageKind; weight: number }[] = [
  { kind: 'home', weight: 0.34 },
  { kind: 'category', weight: 0.28 },
  { kind: 'product', weight: 0.3 },
  { kind: 'search', weight: 0.05 },
  { kind: 'cart', weight: 0.03 },
];

const NAVIGATIONS: readonly { type: VitalsReport['navigationType']; weight: number }[] = [
  { type: 'navigate', weight: 0.83 },
  { type: 'reload', weight: 0.04 },
  { type: 'back-forward', weight: 0.06 },
  { type: 'back-forward-cache', weight: 0.06 },
  { type: 'prerender', weight: 0.01 },
];

const DEVICE_SLOW: Record<Device, number> = { desktop: 1, mobile: 1.45, tablet: 1.2 };

function weighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1]!;
}

/** A standard normal draw (Box–Muller) from the seeded generator. */
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
/** Log-normal around a median: half the page views faster, half slower, a long slow tail. */
const logNormal = (random: () => number, median: number, sigma: number) => median * Math.exp(sigma * normal(random));
const ms = (v: number) => Math.round(Math.max(1, v) * 10) / 10;

function vitals(random: () => number, nav: VitalsReport['navigationType'], slow: number, device: Device, extraLcp: number, viewNo: number): VitalEntry[] {
  const out: { name: Metric; value: number }[] = [];
  const restored = nav === 'back-forward-cache';
  if (restored) {
    // A bfcache restore paints from memory: tiny FCP and LCP, no TTFB.
    const fcp = ms(logNormal(random, 40, 0.4));
    out.push({ name: 'FCP', value: fcp }, { name: 'LCP', value: ms(fcp + logNormal(random, 20, 0.5)) });
  } else {
    const ttfb = ms(logNormal(random, (nav === 'prerender' ? 60 : 330) * slow * (device === 'desktop' ? 1 : 1.2), 0.5));
    const fcp = ms(ttfb + logNormal(random, 650 * slow * DEVICE_SLOW[device], 0.38));
    const lcp = ms(fcp + logNormal(random, 420 * slow * DEVICE_SLOW[device], 0.65) + extraLcp);
    out.push({ name: 'TTFB', value: ttfb }, { name: 'FCP', value: fcp }, { name: 'LCP', value: lcp });
  }
  const cls = random() < 0.5 ? random() * 0.02 : logNormal(random, 0.045, 1);
  out.push({ name: 'CLS', value: Math.round(Math.min(cls, 3) * 10_000) / 10_000 });
  // Only page views with an interaction report INP.
  if (random() < 0.62) out.push({ name: 'INP', value: Math.round(logNormal(random, 72 * (device === 'desktop' ? 1 : 2), 0.7)) });
  return out.map((v, i) => ({ name: v.name, value: v.value, delta: v.value, id: `v5-${viewNo.toString(36)}-${i}`, rating: rate(v.name, v.value), navigationType: nav }));
}

/** The simulated page views, oldest first: pure, deterministic for the options. */
export function simulateViews(options: SimulateOptions = {}): ViewRecord[] {
  const { views, seed, end, span, storeId } = resolved(options);
  const plan = simulationPlan(options);
  const random = prng(0x51a1 ^ Math.imul(seed, 0x9e3779b1));
  const times = Array.from({ length: views }, () => end - span + Math.floor(random() * span)).sort((a, b) => a - b);
  const out: ViewRecord[] = [];
  for (let i = 0; i < views; i++) {
    const time = times[i]!;
    const client = weighted(CLIENTS, random());
    const country = weighted(COUNTRIES, random());
    const pageKind = weighted(PAGES, random()).kind;
    const productId = 1 + Math.floor(random() * 60);
    const page =
      pageKind === 'home'
        ? '/'
        : pageKind === 'category'
          ? CATEGORY_PAGES[Math.floor(random() * CATEGORY_PAGES.length)]!
          : pageKind === 'product'
            ? `/products/${productId}`
            : pageKind === 'search'
              ? '/search'
              : '/cart';
    const nav = weighted(NAVIGATIONS, random()).type;
    // The rollout: 35 % of page views on 0.2.0 when it starts, 80 % at the end (cached old scripts linger).
    const share = time < plan.rolloutAt ? 0 : 0.35 + (0.45 * (time - plan.rolloutAt)) / Math.max(1, end - plan.rolloutAt);
    const sdk = random() < share ? NEW_SDK : OLD_SDK;

    // What the page shows: a grid of 24 (about 20 with an image), a product with 8 related, a small cart.
    const products = pageKind === 'product' ? 9 : pageKind === 'cart' ? 3 : 24;
    const images = pageKind === 'product' ? 9 : pageKind === 'cart' ? 3 : 19 + Math.floor(random() * 3);
    const restored = nav === 'back-forward-cache';
    const shows = (pageKind === 'home' || (pageKind === 'product' && String(productId) === plan.blank.productId)) && !restored;
    const blank = client.safari17 === true && country.code === plan.blank.country && time >= plan.blankFrom && shows;
    // Background noise every shop has: a CDN timeout now and then (origin fallback), a rare error, a retry.
    const cdnFailed = !restored && random() < 0.004;
    const errors = random() < 0.003 ? 1 : 0;
    const retried = !restored && random() < 0.015 ? 1 : 0;
    const apiRequests = restored ? 0 : (sdk === NEW_SDK ? 4 : 1) + retried;
    const health: HealthCounters = {
      apiRequests,
      apiRetries: retried,
      batches: restored ? { count: 0, ids: 0, max: 0 } : { count: 1, ids: products, max: products },
      cache: restored
        ? { fresh: products, stale: 0, miss: 0 }
        : nav === 'back-forward' || nav === 'reload'
          ? { fresh: 0, stale: products, miss: 0 }
          : { fresh: 0, stale: 0, miss: products },
      assets: {
        image: restored ? { ok: 0, empty: 0, failed: 0 } : { ok: images, empty: blank ? 1 : 0, failed: cdnFailed ? 1 : 0 },
        script: { ok: 0, empty: 0, failed: 0 },
        style: { ok: 0, empty: 0, failed: 0 },
        json: { ok: 0, empty: 0, failed: 0 },
      },
      originFallbacks: (blank ? 1 : 0) + (cdnFailed ? 1 : 0),
      breakerOpenings: 0,
      retryBudgetSpent: retried + (cdnFailed ? 1 : 0),
      beaconsDropped: 0,
      errors,
      blankUrls: blank ? [plan.blank.url] : [],
      blankUrlsOmitted: 0,
    };
    const viewNo = seed * 10_000_000 + i;
    // The blank first card is the LCP element: its origin round trip shows in LCP.
    const body = {
      v: 2,
      sdk,
      release: SIMULATED_RELEASE,
      storeId,
      viewId: `sim${seed.toString(36)}-${end.toString(36)}-${i.toString(36).padStart(5, '0')}`,
      page,
      navigationType: nav,
      time,
      ...(random() < 0.015 && { queued: true }),
      vitals: vitals(random, nav, country.slow, client.device, blank ? logNormal(random, 350, 0.4) : 0, viewNo),
      health,
    };
    const report = parseVitalsReport(body);
    // A queued report arrives on the shopper's next visit, minutes later (never after `now`).
    const receivedAt = report.queued ? Math.min(end, time + MIN + Math.floor(random() * 20 * MIN)) : time;
    const record = normalise(report, { userAgent: client.ua, country: country.code, receivedAt });
    record.simulated = true;
    // normalise reads sdk/release from a v2 report; stated here too for a schema without them.
    record.sdk = sdk;
    record.release = SIMULATED_RELEASE;
    out.push(record);
  }
  return out;
}

export interface RunSimulateOptions extends SimulateOptions {
  /** A SQLite path, a postgres:// URL, or an open store (left open). Default ./vitrine-field.db. */
  store?: string | FieldStore;
  /** Minimum sample the alarms are evaluated with (the collector's --min-sample). Default 30. */
  minSample?: number;
  /** One line at a time; default stdout. */
  log?: (line: string) => void;
}

export interface SimulateResult {
  views: number;
  /** Of `views`, how many were new (a second run with the same seed and now stores none). */
  written: number;
  plan: SimulationPlan;
  bySdk: Record<string, number>;
  blankViews: number;
  alarms: Alarm[];
}

/** Writes the simulated views into the store, evaluates the alarms, and says what it did. */
export async function runSimulate(options: RunSimulateOptions = {}): Promise<SimulateResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const end = Math.floor(options.now ?? Date.now());
  const o = { ...options, now: end };
  const records = simulateViews(o);
  const plan = simulationPlan(o);
  const storeId = options.storeId ?? SIMULATE_DEFAULTS.storeId;
  const location = options.store ?? './vitrine-field.db';
  const store = typeof location === 'string' ? await openStore(location) : location;
  try {
    let written = 0;
    for (let i = 0; i < records.length; i += 500) written += (await store.write(records.slice(i, i + 500))).filter(Boolean).length;
    const alarmOptions = { ...ALARM_DEFAULTS, minSample: options.minSample ?? ALARM_DEFAULTS.minSample };
    await evaluateAlarms(store, end, alarmOptions);
    const alarms = (await alarmAnswer(store, { from: plan.start, to: end, store: storeId }, { minSample: alarmOptions.minSample, now: () => end, alarms: alarmOptions })).open;

    const bySdk: Record<string, number> = {};
    for (const r of records) bySdk[r.sdk] = (bySdk[r.sdk] ?? 0) + 1;
    const blankViews = records.filter((r) => r.health.blankUrls.length > 0).length;
    const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
    const where = typeof location === 'string' ? `${store.db.dialect} ${location.replace(/\/\/[^@/]*@/, '//…@')}` : store.db.dialect;
    log(
      `vitrine-collector simulate: ${written} simulated page views written to ${where} (store ${storeId}, ${clock(plan.start)}–${clock(end)} UTC, seed ${options.seed ?? SIMULATE_DEFAULTS.seed})${written < records.length ? `; ${records.length - written} were already there` : ''}`,
    );
    log(
      `  SDK ${OLD_SDK}: ${bySdk[OLD_SDK] ?? 0} page views, 1 API request each · SDK ${NEW_SDK} from ${clock(plan.rolloutAt)} (the incident's pattern, 4 API requests per view): ${bySdk[NEW_SDK] ?? 0}`,
    );
    log(
      `  blank CDN copy for ${plan.blank.browser} ${plan.blank.browserMajor} in ${plan.blank.country} from ${clock(plan.blankFrom)}: ${plan.blank.url} (${blankViews} page views fell back to the origin)`,
    );
    log(alarms.length ? `  alarms open (${alarms.length}):` : '  no alarm open (too few page views in the last 30 minutes? try more --views)');
    for (const a of alarms) log(`    ${a.kind} · ${a.subject}: ${a.summary}`);
    return { views: records.length, written, plan, bySdk, blankViews, alarms };
  } finally {
    if (typeof location === 'string') await store.close();
  }
}

const FLAGS = {
  db: { type: 'string' },
  store: { type: 'string' },
  views: { type: 'string' },
  minutes: { type: 'string' },
  seed: { type: 'string' },
  now: { type: 'string' },
  'store-id': { type: 'string' },
  'min-sample': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const SIMULATE_USAGE = `Usage: vitrine-collector simulate [--db ./vitrine-field.db | --store postgres://…] [--views 3000] [--minutes 120]
                                  [--seed 1] [--now <ms since the epoch | ISO date>] [--store-id 1003] [--min-sample 30]
Writes simulated shoppers' page views (marked simulated) straight into the store, then evaluates the alarms.
--db, --store and --min-sample also read from VITRINE_COLLECTOR_DB, _STORE and _MIN_SAMPLE.`;

export function simulateOptionsFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RunSimulateOptions | 'help' {
  // Only the store and the sample are shared with the server's own VITRINE_COLLECTOR_* variables.
  const flags = readFlags(argv, FLAGS, env, (flag) => flag === 'db' || flag === 'store' || flag === 'min-sample');
  if (flags.help) return 'help';
  const read = flags.read;
  const int = (flag: keyof typeof FLAGS, min: number, max: number) => flags.number(flag, min, max, { whole: true });
  const location = flags.storeLocation();
  const out: RunSimulateOptions = { store: location };
  const views = int('views', 0, 10_000_000);
  const minutes = int('minutes', 1, 7 * 24 * 60);
  const seed = int('seed', 0, 2 ** 31 - 1);
  const minSample = int('min-sample', 1, 1_000_000);
  if (views !== undefined) out.views = views;
  if (minutes !== undefined) out.minutes = minutes;
  if (seed !== undefined) out.seed = seed;
  if (minSample !== undefined) out.minSample = minSample;
  const now = read('now');
  if (now !== undefined) {
    const t = /^\d{1,16}$/.test(now) ? Number(now) : Date.parse(now);
    if (!Number.isFinite(t) || t <= 0) throw new UsageError(`--now expects ms since the epoch or an ISO date, got ${JSON.stringify(now)}`);
    out.now = t;
  }
  const storeId = read('store-id');
  if (storeId !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) throw new UsageError(`--store-id expects 1–64 of A–Z a–z 0–9 _ -, got ${JSON.stringify(storeId)}`);
    out.storeId = storeId;
  }
  return out;
}

/** `vitrine-collector simulate …`: exit 2 on a bad flag (one line), 1 when the store fails. */
export async function simulateCommand(argv: readonly string[]): Promise<void> {
  let options: RunSimulateOptions | 'help';
  try {
    options = simulateOptionsFromArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`vitrine-collector simulate: ${error.message} (vitrine-collector simulate --help lists the flags)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${SIMULATE_USAGE}\n`);
    return;
  }
  try {
    await runSimulate(options);
  } catch (error) {
    process.stderr.write(`vitrine-collector simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
