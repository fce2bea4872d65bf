import type { Assets } from '../assets/assets.js';
import type { CartModule } from './cart-module.js';

/**
 * ESM builds: the cart's code is a separate chunk, fetched by the bundler's dynamic import on the
 * cart's first use. (The classic-script build swaps this module for load-cart.classic.ts.)
 */
export function createCartLoader(_assets: Assets): () => Promise<CartModule> {
  return () => import('./cart-module.js');
}
