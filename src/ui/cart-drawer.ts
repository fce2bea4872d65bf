import type { Storefront } from '../storefront.js';
import type { CartLine, CartSnapshot, CheckoutTarget, Money } from '../cart/types.js';
import { moneyParts } from '../cart/money.js';
import { el, isolatesCurrency, priceEl } from './card.js';
import { adoptCartStyles } from './cart-styles.js';
import { safeUrl } from './safe-url.js';
import { announce, refusal } from './cart-announce.js';
import { format } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/**
 * The cart drawer: a modal `<dialog>` in the badge's shadow root, opened with showModal() (focus
 * moves in, the page behind is inert, `Escape` closes natively), named by its heading, focus given
 * back to the badge on close. Lazy: it comes with the cart's file, on the badge's first click.
 *
 * Product data reaches the DOM only as text (el(), textContent): a hostile name stays a name.
 */
/**
 * A price inside a sentence ("Price changed: was {was}"): text, so the currency symbol of a string
 * Intl marks right to left is isolated with U+2068…U+2069, as priceEl() does with a <bdi>.
 */
const money = (value: Money | undefined, m: Messages) =>
  value ? moneyParts(value, m.locale).reduce((text, { type, value: v }, _, parts) => text + (type === 'currency' && isolatesCurrency(parts) ? `\u2068${v}\u2069` : v), '') : '';
const amount = (part: string, value: Money | undefined, m: Messages) => priceEl(part, value ? moneyParts(value, m.locale) : []);

function lineNote(line: CartLine, m: Messages): string {
  switch (line.status) {
    case 'changed':
      return format(m, 'cart.priceChanged', { was: money(line.previousUnitPrice, m) });
    case 'gone':
      return m.t('cart.unavailable');
    case 'out-of-stock':
      return m.t('cart.outOfStock');
    case 'other-currency':
      return m.t('cart.otherCurrency');
    case 'unconfirmed':
    case 'unknown':
      return m.t('cart.unconfirmed');
    default:
      return '';
  }
}

function renderLine(line: CartLine, store: Storefront, m: Messages): HTMLElement {
  const item = el('li', 'line');
  item.dataset['key'] = line.key;
  const thumb = el('span', 'thumb');
  if (line.product?.image) {
    const img = el('img', 'image');
    img.alt = '';
    // Through the assets loader: a blank CDN thumbnail falls back to the origin like every other image.
    void store.assets.image(img, line.product, 'smallThumbnail', { sizes: '64px' });
    thumb.append(img);
  }
  const href = line.product && safeUrl(line.product.url);
  const name = href ? el('a', 'name', line.name || line.productId) : el('span', 'name', line.name || line.productId);
  if (href) name.setAttribute('href', href);
  // The label holds the field only: a button inside a <label> would be a second labelable element.
  const qty = el('div', 'qty');
  const label = el('label', 'qty-label');
  const input = el('input', 'quantity');
  input.type = 'number';
  input.min = '1';
  input.max = '99';
  input.inputMode = 'numeric';
  input.value = String(line.quantity);
  input.setAttribute('aria-label', `${m.t('cart.quantity')}: ${line.name || line.productId}`);
  input.addEventListener('change', () => {
    const quantity = Number(input.value);
    const done = quantity === 0 ? store.cart.remove(line.productId, line.variantId) : store.cart.setQuantity(line.productId, quantity, line.variantId);
    // A refused quantity (not a whole number, over the limit) is announced and the field reset.
    done.catch((error: unknown) => {
      input.value = String(line.quantity);
      announce(refusal(error, m));
    });
  });
  const remove = el('button', 'remove', m.t('cart.remove'));
  remove.type = 'button';
  remove.setAttribute('aria-label', format(m, 'cart.removeFor', { name: line.name || line.productId }));
  remove.addEventListener('click', () => void store.cart.remove(line.productId, line.variantId).catch(() => {}));
  label.append(m.t('cart.quantity'), input);
  qty.append(label, remove);
  item.append(thumb, name, amount('price', line.unitPrice, m), amount('total', line.lineTotal, m));
  const note = lineNote(line, m);
  if (note) item.append(el('span', 'note', note));
  item.append(qty);
  return item;
}

function renderCheckout(snapshot: CartSnapshot, store: Storefront, m: Messages): HTMLElement {
  let target: CheckoutTarget | undefined;
  try {
    target = store.cart.checkout();
  } catch {
    // No checkout configured (or an empty cart): no button.
  }
  const waiting = !snapshot.confirmed;
  if (target?.method === 'POST') {
    const form = el('form', 'checkout-form');
    form.method = 'post';
    form.action = target.action;
    for (const [name, value] of target.fields) {
      const field = el('input', 'field');
      field.type = 'hidden';
      field.name = name;
      field.value = value;
      form.append(field);
    }
    const submit = el('button', 'checkout', m.t('cart.checkout'));
    submit.type = 'submit';
    submit.disabled = waiting;
    form.append(submit);
    return form;
  }
  const link = el('a', 'checkout', m.t('cart.checkout'));
  // A real link in the same tab: middle-click and keyboard work, no pop-up blocker is involved.
  if (target && !waiting) link.setAttribute('href', target.href);
  else link.setAttribute('aria-disabled', 'true');
  return link;
}

function render(dialog: HTMLDialogElement, store: Storefront, snapshot: CartSnapshot, m: Messages): void {
  const box = el('div', 'drawer');
  const head = el('div', 'head');
  const title = el('h2', 'title', m.t('cart.title'));
  title.id = 'vitrine-cart-title';
  const close = el('button', 'close', m.t('cart.close'));
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  head.append(title, close);
  box.append(head);
  if (!snapshot.lines.length) {
    box.append(el('p', 'empty', m.t('cart.empty')));
  } else {
    const list = el('ul', 'lines');
    for (const line of snapshot.lines) list.append(renderLine(line, store, m));
    const foot = el('div', 'foot');
    const sum = el('div', 'sum');
    sum.append(el('span', 'label', m.t('cart.subtotal')), amount('amount', snapshot.subtotal, m));
    foot.append(sum);
    if (!snapshot.confirmed) foot.append(el('p', 'wait', m.t('cart.checkoutWaits')));
    foot.append(renderCheckout(snapshot, store, m));
    box.append(list, foot);
  }
  if (!snapshot.persistent) box.append(el('p', 'memory', m.t('cart.notKept')));
  // Re-rendering keeps the focused control's place: the same line's same control gets focus back.
  const active = dialog.getRootNode() instanceof ShadowRoot ? ((dialog.getRootNode() as ShadowRoot).activeElement as HTMLElement | null) : null;
  const key = active?.closest<HTMLElement>('.line')?.dataset['key'];
  const part = active?.className;
  dialog.replaceChildren(box);
  const again = key ? box.querySelector<HTMLElement>(`.line[data-key="${CSS.escape(key)}"] .${part}`) : part ? box.querySelector<HTMLElement>(`.${part}`) : null;
  again?.focus();
}

const drawers = new WeakMap<HTMLElement, HTMLDialogElement>();
/** What had focus when each drawer opened (the badge, or a card's "Add to cart"): focus goes back there. */
const openers = new WeakMap<HTMLDialogElement, HTMLElement>();

/** The focused element, inside shadow roots too. */
function focused(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Opens the drawer of a `<vitrine-cart>` host (created on first open), re-rendered on every cart
 * change while open. It opens on the badge's click, and on this tab's adds when the host has
 * `open-on-add` (not by default: a shopper adding several things is not interrupted).
 */
export function openDrawer(host: HTMLElement, store: Storefront, m: Messages): void {
  const root = host.shadowRoot!;
  adoptCartStyles(root);
  let dialog = drawers.get(host);
  if (!dialog) {
    dialog = el('dialog', 'dialog');
    dialog.setAttribute('aria-labelledby', 'vitrine-cart-title');
    const opened = dialog;
    // For the page's life (store.destroy() clears the bus): the drawer is created once per badge.
    store.on('cart', (e) => opened.open && render(opened, store, e.snapshot, m));
    // showModal() gives focus to the dialog's first focusable control; close() gives it back to
    // what had it before (the badge, or the card's button when the drawer opened on add), or to the
    // badge when that is gone. Said explicitly: not every engine restores it into a shadow root.
    dialog.addEventListener('close', () => {
      const back = openers.get(opened);
      (back?.isConnected ? back : root.querySelector<HTMLElement>('.badge'))?.focus();
    });
    drawers.set(host, dialog);
  }
  if (!dialog.isConnected) root.append(dialog);
  render(dialog, store, store.cart.snapshot, m);
  if (!dialog.open) {
    const opener = focused();
    if (opener) openers.set(dialog, opener);
    dialog.showModal();
  }
  // Prices confirmed now (through the page's batcher and cache: 0 requests when fresh).
  void store.cart.reprice().catch(() => {});
}
