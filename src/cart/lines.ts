import { VitrineError } from '../errors.js';
import { array, describe, number, object, optional, preview, run, string } from '../check.js';
import type { CartLimits } from './types.js';

/**
 * The cart's stored state and the operations on it (pure). What is stored — and what travels to
 * other tabs — is only ids and quantities: prices are always re-derived from product data, so a
 * stored cart can never make the shopper pay a price the shop no longer asks.
 */
export interface StoredLine {
  productId: string;
  variantId?: string;
  quantity: number;
}

export interface CartState {
  /** Bumped by every committed change; monotonic per store across tabs. */
  revision: number;
  lines: readonly StoredLine[];
}

export type CartOp =
  | { type: 'add'; productId: string; variantId?: string | undefined; quantity: number }
  | { type: 'set'; productId: string; variantId?: string | undefined; quantity: number }
  | { type: 'remove'; productId: string; variantId?: string | undefined }
  | { type: 'clear' };

export const DEFAULT_LIMITS: CartLimits = { maxLines: 100, maxQuantity: 99 };
export const EMPTY_CART: CartState = { revision: 0, lines: [] };

/** The product-id pattern of the schema: ids end up in checkout URLs and in the localStorage hint. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `productId` or `productId/variantId` ('/' is outside the id pattern, so keys never collide). */
export const lineKey = (productId: string, variantId?: string): string => (variantId === undefined ? productId : `${productId}/${variantId}`);

/** An id outside the pattern can name no product (or variant): UNKNOWN_PRODUCT (UNKNOWN_VARIANT), without asking the API. */
export function checkId(id: unknown, field: 'productId' | 'variantId'): string {
  if (typeof id === 'string' && ID_PATTERN.test(id)) return id;
  throw new VitrineError(field === 'productId' ? 'UNKNOWN_PRODUCT' : 'UNKNOWN_VARIANT', `Expected ${field} to be 1–64 letters, digits, _ or -, got ${preview(id)}`, { field });
}

export function checkQuantity(quantity: unknown, limits: CartLimits, field = 'quantity'): number {
  if (typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= limits.maxQuantity) return quantity;
  throw new VitrineError('INVALID_QUANTITY', `Expected ${field} to be a whole number from 1 to ${limits.maxQuantity}, got ${preview(quantity)}`, { field });
}

/** Validates and fills in the merchant's limits (INVALID_OPTIONS, field `cart.limits.*`). */
export function resolveLimits(input: Partial<CartLimits> | undefined): CartLimits {
  const limits = { ...DEFAULT_LIMITS, ...input };
  // Upper bounds keep the localStorage hint (hint.ts) and the re-pricing request within reason.
  for (const [key, max] of [
    ['maxLines', 1000],
    ['maxQuantity', 10_000],
  ] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new VitrineError('INVALID_OPTIONS', `Expected cart limit ${key} to be a whole number from 1 to ${max}, got ${preview(value)}`, { field: `limits.${key}` });
    }
  }
  return limits;
}

const keyOf = (line: { productId: string; variantId?: string | undefined }) => lineKey(line.productId, line.variantId);

const stored = (productId: string, variantId: string | undefined, quantity: number): StoredLine =>
  variantId === undefined ? { productId, quantity } : { productId, variantId, quantity };

/**
 * Applies one operation, returning the next state (revision + 1), or `state` itself when nothing
 * changes (so nothing is written or broadcast). Throws a VitrineError for input that would break a
 * limit; the same op is re-applied on a fresher state when another tab wrote first, so these checks
 * run against whatever the cart holds at commit time.
 */
export function applyOp(state: CartState, op: CartOp, limits: CartLimits = DEFAULT_LIMITS): CartState {
  if (op.type === 'clear') return state.lines.length ? { revision: state.revision + 1, lines: [] } : state;
  const productId = checkId(op.productId, 'productId');
  const variantId = op.variantId === undefined ? undefined : checkId(op.variantId, 'variantId');
  const key = lineKey(productId, variantId);
  const index = state.lines.findIndex((line) => keyOf(line) === key);
  const existing = state.lines[index];
  if (op.type === 'remove') {
    return existing ? { revision: state.revision + 1, lines: state.lines.filter((_, i) => i !== index) } : state;
  }
  let quantity = checkQuantity(op.quantity, limits);
  if (op.type === 'add' && existing) {
    quantity += existing.quantity;
    // Refused, not clamped: silently adding fewer than asked would be a surprise at checkout.
    if (quantity > limits.maxQuantity) {
      throw new VitrineError('INVALID_QUANTITY', `Adding ${op.quantity} to the ${existing.quantity} already in the cart would exceed the limit of ${limits.maxQuantity} per line`, {
        field: 'quantity',
        ids: [productId],
      });
    }
  }
  if (existing) {
    if (existing.quantity === quantity) return state;
    const lines = [...state.lines];
    lines[index] = stored(productId, variantId, quantity);
    return { revision: state.revision + 1, lines };
  }
  if (state.lines.length >= limits.maxLines) {
    throw new VitrineError('CART_FULL', `The cart already holds ${state.lines.length} lines, its limit of ${limits.maxLines}`, { ids: [productId] });
  }
  return { revision: state.revision + 1, lines: [...state.lines, stored(productId, variantId, quantity)] };
}

export interface DroppedLine {
  /** Where in the stored entry: `(root)`, `revision`, `lines[2].quantity`… */
  field: string;
  message: string;
}

const id = string({ pattern: ID_PATTERN, format: '1–64 letters, digits, _ or -' });
const lineCheck = object({ productId: id, variantId: optional(id), quantity: number({ int: true, min: 1 }) });
const envelopeCheck = object({ revision: number({ int: true, min: 0, max: Number.MAX_SAFE_INTEGER }), lines: array((v) => v, 10_000) });

/**
 * Validates a cart read back from storage (or received from another tab): another version of the
 * SDK, an extension or a disk fault may have left anything there. Never throws: an unreadable
 * entry becomes the empty cart, each bad line is dropped on its own, a quantity over today's limit
 * is lowered to it, duplicate lines are merged, lines past `maxLines` dropped; each is described.
 */
export function parseStoredCart(raw: unknown, limits: CartLimits = DEFAULT_LIMITS): { state: CartState; dropped: DroppedLine[] } {
  if (raw === undefined || raw === null) return { state: EMPTY_CART, dropped: [] };
  const envelope = run(envelopeCheck, raw);
  if (!envelope.ok) {
    const { field, text } = describe(envelope.issue);
    return { state: EMPTY_CART, dropped: [{ field, message: `Dropped the stored cart: ${text}` }] };
  }
  const dropped: DroppedLine[] = [];
  const lines: StoredLine[] = [];
  const index = new Map<string, number>();
  envelope.value.lines.forEach((item, i) => {
    const result = run(lineCheck, item);
    if (!result.ok) {
      const { field, text } = describe(result.issue);
      dropped.push({ field: `lines[${i}].${field}`, message: `Dropped a stored cart line: ${text}` });
      return;
    }
    const { productId, variantId, quantity } = result.value;
    const key = lineKey(productId, variantId);
    const at = index.get(key);
    if (at !== undefined) {
      const merged = lines[at]!.quantity + quantity;
      lines[at] = stored(productId, variantId, Math.min(merged, limits.maxQuantity));
      dropped.push({ field: `lines[${i}]`, message: `Merged a duplicate stored cart line "${key}"` });
      return;
    }
    if (lines.length >= limits.maxLines) {
      dropped.push({ field: `lines[${i}]`, message: `Dropped a stored cart line past the limit of ${limits.maxLines} lines` });
      return;
    }
    if (quantity > limits.maxQuantity) dropped.push({ field: `lines[${i}].quantity`, message: `Lowered a stored quantity of ${quantity} to the limit of ${limits.maxQuantity}` });
    index.set(key, lines.length);
    lines.push(stored(productId, variantId, Math.min(quantity, limits.maxQuantity)));
  });
  return { state: { revision: envelope.value.revision, lines }, dropped };
}
