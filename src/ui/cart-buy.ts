import type { Product } from '../data/schema.js';
import type { Storefront } from '../storefront.js';
import { el } from './card.js';
import { adoptCartStyles } from './cart-styles.js';
import { format } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/** Fires (bubbling, composed) when "Add to cart" fails; `detail.error` is the VitrineError. */
export const CART_ERROR_EVENT = 'vitrine-cart-error';

/** How long a refusal stays on its card (the status node has announced it already). */
const REFUSAL_MS = 6000;

/** The message key that tells the shopper why the cart refused a change. */
export function refusalKey(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'CART_FULL'
    ? 'cart.full'
    : code === 'INVALID_QUANTITY'
      ? 'cart.badQuantity'
      : code === 'CURRENCY_MISMATCH'
        ? 'cart.currency'
        : code === 'UNKNOWN_PRODUCT' || code === 'UNKNOWN_VARIANT' || code === 'NOT_FOUND'
          ? 'cart.unavailable'
          : 'cart.failed';
}

/**
 * Fills a card's buy row (held empty at its final height by the critical bundle): a variant choice
 * when the product has variants, and "Add to cart". Lazy, with the rest of the cart.
 */
export function fillBuy(row: HTMLElement, product: Product, store: Pick<Storefront, 'cart'>, m: Messages): void {
  if (!row.isConnected || row.childElementCount) return;
  adoptCartStyles(row.getRootNode());
  const variants = product.variants ?? [];
  const button = el('button', 'add', m.t('cart.add'));
  button.type = 'button';
  let select: HTMLSelectElement | undefined;
  if (variants.length) {
    select = el('select', 'variant');
    select.setAttribute('aria-label', format(m, 'cart.optionFor', { name: product.name }));
    for (const variant of variants) {
      const option = el('option', 'option', variant.name);
      option.value = variant.id;
      option.disabled = !variant.inStock;
      select.append(option);
    }
    // The first one in stock, so the button adds something buyable.
    const buyable = variants.find((v) => v.inStock);
    if (buyable) select.value = buyable.id;
    row.append(select);
  }
  button.disabled = !product.inStock || (variants.length > 0 && !variants.some((v) => v.inStock));
  // The product's name in the accessible name: a page of cards has many "Add to cart" buttons.
  button.setAttribute('aria-label', format(m, 'cart.addFor', { name: product.name }));
  let shown: { note: HTMLElement; timer: ReturnType<typeof setTimeout> } | undefined;
  const clear = () => {
    if (!shown) return;
    clearTimeout(shown.timer);
    shown.note.remove();
    shown = undefined;
  };
  button.addEventListener('click', () => {
    clear();
    store.cart.add(product.id, 1, select?.value).catch((error: unknown) => {
      // A refusal (CART_FULL, a second currency, …) is said on the card for the eyes, over the card's
      // text so nothing moves, and as a DOM event the status node announces (merchants can listen too).
      // aria-hidden: the status node speaks it; read twice it would be noise.
      clear();
      const note = el('p', 'refusal', m.t(refusalKey(error)));
      note.setAttribute('aria-hidden', 'true');
      row.append(note);
      shown = { note, timer: setTimeout(clear, REFUSAL_MS) };
      row.dispatchEvent(new CustomEvent(CART_ERROR_EVENT, { bubbles: true, composed: true, detail: { error } }));
    });
  });
  row.append(button);
}
