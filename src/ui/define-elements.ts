import type { Storefront } from '../storefront.js';
import { createGridElement } from './grid-element.js';
import { createProductElement } from './product-element.js';
import { CART_TAG, createCartElement } from './cart-element.js';
import type { StoreSource } from './widget-base.js';

export const GRID_TAG = 'vitrine-grid';
export const PRODUCT_TAG = 'vitrine-product';

const ELEMENTS = [
  [GRID_TAG, createGridElement],
  [PRODUCT_TAG, createProductElement],
  [CART_TAG, createCartElement],
] as const;

const source: StoreSource = { fallback: undefined, waiting: new Set() };

/**
 * Defines `<vitrine-grid>`, `<vitrine-product>` and `<vitrine-cart>` (once per page; later calls only change the
 * default storefront). Elements without their own `store` use `store`; elements already waiting
 * for one render now.
 */
export function defineElements(store?: Storefront): void {
  if (typeof customElements === 'undefined') return;
  if (store && (!source.fallback || source.fallback.destroyed)) source.fallback = store;
  // Another copy of Vitrine (a second script tag) may have defined them already: theirs stay.
  for (const [tag, create] of ELEMENTS) if (!customElements.get(tag)) customElements.define(tag, create(source));
  for (const element of [...source.waiting]) element.refresh();
}
