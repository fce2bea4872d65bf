import { createStorefront, type Storefront, type StorefrontOptions } from '../../src/index.js';
import { mount } from '../../src/ui/mount.js';
import type { ConsoleSettings } from './settings.js';

export interface StorefrontView {
  store: Storefront;
  destroy(): void;
}

/**
 * One reproduced page view: a new storefront and the live grid widget. No product cache is kept
 * between views, and on the simulated store each view's image URLs carry a view token so the
 * browser's HTTP cache cannot hide what the CDN answers now (its faults match on the path alone).
 */
export function startStorefrontView(host: Element, settings: ConsoleSettings, viewToken: string, before: (store: Storefront) => void): StorefrontView {
  const options: StorefrontOptions = {
    storeId: settings.storeId,
    api: settings.api,
    cdn: settings.cdn,
    origin: settings.origin,
    ...(settings.apiOrigin ? { apiOrigin: settings.apiOrigin } : {}),
    cache: { persist: false, dbName: 'vitrine-console' },
    ...(settings.collector ? { collector: settings.collector } : {}),
    ...(settings.simulated ? { images: { template: `{base}/images/{storeId}/{key}/{width}.webp?view=${encodeURIComponent(viewToken)}` } } : {}),
  };
  const store = createStorefront(options);
  // Subscribers first: the first request is made as soon as the grid connects.
  before(store);
  const unmount = mount(store, host, { view: 'grid', limit: settings.limit, ...(settings.category ? { category: settings.category } : {}) });
  return {
    store,
    destroy() {
      unmount();
      store.destroy();
    },
  };
}
