import type { AssetKind, EventBus } from '../events.js';
import type { BufferedEvent } from '../event-log.js';
import type { HealthCounters } from './report-schema.js';
import { MAX_BLANK_URLS, MAX_FIELD_CHARS as MAX_URL_CHARS } from './limits.js';

export interface HealthCounterSet {
  /** A copy of the counts so far. */
  snapshot(): HealthCounters;
  /** The counts so far, then zero: each page view (a bfcache restore is one) reports its own. */
  take(): HealthCounters;
  /** Reports lost to a full unsent queue (counted by the queue, not seen on the bus). */
  addBeaconsDropped(n: number): void;
  /** Unsubscribes from the bus. */
  stop(): void;
}

export interface HealthCounterOptions {
  /** The storefront's retry budget, read for an exact "retries spent". */
  budget?: { readonly stats: { readonly retries: number } };
  /** Events recorded since the storefront was created, counted before live ones (see event-log.ts). */
  past?: readonly BufferedEvent[];
}

const assetCounts = () => ({ ok: 0, empty: 0, failed: 0 });

function zero(): HealthCounters {
  return {
    apiRequests: 0,
    apiRetries: 0,
    batches: { count: 0, ids: 0, max: 0 },
    cache: { fresh: 0, stale: 0, miss: 0 },
    assets: { image: assetCounts(), script: assetCounts(), style: assetCounts(), json: assetCounts() },
    originFallbacks: 0,
    breakerOpenings: 0,
    retryBudgetSpent: 0,
    beaconsDropped: 0,
    errors: 0,
    blankUrls: [],
    blankUrlsOmitted: 0,
  };
}

function copy(c: HealthCounters): HealthCounters {
  const a = c.assets;
  return {
    ...c,
    batches: { ...c.batches },
    cache: { ...c.cache },
    assets: { image: { ...a.image }, script: { ...a.script }, style: { ...a.style }, json: { ...a.json } },
    blankUrls: [...c.blankUrls],
  };
}

/** The query string may carry tokens; the path is what an operator purges. */
function purgeable(url: string): string {
  const bare = url.split(/[?#]/, 1)[0] ?? url;
  return bare.length > MAX_URL_CHARS ? bare.slice(0, MAX_URL_CHARS) : bare;
}

/**
 * Vitrine's own health, counted from the event bus. Created by the lazily loaded reporter (or the
 * debug overlay) with `past`, the events the core recorded since the storefront was created, so
 * the first request and the first blank image are counted without this code being in the
 * script-tag bundle.
 */
export function createHealthCounters(bus: Pick<EventBus, 'on'>, options: HealthCounterOptions = {}): HealthCounterSet {
  const { budget, past } = options;
  let c = zero();
  // Replaying from the storefront's start means counting the budget from its start too.
  let budgetBase = past ? 0 : (budget?.stats.retries ?? 0);
  const spent = (counted: HealthCounters) => {
    // The budget knows exactly; without it, retries are inferred from the events.
    if (budget) counted.retryBudgetSpent = budget.stats.retries - budgetBase;
    return counted;
  };
  const blank = new Set<string>();
  // A retried asset attempt is one that follows a failed attempt on the same URL path.
  const failedAssets = new Set<string>();

  const addBlank = (key: string) => {
    if (blank.has(key)) return;
    blank.add(key);
    if (c.blankUrls.length < MAX_BLANK_URLS) c.blankUrls.push(key);
    else c.blankUrlsOmitted++;
  };

  // The event log never records `cart` (event-log.ts's NAMES), and the report counts nothing of it.
  const count: { [K in Exclude<BufferedEvent['type'], 'vital' | 'cart'>]: (e: Extract<BufferedEvent, { type: K }>['data']) => void } = {
    request(e) {
      if (e.source !== 'network') return;
      c.apiRequests++;
      if (e.host === 'origin') c.originFallbacks++;
      // The API's query is its cache key (ids, not secrets): the whole URL is what to purge.
      if (e.blank) addBlank(e.url.length > MAX_URL_CHARS ? e.url.slice(0, MAX_URL_CHARS) : e.url);
      if (e.fallback) return;
      if (e.attempt > 1) {
        c.apiRetries++;
        c.retryBudgetSpent++;
        return;
      }
      if (e.ids?.length) {
        c.batches.count++;
        c.batches.ids += e.ids.length;
        c.batches.max = Math.max(c.batches.max, e.ids.length);
      }
    },
    cache(e) {
      // A stale-if-error mark follows the stale hit already counted.
      if (e.error) return;
      if (!e.hit) c.cache.miss++;
      else if (e.stale) c.cache.stale++;
      else c.cache.fresh++;
    },
    asset(e) {
      if (e.outcome === 'skipped') return;
      const kind: AssetKind = e.kind;
      const counts = c.assets[kind];
      if (e.outcome === 'ok') counts.ok++;
      else if (e.outcome === 'empty') counts.empty++;
      else counts.failed++;
      if (e.host === 'origin') c.originFallbacks++;
      const key = purgeable(e.url);
      if (e.outcome !== 'ok') {
        if (failedAssets.has(key)) c.retryBudgetSpent++;
        failedAssets.add(key);
      }
      // A CDN variant that answered 200 with nothing usable is what operators purge.
      if (e.host === 'cdn' && e.outcome === 'empty') addBlank(key);
    },
    breaker(e) {
      if (e.state === 'open') c.breakerOpenings++;
    },
    error() {
      c.errors++;
    },
  };
  for (const entry of past ?? []) if (entry.type !== 'vital') (count[entry.type as keyof typeof count] as (e: unknown) => void)(entry.data);
  const offs = (Object.keys(count) as (keyof typeof count)[]).map((name) => bus.on(name, count[name] as (e: unknown) => void));

  return {
    snapshot: () => spent(copy(c)),
    take() {
      const out = spent(c);
      budgetBase = budget?.stats.retries ?? 0;
      c = zero();
      blank.clear();
      failedAssets.clear();
      return out;
    },
    addBeaconsDropped(n) {
      c.beaconsDropped += n;
    },
    stop() {
      for (const off of offs) off();
    },
  };
}
