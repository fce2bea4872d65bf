import { VitrineError, messageOf } from './errors.js';
import { resolveOptions, type ResolvedOptions, type StorefrontOptions } from './config.js';
import { createEventBus, type Listener, type VitrineEventName } from './events.js';
import { createCache } from './data/cache.js';
import { createProducts, parseListEntry, productsBase, unreadable, type DehydratedProducts, type Products } from './data/products.js';
import { createRetryBudget, type RetryBudget } from './lib/retry-budget.js';
import { parseStoredProduct } from './data/schema.js';
import { createKeyValueStore } from './lib/storage.js';
import { createTransport } from './data/transport.js';
import { writeFreshHint } from './data/prefetch.js';
import { createAssets, type Assets } from './assets/assets.js';
import { createAssetHealth } from './assets/load-recover.js';
import { createImages, type Images } from './assets/images.js';
import { checkMountOptions, type MountOptions } from './ui/mount-options.js';
import { firstProductPaint, scheduleVitals } from './vitals/schedule.js';
import { createReporterLoader } from './vitals/load-reporter.js';
import { createMessagesLoader, type Messages } from './i18n/messages.js';
import { createLanguageLoader } from './assets/load-messages.js';
import { createCartLoader } from './ui/load-cart.js';
import { createCartFacade } from './cart/facade.js';
import { cartHintKey, parseCartHint } from './cart/hint.js';
import type { Cart } from './cart/types.js';

export interface Storefront {
  readonly options: Readonly<ResolvedOptions>;
  readonly products: Products;
  /** Image URLs computed from product data: no I/O. */
  readonly images: Images;
  /** Image, script, style and JSON loads that survive a CDN serving blanks. */
  readonly assets: Assets;
  /** Subscribe to one kind of event; returns the unsubscribe function. */
  on<K extends VitrineEventName>(name: K, listener: Listener<K>): () => void;
  /** Aborts everything in flight (ABORTED), drops listeners; the storefront is unusable after. */
  destroy(): void;
  /** The page-wide retry allowance, shared by API and asset retries. */
  readonly retryBudget: RetryBudget;
  /**
   * The shopper's cart (one per store across tabs). Its code loads on first use; until then it
   * answers from a synchronous hint (`count`). `await store.cart.ready` before reading lines.
   */
  readonly cart: Cart;
  readonly destroyed: boolean;
  /**
   * Renders the grid or product cards into `element` (browser only) and returns the unmount
   * function. Options are checked at once (INVALID_OPTIONS); the UI code itself loads lazily, so
   * importing `vitrine` costs nothing for pages that never mount.
   */
  mount(element: Element, options: MountOptions): () => void;
  /**
   * The text the widgets, the cart and the debug overlay show, in the shopper's language (the
   * `locale` option, else `<html lang>`, else `navigator.language`; README "Languages"), with the
   * `messages` overrides. English resolves at once; another built-in language once its table has
   * loaded (one lazy file), or in English after a failed load or 3 s, reported as an `error` event.
   * Never rejects.
   */
  messages(): Promise<Messages>;
}

/**
 * The composition root: validates options, then wires transport, batching, cache, assets and the
 * event bus. The only work it starts is reading the bad-CDN-URL memory from IndexedDB, in parallel
 * with the first product request; nothing touches the network until a lookup is made.
 */
/** createStorefront()'s argument: the options, and the server-rendered products to start from. */
export type StorefrontInit = StorefrontOptions & {
  /**
   * `store.products.dehydrate()` from the server (or an API answer): validated, then primed into the
   * cache. Malformed, or unreadable (a getter that throws): createStorefront throws INVALID_RESPONSE.
   */
  initialData?: DehydratedProducts | undefined;
};

export function createStorefront(input: StorefrontInit): Storefront {
  // Server-rendered data is not an option to resolve: it primes the cache once, below. Read once,
  // here, before anything starts: a getter that throws is the coded error prime() gives unreadable
  // data. The destructuring reads it before copying the rest, so a throw with it still unread was its.
  let initialData: unknown;
  if (input !== null && typeof input === 'object' && 'initialData' in input) {
    try {
      ({ initialData, ...input } = input);
    } catch (cause) {
      throw initialData === undefined ? unreadable(cause) : cause;
    }
  }
  const options = resolveOptions(input);
  const bus = createEventBus();
  const lifetime = new AbortController();
  const retryBudget = createRetryBudget(options.retry.budget, options.retry.budgetFloor);

  // Bad-CDN-URL (and bad API URL) memory is read from IndexedDB now, in parallel with the first product request,
  // so it is there before images render and never holds up the first paint.
  // persist and dbName are the cache's; breakerThreshold and breakerTtlMs the assets'; ttlMs the bad-URL memory's own.
  const health = createAssetHealth({ ...options.cache, ...options.assets, ttlMs: options.assets.badTtlMs, bus, origin: options.origin });
  const base = productsBase(options.api, options.storeId);
  // The cart's products, from its synchronous hint: they ride along with the page's first batch of
  // ids (and the snippet's early request), so re-pricing the cart costs no request of its own.
  const cartHint = () => {
    try {
      return parseCartHint(localStorage.getItem(cartHintKey(options.storeId)));
    } catch {
      return undefined;
    }
  };
  const cartIds = cartHint()?.ids ?? [];
  let joined = false;
  // A profile that has never cached this store's products (a fresh one) reads nothing back: its first
  // request starts at once instead of after IndexedDB is created and read. Writes go on.
  const store = options.cache.persist ? createKeyValueStore(`${options.cache.dbName}-products`, 'entries', { hint: base }) : undefined;
  // The products' and the lists' caches: one database, each entry validated as it is read back.
  const cacheOf = <T>(parse: (data: unknown) => T | undefined) => createCache<T>({ ...options.cache, store, bus, validate: (_, data) => parse(data) });
  // The products' api and storeId, and the transport's fetch, timeoutMs and retry, are the options' own.
  const products = createProducts({
    ...options,
    maxBatchSize: options.batch.maxSize,
    getJson: createTransport({
      ...options,
      budget: retryBudget,
      bus,
      signal: lifetime.signal,
      apiOrigin: options.apiOrigin ? { api: options.api, base: options.apiOrigin, health } : undefined,
    }),
    products: cacheOf(parseStoredProduct),
    lists: cacheOf(parseListEntry),
    bus,
    // Only a persisted cache can make the next view warm; a hint without one would only slow it.
    // Written in a task of its own: the sweep reads every localStorage key, not work for the first render.
    ...(store && { cached: (url: string) => void setTimeout(writeFreshHint, 0, url, Date.now() + options.cache.ttlMs) }),
    join: () => ((joined = true), cartIds.splice(0)),
    ...(options.batch.waitMs > 0 && { schedule: (dispatch: () => void) => void setTimeout(dispatch, options.batch.waitMs) }),
  });

  if (initialData !== undefined) products.prime(initialData);

  const images = createImages(options, health);
  const assets = createAssets({ options, bus, budget: retryBudget, health, signal: lifetime.signal });
  // The reporter (web-vitals, beacon, health counters) loads only after the first product paint,
  // and only with a collector and a sampled-in session; it replays what the core recorded.
  const stopVitals = scheduleVitals({ options, bus, budget: retryBudget, firstPaint: firstProductPaint(bus, lifetime.signal), load: createReporterLoader(assets) });

  const loadCart = createCartLoader(assets);
  const cart = createCartFacade(
    loadCart,
    (module) => module.createCart(storefront, bus, lifetime.signal, joined),
    bus,
    () => cartHint()?.count ?? 0,
    lifetime.signal,
  );

  const storefront: Storefront = {
    options,
    products,
    images,
    assets,
    retryBudget,
    cart,
    on: bus.on,
    get destroyed() {
      return lifetime.signal.aborted;
    },
    destroy() {
      lifetime.abort(new VitrineError('ABORTED', 'The storefront was destroyed'));
      stopVitals();
      cart._close();
      bus.clear();
    },
    messages: createMessagesLoader(options, createLanguageLoader(assets.script), (code, message) => bus.emit('error', { code, message, field: 'locale' })),
    mount(element, mountOptions) {
      checkMountOptions(element, mountOptions);
      let unmount: (() => void) | undefined;
      let cancelled = false;
      import('./ui/mount.js')
        .then((ui) => {
          if (!cancelled && !lifetime.signal.aborted) unmount = ui.mount(storefront, element, mountOptions);
        })
        .catch((error: unknown) => {
          bus.emit('error', { code: 'NETWORK', message: `[vitrine] the UI code did not load: ${messageOf(error)}` });
        });
      return () => {
        cancelled = true;
        unmount?.();
      };
    },
  };
  return storefront;
}
