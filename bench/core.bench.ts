/**
 * Micro-benchmarks of the work Vitrine does per page view on the shopper's device: parsing a batched
 * answer, computing image URLs (which replaced three requests per product), and validating products
 * on their way into and out of the cache.
 *
 *   npm run bench   (vitest bench, Node)
 */
import { bench, describe } from 'vitest';
import { createCatalog } from '../demo/backend/catalog.js';
import { imageSrcset, imageUrl, IMAGE_VARIANTS, type ImageUrlOptions } from '../src/assets/urls.js';
import { createCache } from '../src/data/cache.js';
import { parseProductsBody, parseStoredProduct, type Product } from '../src/data/schema.js';
import type { KeyValueStore } from '../src/lib/storage.js';
import { createEventBus } from '../src/events.js';

const products = createCatalog(1000).products;
// What the transport hands over: JSON as it came off the wire, never the backend's own objects.
const body = JSON.parse(JSON.stringify({ items: products })) as unknown;
const url = 'https://api.example.com/stores/1003/products?ids=…';
const urls: ImageUrlOptions = { storeId: '1003', template: '{base}/images/{storeId}/{key}/{width}.webp', widths: { image: 1200, thumbnail: 400, smallThumbnail: 160 } };

/** IndexedDB's contract, in memory: the benchmark measures validation, not the disk. */
function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    available: true,
    getMany: async (keys) => keys.map((k) => map.get(k)),
    setMany: async (entries) => void entries.forEach(([k, v]) => map.set(k, structuredClone(v))),
    delMany: async (keys) => void keys.forEach((k) => map.delete(k)),
    entries: async () => [...map],
  };
}

const keys = products.map((p) => `p:${p.id}`);
const filled = memoryStore();
createCache<Product>({ ttlMs: 60_000, store: filled, bus: createEventBus(), validate: (_, d) => parseStoredProduct(d) }).write(products.map((p) => [`p:${p.id}`, p]));

describe('batch parse', () => {
  bench('parseProductsBody: one answer of 1,000 products', () => {
    const parsed = parseProductsBody(body, url);
    if (parsed.items.length !== 1000) throw new Error(`expected 1000 products, got ${parsed.items.length}`);
  });
});

describe('URL resolution', () => {
  bench('imageUrl: 3 variants × 1,000 products (the 3,000 requests the incident made)', () => {
    let n = 0;
    for (const p of products) for (const v of IMAGE_VARIANTS) n += imageUrl(p, v, 'https://cdn.example.com', urls)?.length ?? 0;
    if (n === 0) throw new Error('no URLs');
  });
  bench('imageSrcset: 1,000 products', () => {
    for (const p of products) imageSrcset(p, 'https://cdn.example.com', urls);
  });
});

describe('validating and caching', () => {
  bench('parse 1,000 products and write them to the cache', () => {
    const cache = createCache<Product>({ ttlMs: 60_000, store: memoryStore(), bus: createEventBus(), validate: (_, d) => parseStoredProduct(d) });
    cache.write(parseProductsBody(body, url).items.map((p) => [`p:${p.id}`, p]));
  });
  bench('read 1,000 products back from storage, each validated (a warm page view)', async () => {
    const cache = createCache<Product>({ ttlMs: 60_000, store: filled, bus: createEventBus(), validate: (_, d) => parseStoredProduct(d) });
    const found = await cache.read(keys);
    if (found.size !== 1000) throw new Error(`expected 1000 cached products, got ${found.size}`);
  });
});
