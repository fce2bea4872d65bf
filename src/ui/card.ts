import type { Product } from '../data/schema.js';
import type { Storefront } from '../storefront.js';
import { formatPrice } from './format.js';
import { safeUrl } from './safe-url.js';

export type CardTag = 'li' | 'div';

/** Rendered width of the card image, in CSS pixels: what `sizes` tells the browser to pick from srcset. */
const CARD_IMAGE_SIZES = '(max-width: 480px) 50vw, 240px';

/**
 * Creates an element with a class (which doubles as its `part` name) and optional text.
 * Product data only ever reaches the DOM through here: `textContent` and `setAttribute`,
 * never HTML parsing.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = part;
  node.setAttribute('part', part);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * One product card: image (through `store.assets.image`, so a blank CDN copy falls back to the
 * origin), name, price in the page's language, stock state, and a link when the product URL is
 * http(s) or relative.
 */
export function renderCard(product: Product, store: Pick<Storefront, 'assets'>, tag: CardTag, signal?: AbortSignal): HTMLElement {
  const card = el(tag, 'card');
  card.dataset['productId'] = product.id;
  const href = safeUrl(product.url);
  // A dropped URL leaves a plain block: the card still shows, it just does not navigate.
  const link = href === undefined ? el('div', 'link') : el('a', 'link');
  if (href !== undefined) link.setAttribute('href', href);

  const media = el('span', 'media');
  const img = el('img', 'image');
  // The name is the link's text right below: an alt repeating it would be read twice, so the image
  // is then decorative; a distinct alt from the product data is kept.
  const alt = product.image?.alt?.trim();
  img.alt = alt && alt !== product.name.trim() ? alt : '';
  if (product.image) {
    // Reserved before any byte arrives, so the card never shifts when the image lands.
    img.width = product.image.width;
    img.height = product.image.height;
  }
  media.append(img);
  link.append(media, el('span', 'name', product.name));
  card.append(link, el('span', 'price', formatPrice(product.price)));
  card.append(stock(product.inStock));
  void store.assets.image(img, product, 'thumbnail', { sizes: CARD_IMAGE_SIZES, ...(signal && { signal }) });
  return card;
}

function stock(inStock: boolean): HTMLElement {
  const node = el('span', 'stock', inStock ? 'In stock' : 'Out of stock');
  if (!inStock) node.classList.add('out');
  return node;
}

/** A card-sized placeholder: same boxes, no content, hidden from assistive technology. */
export function renderSkeleton(tag: CardTag): HTMLElement {
  const card = el(tag, 'card');
  card.classList.add('skeleton');
  card.setAttribute('aria-hidden', 'true');
  const link = el('span', 'link');
  link.append(el('span', 'media'), el('span', 'name'));
  card.append(link, el('span', 'price'), el('span', 'stock'));
  return card;
}

/** An error with a retry button, or an empty-state message. */
export function renderStatus(message: string, retry?: () => void): HTMLElement {
  const box = el('div', 'status', message);
  box.setAttribute('role', retry ? 'alert' : 'status');
  if (retry) {
    const button = el('button', 'retry', 'Try again');
    button.type = 'button';
    button.addEventListener('click', retry);
    box.append(button);
  }
  return box;
}
