/**
 * The script tag's attributes and the storefront options it reads from them: shared by the tag
 * (embed.ts) and the debug overlay's setup check (ui/debug-setup.ts), which must read a tag exactly
 * as the tag did to say which settings were not the ones in use.
 */
import type { StorefrontOptions } from './config.js';

/** The attribute of an option: `apiOrigin` → `data-api-origin` (the dataset's own mapping, reversed). */
export const attributeOf = (option: string) => `data-${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A bad attribute: only its message is ever shown (one console line, the overlay's Setup section). */
export const attributeError = (attribute: string, text: string) => new Error(`<script ${attribute}>: ${text}`);

/** The options given as plain strings: the four bases (required) first, then the optional ones. */
const STRING_OPTIONS = ['storeId', 'api', 'cdn', 'origin', 'apiOrigin', 'collector', 'release', 'locale'] as const;

/**
 * Every attribute the tag reads, as dataset keys: readOptions' and embed.ts readView's, target
 * and debug. Only the overlay uses the list (a name near one of these is a typo).
 */
export const ATTRIBUTES: readonly string[] = [
  ...STRING_OPTIONS,
  'sampleRate',
  'checkPixels',
  'checkout',
  'checkoutMethod',
  'messages',
  'view',
  'ids',
  'limit',
  'offset',
  'category',
  'target',
  'debug',
];

export function readOptions(data: DOMStringMap): StorefrontOptions {
  const options: Partial<StorefrontOptions> = {};
  for (const [i, key] of STRING_OPTIONS.entries()) {
    // An empty optional attribute is as good as none.
    if (data[key]) options[key] = data[key];
    else if (i < 4) throw attributeError(attributeOf(key), 'is required');
  }
  // Decimal only (Number() reads "", "0x1" and "1e0" too): anything else reaches the options check
  // as the string it is, which refuses it by name (data-sample-rate).
  const rate = data['sampleRate'];
  if (rate !== undefined) options.sampleRate = /^\s*\d*\.?\d+\s*$/.test(rate) ? +rate : (rate as never);
  if (data['checkPixels'] !== undefined) options.assets = { checkPixels: data['checkPixels'] !== 'false' };
  // data-checkout: a link template with {lines}; with data-checkout-method="post", the form's URL.
  const checkout = data['checkout'];
  if (checkout) options.checkout = data['checkoutMethod']?.toUpperCase() === 'POST' ? { url: checkout, method: 'POST' } : checkout;
  const messages = data['messages'];
  if (messages) {
    try {
      options.messages = JSON.parse(messages);
    } catch {
      // Not JSON: left as the string, which the options check refuses by name (data-messages).
      (options as { messages: unknown }).messages = messages;
    }
  }
  return options as StorefrontOptions;
}

/** The page-wide key of a tag's storefront: two tags with the same store and API (a trailing / aside) share one. */
export const storefrontKey = (options: StorefrontOptions) => `${options.storeId}|${options.api.replace(/\/+$/, '')}`;
