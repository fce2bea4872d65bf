/**
 * Types only (nothing here reaches dist/*.js): the public shape of `<vitrine-grid>`,
 * `<vitrine-product>` and `<vitrine-cart>` for TypeScript, `document.querySelector('vitrine-grid')` and the framework
 * entries (`vitrine/react`, `vitrine/preact`, `vitrine/vue`). Names match grid-element.ts,
 * product-element.ts and widget-base.ts (RENDERED_EVENT, ERROR_EVENT).
 */
import type { Storefront } from '../storefront.js';
import type { CartEvent } from '../cart/types.js';
import type { VitrineError } from '../errors.js';

/** `detail` of `vitrine-cart-error`: why "Add to cart" was refused (CART_FULL, INVALID_QUANTITY, a cart file that did not load, …). */
export interface VitrineCartErrorDetail {
  error: VitrineError | Error;
}

/** `detail` of `vitrine-error`: `pending` when a retry still runs and the widget may yet fill. */
export interface VitrineErrorDetail {
  pending: boolean;
}

/** The events both elements fire on themselves (bubbling and composed). */
export interface VitrineElementEventMap extends HTMLElementEventMap {
  /** Products are on screen (once per element). Dispatched without a detail: `detail` is `null`. */
  'vitrine-rendered': CustomEvent<null>;
  /** The element shows its error state. */
  'vitrine-error': CustomEvent<VitrineErrorDetail>;
  /** "Add to cart" on one of its cards was refused (stores with a checkout). */
  'vitrine-cart-error': CustomEvent<VitrineCartErrorDetail>;
}

/** What both elements have beyond HTMLElement. */
export interface VitrineWidgetElement extends HTMLElement {
  /** The storefront it reads from; without one, the embed tag's or `defineElements(store)`'s. Setting it reloads. */
  store: Storefront | undefined;
  /** Reloads and renders; never throws. */
  refresh(): void;
  addEventListener<K extends keyof VitrineElementEventMap>(
    type: K,
    listener: (this: this, event: VitrineElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof VitrineElementEventMap>(
    type: K,
    listener: (this: this, event: VitrineElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** `<vitrine-grid>`. */
export interface VitrineGridElement extends VitrineWidgetElement {
  /** The `limit` attribute as a number (24 when absent). */
  readonly limit: number;
}

/** `<vitrine-product>`. */
export interface VitrineProductElement extends VitrineWidgetElement {}

/** `<vitrine-cart>`: the cart badge (its count in its accessible name) that opens the cart drawer. */
export interface VitrineCartElement extends HTMLElement {
  /** Renders again (after the storefront changed); never throws. */
  refresh(): void;
}

/** Attributes of `<vitrine-cart>` (it shows the page storefront's cart). */
export interface VitrineCartAttributes {
  /** Open the drawer after each "Add to cart" in this tab (off by default); focus returns to the button after. */
  'open-on-add'?: boolean | '' | undefined;
}

/** Attributes of `<vitrine-grid>` (strings in HTML; numbers are written as their decimal string). */
export interface VitrineGridAttributes {
  /** Products per page, a whole number (default 24). */
  limit?: string | number | undefined;
  /** Products to skip, a whole number (default 0). */
  offset?: string | number | undefined;
  category?: string | undefined;
  /** Comma-separated product ids; when set, these products instead of a catalogue page. */
  ids?: string | undefined;
  /** A property, not an attribute: the storefront this element reads from. */
  store?: Storefront | undefined;
}

/** Attributes of `<vitrine-product>`. */
export interface VitrineProductAttributes {
  'product-id'?: string | undefined;
  /** A property, not an attribute: the storefront this element reads from. */
  store?: Storefront | undefined;
}

/**
 * Event props for JSX runtimes that add a listener for `on<event-name>` on custom elements
 * (React 19 and Preact): `onvitrine-rendered`, `onvitrine-error`.
 */
export interface VitrineJsxEventProps {
  'onvitrine-rendered'?: ((event: VitrineElementEventMap['vitrine-rendered']) => void) | undefined;
  'onvitrine-error'?: ((event: VitrineElementEventMap['vitrine-error']) => void) | undefined;
  'onvitrine-cart-error'?: ((event: VitrineElementEventMap['vitrine-cart-error']) => void) | undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-grid': VitrineGridElement;
    'vitrine-product': VitrineProductElement;
    'vitrine-cart': VitrineCartElement;
  }
  interface DocumentEventMap {
    /** Every committed cart change, this tab's or another's (`detail.source`), once the cart has loaded. */
    'vitrine-cart-change': CustomEvent<CartEvent>;
  }
}
