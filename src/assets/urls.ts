import type { ImageVariant } from '../config.js';
import { invalid } from '../check.js';
import type { Product } from '../data/schema.js';

export type { ImageVariant };

export const IMAGE_VARIANTS: readonly ImageVariant[] = ['image', 'thumbnail', 'smallThumbnail'];

export interface ImageUrlOptions {
  storeId: string;
  /** Tokens: {base} {storeId} {key} {width}. */
  template: string;
  widths: Record<ImageVariant, number>;
}

/**
 * What a product without an image gets: no URL at all. A `data:` SVG would be blocked by a strict
 * CSP `img-src` on some merchant pages and show as a broken image, so the placeholder is *no* `<img>`
 * source: `url()` returns `undefined`, and `assets.image()` leaves the element without `src`, sets
 * `PLACEHOLDER_ATTRIBUTE` (`"no-image"`, or `"failed"` when neither host delivered) and keeps its
 * alt text, so the merchant's CSS can style `img[data-vitrine-placeholder]`.
 */
export const NO_IMAGE = undefined;
export const PLACEHOLDER_ATTRIBUTE = 'data-vitrine-placeholder';

/**
 * The URL of one image variant under `base` (the CDN or the origin), by the configured template.
 * Pure: computing a URL makes no request. Tokens are URL-encoded even though the schema already
 * restricts keys, so a custom template can never be steered out of its path. A variant that is not
 * one of IMAGE_VARIANTS throws INVALID_OPTIONS naming `variant` (worded as `objectArg()` words a bad
 * product, the variants listed as `oneOf()` lists a bad option's values).
 */
export function imageUrl(product: Product, variant: ImageVariant, base: string, opts: ImageUrlOptions): string | undefined {
  // Typed, but plain JavaScript can pass any string: it was a URL ending in `undefined.webp`, asked of
  // the CDN and then the origin. Checked before the image, so a product without one is refused too.
  if (!IMAGE_VARIANTS.includes(variant)) throw invalid('variant', IMAGE_VARIANTS.map((x) => JSON.stringify(x)).join(' or '), variant);
  const image = product.image;
  if (!image) return NO_IMAGE;
  return fillTemplate(opts.template, base, opts.storeId, image.key, opts.widths[variant]);
}

/** `srcset` width descriptors for every variant, smallest first, all under `base`. */
export function imageSrcset(product: Product, base: string, opts: ImageUrlOptions): string | undefined {
  return srcsetOf(product, opts.widths, (variant) => imageUrl(product, variant, base, opts));
}

/** `srcset` width descriptors for every variant, smallest first, each at `url(variant)`; none without an image. */
export function srcsetOf(product: Product, widths: Record<ImageVariant, number>, url: (variant: ImageVariant) => string | undefined): string | undefined {
  return (
    product.image &&
    sortedVariants(widths)
      .map((variant) => `${url(variant) ?? ''} ${widths[variant]}w`)
      .join(', ')
  );
}

/** Variants by width, smallest first; equal widths collapse to one candidate (srcset forbids duplicates). */
export function sortedVariants(widths: Record<ImageVariant, number>): ImageVariant[] {
  const seen = new Set<number>();
  return [...IMAGE_VARIANTS].sort((a, b) => widths[a] - widths[b]).filter((v) => !seen.has(widths[v]) && !!seen.add(widths[v]));
}

/** Rendered size of a variant keeping the product image's aspect ratio (width/height attributes: no layout shift). */
export function imageBox(product: Product, variant: ImageVariant, widths: Record<ImageVariant, number>): { width: number; height: number } | undefined {
  const image = product.image;
  if (!image) return undefined;
  const width = widths[variant];
  return { width, height: Math.max(1, Math.round((width * image.height) / image.width)) };
}

/**
 * Joins a base and a path, for scripts, styles and JSON. Leading slashes are collapsed to one: with a
 * root-relative base (`cdn: '/'` trims to '') a path like `//evil.example/x.js` would otherwise
 * become a protocol-relative URL on another host.
 */
export function assetUrl(base: string, path: string): string {
  return `${base}/${path.replace(/^\/+/, '')}`;
}

function fillTemplate(template: string, base: string, storeId: string, key: string, width: number): string {
  const tokens: Record<string, string> = { base, storeId: encodeURIComponent(storeId), key: encodeURIComponent(key), width: String(width) };
  return template.replace(/\{(base|storeId|key|width)\}/g, (_, token: string) => tokens[token]!);
}
