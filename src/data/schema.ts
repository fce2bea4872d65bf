import { VitrineError } from '../errors.js';
import { array, boolean, describe, Invalid, number, object, optional, refine, run, string, type Check } from '../check.js';

export interface ProductImage {
  key: string;
  width: number;
  height: number;
  alt?: string;
}

export interface Product {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  url: string;
  inStock: boolean;
  description?: string;
  image?: ProductImage;
  /** Sizes, colours…: each bought on its own (the cart's line is `productId/variantId`). */
  variants?: ProductVariant[];
}

export interface ProductVariant {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  inStock: boolean;
}

// Limits are generous for real catalogues and stop a hostile answer from filling memory or the DOM.
const text = (max: number) => string({ max });
// Every text a shopper may see (a name; an image's alt text, shown when the image fails; the
// description, in JSON-LD and the merchant's own views): bidi embedding, override and isolate controls
// (U+202A–202E, U+2066–2069) are stripped, since an unclosed U+202E reverses the text after it (a
// name that reads as another name or price). Stripped, not refused: right-to-left catalogues use
// them in real names, and the widget sets the direction itself. A name is never blank.
const shown =
  (max: number): Check<string> =>
  (v, p) =>
    text(max)(v, p).replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
// Blank: nothing but white space and invisible characters (zero-width spaces and joiners, direction
// marks, word joiner, soft hyphen), which would show an empty name.
const nameCheck = (max: number) => refine(shown(max), (name) => /[^\s\u200b-\u200f\u2060\u00ad]/.test(name), 'a non-blank name');
const dimension = () => number({ int: true, min: 1, max: 20_000 });

const imageCheck = object({
  // The key becomes a URL path segment: no slashes, no dots-only segments, no encoding tricks.
  key: string({ pattern: /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/, format: '1–128 URL-safe characters' }),
  width: dimension(),
  height: dimension(),
  alt: optional(shown(500)),
});

// Shared by a product and its variants: a variant id goes into checkout URLs like a product id.
const idCheck = string({ pattern: /^[A-Za-z0-9_-]{1,64}$/, format: '1–64 letters, digits, _ or -' });
// A price is never below 0 nor past a trillion: a negative one would be a discount the shop never gave
// (a negative subtotal at checkout), an absurd one spills out of its card.
const priceCheck = object({ amount: number({ min: 0, max: 1e12 }), currency: string({ pattern: /^[A-Z]{3}$/, format: 'an ISO 4217 code' }) });

// One variant per id, as an answer keeps one product per id (parseProductsBody, same wording): the buy
// row's choice and checkout's line name a variant by its id, so a second variant with an id already
// seen would be bought as the first. The later one is named (`variants[1].id`). Built per product, for
// its own set of ids.
const variantsCheck: Check<ProductVariant[]> = (v, p) => {
  const ids = new Set<string>();
  return array(object({ id: refine(idCheck, (id) => ids.size < ids.add(id).size, 'a unique id'), name: nameCheck(200), price: priceCheck, inStock: boolean }), 100)(v, p);
};

/** Validates one product, returning a copy with only the known fields. */
export const productCheck = object({
  id: idCheck,
  name: nameCheck(500),
  price: priceCheck,
  url: text(2048),
  inStock: boolean,
  description: optional(shown(5000)),
  image: optional(imageCheck),
  variants: optional(variantsCheck),
}) as Check<Product>;

export interface DroppedProduct {
  /** The item's id when it had a readable one. */
  id: string | undefined;
  field: string;
  message: string;
}

export interface ParsedProducts {
  items: Product[];
  total: number | undefined;
  dropped: DroppedProduct[];
}

const MAX_ITEMS = 1000;

/**
 * Validates an API answer's envelope strictly and its items one by one: a malformed product is
 * dropped and described, the valid ones still arrive.
 */
export function parseProductsBody(body: unknown, url: string): ParsedProducts {
  const refuse = (message: string, field?: string) => new VitrineError('INVALID_RESPONSE', message, { url, ...(field && { field }) });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw refuse(`Expected a JSON object {"items": [...]} from ${url}, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`);
  }
  const raws = (body as { items?: unknown }).items;
  if (!Array.isArray(raws)) {
    throw refuse(`Expected "items" to be an array in the answer from ${url}, got ${raws === undefined ? 'no "items"' : typeof raws}`, 'items');
  }
  if (raws.length > MAX_ITEMS) throw refuse(`Expected at most ${MAX_ITEMS} items from ${url}, got ${raws.length}`, 'items');
  // Read once the items passed: server-rendered data with getters fails on the first bad field, in order.
  const total = (body as { total?: number }).total;
  if (total !== undefined && !(Number.isInteger(total) && total >= 0)) {
    throw refuse(`Expected "total" to be a whole number ≥ 0 from ${url}`, 'total');
  }
  const items: Product[] = [];
  const dropped: DroppedProduct[] = [];
  for (const raw of raws) {
    const result = run(productCheck, raw);
    // One product per id, the first (at most 1000 items to compare): a second card, or a second
    // price, for one id is the API's mistake shown to the shopper.
    if (result.ok && !items.some((p) => p.id === result.value.id)) {
      items.push(result.value);
    } else {
      const { field, text: message } = describe(result.ok ? new Invalid('id', 'expected a unique id', result.value.id) : result.issue);
      dropped.push({ id: readableId(raw), field, message });
    }
  }
  return { items, total, dropped };
}

function readableId(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

/** Validates one product read back from storage (a corrupt entry yields undefined). */
export function parseStoredProduct(raw: unknown): Product | undefined {
  const result = run(productCheck, raw);
  return result.ok ? result.value : undefined;
}

export const isProduct = (value: unknown): value is Product => run(productCheck, value).ok;
