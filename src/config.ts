import { VitrineError } from './errors.js';
import { boolean, describe, func, number, object, optional, refine, run, string } from './check.js';
import { RELEASE_PATTERN } from './vitals/limits.js';

export type ImageVariant = 'image' | 'thumbnail' | 'smallThumbnail';

/** What `createStorefront` accepts. Every field but the four bases has a default. */
export interface StorefrontOptions {
  storeId: string;
  /** Store API base, e.g. `https://api.example.com`. */
  api: string;
  /** Asset CDN base. */
  cdn: string;
  /** Asset origin base: the same paths as the CDN. */
  origin: string;
  /**
   * The API's own origin behind its CDN (the same paths as `api`): a blank, undecodable, 5xx or
   * timed-out answer from `api` is tried once here, and that API URL is remembered bad.
   */
  apiOrigin?: string;
  /** Where the vitals beacon is POSTed; no beacon without it. */
  collector?: string;
  /** Your own release tag (1–64 of A–Z a–z 0–9 . _ + -), sent in every vitals report as `release`. */
  release?: string;
  batch?: { maxSize?: number; waitMs?: number };
  cache?: { ttlMs?: number; persist?: boolean; dbName?: string };
  retry?: {
    /** Total tries per request, the first included. */
    attempts?: number;
    /** Share of requests that may be retries, page-wide (0.1 = 10%). */
    budget?: number;
    /** Retries always allowed on top of the share, so a page with few requests can still retry. */
    budgetFloor?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
  };
  /** Per API request timeout. */
  timeoutMs?: number;
  images?: {
    /** Tokens: {base} {storeId} {key} {width}. */
    template?: string;
    widths?: Partial<Record<ImageVariant, number>>;
  };
  assets?: {
    /** How long a CDN URL found bad is remembered (IndexedDB). */
    badTtlMs?: number;
    /** Distinct failures on one CDN host in a page before its breaker opens. */
    breakerThreshold?: number;
    breakerTtlMs?: number;
    /** A visible CDN image not arrived by then falls back to the origin. */
    imageTimeoutMs?: number;
    /** Scripts, styles and JSON. */
    timeoutMs?: number;
    /**
     * Load images with CORS and catch a truncated body by its pixels (Chromium paints the missing
     * rows transparent and reports success). Needs Access-Control-Allow-Origin on CDN and origin.
     */
    checkPixels?: boolean;
  };
  /** Share of sessions that send a vitals report, 0..1. */
  sampleRate?: number;
  /** Redact or drop (return null) a report before it is sent. */
  beforeSend?: (report: unknown) => unknown;
  /** Injectable fetch (tests, server rendering, instrumentation). */
  fetch?: typeof fetch;
}

export interface ResolvedOptions {
  storeId: string;
  api: string;
  cdn: string;
  origin: string;
  apiOrigin: string | undefined;
  collector: string | undefined;
  release: string | undefined;
  batch: { maxSize: number; waitMs: number };
  cache: { ttlMs: number; persist: boolean; dbName: string };
  retry: { attempts: number; budget: number; budgetFloor: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  images: { template: string; widths: Record<ImageVariant, number> };
  assets: { badTtlMs: number; breakerThreshold: number; breakerTtlMs: number; imageTimeoutMs: number; timeoutMs: number; checkPixels: boolean };
  sampleRate: number;
  beforeSend: ((report: unknown) => unknown) | undefined;
  fetch: typeof fetch;
}

export const DEFAULT_IMAGE_TEMPLATE = '{base}/images/{storeId}/{key}/{width}.webp';

const positiveInt = () => number({ int: true, min: 1 });
const nonNegative = () => number({ min: 0 });
const httpUrl = () =>
  refine(string(), (v) => /^https?:\/\/[^\s/]+/i.test(v) || v.startsWith('/'), 'an absolute http(s) URL or a path starting with /');

const optionsCheck = object(
  {
    storeId: string({ pattern: /^[A-Za-z0-9_-]{1,64}$/, format: '1–64 letters, digits, _ or -' }),
    api: httpUrl(),
    cdn: httpUrl(),
    origin: httpUrl(),
    apiOrigin: optional(httpUrl()),
    collector: optional(httpUrl()),
    release: optional(string({ pattern: RELEASE_PATTERN, format: '1–64 letters, digits, . _ + or -' })),
    batch: optional(object({ maxSize: optional(number({ int: true, min: 1, max: 500 })), waitMs: optional(nonNegative()) }, true)),
    cache: optional(object({ ttlMs: optional(nonNegative()), persist: optional(boolean), dbName: optional(string({ min: 1 })) }, true)),
    retry: optional(
      object(
        {
          attempts: optional(number({ int: true, min: 1, max: 10 })),
          budget: optional(number({ min: 0, max: 1 })),
          budgetFloor: optional(number({ int: true, min: 0 })),
          baseDelayMs: optional(nonNegative()),
          maxDelayMs: optional(nonNegative()),
        },
        true,
      ),
    ),
    timeoutMs: optional(positiveInt()),
    images: optional(
      object(
        {
          template: optional(refine(string(), (v) => v.includes('{key}') && v.includes('{width}'), 'a template with {key} and {width}')),
          widths: optional(object({ image: optional(positiveInt()), thumbnail: optional(positiveInt()), smallThumbnail: optional(positiveInt()) }, true)),
        },
        true,
      ),
    ),
    assets: optional(
      object(
        {
          badTtlMs: optional(nonNegative()),
          breakerThreshold: optional(positiveInt()),
          breakerTtlMs: optional(nonNegative()),
          imageTimeoutMs: optional(positiveInt()),
          timeoutMs: optional(positiveInt()),
          checkPixels: optional(boolean),
        },
        true,
      ),
    ),
    sampleRate: optional(number({ min: 0, max: 1 })),
    beforeSend: optional(func<(report: unknown) => unknown>('a function')),
    fetch: optional(func<typeof fetch>('a fetch-compatible function')),
  },
  true,
);

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Validates options and fills defaults; throws `INVALID_OPTIONS` naming the field. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === null || typeof input !== 'object') {
    throw new VitrineError('INVALID_OPTIONS', `createStorefront() expects an options object with storeId, api, cdn and origin, got ${input === null ? 'null' : typeof input}`, {
      field: '(root)',
    });
  }
  const parsed = run(optionsCheck, input);
  if (!parsed.ok) {
    const { field, text } = describe(parsed.issue);
    throw new VitrineError('INVALID_OPTIONS', `Invalid option ${text}`, { field });
  }
  const o = parsed.value;
  const fetchImpl = o.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchImpl) {
    throw new VitrineError('INVALID_OPTIONS', 'Invalid option fetch: no global fetch in this environment; pass options.fetch', { field: 'fetch' });
  }
  return {
    storeId: o.storeId,
    api: trimSlash(o.api),
    cdn: trimSlash(o.cdn),
    origin: trimSlash(o.origin),
    apiOrigin: o.apiOrigin && trimSlash(o.apiOrigin),
    collector: o.collector,
    release: o.release,
    batch: { maxSize: o.batch?.maxSize ?? 50, waitMs: o.batch?.waitMs ?? 0 },
    cache: { ttlMs: o.cache?.ttlMs ?? 5 * 60_000, persist: o.cache?.persist ?? true, dbName: o.cache?.dbName ?? 'vitrine' },
    retry: {
      attempts: o.retry?.attempts ?? 3,
      budget: o.retry?.budget ?? 0.1,
      budgetFloor: o.retry?.budgetFloor ?? 3,
      baseDelayMs: o.retry?.baseDelayMs ?? 300,
      maxDelayMs: o.retry?.maxDelayMs ?? 10_000,
    },
    timeoutMs: o.timeoutMs ?? 10_000,
    images: {
      template: o.images?.template ?? DEFAULT_IMAGE_TEMPLATE,
      widths: {
        image: o.images?.widths?.image ?? 1200,
        thumbnail: o.images?.widths?.thumbnail ?? 400,
        smallThumbnail: o.images?.widths?.smallThumbnail ?? 160,
      },
    },
    assets: {
      badTtlMs: o.assets?.badTtlMs ?? 60 * 60_000,
      breakerThreshold: o.assets?.breakerThreshold ?? 3,
      breakerTtlMs: o.assets?.breakerTtlMs ?? 5 * 60_000,
      imageTimeoutMs: o.assets?.imageTimeoutMs ?? 8_000,
      timeoutMs: o.assets?.timeoutMs ?? 10_000,
      checkPixels: o.assets?.checkPixels ?? false,
    },
    sampleRate: o.sampleRate ?? 1,
    beforeSend: o.beforeSend,
    fetch: fetchImpl,
  };
}

