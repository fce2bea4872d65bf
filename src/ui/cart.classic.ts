import * as mod from './cart-module.js';
import type { CartModule } from './cart-module.js';

/** Entry of dist/vitrine-cart.js for the script tag: defines the global load-cart.classic.ts reads. */
(globalThis as { VitrineCart?: CartModule }).VitrineCart = mod;
