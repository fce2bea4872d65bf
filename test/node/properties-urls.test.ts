import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config.js';
import { parseProductsBody } from '../../src/data/schema.js';
import { createImages } from '../../src/assets/images.js';
import { assetUrl, IMAGE_VARIANTS, imageSrcset, imageUrl } from '../../src/assets/urls.js';
import { itemsArb, toJsonText } from './properties-arbitraries.js';

let tried = 0;
afterAll(() => console.info(`[properties-urls] generated products/paths tried: ${tried}`));

const hostArb = fc.oneof(fc.domain(), fc.constantFrom('127.0.0.1:8080', 'localhost:3000', '[::1]:9000'));
const baseArb = fc
  .record({
    scheme: fc.constantFrom('http', 'https'),
    host: hostArb,
    path: fc.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { maxLength: 3 }),
    slash: fc.boolean(),
  })
  .map(({ scheme, host, path, slash }) => `${scheme}://${host}${path.map((p) => `/${p}`).join('')}${slash ? '/' : ''}`);

/** `url` is an http(s) URL on `base`'s origin whose path stays inside `base`'s path. */
function expectUnder(url: string | undefined, base: string) {
  expect(url).toBeDefined();
  const parsed = new URL(url!);
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  expect(['http:', 'https:']).toContain(parsed.protocol);
  expect(parsed.origin).toBe(root.origin);
  expect(parsed.pathname.startsWith(root.pathname), `${url} escaped ${base}`).toBe(true);
  // What the browser asks for is what we computed: no segment was normalised away.
  expect(parsed.href.startsWith(root.href)).toBe(true);
}

describe('image URLs for generated products', () => {
  it('always point under the configured CDN or origin, whatever a (validated) product contains', () => {
    fc.assert(
      fc.property(itemsArb, baseArb, baseArb, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (items, cdn, origin, storeId) => {
        tried++;
        const options = resolveOptions({ storeId, api: 'https://api.example.com', cdn, origin, fetch: () => undefined });
        const { items: products } = parseProductsBody(JSON.parse(toJsonText({ items: items.map((i) => i.raw) })), 'x');
        const images = createImages(options, { verdict: () => undefined });
        const urls = { storeId, template: options.images.template, widths: options.images.widths };
        for (const product of products) {
          for (const variant of IMAGE_VARIANTS) {
            if (!product.image) {
              expect(images.url(product, variant)).toBeUndefined();
              continue;
            }
            expectUnder(images.url(product, variant), options.cdn);
            expectUnder(imageUrl(product, variant, options.origin, urls), options.origin);
          }
          for (const candidate of imageSrcset(product, options.cdn, urls)?.split(', ') ?? []) {
            const [url, width] = candidate.split(' ');
            expectUnder(url, options.cdn);
            expect(width).toMatch(/^\d+w$/);
          }
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('sends a remembered-bad image to the same path on the origin, never elsewhere', () => {
    fc.assert(
      fc.property(itemsArb, baseArb, baseArb, (items, cdn, origin) => {
        tried++;
        const options = resolveOptions({ storeId: 's', api: 'https://api.example.com', cdn, origin, fetch: () => undefined });
        const { items: products } = parseProductsBody(JSON.parse(toJsonText({ items: items.map((i) => i.raw) })), 'x');
        const images = createImages(options, { verdict: () => 'remembered-bad' });
        for (const product of products) for (const variant of IMAGE_VARIANTS) if (product.image) expectUnder(images.url(product, variant), options.origin);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('asset URLs for generated paths', () => {
  it('never leave the configured host, whatever path a caller passes', () => {
    fc.assert(
      fc.property(
        baseArb,
        fc.oneof(fc.string(), fc.webPath(), fc.constantFrom('//evil.example/x.js', '/\\evil.example/x', '@evil.example/x', '..//evil.example', '/%2e%2e/x')),
        (base, path) => {
          tried++;
          const resolved = resolveOptions({ storeId: 's', api: base, cdn: base, origin: base, fetch: () => undefined });
          const url = new URL(assetUrl(resolved.cdn, path));
          expect(url.origin).toBe(new URL(base).origin);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep a root-relative base on the page itself, even for a path starting with //', () => {
    fc.assert(
      fc.property(fc.constantFrom('/', '/cdn', '/cdn/', '/cdn//'), fc.constantFrom('//evil.example/x.js', '///evil.example/x.js', '/ok.js', 'ok.js'), (base, path) => {
        tried++;
        const resolved = resolveOptions({ storeId: 's', api: base, cdn: base, origin: base, fetch: () => undefined });
        const url = new URL(assetUrl(resolved.cdn, path), 'https://merchant.example/page');
        expect(url.origin).toBe('https://merchant.example');
      }),
      { numRuns: 50 },
    );
  });
});
