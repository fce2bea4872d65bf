import type { Product } from './data/schema.js';
import type { Storefront } from './storefront.js';

/** A schema.org `Product` with its `Offer`, as search engines read it from JSON-LD. */
export interface ProductJsonLd {
  '@context': 'https://schema.org';
  '@type': 'Product';
  sku: string;
  name: string;
  url: string;
  description?: string;
  image?: string;
  offers: {
    '@type': 'Offer';
    price: string;
    priceCurrency: string;
    availability: 'https://schema.org/InStock' | 'https://schema.org/OutOfStock';
    url: string;
  };
}

/**
 * The product as schema.org `Product` + `Offer` for a server-rendered page's
 * `<script type="application/ld+json">` (serialise it with `toScriptJson`). With the storefront,
 * the image is the large variant's URL, computed from the product data like every image URL.
 */
export function toJsonLd(product: Product, store?: Pick<Storefront, 'images'>): ProductJsonLd {
  const image = store?.images.url(product, 'image');
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    sku: product.id,
    name: product.name,
    url: product.url,
    ...(product.description !== undefined && { description: product.description }),
    ...(image !== undefined && { image }),
    offers: {
      '@type': 'Offer',
      // schema.org wants a plain decimal: no currency symbol, no grouping, '.' as the separator.
      price: String(product.price.amount),
      priceCurrency: product.price.currency,
      availability: product.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      url: product.url,
    },
  };
}

/**
 * JSON that is safe inside an HTML `<script>` element, whatever the product text holds: `<`, `>`
 * and `&` are escaped (no `</script>` can close the element early, no `<!--` can open a comment),
 * and so are U+2028/U+2029. For JSON-LD blocks and for dehydrate()'s output alike.
 */
export function toScriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
