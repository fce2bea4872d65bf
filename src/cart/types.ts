import type { Product } from '../data/schema.js';

/**
 * The cart's public types. Type-only: the critical bundle (storefront.ts) holds a small facade that
 * loads the cart's code (src/cart/cart.ts) on first use; everything here is erased at build time.
 */

/** An amount of money in integer minor units: `{ minor: 1999, currency: 'EUR', exponent: 2 }` is €19.99. */
export interface Money {
  minor: number;
  currency: string;
  /** The currency's own number of decimals (JPY 0, EUR 2, KWD 3). */
  exponent: number;
}

/**
 * What a line's price rests on:
 * - `ok`: priced from product data confirmed by the API in this page view, or cached and still fresh
 *   (within `cache.ttlMs`: a warm view asks the API nothing, and the cart keeps that promise);
 * - `unconfirmed`: priced from the last known product data (a stale cache entry), not confirmed yet (API down or not answered yet);
 * - `changed`: the confirmed price differs from the one this page showed before (`previousUnitPrice`), until the shopper changes the line;
 * - `out-of-stock`: the product (or variant) is not in stock (confirmed, or as last known): kept, not counted in the subtotal;
 * - `gone`: the API answered NOT_FOUND for the product (or its confirmed data has no such variant): kept until removed, not counted;
 * - `other-currency`: priced in another currency than the cart's other lines (the product's currency changed since it was added): kept, not counted;
 * - `unknown`: not priced: no product data on this device and no answer yet (or a price too large to count exactly).
 */
export type CartLineStatus = 'ok' | 'unconfirmed' | 'changed' | 'out-of-stock' | 'gone' | 'other-currency' | 'unknown';

export interface CartLine {
  /** `productId` or `productId/variantId`: unique per line. */
  key: string;
  productId: string;
  variantId?: string;
  quantity: number;
  /** The product data the line is priced from (last known or confirmed); absent for `unknown`. */
  product?: Product;
  /** Product name, with the variant's name when there is one ('Linen shirt, M'); '' when unknown. */
  name: string;
  unitPrice?: Money;
  /** unitPrice × quantity, exact in minor units. */
  lineTotal?: Money;
  status: CartLineStatus;
  /** For `changed`: the unit price shown before. */
  previousUnitPrice?: Money;
}

export interface CartSnapshot {
  readonly lines: readonly CartLine[];
  /** Sum of quantities over all lines. */
  readonly count: number;
  /** Sum of the priced, purchasable lines' totals (an estimate: the checkout prices the order); undefined for an empty cart. */
  readonly subtotal: Money | undefined;
  /** False while any line is `unconfirmed`, `unknown`, `changed`, `gone` or `out-of-stock`: checkout explains why it waits. */
  readonly confirmed: boolean;
  /** Monotonic per store across tabs; a broadcast with an older revision is ignored. */
  readonly revision: number;
  /** False when storage is unavailable: the cart lives in this page only (the UI says it will not be kept). */
  readonly persistent: boolean;
}

export type CartChange = 'load' | 'add' | 'set' | 'remove' | 'clear' | 'reprice';

/** The `cart` event on the bus (`store.on('cart', …)`), after each committed change or re-pricing. */
export interface CartEvent {
  snapshot: CartSnapshot;
  change: CartChange;
  /** `this-tab` for a change made here, `other-tab` for one received from another tab. */
  source: 'this-tab' | 'other-tab';
  /** For add / set / remove: the line concerned and (add, set) the quantity added or set. */
  productId?: string;
  variantId?: string;
  quantity?: number;
}

/** Where checkout goes: a same-tab link (`GET`) or a form the page submits in the same tab (`POST`). */
export type CheckoutTarget = { method: 'GET'; href: string } | { method: 'POST'; action: string; fields: ReadonlyArray<readonly [name: string, value: string]> };

export interface CartLimits {
  /** Distinct lines (default 100). */
  maxLines: number;
  /** Quantity per line (default 99). */
  maxQuantity: number;
}

/**
 * `store.cart`. Mutations resolve once the change is committed (stored and broadcast, or in memory
 * only when storage is unavailable) and reject with a VitrineError: UNKNOWN_PRODUCT,
 * INVALID_QUANTITY, CURRENCY_MISMATCH, CART_FULL, VARIANT_REQUIRED, UNKNOWN_VARIANT.
 */
export interface Cart {
  add(productId: string, quantity?: number, variantId?: string): Promise<CartSnapshot>;
  setQuantity(productId: string, quantity: number, variantId?: string): Promise<CartSnapshot>;
  remove(productId: string, variantId?: string): Promise<CartSnapshot>;
  clear(): Promise<CartSnapshot>;
  /** The current state (empty until the cart has loaded: await `ready`). */
  readonly lines: readonly CartLine[];
  readonly subtotal: Money | undefined;
  readonly count: number;
  readonly snapshot: CartSnapshot;
  /** Resolves with the first snapshot read from storage. */
  readonly ready: Promise<CartSnapshot>;
  /** Asks the API for the lines' products (through the page's batcher and cache). */
  reprice(): Promise<CartSnapshot>;
  /** The checkout hand-off for the current lines; throws CHECKOUT_UNAVAILABLE without a `checkout` option, CART_EMPTY for an empty cart. */
  checkout(): CheckoutTarget;
  /** Same as `store.on('cart', …)`. */
  on(name: 'cart', listener: (event: CartEvent) => void): () => void;
}
