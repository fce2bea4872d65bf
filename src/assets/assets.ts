import type { ImageVariant, ResolvedOptions } from '../config.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import type { Product } from '../data/schema.js';
import { objectArg } from '../check.js';
import { VitrineError } from '../errors.js';
import type { AssetKind, EventBus } from '../events.js';
import type { AttemptContext, AttemptResult, FallbackDeps } from './fallback.js';
import { loadWithFallback } from './load-recover.js';
import type { AssetHealth } from './health.js';
import { loadImage, type ImageOptions, type ImageResult } from './load-image.js';
import { createExtrasLoader } from './load-extras.js';
import { attemptScript, type ScriptOptions } from './load-script.js';
import type { StyleOptions } from './load-style.js';
import { allowScriptBases } from './trusted-types.js';
import { assetUrl } from './urls.js';

export type { ImageOptions, ImageResult, ScriptOptions, StyleOptions };

export interface AssetResult<T> {
  host: 'cdn' | 'origin';
  url: string;
  value: T;
}

export interface Assets {
  /**
   * Resilient `<img>` load; a failed load never rejects (a placeholder is shown when no host delivers).
   * A product that is not an object, or an unknown variant, is INVALID_OPTIONS, as for `images.url()`.
   */
  image(img: HTMLImageElement, product: Product, variant: ImageVariant, opts?: ImageOptions): Promise<ImageResult>;
  /** Rejects with `ASSET_FAILED` when neither the CDN nor the origin delivered a script that ran. */
  script(path: string, opts?: ScriptOptions & { signal?: AbortSignal }): Promise<AssetResult<HTMLScriptElement>>;
  style(path: string, opts?: StyleOptions & { signal?: AbortSignal }): Promise<AssetResult<HTMLLinkElement>>;
  json<T = unknown>(path: string, opts?: { signal?: AbortSignal }): Promise<AssetResult<T>>;
}

export interface AssetsDeps {
  options: ResolvedOptions;
  bus: EventBus;
  budget: RetryBudget;
  health: AssetHealth;
  /** The storefront's lifetime: destroy() aborts every pending load. */
  signal: AbortSignal;
  now?: () => number;
  random?: () => number;
}

export function createAssets({ options, bus, budget, health, signal, now, random }: AssetsDeps): Assets {
  // attempts, baseDelayMs and maxDelayMs are the retry options' own (its budget is the page's, below).
  const fallback: FallbackDeps = { ...options.retry, bus, budget, health, now, random };
  const signalFor = (own?: AbortSignal) => (own ? anySignal([signal, own]) : signal);

  async function load<T>(
    kind: AssetKind,
    path: string,
    own: AbortSignal | undefined,
    attempt: (url: string, ctx: AttemptContext) => Promise<AttemptResult<T>>,
  ): Promise<AssetResult<T>> {
    const cdnUrl = assetUrl(options.cdn, path);
    const originUrl = assetUrl(options.origin, path);
    const result = await loadWithFallback({ kind, cdnUrl, originUrl, signal: signalFor(own), attempt: (url, _host, ctx) => attempt(url, ctx) }, fallback);
    if (result.outcome !== 'ok' || result.host === 'none') {
      const error = new VitrineError('ASSET_FAILED', `Expected a usable ${kind} at ${path} from the CDN or the origin, got "${result.outcome}" from both`, { url: originUrl });
      bus.emit('error', { code: error.code, message: error.message, url: originUrl });
      throw error;
    }
    return { host: result.host, url: result.url, value: result.value as T };
  }

  function script(path: string, opts: ScriptOptions & { signal?: AbortSignal } = {}): Promise<AssetResult<HTMLScriptElement>> {
    allowScriptBases(options.cdn, options.origin);
    return load('script', path, opts.signal, (url, ctx) => attemptScript(url, ctx, opts, options.assets.timeoutMs));
  }
  const extras = createExtrasLoader(script);
  // A loader file that cannot be had is the asset's failure, as the asset itself would be.
  const failed = (kind: AssetKind, path: string) => (): never => {
    throw new VitrineError('ASSET_FAILED', `Expected the ${kind} loader for ${path}, but its code did not load`, { url: path });
  };

  return {
    async image(img, product, variant, opts = {}) {
      // Thrown in an async function: a rejection, as every other failure of the call (an unknown
      // variant is refused by loadImage's first imageUrl(), before the element is touched).
      objectArg('product', product);
      return loadImage(
        img,
        product,
        variant,
        opts,
        {
          // cdn and origin are the options' own.
          ...options,
          ...fallback,
          urls: { ...options.images, storeId: options.storeId },
          timeoutMs: options.assets.imageTimeoutMs,
          checkPixels: options.assets.checkPixels ? () => extras().then((x) => x.looksTruncated) : undefined,
        },
        signalFor(opts.signal),
      );
    },
    script,
    async style(path, opts = {}) {
      const x = await extras().catch(failed('style', path));
      return load('style', path, opts.signal, (url, ctx) => x.attemptStyle(url, ctx, opts, options.assets.timeoutMs));
    },
    async json<T>(path: string, opts: { signal?: AbortSignal } = {}) {
      const x = await extras().catch(failed('json', path));
      return load('json', path, opts.signal, (url, ctx) => x.attemptJson(options.fetch, url, ctx, options.assets.timeoutMs) as Promise<AttemptResult<T>>);
    },
  };
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
