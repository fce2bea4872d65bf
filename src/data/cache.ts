import type { EventBus } from '../events.js';
import type { KeyValueStore } from '../lib/storage.js';

/** Bumped when the stored shape changes: older entries are then ignored and deleted. */
export const CACHE_SCHEMA_VERSION = 1;

export interface CachedValue<T> {
  value: T;
  stale: boolean;
}

export interface Cache<T> {
  /** Memory only, synchronous, silent (no `cache` event: it is no lookup): the cart's file prices its lines so. */
  peek(key: string): CachedValue<T> | undefined;
  /** Memory, then IndexedDB for what memory lacks; corrupt or old entries are dropped. */
  read(keys: readonly string[]): Promise<Map<string, CachedValue<T>>>;
  write(entries: readonly [string, T][]): void;
  /** What memory holds (no I/O): for dehydrate(). */
  entries(): [string, T][];
}

interface Entry<T> {
  v: number;
  at: number;
  data: T;
}

export interface CacheOptions<T> {
  ttlMs: number;
  store: KeyValueStore | undefined;
  bus: EventBus;
  /** Validates data read back from storage; undefined means corrupt. */
  validate: (key: string, data: unknown) => T | undefined;
  now?: () => number;
}

/**
 * Memory plus IndexedDB, fresh for `ttlMs`, then stale (still served; the caller revalidates).
 * Failures are never written here, so a failed lookup is retried on the next call.
 */
export function createCache<T>({ ttlMs, store, bus, validate, now = Date.now }: CacheOptions<T>): Cache<T> {
  const memory = new Map<string, Entry<T>>();

  // Silent: a peek (the cart's file pricing its lines) is no lookup, so no `cache` event counts it.
  const peek = (key: string): CachedValue<T> | undefined => {
    const entry = memory.get(key);
    return entry && { value: entry.data, stale: now() - entry.at > ttlMs };
  };

  return {
    peek,

    async read(keys) {
      const found = new Map<string, CachedValue<T>>();
      const missing: string[] = [];
      /** What memory holds for `key`, found and counted as a hit. */
      const hit = (key: string) => {
        const value = peek(key);
        if (value) {
          found.set(key, value);
          bus.emit('cache', { key, hit: true, stale: value.stale });
        }
        return value;
      };
      for (const key of keys) if (!hit(key)) missing.push(key);
      if (store && missing.length) {
        const raw = await store.getMany(missing);
        const corrupt: string[] = [];
        missing.forEach((key, i) => {
          const stored = raw[i];
          if (stored === undefined) return;
          const entry = readEntry(stored, key, validate);
          if (!entry) {
            corrupt.push(key);
            return;
          }
          memory.set(key, entry);
          hit(key);
        });
        if (corrupt.length) void store.delMany(corrupt);
      }
      for (const key of keys) if (!found.has(key)) bus.emit('cache', { key, hit: false, stale: false });
      return found;
    },

    write(entries) {
      const at = now();
      const stored: [string, Entry<T>][] = entries.map(([key, data]) => [key, { v: CACHE_SCHEMA_VERSION, at, data }]);
      for (const [key, entry] of stored) memory.set(key, entry);
      // Fire and forget: persistence is an optimisation, never a reason to fail a lookup.
      if (store) void store.setMany(stored);
    },

    entries: () => [...memory].map(([key, entry]) => [key, entry.data]),
  };
}

function readEntry<T>(stored: unknown, key: string, validate: (key: string, data: unknown) => T | undefined): Entry<T> | undefined {
  // Any stored value reads (a primitive has none of the fields); Number.isFinite is false for anything but a number.
  const { v, at, data } = (stored ?? {}) as Partial<Entry<unknown>>;
  if (v !== CACHE_SCHEMA_VERSION || !Number.isFinite(at)) return undefined;
  const valid = validate(key, data);
  return valid === undefined ? undefined : { v, at: at!, data: valid };
}
