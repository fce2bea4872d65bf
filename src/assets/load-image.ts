import type { ImageVariant } from '../config.js';
import type { Product } from '../data/schema.js';
import type { AssetHost } from '../events.js';
import type { AttemptContext, AttemptResult, FallbackDeps, FallbackResult } from './fallback.js';
import { loadWithFallback } from './load-recover.js';
import { errorOutcome, factsExtra } from './element-attempt.js';
import { isBlank, timingFacts } from './timing.js';
import { abortReason } from '../lib/signals.js';
import { imageBox, imageSrcset, imageUrl, PLACEHOLDER_ATTRIBUTE, sortedVariants, type ImageUrlOptions } from './urls.js';

export interface ImageOptions {
  /** `sizes` attribute; defaults to the variant's width, so a 1× screen picks exactly that variant. */
  sizes?: string;
  signal?: AbortSignal;
}

export interface ImageResult {
  /** Where the shown bytes came from; `none` when a placeholder is shown. */
  host: AssetHost | 'none';
  url: string | undefined;
  outcome: FallbackResult<unknown>['outcome'];
}

/** Whether a loaded image is a truncated body (undefined: cannot tell). */
export type PixelCheck = (img: HTMLImageElement) => boolean | undefined;

export interface ImageLoaderDeps extends FallbackDeps {
  urls: ImageUrlOptions;
  cdn: string;
  origin: string;
  /** A CDN (or origin) image not arrived this long after it became visible is given up on. */
  timeoutMs: number;
  /**
   * With `assets.checkPixels`: loads the pixel check (see pixels.ts), so images load with CORS and one
   * whose bottom rows never arrived is a blank. Opt-in, so its code is not in the core bundle.
   */
  checkPixels?: (() => Promise<PixelCheck>) | undefined;
}

/**
 * Fills an `<img>` for one product variant and makes sure it shows real pixels: a load that decodes
 * to nothing, a rejected `decode()`, an empty body seen by Resource Timing, an error, or a visible
 * image that does not arrive in time all count as failures, and the same path is loaded from the
 * origin. Never rejects: when no host delivers, the element becomes a placeholder (no `src`,
 * `data-vitrine-placeholder="failed"`, alt text kept) rather than a broken image.
 */
export async function loadImage(
  img: HTMLImageElement,
  product: Product,
  variant: ImageVariant,
  opts: ImageOptions,
  deps: ImageLoaderDeps,
  signal: AbortSignal,
): Promise<ImageResult> {
  // First: an unknown variant throws here, before the element is touched (assets.image() rejects).
  const cdnUrl = imageUrl(product, variant, deps.cdn, deps.urls);
  const originUrl = imageUrl(product, variant, deps.origin, deps.urls);
  // An explicit alt="" is kept: the caller already shows the name next to the image (decorative).
  if (!img.hasAttribute('alt')) img.alt = product.image?.alt ?? product.name;
  const box = imageBox(product, variant, deps.urls.widths);
  if (!box || cdnUrl === undefined || originUrl === undefined) {
    placeholder(img, 'no-image');
    return { host: 'none', url: undefined, outcome: 'skipped' };
  }
  img.width = box.width;
  img.height = box.height;
  img.loading = 'lazy';
  img.decoding = 'async';
  const sizes = opts.sizes ?? `${box.width}px`;
  // The element may pick any srcset candidate (2× screens), so a bad one sends the whole image to the origin.
  await deps.health.ready;
  // A check whose file cannot be had cannot tell: the image still loads with CORS, unchecked.
  const truncated = deps.checkPixels && (await deps.checkPixels().catch((): PixelCheck => () => undefined));
  const cdnCandidates = sortedVariants(deps.urls.widths).map((v) => imageUrl(product, v, deps.cdn, deps.urls) ?? '');
  const badCandidate = cdnCandidates.map((u) => deps.health.verdict(u)).find((v) => v !== undefined);
  try {
    const result = await loadWithFallback(
      {
        kind: 'image',
        cdnUrl,
        originUrl,
        skip: badCandidate,
        signal,
        attempt: (url, host, ctx) => attemptImage(img, url, imageSrcset(product, host === 'cdn' ? deps.cdn : deps.origin, deps.urls) ?? '', sizes, ctx, deps.timeoutMs, truncated),
      },
      deps,
    );
    if (result.outcome !== 'ok') placeholder(img, 'failed');
    return { host: result.host, url: result.url, outcome: result.outcome };
  } catch {
    // Aborted (destroy() or the caller's signal): leave the element as it is, report nothing shown.
    return { host: 'none', url: undefined, outcome: 'skipped' };
  }
}

function placeholder(img: HTMLImageElement, why: 'no-image' | 'failed'): void {
  img.removeAttribute('srcset');
  img.removeAttribute('src');
  img.setAttribute(PLACEHOLDER_ATTRIBUTE, why);
}

/** One attempt on one host: set the sources and wait for real pixels, an error, or the visible-timeout. */
export function attemptImage(
  img: HTMLImageElement,
  src: string,
  srcset: string,
  sizes: string,
  ctx: AttemptContext,
  timeoutMs: number,
  checkPixels?: PixelCheck,
): Promise<AttemptResult<HTMLImageElement>> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let observer: IntersectionObserver | undefined;
    const finish = (result: AttemptResult<HTMLImageElement> | Error) => {
      clearTimeout(timer);
      observer?.disconnect();
      img.removeEventListener('load', settle);
      img.removeEventListener('error', settle);
      ctx.signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(abortReason(ctx.signal));
    // load and error alike: what the element last fetched, and what Resource Timing saw of it.
    const settle = (event: Event) => {
      const url = img.currentSrc || src;
      const facts = timingFacts(url);
      const extra = { url, ...factsExtra(facts) };
      const empty = (reason: string) => finish({ outcome: 'empty', reason, ...extra });
      // A 200 the browser could not decode (zero bytes, HTML, cut short) is a blank, not an outage.
      if (event.type === 'error') return isBlank(facts) ? empty('empty-body') : finish({ ...errorOutcome<HTMLImageElement>(url, false), url });
      if (img.naturalWidth === 0) return empty('naturalWidth=0');
      // No decode() (older engines, fakes): the load alone.
      Promise.resolve(img.decode?.()).then(
        () => {
          if (isBlank(facts)) empty('empty-body');
          else if (checkPixels?.(img)) empty('truncated');
          else finish({ outcome: 'ok', value: img, ...extra });
        },
        () => empty('decode-failed'),
      );
    };
    const startTimer = () => {
      timer ??= setTimeout(() => finish({ outcome: 'timeout', url: img.currentSrc || src, reason: `not arrived ${timeoutMs}ms after becoming visible` }), timeoutMs);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    img.addEventListener('load', settle);
    img.addEventListener('error', settle);
    img.removeAttribute(PLACEHOLDER_ATTRIBUTE);
    img.sizes = sizes;
    if (checkPixels) img.crossOrigin = 'anonymous';
    if (ctx.reload && img.getAttribute('src') === src) img.removeAttribute('src');
    img.srcset = srcset;
    img.src = src;
    // Slow is not broken: the clock starts only once the shopper could see the image.
    if (typeof IntersectionObserver === 'function') {
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) startTimer();
      });
      observer.observe(img);
    } else startTimer();
  });
}
