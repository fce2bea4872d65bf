/** The message table (README "Languages"): what src/ui, the cart and the storefront import. Imports only src/errors.ts from above. */
export { EN } from './en.js';
export { EN_BUY, EN_CART } from './en-cart.js';
export { EN_DEBUG } from './en-debug.js';
export { canonicalLocale, chooseLocale, isRtl, languageOf, LANGUAGES, type Language } from './locale.js';
export { createMessages, createMessagesLoader, LANGUAGE_WAIT_MS, type Messages, type MessageTable } from './messages.js';
export { extend, format, type MessageParams } from './format.js';
export { isMessageKey, unknownKeys } from './keys.js';
