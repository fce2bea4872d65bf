import type { EventBus } from '../events.js';
import type { CartEvent } from '../cart/types.js';
import { messageOf } from '../errors.js';
import { CART_ERROR_EVENT } from './cart-buy.js';

/** Fires on `document` after every committed cart change, `detail` being the CartEvent (with its `source`: this tab or another). */
export const CART_CHANGE_EVENT = 'vitrine-cart-change';

let status: HTMLElement | undefined;

/**
 * One visually hidden `role="status"` node in the light DOM for every announcement: Chromium does
 * not reliably announce live regions inside shadow roots.
 */
export function announce(text: string): void {
  if (!status || !status.isConnected) {
    status = document.createElement('div');
    status.setAttribute('role', 'status');
    status.setAttribute('data-vitrine-status', '');
    // Visually hidden, still read: the clip pattern, set through the CSSOM (a strict style-src forbids style attributes, not this).
    Object.assign(status.style, { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', margin: '-1px', padding: '0', border: '0' });
    document.body.append(status);
  }
  status.textContent = text;
}

const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;

/** What a screen reader hears for a change: "Added 2 × Linen shirt. Cart: 3 items." */
export function describeChange(e: CartEvent): string | undefined {
  const count = `Cart: ${items(e.snapshot.count)}.`;
  if (e.source === 'other-tab') return e.change === 'reprice' || e.change === 'load' ? undefined : `Cart updated in another tab. ${count}`;
  const line = e.snapshot.lines.find((l) => l.productId === e.productId && l.variantId === e.variantId);
  const name = line?.name || e.productId || '';
  switch (e.change) {
    case 'add':
      return `Added ${e.quantity ?? 1} × ${name}. ${count}`;
    case 'set':
      return `${name}: quantity ${e.quantity}. ${count}`;
    case 'remove':
      return `Removed ${name}. ${count}`;
    case 'clear':
      return `Cart emptied.`;
    default:
      return undefined;
  }
}

/** A refused change, in the shopper's words (the developer's message goes to the console). */
export function refusal(error: unknown): string {
  console.error('[vitrine] cart:', messageOf(error).replace(/^\[vitrine\] /, ''));
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'CART_FULL'
    ? 'Your cart is full.'
    : code === 'INVALID_QUANTITY'
      ? 'That quantity is not available.'
      : code === 'UNKNOWN_PRODUCT' || code === 'UNKNOWN_VARIANT' || code === 'NOT_FOUND'
        ? 'This product is no longer available.'
        : 'The cart could not be updated. Please try again.';
}

let installed = false;

/** Announces cart changes and refusals, and re-dispatches each change as a DOM event. Once per page. */
export function announceChanges(bus: EventBus, signal?: AbortSignal): void {
  if (installed) return;
  installed = true;
  const off = bus.on('cart', (e) => {
    const text = describeChange(e);
    if (text) announce(text);
    document.dispatchEvent(new CustomEvent<CartEvent>(CART_CHANGE_EVENT, { detail: e }));
  });
  const onError = (e: Event) => announce(refusal((e as CustomEvent<{ error: unknown }>).detail.error));
  document.addEventListener(CART_ERROR_EVENT, onError);
  signal?.addEventListener('abort', () => {
    off();
    document.removeEventListener(CART_ERROR_EVENT, onError);
    installed = false;
  });
}
