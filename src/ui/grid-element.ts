import { VitrineError, isVitrineError, unprefixed } from '../errors.js';
import type { Product } from '../data/schema.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';
import { el, renderCards, renderSkeleton, renderStatus } from './card.js';
import { createWidgetBase, type StoreSource } from './widget-base.js';

const DEFAULT_LIMIT = 24;
const MAX_SKELETONS = 24;

/**
 * `<vitrine-grid limit category offset ids>`: a page of the catalogue (or the listed ids) as a list of
 * cards. The first row's images (as many as there are columns, when the grid is on screen) load at
 * once with high priority; the others lazily.
 */
export function createGridElement(source: StoreSource) {
  return class VitrineGrid extends createWidgetBase(source) {
    static get observedAttributes() {
      return ['limit', 'offset', 'category', 'ids'];
    }

    get limit(): number {
      return intAttribute(this, 'limit', DEFAULT_LIMIT);
    }

    skeleton(): Node {
      const list = listElement();
      list.setAttribute('aria-busy', 'true');
      let count = DEFAULT_LIMIT;
      try {
        count = this.ids_()?.length ?? this.limit;
      } catch {
        // A bad attribute is reported by render(); the skeleton just uses the default size.
      }
      count = Math.max(1, Math.min(count, MAX_SKELETONS));
      for (let i = 0; i < count; i++) list.append(renderSkeleton('li', this.store?.options.checkout));
      return list;
    }

    /**
     * With `ids`, the listed products the API has: an id it does not know (or sends malformed) costs its
     * card and one console line naming it, not the grid. Any other failure (the API down) is the grid's
     * error, and so is nothing found with one malformed: "No products found" would blame the catalogue.
     */
    async render(store: Storefront, signal: AbortSignal): Promise<(m: Messages) => Node> {
      const ids = this.ids_();
      const category = this.getAttribute('category');
      let items: Product[];
      if (ids) {
        let malformed: unknown;
        items = (await Promise.allSettled(ids.map((id) => store.products.get(id)))).flatMap((r) => {
          if (r.status === 'fulfilled') return [r.value];
          if (isVitrineError(r.reason, 'INVALID_PRODUCT')) malformed = r.reason;
          else if (!isVitrineError(r.reason, 'NOT_FOUND')) throw r.reason;
          console.error(`[vitrine] <${this.localName}>: ${unprefixed(r.reason)}`);
          return [];
        });
        if (!items.length && malformed) throw malformed;
      } else {
        items = (
          await store.products.list({
            limit: this.limit,
            offset: intAttribute(this, 'offset', 0),
            ...(category !== null && { category }),
          })
        ).items;
      }
      return (m) => {
        if (!items.length) return renderStatus(m, 'noProducts');
        const list = listElement(m);
        list.append(...renderCards(this.shadowRoot!, items, store, 'li', m, signal));
        return list;
      };
    }

    ids_(): string[] | undefined {
      return this.getAttribute('ids')
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean);
    }
  };
}

/** The list; named in the shopper's language once the messages are there (the skeleton's is unnamed). */
function listElement(m?: Messages): HTMLElement {
  const list = el('ul', 'list');
  // Safari drops list semantics from a list that shows no markers (its cards are flex boxes, not list
  // items) unless the role is explicit.
  list.setAttribute('role', 'list');
  if (m) list.setAttribute('aria-label', m.t('products'));
  return list;
}

/**
 * A whole-number attribute, here and on the script tag (embed.ts): decimal digits (spaces around them
 * allowed), what a merchant means by "3"; Number() would also read "0x3", "3e0", "3.0" or "-0".
 */
export const WHOLE_NUMBER = /^\s*\d+\s*$/;

/** A whole-number attribute's value; anything else is a configuration error naming the attribute. */
export function intAttribute(element: Element, name: string, fallback: number): number {
  const raw = element.getAttribute(name);
  if (!raw?.trim()) return fallback;
  if (!WHOLE_NUMBER.test(raw)) {
    throw new VitrineError('INVALID_OPTIONS', `attribute ${name}: expected a whole number, got ${JSON.stringify(raw.slice(0, 40))}`, { field: name });
  }
  return +raw;
}
