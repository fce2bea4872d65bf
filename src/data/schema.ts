import { VitrineError } from '../errors.js';
import { z, describeIssues } from '../validate.js';

// Limits are generous for real catalogues and stop a hostile answer from filling memory or the DOM.
const text = (max: number) => z.string().check(z.maxLength(max));

export const ImageSchema = z.object({
  // The key becomes a URL path segment: no slashes, no dots-only segments, no encoding tricks.
  key: z.string().check(z.regex(/^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/)),
  width: z.number().check(z.int(), z.minimum(1), z.maximum(20_000)),
  height: z.number().check(z.int(), z.minimum(1), z.maximum(20_000)),
  alt: z.optional(text(500)),
});

export const ProductSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  name: text(500),
  price: z.object({
    amount: z.number().check(z.refine(Number.isFinite, { message: 'expected a finite number' })),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  }),
  url: text(2048),
  inStock: z.boolean(),
  description: z.optional(text(5000)),
  image: z.optional(ImageSchema),
});

export type Product = z.infer<typeof ProductSchema>;
export type ProductImage = z.infer<typeof ImageSchema>;

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
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new VitrineError('INVALID_RESPONSE', `Expected a JSON object {"items": [...]} from ${url}, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`, { url });
  }
  const envelope = body as { items?: unknown; total?: unknown };
  if (!Array.isArray(envelope.items)) {
    throw new VitrineError('INVALID_RESPONSE', `Expected "items" to be an array in the answer from ${url}, got ${envelope.items === undefined ? 'no "items"' : typeof envelope.items}`, {
      url,
      field: 'items',
    });
  }
  if (envelope.items.length > MAX_ITEMS) {
    throw new VitrineError('INVALID_RESPONSE', `Expected at most ${MAX_ITEMS} items from ${url}, got ${envelope.items.length}`, { url, field: 'items' });
  }
  let total: number | undefined;
  if (envelope.total !== undefined) {
    if (typeof envelope.total !== 'number' || !Number.isInteger(envelope.total) || envelope.total < 0) {
      throw new VitrineError('INVALID_RESPONSE', `Expected "total" to be a whole number ≥ 0 from ${url}`, { url, field: 'total' });
    }
    total = envelope.total;
  }
  const items: Product[] = [];
  const dropped: DroppedProduct[] = [];
  for (const raw of envelope.items) {
    const result = ProductSchema.safeParse(raw, { reportInput: true });
    if (result.success) {
      items.push(result.data);
    } else {
      const { field, text: message } = describeIssues(result.error.issues);
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
  const result = ProductSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}
