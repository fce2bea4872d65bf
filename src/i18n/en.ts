/**
 * The widgets' English text (`<vitrine-grid>`, `<vitrine-product>`): in the core bundle, and the last
 * fallback of every lookup, so a key missing from any other table still shows something readable.
 * Every other language is a lazy file (README "Languages"); `src/i18n/de.ts` and its siblings hold
 * these keys and the cart's and debug overlay's too.
 */
export const EN = {
  inStock: 'In stock',
  outOfStock: 'Out of stock',
  retry: 'Try again',
  loadFailed: 'Products could not be loaded.',
  misconfigured: 'This product list is misconfigured.',
  notAvailable: 'This product is not available.',
  noProducts: 'No products found.',
  /** The grid's accessible name. */
  products: 'Products',
};
