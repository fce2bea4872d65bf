import { VitrineError } from '../errors.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';
import { renderCards, renderSkeleton } from './card.js';
import { createWidgetBase, documentParsed, type StoreSource } from './widget-base.js';

/**
 * `<vitrine-product product-id="42">`: one product card. Any number of them on a page share one
 * API request: their lookups wait for the document to be parsed, then land in the same batch. The
 * image of each one on screen when its product arrives (the page's LCP candidates) loads at once with
 * high priority; the others lazily.
 */
export function createProductElement(source: StoreSource) {
  return class VitrineProduct extends createWidgetBase(source) {
    static get observedAttributes() {
      return ['product-id'];
    }

    skeleton(): Node {
      return renderSkeleton('div', this.store?.options.checkout);
    }

    async render(store: Storefront, signal: AbortSignal): Promise<(m: Messages) => Node> {
      const id = this.getAttribute('product-id')?.trim();
      if (!id) throw new VitrineError('INVALID_OPTIONS', 'attribute product-id: expected a product id, got none', { field: 'product-id' });
      await documentParsed();
      if (signal.aborted) throw signal.reason;
      const product = await store.products.get(id);
      return (m) => renderCards(this.shadowRoot!, [product], store, 'div', m, signal)[0]!;
    }
  };
}
