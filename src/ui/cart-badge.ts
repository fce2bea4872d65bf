import type { Storefront } from '../storefront.js';
import { el } from './card.js';
import { adoptCartStyles } from './cart-styles.js';
import { openDrawer } from './cart-drawer.js';
import { format } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { speak } from './cart-messages.js';

const badges = new WeakMap<HTMLElement, () => void>();

/**
 * The `<vitrine-cart>` badge: a button whose accessible name carries the count ("Cart, 3 items",
 * at 0 too), updated on every `cart` event (this tab's or another's), opening the drawer. Lazy.
 */
export function mountBadge(host: HTMLElement, store: Storefront, m: Messages): void {
  badges.get(host)?.();
  const root = host.shadowRoot!;
  adoptCartStyles(root);
  speak(host, m);
  const button = el('button', 'badge', m.t('cart.label'));
  const count = el('span', 'count');
  button.type = 'button';
  // 'Cart 3' on screen, 'Cart, 3 items' to assistive technology: the visible text stays inside the name.
  button.append(' ', count);
  const show = (n: number) => {
    count.textContent = n.toLocaleString(m.locale);
    button.setAttribute('aria-label', format(m, 'cart.badge', { count: n }));
  };
  show(store.cart.count);
  button.addEventListener('click', () => openDrawer(host, store, m));
  root.replaceChildren(button);
  badges.set(
    host,
    store.on('cart', (e) => {
      show(e.snapshot.count);
      // Opt-in: <vitrine-cart open-on-add> opens the drawer after this tab's "Add to cart".
      if (e.change === 'add' && e.source === 'this-tab' && host.hasAttribute('open-on-add') && host.isConnected) openDrawer(host, store, m);
    }),
  );
  void store.cart.ready.then(
    (s) => show(s.count),
    () => {},
  );
}
