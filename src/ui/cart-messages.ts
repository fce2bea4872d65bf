import type { Storefront } from '../storefront.js';
import { EN_BUY, EN_CART } from '../i18n/en-cart.js';
import { extend } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/** The cart's English, the last fallback under the shopper's language and the `messages` overrides. */
export const CART_ENGLISH = { ...EN_BUY, ...EN_CART };

const loaded = new WeakMap<Storefront, Promise<Messages>>();

/** The storefront's messages with the cart's English under them, once per storefront (never rejects). */
export function cartMessages(store: Storefront): Promise<Messages> {
  let m = loaded.get(store);
  if (!m) loaded.set(store, (m = store.messages().then((base) => extend(base, CART_ENGLISH))));
  return m;
}

/** The host speaks the shopper's language: `lang` for screen readers and hyphenation, `dir` for Arabic and Hebrew. */
export function speak(host: HTMLElement, m: Messages): void {
  host.lang = m.locale;
  host.dir = m.dir;
}
