import type { CheckoutOption } from './checkout.js';

/**
 * Script-tag build: the full check (a kilobyte of URL rules) would sit in vitrine.js for every
 * store, selling or not. It runs in the cart's file instead, which a store with a checkout loads
 * with its first card: createCart() parses the option and refuses a bad template with the same
 * INVALID_OPTIONS (field `checkout`), reported as one console line; no buy row or link is ever
 * rendered from it.
 */
export const checkCheckout = (option: unknown): CheckoutOption | undefined => option as CheckoutOption | undefined;
