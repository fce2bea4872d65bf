/**
 * Chromium shows an image whose body was cut short (a truncated CDN copy with a matching
 * Content-Length) as a success: `load` fires, `decode()` resolves, `naturalWidth` is right, and
 * the rows it never received are transparent. An opaque top over a fully transparent bottom row is
 * that signature (a product photo with a transparent background has transparent top corners too);
 * a small WebP cut short decodes to nothing at all, and a fully transparent "photo" is as blank as
 * a zero-byte one.
 * Reading pixels needs a CORS-clean image, hence opt-in (`assets.checkPixels`).
 *
 * Returns undefined when it cannot tell (no canvas, a tainted image).
 */
export function looksTruncated(img: HTMLImageElement, size = 8): boolean | undefined {
  try {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return undefined;
    ctx.drawImage(img, 0, 0, size, size);
    const alpha = Array.from(ctx.getImageData(0, 0, size, size).data.filter((_, i) => i % 4 === 3));
    const row = (r: number) => alpha.slice(r * size, (r + 1) * size);
    const clear = (values: number[]) => values.every((a) => a === 0);
    return clear(row(size - 1)) && (row(0).every((a) => a === 255) || clear(alpha));
  } catch {
    return undefined;
  }
}
