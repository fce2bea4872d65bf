/**
 * `<vitrine-cart>` placed before any storefront exists (a badge in the page's header, the tag at the
 * end of the body): it waits, then mounts its badge once the storefront arrives, and only then.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Storefront } from '../../src/index.js';
import { defineElements } from '../../src/ui/define-elements.js';
import { backendStore } from '../helpers/browser-backend.js';

let store: Storefront | undefined;
afterEach(() => {
  store?.destroy();
  document.body.replaceChildren();
});

const tick = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<vitrine-cart> before its storefront', () => {
  it('mounts its badge when the storefront comes, and a later defineElements() (each mount() calls it) leaves the badge, and the focus on it, alone', async () => {
    defineElements();
    const cart = document.createElement('vitrine-cart');
    document.body.append(cart);
    store = backendStore('cart-element', { checkout: 'https://shop.vitrine.test/cart/{lines}' });
    defineElements(store);
    await vi.waitFor(() => expect(cart.shadowRoot!.querySelector('.badge')).not.toBeNull(), { timeout: 5000 });
    const badge = cart.shadowRoot!.querySelector<HTMLButtonElement>('.badge')!;
    badge.focus();
    expect(cart.shadowRoot!.activeElement).toBe(badge);

    defineElements(store);
    await tick();
    // Re-mounting would replace the button under the shopper's focus.
    expect(cart.shadowRoot!.querySelector('.badge')).toBe(badge);
    expect(cart.shadowRoot!.activeElement).toBe(badge);
  });
});
