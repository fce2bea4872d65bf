import { VitrineError } from './errors.js';
import { z, describeIssues } from './validate.js';

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
  /** Where the vitals beacon is POSTed; no beacon without it. */
  collector?: string;
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
  collector: string | undefined;
  batch: { maxSize: number; waitMs: number };
  cache: { ttlMs: number; persist: boolean; dbName: string };
  retry: { attempts: number; budget: number; budgetFloor: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  images: { template: string; widths: Record<ImageVariant, number> };
  assets: { badTtlMs: number; breakerThreshold: number; breakerTtlMs: number; imageTimeoutMs: number; timeoutMs: number };
  sampleRate: number;
  beforeSend: ((report: unknown) => unknown) | undefined;
  fetch: typeof fetch;
}

export const DEFAULT_IMAGE_TEMPLATE = '{base}/images/{storeId}/{key}/{width}.webp';

const positiveInt = () => z.number().check(z.int(), z.minimum(1));
const nonNegative = () => z.number().check(z.minimum(0));
const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { message: `expected ${what}` });
const httpUrl = () =>
  z.string().check(
    z.refine((v) => /^https?:\/\/[^\s/]+/i.test(v) || v.startsWith('/'), {
      message: 'expected an absolute http(s) URL or a path starting with /',
    }),
  );

const OptionsSchema = z.strictObject({
  storeId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected 1–64 letters, digits, _ or -' })),
  api: httpUrl(),
  cdn: httpUrl(),
  origin: httpUrl(),
  collector: z.optional(httpUrl()),
  batch: z.optional(z.strictObject({ maxSize: z.optional(positiveInt().check(z.maximum(500))), waitMs: z.optional(nonNegative()) })),
  cache: z.optional(
    z.strictObject({ ttlMs: z.optional(nonNegative()), persist: z.optional(z.boolean()), dbName: z.optional(z.string().check(z.minLength(1))) }),
  ),
  retry: z.optional(
    z.strictObject({
      attempts: z.optional(positiveInt().check(z.maximum(10))),
      budget: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
      budgetFloor: z.optional(z.number().check(z.int(), z.minimum(0))),
      baseDelayMs: z.optional(nonNegative()),
      maxDelayMs: z.optional(nonNegative()),
    }),
  ),
  timeoutMs: z.optional(positiveInt()),
  images: z.optional(
    z.strictObject({
      template: z.optional(
        z.string().check(z.refine((v) => v.includes('{key}') && v.includes('{width}'), { message: 'expected a template with {key} and {width}' })),
      ),
      widths: z.optional(
        z.strictObject({ image: z.optional(positiveInt()), thumbnail: z.optional(positiveInt()), smallThumbnail: z.optional(positiveInt()) }),
      ),
    }),
  ),
  assets: z.optional(
    z.strictObject({
      badTtlMs: z.optional(nonNegative()),
      breakerThreshold: z.optional(positiveInt()),
      breakerTtlMs: z.optional(nonNegative()),
      imageTimeoutMs: z.optional(positiveInt()),
      timeoutMs: z.optional(positiveInt()),
    }),
  ),
  sampleRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  beforeSend: z.optional(fn<(report: unknown) => unknown>('a function')),
  fetch: z.optional(fn<typeof fetch>('a fetch-compatible function')),
});

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Validates options and fills defaults; throws `INVALID_OPTIONS` naming the field. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === null || typeof input !== 'object') {
    throw new VitrineError('INVALID_OPTIONS', `createStorefront() expects an options object with storeId, api, cdn and origin, got ${input === null ? 'null' : typeof input}`, {
      field: '(root)',
    });
  }
  const parsed = OptionsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const { field, text } = describeIssues(parsed.error.issues);
    throw new VitrineError('INVALID_OPTIONS', `Invalid option ${text}`, { field, cause: parsed.error });
  }
  const o = parsed.data;
  const fetchImpl = o.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchImpl) {
    throw new VitrineError('INVALID_OPTIONS', 'Invalid option fetch: no global fetch in this environment; pass options.fetch', { field: 'fetch' });
  }
  return {
    storeId: o.storeId,
    api: trimSlash(o.api),
    cdn: trimSlash(o.cdn),
    origin: trimSlash(o.origin),
    collector: o.collector,
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
    },
    sampleRate: o.sampleRate ?? 1,
    beforeSend: o.beforeSend,
    fetch: fetchImpl,
  };
}

