/**
 * The cart's lazy file (dist/vitrine-cart.js for the script tag, a chunk for npm builds): the cart's
 * logic, its badge, buy rows, drawer and announcements, in the shopper's language, loaded on the
 * cart's first use.
 */
import { createCart as createCartCore, type CartDeps, type CartCore } from '../cart/cart.js';
import type { Product } from '../data/schema.js';
import type { EventBus } from '../events.js';
import type { Storefront } from '../storefront.js';
import { unknownKeys } from '../i18n/keys.js';
import { announceChanges } from './cart-announce.js';
import { mountBadge as badge } from './cart-badge.js';
import { fillBuy as buy } from './cart-buy.js';
import { CART_ENGLISH, cartMessages } from './cart-messages.js';

/**
 * The storefront's cart, from what the storefront already holds (its options, products layer, bus
 * and lifetime): the core passes only those, so the wiring is paid for in this file, not in vitrine.js.
 */
export function createCart(store: Storefront, bus: EventBus, signal: AbortSignal, priceAtLoad: boolean): CartCore {
  const { storeId, cache, checkout, messages } = store.options;
  const deps: CartDeps = { storeId, dbName: cache.dbName, persist: cache.persist, products: store.products, bus, checkout, signal, priceAtLoad };
  const cart = createCartCore(deps);
  // `messages` overrides of the cart's own keys are checked now that its table is here.
  for (const error of unknownKeys(messages, CART_ENGLISH)) bus.emit('error', { code: error.code, message: error.message, field: error.field! });
  // Announcements and DOM events need a document: a cart used from Node (server code, a script) has none.
  if (typeof document !== 'undefined') announceChanges(bus, cartMessages(store), signal);
  return cart;
}

/** Renders a `<vitrine-cart>` badge (in the shopper's language) into the shell the core defined. */
export function mountBadge(host: HTMLElement, store: Storefront): void {
  void cartMessages(store).then((m) => host.isConnected && badge(host, store, m));
}

/** Fills a card's buy row (its box already held by the core). */
export function fillBuy(row: HTMLElement, product: Product, store: Storefront): void {
  void cartMessages(store).then((m) => buy(row, product, store, m));
}

export type CartModule = typeof import('./cart-module.js');
