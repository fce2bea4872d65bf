import { VitrineError, isVitrineError, messageOf, toVitrineError } from '../errors.js';
import { defined, type EventBus } from '../events.js';
import { now } from '../lib/signals.js';
import { array, Invalid, invalid, number, object, objectArg, preview, string } from '../check.js';
import { createBatcher } from './batch.js';
import type { Cache, CachedValue } from './cache.js';
import { parseProductsBody, type Product } from './schema.js';
import type { GetJson } from './transport.js';
import { isPrefetched, prefetchedIdSets } from './prefetch.js';

export interface ListQuery {
  limit?: number;
  offset?: number;
  category?: string;
}

export interface ProductPage {
  items: Product[];
  total: number;
}

/** What a list lookup stores: the ids of the page, in order, and the total. */
export interface ListEntry {
  ids: string[];
  total: number;
}

export interface Products {
  /** One product; every lookup made in the same task shares one request. */
  get(id: string): Promise<Product>;
  /** Products in the order asked; rejects with the first failure (NOT_FOUND names the id). */
  getMany(ids: readonly string[]): Promise<Product[]>;
  /**
   * One page of the catalogue; its items also fill the per-id cache. An answer with products but
   * not one valid rejects with INVALID_RESPONSE (each is also reported, INVALID_PRODUCT).
   */
  list(query?: ListQuery): Promise<ProductPage>;
  /**
   * Fills the cache from server-rendered data, validated like an API answer (a malformed product
   * is dropped and reported, INVALID_PRODUCT; a malformed envelope, or data that throws as it is
   * read (a getter, a Proxy), throws INVALID_RESPONSE), so the first client view asks the API for
   * nothing it holds. Takes `dehydrate()`'s output or an API answer (`{"items": [...]}`); returns
   * how many products it primed.
   */
  prime(data: unknown): number;
  /** What this storefront has looked up so far, as JSON to inline into a server-rendered page. */
  dehydrate(): DehydratedProducts;
  /**
   * @internal For the cart's file: the memory cache's copy of a product (key `p:<id>`) and whether
   * it is stale, with no I/O, no request and no `cache` event (a peek is no lookup, so the vitals'
   * cache hits and the console's cache column do not count it): what a grid's list answer brought, say.
   */
  _peek(key: string): CachedValue<Product> | undefined;
}

/** `dehydrate()`'s output: the products, and the catalogue pages (by list key) made of them. */
export interface DehydratedProducts {
  items: Product[];
  lists?: Record<string, ListEntry>;
}

const LIST_KEY = /^l:.{0,100}:\d{1,9}:\d{1,3}$/;

export interface ProductsOptions {
  api: string;
  storeId: string;
  maxBatchSize: number;
  getJson: GetJson;
  products: Cache<Product>;
  lists: Cache<ListEntry>;
  bus: EventBus;
  schedule?: (dispatch: () => void) => void;
  /** Called with each URL whose answer was just cached (the snippet's freshness hint). */
  cached?: (url: string) => void;
  /** Ids to add to a batch of ids (the cart's products, once): they ride along with the page's request. */
  join?: () => readonly string[];
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Every product URL of a store starts so (the bootstrap snippet spells it the same way). */
export const productsBase = (api: string, storeId: string) => `${api}/stores/${encodeURIComponent(storeId)}/products`;
const productKey = (id: string) => `p:${id}`;

export function createProducts(options: ProductsOptions): Products {
  const { bus, products, lists, getJson, maxBatchSize, cached: onCached } = options;
  const base = productsBase(options.api, options.storeId);
  const revalidating = new Set<string>();
  const listsInFlight = new Map<string, Promise<ProductPage>>();

  /** A stale copy stays in use because revalidating it failed: marked for the console. */
  const staleIfError = (key: string) => bus.emit('cache', { key, hit: true, stale: true, error: true });

  /** Ids answered from the cache: a `request` event as a network answer's, `source: 'cache'`. */
  const fromCache = (ids: readonly string[], started: number) => bus.emit('request', { url: base, ids, status: 200, ms: now() - started, attempt: 1, source: 'cache' });

  const reportError = ({ code, message, url, ids, field }: VitrineError) => bus.emit('error', defined({ code, message, url, ids, field }));

  /**
   * Validates an answer (or the initial data) and caches its valid products; each malformed one is
   * an `error` event naming it. Every product and dropped id's error also goes to `found`, if given.
   */
  function take(body: unknown, url: string, found?: (id: string, result: Product | VitrineError) => void) {
    const page = parseProductsBody(body, url);
    for (const bad of page.dropped) {
      const error = new VitrineError('INVALID_PRODUCT', `Dropped a malformed product${bad.id ? ` "${bad.id}"` : ''} from ${url}: ${bad.message}`, {
        url,
        field: bad.field,
        ...(bad.id && { ids: [bad.id] }),
      });
      reportError(error);
      if (bad.id) found?.(bad.id, error);
    }
    products.write(page.items.map((p) => [productKey(p.id), p]));
    for (const product of page.items) found?.(product.id, product);
    return page;
  }

  /**
   * Asks for `url`: the page `key`, or a batch of `ids` whose outcomes (the product, its drop, the
   * failure) go to `results`. A failure is reported and thrown.
   */
  async function fetchProducts(url: string, key?: string, ids?: string[], results?: Map<string, Product | VitrineError>): Promise<ProductPage> {
    // An undefined `ids` gives what an absent one does, to the transport and to VitrineError.
    const context = { url, ids: ids! };
    const found = (id: string, result: Product | VitrineError) => ids?.includes(id) && results!.set(id, result);
    try {
      const { items, total = items.length, dropped } = take(await getJson(url, context), url, found);
      // Not one usable product is a garbage answer, not an empty page: that would tell support staff
      // the catalogue is empty. (take() cached no product.)
      if (key && dropped[0] && !items.length) throw new VitrineError('INVALID_RESPONSE', `No valid product from ${url}: ${dropped[0].message}`, { url });
      if (key) lists.write([[key, { ids: items.map((p) => p.id), total }]]);
      onCached?.(url);
      return { items, total };
    } catch (cause) {
      const error = toVitrineError(cause, 'NETWORK', context);
      reportError(error);
      for (const id of ids ?? []) found(id, error);
      throw error;
    }
  }

  /**
   * One request per chunk of `maxBatchSize`; a failed chunk fails its own ids only. A request the
   * bootstrap snippet already started for some of these ids is adopted whole as one chunk (its
   * URL, its ids), the rest chunked as usual.
   */
  async function fetchIds(ids: readonly string[]): Promise<Map<string, Product | VitrineError>> {
    let sorted = [...new Set(ids)].sort();
    const chunks: string[][] = [];
    for (const early of prefetchedIdSets(base)) {
      if (!early.some((id) => sorted.includes(id))) continue;
      chunks.push(early);
      sorted = sorted.filter((id) => !early.includes(id));
    }
    for (let i = 0; i < sorted.length; i += maxBatchSize) chunks.push(sorted.slice(i, i + maxBatchSize));
    const results = new Map<string, Product | VitrineError>();
    await Promise.allSettled(chunks.map((chunk) => fetchProducts(`${base}?ids=${chunk.map(encodeURIComponent).join(',')}`, undefined, chunk, results)));
    return results;
  }

  function revalidate(ids: readonly string[]) {
    // None left (all already revalidating, or none stale) asks fetchIds for nothing: no request.
    const fresh = ids.filter((id) => !revalidating.has(id));
    for (const id of fresh) revalidating.add(id);
    // Errors are already reported by fetchIds; the stale copy stays in use (stale-if-error), marked so
    // the console can show it, and the next lookup of the id revalidates again.
    void fetchIds(fresh).then((results) => {
      for (const id of fresh) {
        revalidating.delete(id);
        if (results.get(id) instanceof Error) staleIfError(productKey(id));
      }
    });
  }

  const batcher = createBatcher<Product>({
    async loadMany(ids) {
      const started = now();
      const cached = await products.read(ids.map(productKey));
      const results = new Map<string, Product | Error>();
      const stale: string[] = [];
      // A cached id the snippet asked for anyway (its hint was gone) is revalidated by that request:
      // started is started, and a fresh answer renews the hint.
      const early = new Set(prefetchedIdSets(base).flat());
      for (const id of ids) {
        const hit = cached.get(productKey(id));
        if (!hit) continue;
        results.set(id, hit.value);
        if (hit.stale || early.has(id)) stale.push(id);
      }
      if (results.size) fromCache([...results.keys()], started);
      revalidate(stale);
      const missing = ids.filter((id) => !results.has(id));
      if (missing.length) for (const [id, result] of await fetchIds(missing)) results.set(id, result);
      return results;
    },
    missing: (id) => new VitrineError('NOT_FOUND', `No product "${id}" in store ${options.storeId}`, { ids: [id] }),
    schedule: options.schedule,
  });

  function get(id: string): Promise<Product> {
    const key = typeof id === 'number' && Number.isInteger(id) ? String(id) : id;
    if (typeof key !== 'string' || !ID.test(key)) {
      return Promise.reject(
        new VitrineError('INVALID_OPTIONS', `products.get() expects a product id of 1–64 letters, digits, _ or -, got ${preview(key)}`, {
          field: 'id',
        }),
      );
    }
    // The cart's ids ride along with the first lookup of ids, through the batcher itself: a later
    // lookup of one of them while this request is in flight joins it instead of asking again.
    for (const extra of options.join?.() ?? []) if (extra !== key) batcher.load(extra).catch(() => {});
    return batcher.load(key);
  }

  async function list(query: ListQuery = {}): Promise<ProductPage> {
    // The default covers only undefined: null, a string or a number would throw or pass for {}.
    objectArg('query', query);
    const limit = query.limit ?? 24;
    const offset = query.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit', 'a whole number from 1 to 100', limit);
    if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'a whole number ≥ 0', offset);
    const category = query.category;
    if (category !== undefined && (typeof category !== 'string' || category.length > 100)) {
      throw invalid('category', 'a string of at most 100 characters', category);
    }
    const key = `l:${category ?? ''}:${offset}:${limit}`;
    // Spelled exactly as the bootstrap snippet spells it, so its early request is adopted.
    const url = `${base}?limit=${limit}&offset=${offset}${category === undefined ? '' : `&category=${encodeURIComponent(category)}`}`;
    const joined = listsInFlight.get(key);
    if (joined) return joined;
    const run = (async () => {
      const started = now();
      const entry = (await lists.read([key])).get(key);
      if (entry) {
        const cached = await products.read(entry.value.ids.map(productKey));
        const items = entry.value.ids.map((id) => cached.get(productKey(id))?.value);
        if (items.every((p): p is Product => p !== undefined)) {
          fromCache(entry.value.ids, started);
          const anyStale = entry.stale || entry.value.ids.some((id) => cached.get(productKey(id))?.stale);
          // Stale-if-error, as for single products: the page stays on screen, marked. A request the
          // snippet started anyway revalidates too.
          if (anyStale || isPrefetched(url)) void fetchProducts(url, key).catch(() => staleIfError(key));
          return { items, total: entry.value.total };
        }
      }
      return fetchProducts(url, key);
    })().finally(() => listsInFlight.delete(key));
    listsInFlight.set(key, run);
    return run;
  }

  function prime(data: unknown): number {
    const where = 'initial data';
    // npm callers pass objects, not JSON: a throwing getter or a Proxy trap is bad data, not a crash.
    try {
      const { items } = take(data, where);
      const primed = new Set(items.map((p) => p.id));
      const pages = (data as { lists?: unknown }).lists ?? {};
      if (typeof pages !== 'object' || Array.isArray(pages)) throw invalidInitial('lists', pages);
      for (const [key, value] of Object.entries(pages!)) {
        const entry = parseListEntry(value);
        // A page is primed only whole: every product of it valid and present.
        if (LIST_KEY.test(key) && entry?.ids.every((id) => primed.has(id))) lists.write([[key, entry]]);
        else reportError(invalidInitial(`lists.${key.slice(0, 40)}`, value));
      }
      return items.length;
    } catch (cause) {
      throw unreadable(cause);
    }
  }

  return {
    get,
    prime,
    _peek: products.peek,
    dehydrate: () => ({
      items: products.entries().map(([, product]) => product),
      lists: Object.fromEntries(lists.entries()),
    }),
    getMany: (ids) => {
      if (!Array.isArray(ids)) return Promise.reject(invalid('ids', 'an array of product ids', ids));
      return Promise.all(ids.map(get));
    },
    list,
  };
}

// A page holds at most 100 products (list()'s limit), and its total is a count.
const listEntry = object({ ids: array(string(), 100), total: number({ int: true, min: 0 }) });

/**
 * A stored or inlined list entry: `{ids: string[], total}` with a whole, non-negative total, else
 * undefined. Data that throws as it is read (a getter) throws: prime() says so as unreadable.
 */
export function parseListEntry(data: unknown): ListEntry | undefined {
  try {
    return listEntry(data, '');
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}

/** Initial data that threw while read (a getter, a Proxy trap): INVALID_RESPONSE "Unreadable initial data: …". A VitrineError passes as it is. */
export const unreadable = (cause: unknown): VitrineError =>
  isVitrineError(cause) ? cause : new VitrineError('INVALID_RESPONSE', `Unreadable initial data: ${messageOf(cause)}`, { url: 'initial data', cause });

const invalidInitial = (field: string, got: unknown) =>
  new VitrineError('INVALID_RESPONSE', `Expected ${field} in the initial data to hold {ids, total} of primed products, got ${preview(got)}`, { field });
