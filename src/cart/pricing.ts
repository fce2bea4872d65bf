import type { Product } from '../data/schema.js';
import type { CartState } from './lines.js';
import { lineKey } from './lines.js';
import { addMoney, multiplyMoney, sameMoney, toMinor } from './money.js';
import type { CartLine, CartLineStatus, CartSnapshot, Money } from './types.js';

/**
 * What the cart knows of one product (kept by cart.ts, from the products layer and the bus):
 * - `product`: the last known data (confirmed or cached), absent when never seen on this device;
 * - `confirmed`: that data came from an API answer in this page view, or from a cache entry still
 *   fresh (within its TTL — a warm view asks nothing, by design);
 * - `gone`: the API answered without it (NOT_FOUND).
 */
export interface ProductKnowledge {
  product?: Product | undefined;
  confirmed: boolean;
  gone?: boolean | undefined;
}

/** Lines that count towards the subtotal: purchasable at a price we can state. */
const COUNTED: ReadonlySet<CartLineStatus> = new Set(['ok', 'changed', 'unconfirmed']);

/**
 * Prices the stored lines (pure). `reference` holds, per line key, the unit price this page showed
 * the shopper before (the first price it priced the line at, or the one at their last change of the
 * line): a confirmed price that differs from it is `changed`, with the old one, until the shopper
 * changes that line again — never silently charged. Line totals and the subtotal are exact integers.
 */
export function priceLines(state: CartState, known: ReadonlyMap<string, ProductKnowledge>, reference: ReadonlyMap<string, Money>, persistent: boolean): CartSnapshot {
  let subtotal: Money | undefined;
  let count = 0;
  const lines = state.lines.map((stored): CartLine => {
    const { productId, variantId, quantity } = stored;
    count += quantity;
    const key = lineKey(productId, variantId);
    const info = known.get(productId);
    const product = info?.product;
    const variant = variantId === undefined ? undefined : product?.variants?.find((v) => v.id === variantId);
    const line: CartLine = {
      key,
      productId,
      ...(variantId !== undefined && { variantId }),
      quantity,
      ...(product && { product }),
      name: product ? (variant ? `${product.name}, ${variant.name}` : product.name) : '',
      status: 'unknown',
    };
    if (info?.gone) return { ...line, status: 'gone' };
    // No data yet, or the variant is not in the data we have: gone if that data is the API's word.
    if (!product || (variantId !== undefined && !variant)) return { ...line, status: product && info.confirmed ? 'gone' : 'unknown' };
    let unitPrice: Money;
    let lineTotal: Money;
    try {
      const price = variant?.price ?? product.price;
      unitPrice = toMinor(price.amount, price.currency);
      lineTotal = multiplyMoney(unitPrice, quantity);
    } catch {
      // A price no integer can hold exactly (hostile data): shown without one, never counted.
      return line;
    }
    const inStock = variant ? variant.inStock : product.inStock;
    const before = reference.get(key);
    let status: CartLineStatus = !info.confirmed ? 'unconfirmed' : !inStock ? 'out-of-stock' : before && !sameMoney(before, unitPrice) ? 'changed' : 'ok';
    // Last known out of stock, not confirmed since: not counted either.
    if (status === 'unconfirmed' && !inStock) status = 'out-of-stock';
    if (COUNTED.has(status)) {
      if (subtotal && subtotal.currency !== unitPrice.currency) status = 'other-currency';
      else {
        try {
          subtotal = subtotal ? addMoney(subtotal, lineTotal) : lineTotal;
        } catch {
          return line; // a sum past 2^53 (hostile prices): this line shown unpriced, the subtotal stays exact
        }
      }
    }
    return { ...line, unitPrice, lineTotal, status, ...(status === 'changed' && { previousUnitPrice: before! }) };
  });
  return {
    lines,
    count,
    subtotal,
    confirmed: lines.every((line) => line.status === 'ok'),
    revision: state.revision,
    persistent,
  };
}
