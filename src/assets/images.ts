import type { ImageVariant, ResolvedOptions } from '../config.js';
import { objectArg } from '../check.js';
import type { Product } from '../data/schema.js';
import type { AssetHealth } from './health.js';
import { imageUrl, srcsetOf, type ImageUrlOptions } from './urls.js';

export interface Images {
  /** The variant's URL, or undefined for a product without an image (see NO_IMAGE). No I/O. A product that is not an object, or a variant not one of the three: INVALID_OPTIONS. */
  url(product: Product, variant: ImageVariant): string | undefined;
  /** Width descriptors for every variant. No I/O. */
  srcset(product: Product): string | undefined;
}

/**
 * Image URLs from product data alone (the incident: three extra requests per product lookup).
 * Each URL points at the CDN unless that exact URL is remembered bad or its host's breaker is
 * open; then at the same path on the origin.
 */
export function createImages(options: Pick<ResolvedOptions, 'storeId' | 'cdn' | 'origin' | 'images'>, health: Pick<AssetHealth, 'verdict'>): Images {
  const urls: ImageUrlOptions = { ...options.images, storeId: options.storeId };
  const url = (product: Product, variant: ImageVariant) => {
    objectArg('product', product);
    const cdn = imageUrl(product, variant, options.cdn, urls);
    return cdn !== undefined && health.verdict(cdn) ? imageUrl(product, variant, options.origin, urls) : cdn;
  };
  return {
    url,
    srcset: (product) => srcsetOf(objectArg('product', product), urls.widths, (v) => url(product, v)),
  };
}
