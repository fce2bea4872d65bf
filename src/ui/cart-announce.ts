import type { EventBus } from '../events.js';
import type { CartEvent } from '../cart/types.js';
import { messageOf } from '../errors.js';
import { CART_ERROR_EVENT, refusalKey } from './cart-buy.js';
import { format } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/** Fires on `document` after every committed cart change, `detail` being the CartEvent (with its `source`: this tab or another). */
export const CART_CHANGE_EVENT = 'vitrine-cart-change';

let status: HTMLElement | undefined;

/**
 * One visually hidden `role="status"` node in the light DOM for every announcement: Chromium does
 * not reliably announce live regions inside shadow roots.
 */
export function announce(text: string): void {
  if (!status?.isConnected) {
    status = document.createElement('div');
    status.setAttribute('role', 'status');
    status.setAttribute('data-vitrine-status', '');
    // Visually hidden, still read: the clip pattern, set through the CSSOM (a strict style-src forbids style attributes, not this).
    Object.assign(status.style, {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clip: 'rect(0 0 0 0)',
      whiteSpace: 'nowrap',
      margin: '-1px',
      padding: '0',
      border: '0',
    });
    document.body.append(status);
  }
  status.textContent = text;
}

/** What a screen reader hears for a change: "Added 2 × Linen shirt. Cart: 3 items." */
export function describeChange(e: CartEvent, m: Messages): string | undefined {
  const count = e.snapshot.count;
  if (e.source === 'other-tab') return e.change === 'reprice' || e.change === 'load' ? undefined : m.t('cart.otherTab');
  const line = e.snapshot.lines.find((l) => l.productId === e.productId && l.variantId === e.variantId);
  const name = line?.name || e.productId || '';
  const params = { name, count, quantity: e.quantity ?? 1 };
  switch (e.change) {
    case 'add':
      return format(m, 'cart.added', params);
    case 'set':
      return format(m, 'cart.set', params);
    case 'remove':
      return format(m, 'cart.removed', params);
    case 'clear':
      return m.t('cart.cleared');
    default:
      return undefined;
  }
}

/** A refused change, in the shopper's words (the developer's message goes to the console). */
export function refusal(error: unknown, m: Messages): string {
  console.error('[vitrine] cart:', messageOf(error).replace(/^\[vitrine\] /, ''));
  return m.t(refusalKey(error));
}

let installed = false;

/** Announces cart changes and refusals, and re-dispatches each change as a DOM event. Once per page. */
export function announceChanges(bus: EventBus, messages: Promise<Messages>, signal?: AbortSignal): void {
  if (installed) return;
  installed = true;
  let m: Messages | undefined;
  void messages.then((loaded) => (m = loaded));
  const off = bus.on('cart', (e) => {
    const text = m && describeChange(e, m);
    if (text) announce(text);
    document.dispatchEvent(new CustomEvent<CartEvent>(CART_CHANGE_EVENT, { detail: e }));
  });
  const onError = (e: Event) => m && announce(refusal((e as CustomEvent<{ error: unknown }>).detail.error, m));
  document.addEventListener(CART_ERROR_EVENT, onError);
  signal?.addEventListener('abort', () => {
    off();
    document.removeEventListener(CART_ERROR_EVENT, onError);
    installed = false;
  });
}
