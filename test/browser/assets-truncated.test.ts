import { afterEach, describe, expect, it } from 'vitest';
import { looksTruncated } from '../../src/assets/pixels.js';
import { addFault, countRequests, makeStore, productWithImage, removeFaults, visibleImg } from './assets-fixture.js';

afterEach(async () => {
  await removeFaults();
  document.body.replaceChildren();
});

/** A real encoded image (Chromium's own encoder), optionally cut short, loaded from a blob URL. */
async function encoded(type: string, draw: (ctx: CanvasRenderingContext2D) => void, keep = 1): Promise<HTMLImageElement> {
  const canvas = document.createElement('canvas');
  canvas.width = 200;
  canvas.height = 150;
  draw(canvas.getContext('2d')!);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, 0.8));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const img = new Image();
  img.src = URL.createObjectURL(new Blob([bytes.slice(0, Math.floor(bytes.length * keep))], { type }));
  await img.decode();
  return img;
}

const noise = (ctx: CanvasRenderingContext2D) => {
  for (let y = 0; y < 150; y += 5)
    for (let x = 0; x < 200; x += 5) {
      ctx.fillStyle = `rgb(${(x * 7 + y * 3) % 255},${(x * y) % 255},${(y * 11) % 255})`;
      ctx.fillRect(x, y, 5, 5);
    }
};
// A product cut-out: transparent all around, the product in the middle.
const cutout = (ctx: CanvasRenderingContext2D) => {
  ctx.fillStyle = 'rgb(200, 40, 40)';
  ctx.beginPath();
  ctx.ellipse(100, 75, 60, 50, 0, 0, Math.PI * 2);
  ctx.fill();
};

describe('truncated image bodies (Chromium paints the missing rows transparent and calls it a success)', () => {
  for (const type of ['image/webp', 'image/jpeg', 'image/png']) {
    it(`a ${type} cut in half is recognised, and the whole one is not`, async () => {
      expect(looksTruncated(await encoded(type, noise, 0.5))).toBe(true);
      expect(looksTruncated(await encoded(type, noise))).toBe(false);
    });
  }

  it('a product photo with a transparent background is not mistaken for a truncated one', async () => {
    expect(looksTruncated(await encoded('image/png', cutout))).toBe(false);
    expect(looksTruncated(await encoded('image/webp', cutout))).toBe(false);
  });

  it('with checkPixels, a truncated CDN image is replaced by the origin copy at 1 CDN + 1 origin request', async () => {
    const { store, storeId, events } = makeStore({ assets: { checkPixels: true } });
    await addFault({ host: 'cdn', fault: 'truncate', path: `/images/${storeId}/*` });
    const img = visibleImg();
    const result = await store.assets.image(img, productWithImage(12), 'thumbnail');
    expect(result).toMatchObject({ host: 'origin', outcome: 'ok' });
    expect(img.crossOrigin).toBe('anonymous');
    expect(looksTruncated(img)).toBe(false);
    expect(events.map((e) => [e.host, e.outcome, e.reason ?? ''])).toEqual([
      ['cdn', 'empty', 'truncated'],
      ['origin', 'ok', ''],
    ]);
    expect(await countRequests(`/images/${storeId}/`)).toMatchObject({ cdn: 1, origin: 1 });
    store.destroy();
  });

  it('with checkPixels and a healthy CDN, images still come from the CDN alone', async () => {
    const { store, storeId } = makeStore({ assets: { checkPixels: true } });
    const result = await store.assets.image(visibleImg(), productWithImage(13), 'thumbnail');
    expect(result).toMatchObject({ host: 'cdn', outcome: 'ok' });
    expect(await countRequests(`/images/${storeId}/`)).toMatchObject({ cdn: 1, origin: 0 });
    store.destroy();
  });

  it('without checkPixels (the default: no CORS needed) a truncated CDN image is shown as it came', async () => {
    const { store, storeId } = makeStore();
    await addFault({ host: 'cdn', fault: 'truncate', path: `/images/${storeId}/*` });
    const img = visibleImg();
    const result = await store.assets.image(img, productWithImage(14), 'thumbnail');
    expect(result).toMatchObject({ host: 'cdn', outcome: 'ok' });
    expect(img.crossOrigin).toBeNull();
    store.destroy();
  });
});
