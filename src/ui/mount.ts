import type { Storefront } from '../storefront.js';
import { defineElements, GRID_TAG, PRODUCT_TAG } from './define-elements.js';
import { checkMountOptions, type MountOptions } from './mount-options.js';
import { defined } from '../events.js';

export type { MountOptions };

type WidgetElement = HTMLElement & { store: Storefront | undefined };

/**
 * Renders a view into `element` (appended, the element's own content is left alone) and returns
 * the function that removes it again. The widgets are the custom elements, bound to `store`.
 */
export function mount(store: Storefront, element: Element, options: MountOptions): () => void {
  const o = checkMountOptions(element, options);
  defineElements(store);
  const created =
    o.view === 'product'
      ? // checkMountOptions() refuses a product view without ids.
        o.ids!.map((id) => widget(PRODUCT_TAG, store, { 'product-id': id }))
      : [widget(GRID_TAG, store, defined({ ids: o.ids, limit: o.limit, offset: o.offset, category: o.category }))];
  element.append(...created);
  return () => created.forEach((node) => node.remove());
}

function widget(tag: string, store: Storefront, attributes: Record<string, unknown>): WidgetElement {
  const node = document.createElement(tag) as WidgetElement;
  // String(): a number in digits, the ids comma-separated (an array's own toString()).
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.store = store;
  return node;
}
