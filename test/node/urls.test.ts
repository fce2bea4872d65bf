import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config.js';
import type { Product } from '../../src/data/schema.js';
import { createImages } from '../../src/assets/images.js';
import { createStorefront } from '../../src/storefront.js';
import { assetUrl, imageBox, imageSrcset, imageUrl, NO_IMAGE, type ImageUrlOptions } from '../../src/assets/urls.js';
import type { SkipReason } from '../../src/assets/health.js';

const product: Product = {
  id: '42',
  name: 'Walnut Kettle',
  price: { amount: 10, currency: 'EUR' },
  url: '/p/42',
  inStock: true,
  image: { key: 'k42', width: 1200, height: 900 },
};
const bare: Product = { ...product, id: '43' };
delete (bare as { image?: unknown }).image;

const opts: ImageUrlOptions = { storeId: '1003', template: '{base}/images/{storeId}/{key}/{width}.webp', widths: { image: 1200, thumbnail: 400, smallThumbnail: 160 } };
const CDN = 'https://cdn.example.com';
const ORIGIN = 'https://origin.example.com';

describe('image URLs', () => {
  it('computes each variant by the documented template, so images load without an API call', () => {
    expect(imageUrl(product, 'image', CDN, opts)).toBe('https://cdn.example.com/images/1003/k42/1200.webp');
    expect(imageUrl(product, 'thumbnail', CDN, opts)).toBe('https://cdn.example.com/images/1003/k42/400.webp');
    expect(imageUrl(product, 'smallThumbnail', ORIGIN, opts)).toBe('https://origin.example.com/images/1003/k42/160.webp');
  });

  it('lists every variant in srcset smallest first, so the browser can pick the right size', () => {
    expect(imageSrcset(product, CDN, opts)).toBe(
      'https://cdn.example.com/images/1003/k42/160.webp 160w, https://cdn.example.com/images/1003/k42/400.webp 400w, https://cdn.example.com/images/1003/k42/1200.webp 1200w',
    );
  });

  it('follows a custom template and widths, so merchants with another CDN layout get working URLs', () => {
    const custom = { ...opts, template: '{base}/img/{key}?w={width}&s={storeId}', widths: { image: 800, thumbnail: 300, smallThumbnail: 300 } };
    expect(imageUrl(product, 'image', CDN, custom)).toBe('https://cdn.example.com/img/k42?w=800&s=1003');
    // Equal widths collapse: srcset must not list one width twice.
    expect(imageSrcset(product, CDN, custom)?.split(', ')).toHaveLength(2);
  });

  it('gives no URL for a product without an image, so no broken <img> is rendered', () => {
    expect(imageUrl(bare, 'image', CDN, opts)).toBe(NO_IMAGE);
    expect(imageSrcset(bare, CDN, opts)).toBeUndefined();
    expect(imageBox(bare, 'image', opts.widths)).toBeUndefined();
  });

  it('sizes the box by the image aspect ratio, so the page does not shift when the image arrives', () => {
    expect(imageBox(product, 'thumbnail', opts.widths)).toEqual({ width: 400, height: 300 });
  });

  it('joins asset paths to a base with one slash', () => {
    expect(assetUrl(CDN, '/assets/a.js')).toBe(`${CDN}/assets/a.js`);
    expect(assetUrl(CDN, 'assets/a.js')).toBe(`${CDN}/assets/a.js`);
  });
});

describe('createImages', () => {
  const options = resolveOptions({ storeId: '1003', api: 'https://api.example.com', cdn: CDN, origin: ORIGIN, fetch: () => Promise.reject(new Error('no I/O')) });

  it('points at the CDN while nothing is known bad', () => {
    const images = createImages(options, { verdict: () => undefined });
    expect(images.url(product, 'thumbnail')).toBe(`${CDN}/images/1003/k42/400.webp`);
  });

  it('points only the remembered-bad URL at the origin, keeping the others on the CDN', () => {
    const bad = `${CDN}/images/1003/k42/400.webp`;
    const images = createImages(options, { verdict: (u): SkipReason | undefined => (u === bad ? 'remembered-bad' : undefined) });
    expect(images.url(product, 'thumbnail')).toBe(`${ORIGIN}/images/1003/k42/400.webp`);
    expect(images.url(product, 'image')).toBe(`${CDN}/images/1003/k42/1200.webp`);
    expect(images.srcset(product)).toContain(`${ORIGIN}/images/1003/k42/400.webp 400w`);
    expect(images.srcset(product)).toContain(`${CDN}/images/1003/k42/160.webp 160w`);
  });

  it('makes no request to compute URLs', () => {
    let calls = 0;
    const counted = resolveOptions({ storeId: '1003', api: 'https://api.example.com', cdn: CDN, origin: ORIGIN, fetch: () => (calls++, Promise.reject(new Error('x'))) });
    const images = createImages(counted, { verdict: () => undefined });
    for (let i = 0; i < 100; i++) images.srcset(product);
    expect(calls).toBe(0);
  });

  it('store.images.url() and srcset() given no product (null, a string, a number) throw INVALID_OPTIONS naming it, not a TypeError', () => {
    const store = createStorefront({ storeId: '1003', api: 'https://api.example.com', cdn: CDN, origin: ORIGIN, cache: { persist: false } });
    const images = store.images as { url(p: unknown, v: string): unknown; srcset(p: unknown): unknown };
    for (const bad of [null, undefined, 'k42', 42]) {
      expect(() => images.url(bad, 'image')).toThrowError(expect.objectContaining({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'product' }));
      expect(() => images.srcset(bad)).toThrowError(expect.objectContaining({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'product' }));
    }
    // A real product still gets its URLs.
    expect(store.images.url(product, 'image')).toBe(`${CDN}/images/1003/k42/1200.webp`);
    store.destroy();
  });

  it('store.images.url() and assets.image() given an unknown variant throw (reject) INVALID_OPTIONS naming it, not a URL ending in undefined.webp', async () => {
    const store = createStorefront({ storeId: '1003', api: 'https://api.example.com', cdn: CDN, origin: ORIGIN, cache: { persist: false } });
    const images = store.images as { url(p: unknown, v: unknown): unknown };
    for (const bad of ['bogus', 'Image', 'toString', '', undefined, null, 400]) {
      expect(() => images.url(product, bad)).toThrowError(
        expect.objectContaining({
          name: 'VitrineError',
          code: 'INVALID_OPTIONS',
          field: 'variant',
          message: expect.stringMatching(/^\[vitrine\] Invalid variant: expected "image" or "thumbnail" or "smallThumbnail", got /),
        }),
      );
      // Also for a product without an image, which has no URL to compute: the call is wrong either way.
      expect(() => images.url(bare, bad)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'variant' }));
      // Async, so a rejection; refused before the element is touched (this one is not a real <img>).
      await expect(store.assets.image({} as HTMLImageElement, product, bad as never)).rejects.toMatchObject({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'variant' });
    }
    expect(() => images.url(product, 'bogus')).toThrowError('Invalid variant: expected "image" or "thumbnail" or "smallThumbnail", got "bogus"');
    // A bad product is still named first.
    expect(() => images.url(null, 'bogus')).toThrowError(expect.objectContaining({ field: 'product' }));
    for (const variant of ['image', 'thumbnail', 'smallThumbnail'] as const)
      expect(store.images.url(product, variant)).toMatch(/^https:\/\/cdn\.example\.com\/images\/1003\/k42\/\d+\.webp$/);
    store.destroy();
  });
});
