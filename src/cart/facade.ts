import { VitrineError, messageOf, report } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Cart, CartSnapshot } from './types.js';

export type CartFacade<M> = Cart & {
  /** Internal: the loaded cart file (the badge, buy rows and drawer come with it). */
  _module(): Promise<M>;
  /** Internal, for destroy(): closes the cart's database, channel and listeners if it loaded. */
  _close(): void;
};

/**
 * `store.cart` as the critical bundle holds it: a few hundred bytes that load the cart's code on
 * first use and then delegate to it. Until then it answers from the synchronous hint (the count),
 * so a page that never uses the cart never downloads it. `signal` is the storefront's lifetime.
 */
export function createCartFacade<M>(
  module: () => Promise<M>,
  create: (module: M) => Cart & { close(): void },
  bus: EventBus,
  hintCount: () => number,
  signal: AbortSignal,
): CartFacade<M> {
  let real: (Cart & { close(): void }) | undefined;
  let loading: Promise<M> | undefined;
  const loaded = (): Promise<M> =>
    (loading ??= module().then(
      (m) => {
        try {
          real = create(m);
        } catch (error) {
          // A checkout template the script-tag build left to the cart's file to check (INVALID_OPTIONS):
          // said once, on the console and the bus; the cart stays off, the page as it was.
          report(error);
          throw error;
        }
        return m;
      },
      (error: unknown) => {
        // A file that failed on both hosts is tried again on the next use, not remembered as failed.
        loading = undefined;
        bus.emit('error', { code: 'NETWORK', message: `[vitrine] the cart did not load: ${messageOf(error)}` });
        throw error;
      },
    ));
  const snapshot = (): CartSnapshot => real?.snapshot ?? { lines: [], count: hintCount(), subtotal: undefined, confirmed: false, revision: 0, persistent: true };
  const facade = {
    get ready() {
      return loaded().then(() => real!.ready);
    },
    get snapshot() {
      return snapshot();
    },
    get lines() {
      return snapshot().lines;
    },
    get subtotal() {
      return snapshot().subtotal;
    },
    get count() {
      return snapshot().count;
    },
    checkout() {
      // After destroy() the cart's code would refuse it, ABORTED with the storefront's reason, as it
      // refuses every other call then: so does this, loaded or not (never "await ready").
      if (!real) throw signal.reason ?? new VitrineError('CART_NOT_READY', 'The cart has not loaded yet: await store.cart.ready before checkout()');
      return real.checkout();
    },
    on: (_name: 'cart', listener: Parameters<Cart['on']>[1]) => bus.on('cart', listener),
    _module: loaded,
    _close: () => real?.close(),
  } as CartFacade<M>;
  for (const name of ['add', 'setQuantity', 'remove', 'clear', 'reprice'] as const) {
    (facade as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => loaded().then(() => (real![name] as (...a: unknown[]) => Promise<CartSnapshot>)(...args));
  }
  return facade;
}
