import { afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER_ATTRIBUTE } from '../../src/assets/urls.js';
import { addFault, countRequests, makeStore, productWithImage, removeFaults, uniq, visibleImg } from './assets-fixture.js';

afterEach(async () => {
  await removeFaults();
  document.body.replaceChildren();
});

const sixProducts = () => [100, 110, 120, 130, 140, 150].map(productWithImage);

describe('memory and origin protection', () => {
  it('skips a remembered blank on the next page view: the CDN copy is not fetched again', async () => {
    const storeId = uniq('s');
    const dbName = uniq('db');
    const product = productWithImage(200);
    const prefix = `/images/${storeId}/`;
    await addFault({ host: 'cdn', fault: 'empty', path: `${prefix}*` });

    const first = makeStore({}, storeId, dbName);
    expect(await first.store.assets.image(visibleImg(), product, 'thumbnail')).toMatchObject({ host: 'origin', outcome: 'ok' });
    first.store.destroy();
    // Let the IndexedDB write land before the "next page view" reads it.
    await new Promise((r) => setTimeout(r, 50));
    expect(await countRequests(prefix)).toMatchObject({ cdn: 1, origin: 1 });

    const next = makeStore({}, storeId, dbName);
    const img = visibleImg();
    expect(await next.store.assets.image(img, product, 'thumbnail')).toMatchObject({ host: 'origin', outcome: 'ok' });
    expect(img.naturalWidth).toBe(400);
    expect(next.store.images.url(product, 'thumbnail')?.startsWith(next.store.options.origin)).toBe(true);
    // A variant not found bad stays on the CDN.
    expect(next.store.images.url(product, 'image')?.startsWith(next.store.options.cdn)).toBe(true);
    // Only the origin was asked the second time (a new origin request, no CDN request).
    expect(await countRequests(prefix)).toMatchObject({ cdn: 1 });
    expect(next.events[0]).toMatchObject({ host: 'cdn', outcome: 'skipped', reason: 'remembered-bad' });
    next.store.destroy();
  });

  it('opens the breaker after 3 distinct CDN failures, sending the rest of the page straight to the origin', async () => {
    const { store, storeId, breakers, events } = makeStore();
    const prefix = `/images/${storeId}/`;
    await addFault({ host: 'cdn', fault: 'empty', path: `${prefix}*` });
    const products = sixProducts();
    for (const p of products) {
      // One after another, so the order of failures is deterministic.
      expect(await store.assets.image(visibleImg(), p, 'smallThumbnail')).toMatchObject({ host: 'origin', outcome: 'ok' });
    }
    expect(breakers).toEqual([{ host: new URL(store.options.cdn).host, state: 'open', failures: 3 }]);
    const counts = await countRequests(prefix);
    expect(counts).toMatchObject({ cdn: 3, origin: 6 });
    expect(events.filter((e) => e.outcome === 'skipped').map((e) => e.reason)).toEqual(['breaker-open', 'breaker-open', 'breaker-open']);
    store.destroy();
  });

  it('shows every image during a whole-CDN outage at no more than 2 requests per image', async () => {
    const { store, storeId } = makeStore();
    const prefix = `/images/${storeId}/`;
    await addFault({ host: 'cdn', fault: 'status', status: 502, path: `${prefix}*` });
    const products = sixProducts();
    const imgs = products.map(() => visibleImg());
    const results = await Promise.all(products.map((p, i) => store.assets.image(imgs[i]!, p, 'smallThumbnail')));
    expect(results.every((r) => r.outcome === 'ok' && r.host === 'origin')).toBe(true);
    expect(imgs.every((img) => img.naturalWidth === 160)).toBe(true);
    const counts = await countRequests(prefix);
    expect(counts.cdn + counts.origin).toBeLessThanOrEqual(2 * products.length);
    expect(counts.origin).toBe(products.length);
    store.destroy();
  });

  it('shows a placeholder, not a broken image, when the origin is down too, and stops retrying', async () => {
    const { store, storeId, events } = makeStore();
    const prefix = `/images/${storeId}/`;
    await addFault({ host: 'cdn', fault: 'empty', path: `${prefix}*` });
    await addFault({ host: 'origin', fault: 'status', status: 500, path: `${prefix}*` });
    const products = sixProducts();
    const imgs = products.map(() => visibleImg());
    const results = await Promise.all(products.map((p, i) => store.assets.image(imgs[i]!, p, 'smallThumbnail')));
    expect(results.every((r) => r.host === 'none')).toBe(true);
    for (const img of imgs) {
      expect(img.getAttribute(PLACEHOLDER_ATTRIBUTE)).toBe('failed');
      expect(img.hasAttribute('src')).toBe(false);
      expect(img.alt).not.toBe('');
    }
    const counts = await countRequests(prefix);
    // Per image 1 CDN (fewer once the breaker opens) + 1 origin; retries only from the page budget
    // (floor 3 + 10% of requests), so the origin sees at most 6 + 3 requests here, never a loop.
    expect(counts.cdn).toBeLessThanOrEqual(products.length);
    expect(counts.origin).toBeGreaterThanOrEqual(products.length);
    expect(counts.origin).toBeLessThanOrEqual(products.length + 3);
    expect(events.filter((e) => e.host === 'origin').length).toBe(counts.origin);
    expect(store.retryBudget.stats.retries).toBe(counts.origin - products.length);
    store.destroy();
  });

  it('makes zero origin requests for a page of images when the CDN is healthy', async () => {
    const { store, storeId } = makeStore();
    const products = sixProducts();
    await Promise.all(products.map((p) => store.assets.image(visibleImg(), p, 'smallThumbnail')));
    expect(await countRequests(`/images/${storeId}/`)).toMatchObject({ cdn: products.length, origin: 0 });
    store.destroy();
  });

  it('stops pending image work when the storefront is destroyed', async () => {
    const { store, storeId } = makeStore({ assets: { imageTimeoutMs: 60_000 } });
    await addFault({ host: 'cdn', fault: 'hang', path: `/images/${storeId}/*` });
    const pending = store.assets.image(visibleImg(), productWithImage(300 - 40), 'smallThumbnail');
    await new Promise((r) => setTimeout(r, 100));
    store.destroy();
    expect(await pending).toMatchObject({ host: 'none', outcome: 'skipped' });
    expect((await countRequests(`/images/${storeId}/`)).origin).toBe(0);
  });
});
