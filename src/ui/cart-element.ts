import type { Storefront } from '../storefront.js';
import { adoptStyles } from './styles.js';
import { storeOrWait, type StoreSource } from './widget-base.js';

export const CART_TAG = 'vitrine-cart';

/** What the cart's lazy file offers the elements (type-only: src/ui/cart-module.ts stays out of this bundle). */
export type CartUi = Pick<import('./cart-module.js').CartModule, 'mountBadge' | 'fillBuy'>;

/** The cart's lazy file, through the storefront's facade (loaded once a page). */
export const cartUi = (store: Storefront): Promise<CartUi> => (store.cart as unknown as { _module(): Promise<CartUi> })._module();

/**
 * `<vitrine-cart>` in the critical bundle: a shell holding the badge's box (shared sheet) from the
 * start; the badge, its count and the drawer come with the cart's file, which a badge on the page
 * loads at once (a page with a badge uses the cart).
 */
export function createCartElement(source: StoreSource) {
  return class VitrineCart extends HTMLElement {
    connectedCallback(): void {
      this.refresh();
    }
    disconnectedCallback(): void {
      source.waiting.delete(this);
    }
    refresh(): void {
      adoptStyles(this.shadowRoot ?? this.attachShadow({ mode: 'open' }));
      // Out of the waiting list once mounted: a later defineElements() would mount the badge again,
      // replacing the button under the shopper's focus.
      const store = storeOrWait(source, this, source.fallback);
      if (!store) return;
      cartUi(store).then(
        (ui) => this.isConnected && ui.mountBadge(this, store),
        (error: unknown) => console.error('[vitrine] The cart did not load:', error),
      );
    }
  };
}
