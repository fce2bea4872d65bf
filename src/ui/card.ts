import type { Product } from '../data/schema.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';
import { priceFormat } from './format.js';
import { safeUrl } from './safe-url.js';
import { cartUi } from './cart-element.js';

export type CardTag = 'li' | 'div';

/**
 * Creates an element with a class (which doubles as its `part` name) and optional text.
 * Product data only ever reaches the DOM through here: `textContent` and `setAttribute`,
 * never HTML parsing.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = part;
  node.setAttribute('part', part);
  // Its own direction, whatever the widget's: the English a Hebrew page falls back to reads left to
  // right ("Try again." not ".Try again"), as does an English name on an Arabic page.
  if (text) (node.textContent = text), (node.dir = 'auto');
  return node;
}

/**
 * A price element (its `part` name) holding Intl's `parts`. In a string Intl marks right to left (it
 * opens with U+200F, as Arabic's and Hebrew's do) the currency symbol is a `<bdi>`: the bidi algorithm
 * would otherwise split a Latin symbol from its sign, and Arabic's "185.62 UK£" show as "£UK 185.62".
 * Only there: a symbol glued to the digits (Urdu's "£185.62") must stay glued. The text is Intl's string.
 */
export function priceEl(part: string, parts: Intl.NumberFormatPart[]): HTMLElement {
  const node = el('span', part);
  for (const { type, value } of parts) node.append(type === 'currency' && isolatesCurrency(parts) ? el('bdi', 'currency', value) : value);
  return node;
}

/** Intl wrote the price right to left (it opens with U+200F): its currency symbol must be isolated. */
export const isolatesCurrency = (parts: Intl.NumberFormatPart[]) => parts[0]?.value === '\u200f';

/**
 * The cards for `products`, in the skeleton's place (`root` still shows it, same boxes), from one layout
 * read once the data has arrived: each image's `sizes` is the skeleton's image width in CSS pixels (0
 * when not laid out), and the cards that land on the first row *and* on screen (none when the widget
 * is below the fold or hidden) load their images first.
 */
export function renderCards(root: ShadowRoot, products: Product[], store: Storefront, tag: CardTag, m: Messages, signal: AbortSignal): HTMLElement[] {
  const cards = [...root.querySelectorAll<HTMLElement>('.card')];
  const box = cards[0]?.getBoundingClientRect();
  const width = cards[0]?.querySelector('.media')?.clientWidth ?? 0;
  const first = box && box.bottom > 0 && box.top < innerHeight ? cards.filter((card) => card.offsetTop === cards[0]!.offsetTop).length : 0;
  return products.map((product, i) => renderCard(product, store, tag, m, signal, width, i < first));
}

/**
 * One product card: image (through `store.assets.image`, so a blank CDN copy falls back to the
 * origin), name, price and stock state in the shopper's language (`m`), and a link when the product URL is
 * http(s) or relative. `width` (from renderCards) becomes the image's `sizes`, so the browser
 * picks the srcset variant for the width shown (a phone's two-column grid: the 160 px one); `first`
 * marks an LCP candidate: loaded at once with high priority instead of lazily.
 */
export function renderCard(product: Product, store: Storefront, tag: CardTag, m: Messages, signal?: AbortSignal, width?: number, first?: boolean): HTMLElement {
  const card = el(tag, 'card');
  card.dataset['productId'] = product.id;
  const href = safeUrl(product.url);
  // A dropped URL leaves a plain block: the card still shows, it just does not navigate.
  const link = href === undefined ? el('div', 'link') : el('a', 'link');
  if (href !== undefined) (link as HTMLAnchorElement).href = href;

  const media = el('span', 'media');
  const img = el('img', 'image');
  const image = product.image;
  // The name is the link's text right below: an alt repeating it would be read twice, so the image
  // is then decorative; a distinct alt from the product data is kept.
  const alt = image?.alt?.trim();
  img.alt = alt && alt !== product.name.trim() ? alt : '';
  if (image) {
    // The photo's own ratio, reserved before any byte arrives; narrower than the 4:5 area, it is
    // fitted by height (styles.ts).
    img.width = image.width;
    img.height = image.height;
    if (image.height * 4 > image.width * 5) img.classList.add('tall');
  }
  media.append(img);
  link.append(media, el('span', 'name', product.name));
  card.append(link, priceEl('price', priceFormat(product.price.currency, m.locale).formatToParts(product.price.amount)), stock(product.inStock, m));
  // A store that sells: the buy row's box now, its controls when the cart's file arrives.
  if (store.options.checkout) {
    const row = el('div', 'buy');
    card.append(row);
    // After the frame that paints the card: the cart's file must not compete with the LCP image.
    requestAnimationFrame(() =>
      setTimeout(() =>
        cartUi(store).then(
          (ui) => ui.fillBuy(row, product, store),
          () => {},
        ),
      ),
    );
  }
  // The measured width, not `sizes="auto"`: Chromium resolves `auto` before layout (as 100vw). An
  // undefined signal is read as none.
  void store.assets.image(img, product, 'thumbnail', { sizes: `${width || 240}px`, signal: signal! });
  if (first) {
    // assets.image() marks the image lazy before its first await and sets its source after it: this
    // lands in between.
    img.loading = 'eager';
    img.fetchPriority = 'high';
  }
  return card;
}

function stock(inStock: boolean, m: Messages): HTMLElement {
  const node = el('span', 'stock', m.t(inStock ? 'inStock' : 'outOfStock'));
  if (!inStock) node.classList.add('out');
  return node;
}

/** A card-sized placeholder: same boxes (the buy row too, when the store sells), no content, hidden from assistive technology. */
export function renderSkeleton(tag: CardTag, buy?: unknown): HTMLElement {
  const card = el(tag, 'card');
  card.classList.add('skeleton');
  card.setAttribute('aria-hidden', 'true');
  const link = el('span', 'link');
  link.append(el('span', 'media'), el('span', 'name'));
  card.append(link, el('span', 'price'), el('span', 'stock'));
  if (buy) card.append(el('div', 'buy'));
  return card;
}

/** An error with a retry button, or an empty-state message. */
export function renderStatus(m: Messages, key: string, retry?: () => void): HTMLElement {
  const box = el('div', 'status', m.t(key));
  box.setAttribute('role', retry ? 'alert' : 'status');
  if (retry) {
    // No type="button": in the shadow root it belongs to no form, even inside the merchant's <form>.
    const button = el('button', 'retry', m.t('retry'));
    button.addEventListener('click', retry);
    box.append(button);
  }
  return box;
}
