/**
 * The cart's synchronous localStorage hint, `vitrine-cart:<storeId>` = `<count>|id1,id2,…` (the
 * total quantity, then the lines' product ids, sorted and unique; absent for an empty cart). The
 * critical bundle imports this file alone: it reads the hint to show the badge's count before the
 * cart's code loads, and to add the cart's ids to the page's first batched request, so the cart
 * costs no request of its own. No imports: every byte here is in the script-tag bundle.
 */

export const cartHintKey = (storeId: string): string => `vitrine-cart:${storeId}`;

/** The hint for these lines, or undefined for an empty cart (the key is then removed). */
export function formatCartHint(lines: readonly { productId: string; quantity: number }[]): string | undefined {
  if (!lines.length) return undefined;
  const count = lines.reduce((sum, line) => sum + line.quantity, 0);
  return `${count}|${[...new Set(lines.map((line) => line.productId))].sort().join(',')}`;
}

/**
 * Reads a hint back; anything else (absent, edited by hand, written by a future version) is
 * undefined, never an exception: the badge then waits for the cart itself.
 */
export function parseCartHint(value: string | null | undefined): { count: number; ids: string[] } | undefined {
  const match = /^([1-9]\d{0,7})\|([\w-]{1,64}(?:,[\w-]{1,64}){0,999})$/.exec(value ?? '');
  return match ? { count: +match[1]!, ids: match[2]!.split(',') } : undefined;
}
