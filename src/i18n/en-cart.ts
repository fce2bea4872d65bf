/**
 * The cart's English text, in two tables so each can live where it paints:
 *
 * - `EN_BUY`: what paints with a card or the badge (the buy row and `<vitrine-cart>`), for the core
 *   bundle.
 * - `EN_CART`: the drawer and its announcements, for the lazy cart file only (import it there, and
 *   vitrine.js never carries it).
 *
 * Use them as the last fallback of the storefront's messages: `extend(await store.messages(), EN_CART)`,
 * then `format(m, 'cart.badge', { count })` (format.ts): a key ending in `.one`, `.other` (…) is
 * plural, its form picked by `Intl.PluralRules`; `{name}` placeholders are filled from the params,
 * numbers in the shopper's locale. `m.t(key)` alone is the raw text.
 */
export const EN_BUY = {
  'cart.add': 'Add to cart',
  /** The button's accessible name on a card (a page of cards has many "Add to cart" buttons). */
  'cart.addFor': 'Add to cart: {name}',
  /** The variant select's label. */
  'cart.option': 'Choose an option',
  'cart.optionFor': 'Choose an option: {name}',
  /** The badge's visible text (its count follows it). */
  'cart.label': 'Cart',
  /** The badge's accessible name with the count, at 0 too. */
  'cart.badge.one': 'Cart, {count} item',
  'cart.badge.other': 'Cart, {count} items',
};

export const EN_CART = {
  /** The drawer's heading. */
  'cart.title': 'Your cart',
  'cart.close': 'Close',
  'cart.quantity': 'Quantity',
  'cart.remove': 'Remove',
  'cart.removeFor': 'Remove {name}',
  'cart.subtotal': 'Subtotal (estimate)',
  'cart.checkout': 'Checkout',
  'cart.empty': 'Your cart is empty',
  /** {was}: the old price, formatted. */
  'cart.priceChanged': 'Price changed: was {was}',
  'cart.unavailable': 'No longer available',
  'cart.outOfStock': 'Out of stock',
  'cart.unconfirmed': 'Price not confirmed yet',
  'cart.checkoutWaits': 'Checkout waits until prices are confirmed',
  /** Shown when the cart cannot be stored (a private window without storage). */
  'cart.notKept': 'This cart will not be kept on this device',
  /** Announced (live region) after an add; {count}: the cart's new item count. */
  'cart.added.one': 'Added {quantity} × {name}. Cart: {count} item.',
  'cart.added.other': 'Added {quantity} × {name}. Cart: {count} items.',
  'cart.removed.one': 'Removed {name}. Cart: {count} item.',
  'cart.removed.other': 'Removed {name}. Cart: {count} items.',
  'cart.otherTab': 'Cart updated in another tab.',
  /** Announced after a quantity change. */
  'cart.set.one': '{name}: quantity {quantity}. Cart: {count} item.',
  'cart.set.other': '{name}: quantity {quantity}. Cart: {count} items.',
  'cart.cleared': 'Cart emptied.',
  /** Announced when the cart refuses a change (the developer's reason goes to the console). */
  'cart.full': 'Your cart is full.',
  'cart.badQuantity': 'That quantity is not available.',
  'cart.failed': 'The cart could not be updated. Please try again.',
  /** A product priced in another currency than the cart's lines (a cart holds one currency). */
  'cart.currency': 'Not added: your cart is in another currency.',
  /** A line whose product is now priced in another currency than the rest of the cart. */
  'cart.otherCurrency': 'In another currency: not counted',
};
