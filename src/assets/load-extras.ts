import type { AssetExtras } from './extras.js';

/**
 * ESM builds: the style and JSON loaders are a separate chunk, fetched by the bundler's dynamic import.
 * (The classic-script build swaps this module for load-extras.classic.ts.)
 */
export function createExtrasLoader(_script: (path: string) => Promise<unknown>): () => Promise<AssetExtras> {
  return () => import('./extras.js').then((m) => m.extras);
}
