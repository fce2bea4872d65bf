/**
 * The widgets' images in Chromium: the first row first (eager, fetchpriority high), `sizes` from the
 * width shown so the browser picks the right srcset variant (Resource Timing), the CDN→origin fallback
 * with a srcset, the photo's own aspect ratio inside a fixed image area, and skeletons at the final
 * size. Every test has its own image URLs (a token in the template), so the HTTP cache and other
 * files cannot change what it downloads.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { makeProduct } from '../../demo/backend/catalog.js';
import type { Product, Storefront } from '../../src/index.js';
import { renderCard, renderSkeleton } from '../../src/ui/card.js';
import { createMessages, EN } from '../../src/i18n/index.js';
import { defineElements } from '../../src/ui/define-elements.js';
import { mount } from '../../src/ui/mount.js';
import { adoptStyles } from '../../src/ui/styles.js';
import { RENDERED_EVENT } from '../../src/ui/widget-base.js';
import { addFault, removeFaults, uniq } from './assets-fixture.js';
import { backendStore, backendUrls } from '../helpers/browser-backend.js';

let store: Storefront | undefined;
let host: HTMLElement;
let token: string;

function open() {
  token = uniq('img');
  store = backendStore('images', {
    images: { template: `{base}/images/{storeId}/{key}/{width}.webp?t=${token}` },
    assets: { imageTimeoutMs: 3000 },
    retry: { baseDelayMs: 20, maxDelayMs: 50 },
  });
  return store;
}

const rendered = (n = 1) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    host.addEventListener(RENDERED_EVENT, () => ++seen === n && resolve());
  });
const images = (el: Element | null = host.querySelector('vitrine-grid')) => [...(el?.shadowRoot?.querySelectorAll('img') ?? [])] as HTMLImageElement[];
const withPhoto = (imgs: HTMLImageElement[]) => imgs.filter((img) => !img.hasAttribute('data-vitrine-placeholder'));
/** This test's image downloads, as Resource Timing saw them: host and width. */
const downloads = () =>
  performance
    .getEntriesByType('resource')
    .filter((e) => e.name.includes(`t=${token}`))
    .map((e) => {
      const url = new URL(e.name);
      return `${url.origin === new URL(backendUrls().origin).origin ? 'origin' : 'cdn'} ${/\/(\d+)\.webp$/.exec(url.pathname)![1]}`;
    });
const allLoaded = (imgs: HTMLImageElement[]) => vi.waitFor(() => expect(imgs.every((img) => img.complete && img.naturalWidth > 0)).toBe(true), { timeout: 10_000 });

/** A grid of `limit` products mounted on a fresh storefront, resolved once it has rendered. */
async function mountGrid(limit: number) {
  const s = open();
  const done = rendered();
  mount(s, host, { view: 'grid', limit });
  await done;
  return s;
}

beforeEach(async () => {
  // The dev server's module requests alone could fill the default buffer of 250 entries.
  performance.clearResourceTimings();
  performance.setResourceTimingBufferSize(1000);
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(async () => {
  store?.destroy();
  host.remove();
  await removeFaults();
  await page.viewport(414, 896);
});

describe('the LCP image first', () => {
  it("the first row's images load at once with high priority, the others lazily; sizes is the width shown", async () => {
    await page.viewport(1100, 800);
    const _s = await mountGrid(12);
    const root = host.querySelector('vitrine-grid')!.shadowRoot!;
    const cards = [...root.querySelectorAll<HTMLElement>('.card')];
    const columns = cards.filter((c) => c.offsetTop === cards[0]!.offsetTop).length;
    expect(columns).toBeGreaterThan(1);
    expect(columns).toBeLessThan(12);
    const width = root.querySelector('.media')!.clientWidth;
    images().forEach((img, i) => {
      // A product without a photo has no source to load (a placeholder).
      if (img.hasAttribute('data-vitrine-placeholder')) return;
      expect([img.loading, img.fetchPriority], `card ${i}`).toEqual(i < columns ? ['eager', 'high'] : ['lazy', 'auto']);
      expect(img.sizes).toBe(`${width}px`);
      expect(img.srcset.split(', ').map((c) => c.replace(/^.*\/(\d+)\.webp\?t=\S+ /, '$1 '))).toEqual(['160 160w', '400 400w', '1200 1200w']);
      expect(img.srcset.startsWith(backendUrls().cdn)).toBe(true);
    });
  });

  it('a grid below the fold has no eager image', async () => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    host.append(spacer);
    const _s = await mountGrid(4);
    expect(images().map((img) => [img.loading, img.fetchPriority])).toEqual(Array(4).fill(['lazy', 'auto']));
  });

  it('a <vitrine-product> on screen loads its image at once with high priority; one below the fold lazily', async () => {
    const s = open();
    defineElements(s);
    const done = rendered(2);
    const first = document.createElement('vitrine-product');
    first.setAttribute('product-id', '101');
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    const later = document.createElement('vitrine-product');
    later.setAttribute('product-id', '102');
    host.append(first, spacer, later);
    await done;
    expect(images(first).map((img) => [img.loading, img.fetchPriority])).toEqual([['eager', 'high']]);
    expect(images(later).map((img) => [img.loading, img.fetchPriority])).toEqual([['lazy', 'auto']]);
  });

  // The most common Android viewport, at 1×: its two columns show 156 px images. (The browser picks by
  // width × devicePixelRatio, so a 2× or 3× phone takes the 400 or 1200 px variant its screen needs.)
  it('a 360 px phone downloads the 160 px variant for its two-column grid, a desktop the 400 px one (Resource Timing)', async () => {
    expect(devicePixelRatio).toBe(1);
    for (const [width, height, variant] of [
      [360, 740, '160'],
      [1100, 800, '400'],
    ] as const) {
      await page.viewport(width, height);
      const s = await mountGrid(4);
      const shown = withPhoto(images());
      await allLoaded(shown);
      // What the browser chose is what it fetched: one download per image, all of this variant.
      expect(downloads().sort()).toEqual(Array(shown.length).fill(`cdn ${variant}`));
      expect(shown.every((img) => img.currentSrc.includes(`/${variant}.webp`))).toBe(true);
      expect(host.querySelector('vitrine-grid')!.shadowRoot!.querySelector('.media')!.clientWidth).toBeLessThanOrEqual(Number(variant));
      s.destroy();
      host.replaceChildren();
    }
  });

  it('a blank CDN image with a srcset still falls back to the origin, for the variant the srcset chose', async () => {
    await page.viewport(360, 740);
    await addFault({ host: 'cdn', fault: 'empty', path: '/images/1003/*' });
    const s = await mountGrid(4);
    const shown = withPhoto(images());
    await allLoaded(shown);
    for (const img of shown) {
      expect(img.currentSrc.startsWith(s.options.origin)).toBe(true);
      expect(img.currentSrc).toContain('/160.webp');
      expect(img.srcset.startsWith(s.options.origin)).toBe(true);
    }
    // One origin download per image, of the variant the srcset chose (the CDN's blanks too; once its
    // breaker opens, later images may skip the CDN).
    const got = downloads();
    expect(got.filter((d) => d.startsWith('origin'))).toEqual(Array(shown.length).fill('origin 160'));
    expect(got.filter((d) => d.startsWith('cdn')).length).toBeGreaterThan(0);
    expect(got.every((d) => d.endsWith(' 160'))).toBe(true);
  });
});

describe('image boxes and skeletons', () => {
  /** A card in a styled shadow root of the given width, its image never loaded (the box comes from data). */
  /** A styled shadow root in a box `width` px wide (the host's own box is the widget's: `all: initial`). */
  function styledRoot(width: number) {
    const box = document.createElement('div');
    box.style.width = `${width}px`;
    const shadowHost = document.createElement('div');
    box.append(shadowHost);
    host.append(box);
    const root = shadowHost.attachShadow({ mode: 'open' });
    adoptStyles(root);
    return { box, root };
  }
  function card(product: Product, width = 240) {
    const { root } = styledRoot(width);
    const never = { assets: { image: () => new Promise<never>(() => undefined) }, options: {} } as unknown as Storefront;
    const node = renderCard(product, never, 'div', createMessages('en', [EN]));
    root.append(node);
    return node;
  }
  const withImage = (width: number, height: number): Product => ({ ...makeProduct(5).product, image: { key: 'k', width, height } });

  for (const [w, h] of [
    [1200, 900],
    [1200, 1200],
    [1200, 1500],
    [1200, 1800],
    [900, 1600],
  ] as const) {
    it(`a ${w}×${h} photo gets a box of its own ratio inside the same 4:5 area (no grey bands, no taller card)`, () => {
      const node = card(withImage(w, h));
      const img = node.querySelector('img')!.getBoundingClientRect();
      const media = node.querySelector('.media')!.getBoundingClientRect();
      expect(media.width).toBe(224);
      expect(media.height).toBe(280);
      expect(Math.abs(img.width / img.height - w / h)).toBeLessThan(0.01);
      // Fitted: the full width of the area, or its full height for photos narrower than 4:5.
      expect(Math.min(Math.abs(media.width - img.width), Math.abs(media.height - img.height))).toBeLessThan(0.5);
      expect(img.left).toBeGreaterThanOrEqual(media.left - 0.01);
      expect(img.bottom).toBeLessThanOrEqual(media.bottom + 0.01);
    });
  }

  it('the skeleton is the card: same height at every width, whatever the photo or its absence', () => {
    for (const width of [160, 240, 375, 416, 700]) {
      const { box, root } = styledRoot(width);
      root.append(renderSkeleton('div'));
      const expected = box.getBoundingClientRect().height;
      expect(root.querySelector('.card')!.getBoundingClientRect().width).toBe(Math.min(width, 416));
      const bare = makeProduct(5).product;
      delete bare.image;
      for (const product of [withImage(1200, 900), withImage(1200, 1800), bare]) {
        expect(card(product, width).getBoundingClientRect().height, `${width} px`).toBe(expected);
      }
    }
  });

  it('an element waiting for a storefront already shows its skeleton at the final size', async () => {
    defineElements();
    const el = document.createElement('vitrine-product');
    el.setAttribute('product-id', '31');
    // Whatever storefront earlier tests left as the default is destroyed: the element waits.
    host.append(el);
    const waiting = el.getBoundingClientRect().height;
    expect(el.shadowRoot!.querySelector('.card.skeleton')).not.toBeNull();
    expect(waiting).toBeGreaterThan(100);
    const done = rendered();
    (el as HTMLElement & { store: Storefront }).store = open();
    await done;
    expect(el.shadowRoot!.querySelector('.card:not(.skeleton)')).not.toBeNull();
    expect(el.getBoundingClientRect().height).toBe(waiting);
  });
});
