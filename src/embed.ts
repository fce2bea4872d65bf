/**
 * The classic-script entry (dist/vitrine.js, global `Vitrine`). On load it reads its own `<script>`
 * tag's data-* attributes, creates (or reuses) the storefront, defines the custom elements and
 * renders the view into `data-target`. A bad attribute produces one console error naming it and
 * nothing else: the merchant's page is never thrown into.
 *
 * The only module with work at load, by design: it is the script tag's program, never imported by
 * the npm entries.
 */
import { createStorefront, type Storefront } from './storefront.js';
import { attributeError, attributeOf, readOptions, storefrontKey } from './embed-attributes.js';
import { isVitrineError, report, unprefixed, type VitrineError } from './errors.js';
import { defineElements } from './ui/define-elements.js';
import { mount } from './ui/mount.js';
import { WHOLE_NUMBER } from './ui/grid-element.js';
import { warmPriceFormat } from './ui/format.js';
import type { MountOptions } from './ui/mount-options.js';
import { debugRequested, loadDebugOverlay, loadSetupOverlay } from './ui/debug-overlay-loader.js';

export { createStorefront } from './storefront.js';
export { VitrineError, isVitrineError } from './errors.js';
export { defineElements } from './ui/define-elements.js';
export { mount } from './ui/mount.js';
export { safeUrl } from './ui/safe-url.js';
export { formatPrice } from './ui/format.js';
export { RENDERED_EVENT } from './ui/widget-base.js';

/** Page-wide (shared by every copy of the script): two tags for one store get one storefront. */
const REGISTRY = Symbol.for('vitrine.storefronts');
function registry(): Map<string, Storefront> {
  const g = globalThis as { [REGISTRY]?: Map<string, Storefront> };
  return (g[REGISTRY] ??= new Map());
}

/** The storefront a script tag created for this store (and API), for merchants who script the page. */
export function getStorefront(storeId: string, api?: string): Storefront | undefined {
  for (const [key, store] of registry()) if (!store.destroyed && (api === undefined ? key.startsWith(`${storeId}|`) : key === `${storeId}|${api}`)) return store;
  return undefined;
}

function readView(data: DOMStringMap): MountOptions {
  const view = data['view'] ?? 'grid';
  if (view !== 'grid' && view !== 'product') throw attributeError('data-view', `expected "grid" or "product", got ${JSON.stringify(view)}`);
  const options: MountOptions = { view };
  const ids = data['ids']
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids?.length) options.ids = ids;
  else if (view === 'product') throw attributeError('data-ids', 'expected product ids for data-view="product"');
  for (const key of ['limit', 'offset'] as const) {
    const raw = data[key];
    if (raw === undefined) continue;
    if (!WHOLE_NUMBER.test(raw)) throw attributeError(attributeOf(key), `expected a whole number, got ${JSON.stringify(raw)}`);
    options[key] = +raw;
  }
  if (data['category'] !== undefined) options.category = data['category'];
  return options;
}

function findTarget(selector: string): Element | null {
  try {
    return document.querySelector(selector);
  } catch {
    throw attributeError('data-target', `is not a valid CSS selector: ${JSON.stringify(selector)}`);
  }
}

/** Runs the tag's configuration; every failure ends as one console error. */
function boot(script: Element | null): void {
  try {
    if (!(script instanceof HTMLScriptElement)) return;
    const data = script.dataset;
    // A bare tag (no data-*) only provides window.Vitrine and the elements' definitions.
    if (!Object.keys(data).length) {
      defineElements();
      return;
    }
    performance.mark?.('vitrine:start');
    const options = readOptions(data);
    const selector = data['target'];
    const view = selector ? readView(data) : undefined;
    const key = storefrontKey(options);
    let store = registry().get(key);
    if (!store || store.destroyed) {
      try {
        store = createStorefront(options);
      } catch (error) {
        // Only a VitrineError names a field.
        const field = (error as VitrineError | undefined)?.field?.split('.');
        // A bad data-locale or data-messages costs the shopper their language, not the store: one
        // console error, and the widgets show English.
        if (!field || !/^(locale|messages)$/.test(field[0]!)) throw attributeError(field ? attributeOf(field.pop()!) : 'data-*', unprefixed(error));
        report(attributeError(attributeOf(field[0]!), unprefixed(error)));
        const { messages: _, ...rest } = options;
        store = createStorefront({ ...rest, locale: 'en' });
      }
      registry().set(key, store);
      primeFromPage(store);
      // Support's debug overlay: its own file, loaded only when asked for.
      if (debugRequested(script, location.search)) loadDebugOverlay(store);
    }
    defineElements(store);
    // The first currency formatter is the costly one: built now, in its own task, not in the first render's.
    setTimeout(warmPriceFormat, 0, store.options.locale);
    // A view is read only with a data-target.
    if (!view) return;
    const attach = () => {
      try {
        const target = findTarget(selector!);
        if (!target) throw attributeError('data-target', `no element matches ${JSON.stringify(selector)}`);
        // The storefront above: the closure cannot know that it is set.
        mount(store!, target, view);
      } catch (error) {
        report(error);
      }
    };
    // The target may come after the tag in the page: look again once it is parsed.
    if (document.readyState === 'loading' && !findTarget(selector!)) document.addEventListener('DOMContentLoaded', attach, { once: true });
    else attach();
  } catch (error) {
    report(error);
    // A tag that made no storefront: the merchant who asked for the overlay still gets its Setup section.
    if (debugRequested(script, location.search)) loadSetupOverlay(script as HTMLScriptElement, unprefixed(error));
  }
}

/**
 * Products the merchant's server inlined (`<script type="application/json" data-vitrine-products>`,
 * dehydrate()'s output or an API answer; a non-empty attribute value names the store it is for)
 * fill the cache before any lookup, so the first view asks the API for none of them. Validated
 * like an API answer: a bad block is one console error and the widgets fetch as usual.
 */
function primeFromPage(store: Storefront): void {
  // What prime() drops (a malformed product, a bad page entry) it says on the bus, where nobody
  // listens yet at boot: said on the console instead, one line each.
  const off = store.on('error', (e) => report(e.message));
  for (const block of document.querySelectorAll('script[type="application/json"][data-vitrine-products]')) {
    const forStore = block.getAttribute('data-vitrine-products');
    if (forStore && forStore !== store.options.storeId) continue;
    try {
      // A script element's textContent is never null.
      store.products.prime(JSON.parse(block.textContent!));
    } catch (error) {
      // prime() throws only VitrineErrors (INVALID_RESPONSE): anything else is JSON.parse's.
      report(isVitrineError(error) ? error : 'Expected JSON in <script data-vitrine-products>');
    }
  }
  off();
}

boot(typeof document === 'undefined' ? null : document.currentScript);
