import { createStorefront } from 'vitrine';
import { defineElements } from 'vitrine/ui';

/**
 * One storefront for the app, created once at module load (not in a component: a render must not
 * create one). The URLs come from the build's environment (VITE_VITRINE_*: examples/run.ts sets
 * them to the simulated store); in your app they are your store's.
 */
export const store = createStorefront({
  storeId: import.meta.env.VITE_VITRINE_STORE_ID ?? '1003',
  api: import.meta.env.VITE_VITRINE_API,
  cdn: import.meta.env.VITE_VITRINE_CDN,
  origin: import.meta.env.VITE_VITRINE_ORIGIN,
});

// <vitrine-grid> and <vitrine-product> without a `store` property use this one.
defineElements(store);
