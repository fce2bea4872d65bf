import type { Assets } from '../assets/assets.js';
import { loadClassicFile } from '../assets/classic-file.js';
import type { CartModule } from './cart-module.js';

/**
 * Script-tag build: the cart is its own file, dist/vitrine-cart.js (src/ui/cart.classic.ts, which sets
 * `VitrineCart`), loaded through the CDN→origin fallback on the cart's first use.
 */
export function createCartLoader(assets: Assets): () => Promise<CartModule> {
  return () => loadClassicFile(assets.script, 'cart');
}
