/**
 * The cart over the real products layer (transport, batcher, cache, IndexedDB) wired as
 * storefront.ts wires it, against the browser tier's loopback backend: the cart's deps without the
 * storefront's facade (which lives in the critical bundle and is built elsewhere).
 */
import { createCart, type CartCore, type CartDeps } from '../../src/cart/cart.js';
import type { CartEvent } from '../../src/cart/types.js';
import { createCache } from '../../src/data/cache.js';
import { createProducts, parseListEntry, type ListEntry } from '../../src/data/products.js';
import { parseStoredProduct, type Product } from '../../src/data/schema.js';
import { createTransport } from '../../src/data/transport.js';
import { createEventBus, type ErrorEvent, type RequestEvent } from '../../src/events.js';
import { createRetryBudget } from '../../src/lib/retry-budget.js';
import { createKeyValueStore } from '../../src/lib/storage.js';
import { backendUrls } from '../helpers/browser-backend.js';

export interface PageOptions {
  storeId?: string;
  dbName: string;
  ttlMs?: number;
  persist?: boolean;
  /** Transport attempts per request (1: an API fault is final at once). */
  attempts?: number;
  timeoutMs?: number;
  checkout?: unknown;
  limits?: CartDeps['limits'];
}

/** One "page view": a fresh bus, products layer and cart. */
export function openPage(options: PageOptions) {
  const storeId = options.storeId ?? 'cart';
  const bus = createEventBus();
  const lifetime = new AbortController();
  const persist = options.persist ?? true;
  const store = persist ? createKeyValueStore(`${options.dbName}-products`, 'entries') : undefined;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const products = createProducts({
    api: backendUrls().api,
    storeId,
    maxBatchSize: 50,
    getJson: createTransport({
      fetch: globalThis.fetch.bind(globalThis),
      timeoutMs: options.timeoutMs ?? 3000,
      retry: { attempts: options.attempts ?? 1, baseDelayMs: 10, maxDelayMs: 20 },
      budget: createRetryBudget(0.5, 2),
      bus,
      signal: lifetime.signal,
    }),
    products: createCache<Product>({ ttlMs, store, bus, validate: (_, data) => parseStoredProduct(data) }),
    lists: createCache<ListEntry>({ ttlMs, store, bus, validate: (_, data) => parseListEntry(data) }),
    bus,
  });
  const events: CartEvent[] = [];
  const errors: ErrorEvent[] = [];
  const requests: RequestEvent[] = [];
  bus.on('cart', (e) => events.push(e));
  bus.on('error', (e) => errors.push(e));
  bus.on('request', (e) => requests.push(e));
  /** `extra`: deps as the storefront sets them on some pages (`priceAtLoad: false` on a grid page). */
  const make = (extra: Partial<CartDeps> = {}): CartCore =>
    createCart({ storeId, dbName: options.dbName, persist, products, bus, checkout: options.checkout as CartDeps['checkout'], limits: options.limits, locale: 'en-US', ...extra });
  return {
    bus,
    products,
    events,
    errors,
    requests,
    make,
    close(cart?: CartCore) {
      cart?.close();
      lifetime.abort();
      bus.clear();
    },
  };
}

/** Waits for a `cart` event matching `test` (already seen ones count). */
export function waitForCart(events: CartEvent[], test: (e: CartEvent) => boolean, timeoutMs = 5000): Promise<CartEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const hit = events.find(test);
      if (hit) return resolve(hit);
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`no matching cart event; saw ${JSON.stringify(events.map((e) => [e.change, e.source, e.snapshot.lines.map((l) => l.status)]))}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}
