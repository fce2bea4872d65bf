import { isVitrineError, unprefixed, type VitrineError } from '../errors.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';
import { chooseLocale, isRtl } from '../i18n/locale.js';
import { renderStatus } from './card.js';
import { adoptStyles } from './styles.js';

/** Where an element finds its storefront when none was given to it (the embed tag's, or `defineElements(store)`). */
export interface StoreSource {
  fallback: Storefront | undefined;
  /** Elements connected before any storefront exists wait here. */
  waiting: Set<{ refresh(): void }>;
}

/**
 * `store` when it is usable; otherwise undefined, and `element` waits in `source.waiting` until
 * defineElements() brings a storefront and refreshes it. An element with its storefront leaves the
 * list, so later defineElements() calls (each mount() makes one) do not render it again.
 */
export function storeOrWait(source: StoreSource, element: { refresh(): void }, store: Storefront | undefined): Storefront | undefined {
  if (!store || store.destroyed) {
    source.waiting.add(element);
    return undefined;
  }
  source.waiting.delete(element);
  return store;
}

/** Fires on the host (bubbling out of the shadow root) once products are on screen. */
export const RENDERED_EVENT = 'vitrine-rendered';
/**
 * Fires on the host when it shows its error state: when the lookup failed, or at the latest
 * `timeoutMs` after the load started while a retry still runs (`detail.pending`: it may yet fill).
 */
export const ERROR_EVENT = 'vitrine-error';

const FIRST_PRODUCT = 'vitrine:first-product';

let parsed: Promise<void> | undefined;
/**
 * Resolves once the HTML is parsed. Elements the parser creates one by one may connect in separate
 * tasks; waiting for the whole document lets all their lookups share one batched request.
 */
export function documentParsed(): Promise<void> {
  // Resolved with the event itself, which nobody reads.
  return (parsed ??= new Promise((resolve) =>
    document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', resolve as () => void, { once: true }) : resolve(),
  ));
}

/**
 * The lifecycle both widgets share: a shadow root with the adopted sheet, a storefront to read
 * from, one load per connection or attribute change (the previous one aborted), and error/empty
 * states. Created in a function so `HTMLElement` is only touched when elements are defined.
 *
 * Language: the products and the shopper's messages (`store.messages()`, a lazy file for a language
 * other than English) load in parallel, and nothing but the skeleton shows until both are there, so
 * a German page never shows English first. The host gets the locale's `lang` and `dir`.
 */
export function createWidgetBase(source: StoreSource) {
  abstract class VitrineWidget extends HTMLElement {
    // Internal. Not #private (ES2020 output would add WeakMap helpers) nor TS `private` (an exported
    // class expression cannot have private members in its declaration).
    _store: Storefront | undefined;
    _run: AbortController | undefined;
    // No initializer: a class field would cost the bundle a constructor; undefined reads as not yet.
    _painted: boolean | undefined;

    get store(): Storefront | undefined {
      return this._store ?? source.fallback;
    }
    set store(store: Storefront | undefined) {
      this._store = store;
      this.refresh();
    }

    connectedCallback(): void {
      this.refresh();
    }
    disconnectedCallback(): void {
      // An aborted run stays: refresh() aborts it again, a no-op.
      this._run?.abort();
      source.waiting.delete(this);
    }
    attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
      if (before !== after) this.refresh();
    }

    /** (Re)loads and renders; never throws into the page. */
    refresh(): void {
      if (!this.isConnected) return;
      this._run?.abort();
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      adoptStyles(root);
      // At its final size at once, even while it waits for a storefront (a bare tag before the configured one).
      root.replaceChildren(this.skeleton());
      const store = storeOrWait(source, this, this.store);
      if (!store) return;
      const run = (this._run = new AbortController());
      // The locale's direction now, not when its table arrives: an Arabic skeleton laid out left to
      // right would jump sideways when the table flips it (CLS 0.69 on the 24-product grid).
      const locale = chooseLocale(store.options.locale);
      this.lang = locale;
      this.dir = isRtl(locale) ? 'rtl' : 'ltr';
      // Never rejects: a language file that did not come in time gives English.
      const messages = store.messages();
      let failed = false;
      const fail = (error: unknown, pending: boolean) =>
        messages.then((m) => {
          if (run.signal.aborted) return;
          // A failure no retry can mend, else undefined (retryable: "Try again"). Only `<vitrine-product>`'s lookup
          // fails with NOT_FOUND (the grid drops an unknown id's card and goes on), so "not available" is that product's.
          const fatal = isVitrineError(error, 'INVALID_OPTIONS') ? 'misconfigured' : isVitrineError(error, 'NOT_FOUND') ? 'notAvailable' : undefined;
          // The deadline already shows the same retryable error state: keep it (and the shopper's focus).
          if (!failed || fatal) root.replaceChildren(renderStatus(m, fatal ?? 'loadFailed', fatal ? undefined : () => this.refresh()));
          failed = true;
          this.dispatchEvent(new CustomEvent(ERROR_EVENT, { bubbles: true, composed: true, detail: { pending } }));
        });
      // Whatever the retries cost, the shopper sees an error with "Try again" within one timeout; a
      // retry that still succeeds in the background fills the widget then.
      const deadline = setTimeout(fail, store.options.timeoutMs, undefined, true);
      void Promise.all([messages, this.render(store, run.signal)])
        .then(([m, build]) => {
          if (run.signal.aborted) return;
          root.replaceChildren(build(m));
          if (this._painted) return;
          this._painted = true;
          // The page's first product paint, once (custom elements imply the User Timing API).
          requestAnimationFrame(() => performance.getEntriesByName(FIRST_PRODUCT).length || performance.mark(FIRST_PRODUCT));
          this.dispatchEvent(new CustomEvent(RENDERED_EVENT, { bubbles: true, composed: true }));
        })
        .catch((error: unknown) => {
          if (run.signal.aborted) return;
          if (isVitrineError(error, 'INVALID_OPTIONS')) console.error(`[vitrine] <${this.localName}>: ${unprefixed(error)}`);
          // A load that failed (the API down, a bad answer) is the shopper's "Try again", and the
          // merchant's one console line with its code: the bus events alone reach no one on a script-tag page.
          else warnOnce(`[vitrine] <${this.localName}>: ${(error as VitrineError)?.code ?? 'NETWORK'}: ${unprefixed(error)}`);
          return fail(error, false);
        })
        .finally(() => clearTimeout(deadline));
    }

    /** The content to show while loading, at its final size. */
    abstract skeleton(): Node;
    /**
     * Loads the content and resolves to what builds it in the shopper's language (called once the
     * messages are there too, right before it replaces the skeleton); rejects to show the error state.
     */
    abstract render(store: Storefront, signal: AbortSignal): Promise<(m: Messages) => Node>;
  }
  return VitrineWidget;
}

export type VitrineWidgetClass = ReturnType<typeof createWidgetBase>;

const warned = new Set<string>();
/** Eight embeds failing on one request say so once. */
const warnOnce = (line: string) => warned.has(line) || (warned.add(line), console.warn(line));
