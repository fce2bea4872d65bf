import { parseCheckout, type CheckoutOption } from './checkout.js';

/**
 * ESM builds: the `checkout` option is checked in full when the storefront is created
 * (INVALID_OPTIONS, field `checkout`) and kept as given (the cart builds its links from it). The
 * script-tag build swaps this module for load-checkout.classic.ts.
 */
export const checkCheckout = (option: unknown): CheckoutOption | undefined => (parseCheckout(option), option as CheckoutOption | undefined);
