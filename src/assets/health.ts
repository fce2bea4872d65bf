import type { EventBus } from '../events.js';
import { createKeyValueStore, type KeyValueStore } from '../lib/storage.js';

/** Why a CDN URL is not tried. */
export type SkipReason = 'remembered-bad' | 'breaker-open';

/** The few storage calls health needs: IndexedDB (lib/storage.ts) by default, a fake in tests. */
export type HealthStorage = Pick<KeyValueStore, 'entries' | 'setMany' | 'delMany'>;

export interface AssetHealthOptions {
  /** How long a bad CDN URL is remembered. */
  ttlMs: number;
  /** Distinct failed URLs on one CDN host in a page before its breaker opens. */
  breakerThreshold: number;
  /** How long an open breaker keeps the host avoided (this page and the next ones). */
  breakerTtlMs: number;
  bus: EventBus;
  /** Remember across page views (IndexedDB); false = this page only. */
  persist: boolean;
  dbName: string;
  now?: () => number;
  storage?: HealthStorage;
}

export interface AssetHealth {
  /** Settles once the persisted memory is read (never rejects, never needed for a first paint). */
  readonly ready: Promise<void>;
  /** Why `url` should not be fetched from its CDN host, or undefined when it may. */
  verdict(url: string): SkipReason | undefined;
  /** A CDN attempt for `url` failed: remember it, and count it against its host's breaker. */
  markBad(url: string, reason: string): void;
}

interface Remembered {
  until: number;
  reason: string;
}

const HOST_PREFIX = 'host:';
const URL_PREFIX = 'url:';

/**
 * Memory of bad CDN URLs and a circuit breaker per CDN host. The persisted memory is read in the
 * background: lookups before it arrives answer from what this page has learnt so far, so a slow or
 * broken IndexedDB can cost at most one extra CDN attempt, never a delayed paint.
 */
export function createAssetHealth(opts: AssetHealthOptions): AssetHealth & { isOpen(host: string): boolean } {
  const now = opts.now ?? Date.now;
  // One memory for bad URLs and open breakers, keyed as they are stored (`url:<url>`, `host:<host>`).
  const memory = new Map<string, Remembered>();
  const failures = new Map<string, Set<string>>();
  // Its own database (one object store per database), through the shared key-value store, which
  // waits at most 1 s for a blocked database and turns itself off on any failure (and where there is
  // no IndexedDB): images wait for this memory, so it must never hold them back longer than the
  // product cache would. A profile that never remembered a bad URL (most of them) reads nothing:
  // its images start at once instead of after the database is created and read.
  const name = `${opts.dbName}-assets`;
  let storage = opts.persist ? (opts.storage ?? createKeyValueStore(name, 'bad-urls', { hint: name })) : undefined;

  // IndexedDB missing, blocked or full is a property of the shopper's browser (private modes,
  // disk pressure), not a fault to report: the memory carries on for this page, silently, the
  // same as the product cache.
  const degrade = () => {
    storage = undefined;
  };
  const remember = (key: string, entry: Remembered) => {
    memory.set(key, entry);
    storage?.setMany([[key, entry]]).catch(degrade);
  };
  /** The memory's entry for `key` while it lasts; an expired one is forgotten. */
  const recall = (key: string): Remembered | undefined => {
    const entry = memory.get(key);
    if (!entry || entry.until > now()) return entry;
    memory.delete(key);
    return undefined;
  };

  const ready = (async () => {
    try {
      const rows = (await storage?.entries()) ?? [];
      const t = now();
      for (const [key, value] of rows) {
        const entry = readEntry(value);
        if (typeof key !== 'string' || !entry || entry.until <= t) {
          if (typeof key === 'string' || typeof key === 'number') storage?.delMany([String(key)]).catch(degrade);
          continue;
        }
        // What this page learnt while reading wins if it reaches further. (A key of neither prefix is
        // never looked up.)
        if ((memory.get(key)?.until ?? 0) < entry.until) memory.set(key, entry);
      }
    } catch {
      degrade();
    }
  })();

  // A URL without a host (unparsable) has no breaker: `host:undefined` is never remembered.
  const isOpen = (host: string | undefined): boolean => {
    const key = HOST_PREFIX + host;
    const known = memory.has(key);
    if (recall(key)) return true;
    // Half-open by expiry: the next page asset tries the CDN again, and failures count afresh.
    if (known) {
      failures.delete(host!);
      opts.bus.emit('breaker', { host: host!, state: 'closed', failures: 0 });
    }
    return false;
  };

  return {
    ready,
    isOpen,
    verdict(url) {
      if (recall(URL_PREFIX + url)) return 'remembered-bad';
      return isOpen(hostOf(url)) ? 'breaker-open' : undefined;
    },
    markBad(url, reason) {
      remember(URL_PREFIX + url, { until: now() + opts.ttlMs, reason });
      const host = hostOf(url);
      if (host === undefined) return;
      let seen = failures.get(host);
      if (!seen) failures.set(host, (seen = new Set()));
      seen.add(url);
      if (seen.size >= opts.breakerThreshold && !memory.has(HOST_PREFIX + host)) {
        remember(HOST_PREFIX + host, { until: now() + opts.breakerTtlMs, reason: 'breaker' });
        opts.bus.emit('breaker', { host, state: 'open', failures: seen.size });
      }
    },
  };
}

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url, globalThis.location?.href ?? 'http://localhost/').host;
  } catch {
    return undefined;
  }
}

function readEntry(value: unknown): Remembered | undefined {
  // Any stored value reads (a primitive has neither field); Number.isFinite is false for anything but a number.
  const { until, reason } = (value ?? {}) as { until?: unknown; reason?: unknown };
  return Number.isFinite(until) ? { until: until as number, reason: typeof reason === 'string' ? reason : '' } : undefined;
}
