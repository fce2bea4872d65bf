/**
 * The simulated store's catalogue: deterministic (seeded PRNG, never Math.random), so every test,
 * benchmark and demo run sees the same products. Each product depends only on its id, so a bigger
 * catalogue never changes the products a smaller one already had.
 *
 * Browser-safe: no Node APIs.
 */
import type { Product } from '../../src/data/schema.js';

export type { Product };

export interface Catalog {
  products: Product[];
  categories: string[];
  byId: Map<string, Product>;
  /** The category of each product (not part of the wire Product shape). */
  categoryOf: Map<string, string>;
}

export const CATEGORIES = ['kitchen', 'garden', 'lighting', 'textiles', 'stationery', 'toys', 'outdoor', 'bath'] as const;

const ADJECTIVES = ['Walnut', 'Linen', 'Copper', 'Slate', 'Amber', 'Indigo', 'Oak', 'Terracotta', 'Ivory', 'Sage', 'Charcoal', 'Coral', 'Birch', 'Moss', 'Saffron', 'Pewter'];
const NOUNS: Record<(typeof CATEGORIES)[number], string[]> = {
  kitchen: ['Pour-over Kettle', 'Chef Knife', 'Cutting Board', 'Spice Rack', 'Mixing Bowl', 'Espresso Cup'],
  garden: ['Trowel', 'Planter', 'Watering Can', 'Pruning Shears', 'Seed Tray', 'Bird Feeder'],
  lighting: ['Desk Lamp', 'Pendant Light', 'Floor Lamp', 'Candle Holder', 'String Lights', 'Wall Sconce'],
  textiles: ['Throw Blanket', 'Cushion Cover', 'Table Runner', 'Tea Towel', 'Bath Robe', 'Rug'],
  stationery: ['Notebook', 'Fountain Pen', 'Desk Organiser', 'Letter Set', 'Sketchbook', 'Wall Calendar'],
  toys: ['Wooden Train', 'Puzzle', 'Stacking Rings', 'Kite', 'Spinning Top', 'Plush Fox'],
  outdoor: ['Camping Mug', 'Picnic Blanket', 'Lantern', 'Folding Stool', 'Water Bottle', 'Hammock'],
  bath: ['Soap Dish', 'Towel Set', 'Bath Mat', 'Toothbrush Cup', 'Shower Caddy', 'Body Brush'],
};
const QUALITIES = ['hand-finished', 'made to last', 'sustainably sourced', 'small-batch', 'easy to clean', 'gift-ready'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'] as const;
const HEIGHTS = [900, 1200, 1500] as const;

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bits: a stable string hash. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function makeProduct(id: number): { product: Product; category: string } {
  const random = prng(0x5eed ^ Math.imul(id, 0x9e3779b1));
  const category = pick(CATEGORIES, random);
  const name = `${pick(ADJECTIVES, random)} ${pick(NOUNS[category], random)}`;
  const currency = pick(CURRENCIES, random);
  const amount = currency === 'JPY' ? 500 + Math.floor(random() * 200) * 100 : Math.round((5 + random() * 245) * 100) / 100;
  const hasImage = random() >= 0.1;
  const inStock = random() >= 0.15;
  const height = pick(HEIGHTS, random);
  const quality = pick(QUALITIES, random);
  const product: Product = {
    id: String(id),
    name,
    price: { amount, currency },
    url: `https://shop.vitrine.test/products/${id}`,
    inStock,
    description: `${name}: ${quality}, from our ${category} range.`,
  };
  if (hasImage) {
    product.image = { key: `p${id}-${fnv1a(`${id}:${name}`).toString(16).padStart(8, '0')}`, width: 1200, height, alt: name };
  }
  return { product, category };
}

export function createCatalog(size = 300): Catalog {
  if (!Number.isInteger(size) || size < 0) throw new Error(`catalogSize must be a whole number ≥ 0, got ${size}`);
  const products: Product[] = [];
  const byId = new Map<string, Product>();
  const categoryOf = new Map<string, string>();
  for (let id = 1; id <= size; id++) {
    const { product, category } = makeProduct(id);
    products.push(product);
    byId.set(product.id, product);
    categoryOf.set(product.id, category);
  }
  return { products, categories: [...CATEGORIES], byId, categoryOf };
}
