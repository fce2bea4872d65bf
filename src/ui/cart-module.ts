/**
 * The cart's lazy file (dist/vitrine-cart.js for the script tag, a chunk for npm builds): the cart's
 * logic, its badge, buy rows, drawer and announcements, loaded on the cart's first use.
 */
import { createCart as createCartCore, type CartDeps, type CartCore } from '../cart/cart.js';
import { announceChanges } from './cart-announce.js';

export { openDrawer } from './cart-drawer.js';
export { mountBadge } from './cart-badge.js';
export { fillBuy } from './cart-buy.js';

export function createCart(deps: CartDeps): CartCore {
  const cart = createCartCore(deps);
  announceChanges(deps.bus, deps.signal);
  return cart;
}

export type CartModule = typeof import('./cart-module.js');
