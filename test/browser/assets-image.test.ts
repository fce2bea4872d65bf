import { afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER_ATTRIBUTE } from '../../src/assets/urls.js';
import { addFault, CDN_FAULTS, countRequests, makeStore, productWithImage, removeFaults, ruleFor, visibleImg } from './assets-fixture.js';

afterEach(async () => {
  await removeFaults();
  document.body.replaceChildren();
});

describe('images: a CDN serving blanks', () => {
  it('shows the CDN image and asks the origin nothing when the CDN is healthy', async () => {
    const { store, storeId, events } = makeStore();
    const product = productWithImage(1);
    const img = visibleImg();
    const result = await store.assets.image(img, product, 'thumbnail');
    expect(result).toMatchObject({ host: 'cdn', outcome: 'ok' });
    expect(img.naturalWidth).toBe(400);
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('decoding')).toBe('async');
    expect(img.getAttribute('width')).toBe('400');
    expect(Number(img.getAttribute('height'))).toBe(Math.round((400 * product.image!.height) / product.image!.width));
    expect(img.srcset.split(', ')).toHaveLength(3);
    const counts = await countRequests(`/images/${storeId}/`);
    expect(counts).toMatchObject({ cdn: 1, origin: 0 });
    expect(events.map((e) => [e.host, e.outcome])).toEqual([['cdn', 'ok']]);
    expect(events[0]?.bytes).toBeGreaterThan(0);
    store.destroy();
  });

  // A PNG cut short with a matching Content-Length still renders its first rows: no browser signal
  // (error, naturalWidth, decode(), Resource Timing) sees it, so it is not in this list (see README).
  for (const c of CDN_FAULTS.filter((f) => !f.needsIntegrity)) {
    it(`shows the origin's image when the CDN answers ${c.name}, at 1 CDN + 1 origin request`, async () => {
      const { store, storeId, events } = makeStore();
      await addFault(ruleFor(c, `/images/${storeId}/*`));
      const img = visibleImg();
      const result = await store.assets.image(img, productWithImage(10), 'thumbnail');
      expect(result).toMatchObject({ host: 'origin', outcome: 'ok' });
      expect(result.url).toContain(`/images/${storeId}/`);
      expect(img.currentSrc.startsWith(store.options.origin)).toBe(true);
      expect(img.naturalWidth).toBe(400);
      expect(img.hasAttribute(PLACEHOLDER_ATTRIBUTE)).toBe(false);
      const counts = await countRequests(`/images/${storeId}/`);
      expect(counts.cdn).toBeGreaterThanOrEqual(1);
      expect(counts.cdn).toBeLessThanOrEqual(c.wireCdn ?? 1);
      // More than one on the wire is Chromium re-sending the one attempt: always its one URL.
      expect(new Set(counts.log.filter((e) => e.host === 'cdn').map((e) => e.path + e.search)).size).toBe(1);
      expect(counts.origin).toBe(1);
      expect(events.map((e) => e.host)).toEqual(['cdn', 'origin']);
      expect(c.cdnOutcome).toContain(events[0]?.outcome);
      expect(events[1]).toMatchObject({ host: 'origin', outcome: 'ok', kind: 'image' });
      store.destroy();
    });
  }

  it('leaves the CDN alone for other browsers: a blank cached for another user agent costs this one nothing', async () => {
    const { store, storeId } = makeStore();
    await addFault({ host: 'cdn', fault: 'empty', path: `/images/${storeId}/*`, userAgent: 'Firefox/' });
    const result = await store.assets.image(visibleImg(), productWithImage(20), 'thumbnail');
    expect(result).toMatchObject({ host: 'cdn', outcome: 'ok' });
    expect(await countRequests(`/images/${storeId}/`)).toMatchObject({ cdn: 1, origin: 0 });
    store.destroy();
  });

  it('shows a placeholder, not a broken image, for a product without an image, without any request', async () => {
    const { store, storeId, events } = makeStore();
    const product = { ...productWithImage(30) };
    delete (product as { image?: unknown }).image;
    const img = visibleImg();
    const result = await store.assets.image(img, product, 'thumbnail');
    expect(result).toEqual({ host: 'none', url: undefined, outcome: 'skipped' });
    expect(img.getAttribute(PLACEHOLDER_ATTRIBUTE)).toBe('no-image');
    expect(img.hasAttribute('src')).toBe(false);
    expect(img.alt).toBe(product.name);
    expect(store.images.url(product, 'image')).toBeUndefined();
    expect((await countRequests(`/images/${storeId}/`)).log).toHaveLength(0);
    expect(events).toHaveLength(0);
    store.destroy();
  });
});

describe('images: arguments from plain JavaScript', () => {
  // Typed, but a script-tag page calls it untyped: a null product was a raw TypeError from inside the loader.
  it('rejects a product that is not an object (a failed lookup passed on) with INVALID_OPTIONS naming it', async () => {
    const { store } = makeStore();
    const img = visibleImg();
    for (const product of [null, undefined, 'p1', 42]) {
      await expect(store.assets.image(img, product as never, 'thumbnail')).rejects.toMatchObject({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'product' });
    }
    expect(img.hasAttribute('src')).toBe(false);
    store.destroy();
  });

  it('rejects an unknown variant with INVALID_OPTIONS naming it, before any request or change to the element', async () => {
    const { store, storeId, events } = makeStore();
    const img = visibleImg();
    // It was `…/undefined.webp`, asked of the CDN and then of the origin, and a "failed" placeholder.
    await expect(store.assets.image(img, productWithImage(40), 'bogus' as never)).rejects.toMatchObject({ name: 'VitrineError', code: 'INVALID_OPTIONS', field: 'variant' });
    expect(img.hasAttribute('src')).toBe(false);
    expect(img.hasAttribute('alt')).toBe(false);
    expect(img.hasAttribute(PLACEHOLDER_ATTRIBUTE)).toBe(false);
    expect((await countRequests(`/images/${storeId}/`)).log).toHaveLength(0);
    expect(events).toHaveLength(0);
    store.destroy();
  });
});
