import { VitrineError } from './errors.js';
import { boolean, describe, fail, func, number, object, optional, refine, run, string, type Check } from './check.js';
import { RELEASE_PATTERN } from './vitals/limits.js';
import { canonicalLocale } from './i18n/locale.js';
import { isMessageKey } from './i18n/keys.js';
import type { CheckoutOption } from './cart/checkout.js';
import { checkCheckout } from './cart/load-checkout.js';

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
  /**
   * Where the cart checks out, which also turns on "Add to cart" on the cards: a same-tab link
   * `'https://shop.example.com/cart/{lines}'` (`{lines}` = `id:qty,…`, Shopify's cart-permalink
   * shape) or a POSTed form `{ url, method: 'POST', field? }`. Refused at creation when not http(s).
   */
  checkout?: CheckoutOption;
  /**
   * The widgets' and the cart's language, a BCP 47 tag (`de`, `de-AT`, `ar`); prices follow it too.
   * Default: `<html lang>`, else `navigator.language`, else English (README "Languages").
   */
  locale?: string;
  /** Your own text for any message key (README "Languages"), e.g. `{ retry: 'Nochmal laden' }`; wins over every table. */
  messages?: Record<string, string>;
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
  checkout: CheckoutOption | undefined;
  /** Canonical ('DE-at' → 'de-AT'); undefined: chosen from the page when the widgets render. */
  locale: string | undefined;
  messages: Readonly<Record<string, string>> | undefined;
}

export const DEFAULT_IMAGE_TEMPLATE = '{base}/images/{storeId}/{key}/{width}.webp';

const int = (min: number, max?: number) => number({ int: true, min, max });
/** What setTimeout can wait (2³¹ − 1 ms, 24.8 days): past it, browsers fire at once. */
const TIMER_MAX = 2147483647;
const ms = number({ min: 0 });
const delay = number({ min: 0, max: TIMER_MAX });
const positive = int(1);
const timeout = int(1, TIMER_MAX);
// No credentials (fetch refuses them, so every request would fail as NETWORK) and no `//host` posing
// as a path: a base is the merchant's own host, or a path on the page's.
const httpUrl = refine(string(), (v) => /^(https?:\/\/[^\s/@?#\\]+(\/|$)|\/(?![/\\]))/i.test(v), 'an absolute http(s) URL without credentials, or a path starting with one /');
/** A base the SDK appends paths to (api, cdn, origin, apiOrigin): checked, then without its trailing slashes. */
const base: Check<string> = (v, p) => httpUrl(v, p).replace(/\/+$/, '');

/** A BCP 47 tag, returned in its canonical form. */
const locale: Check<string> = (v, p) => canonicalLocale(string()(v, p)) ?? fail(p, 'expected a BCP 47 tag like "de-AT"', v);
/** Message key → text; each key is named in its own field (`messages.retry`) when unknown or not a string. */
const messages: Check<Record<string, string>> = (v, p) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(p, 'expected an object of key → text (data-messages: in JSON)', v);
  const out: Record<string, string> = {};
  for (const key of Object.keys(v as object)) {
    const field = `${p}.${key.slice(0, 40)}`;
    if (!isMessageKey(key)) fail(field, 'expected a message key', key);
    out[key] = string()((v as Record<string, unknown>)[key], field);
  }
  return out;
};

/** A group of options: any other key rejected by name, and every key has its default (a group left out is all defaults). */
const group = (shape: Record<string, Check<unknown>>) => object(shape, true);

/** The options' shape with their defaults (optional()'s fallback): what the given options leave out is filled from there. */
const optionsCheck = object(
  {
    storeId: string({ pattern: /^[A-Za-z0-9_-]{1,64}$/, format: '1–64 letters, digits, _ or -' }),
    api: base,
    cdn: base,
    origin: base,
    apiOrigin: optional(base),
    collector: optional(httpUrl),
    release: optional(string({ pattern: RELEASE_PATTERN, format: '1–64 letters, digits, . _ + or -' })),
    batch: group({ maxSize: optional(int(1, 500), 50), waitMs: optional(delay, 0) }),
    cache: group({ ttlMs: optional(ms, 5 * 60_000), persist: optional(boolean, true), dbName: optional(string({ min: 1 }), 'vitrine') }),
    retry: group({
      attempts: optional(int(1, 10), 3),
      budget: optional(number({ min: 0, max: 1 }), 0.1),
      budgetFloor: optional(int(0), 3),
      baseDelayMs: optional(delay, 300),
      maxDelayMs: optional(delay, 10_000),
    }),
    timeoutMs: optional(timeout, 10_000),
    images: group({
      template: optional(
        refine(string(), (v) => v.includes('{key}') && v.includes('{width}'), 'a template with {key} and {width}'),
        DEFAULT_IMAGE_TEMPLATE,
      ),
      widths: group({ image: optional(positive, 1200), thumbnail: optional(positive, 400), smallThumbnail: optional(positive, 160) }),
    }),
    assets: group({
      badTtlMs: optional(ms, 60 * 60_000),
      breakerThreshold: optional(positive, 3),
      breakerTtlMs: optional(ms, 5 * 60_000),
      imageTimeoutMs: optional(timeout, 8_000),
      timeoutMs: optional(timeout, 10_000),
      checkPixels: optional(boolean, false),
    }),
    sampleRate: optional(number({ min: 0, max: 1 }), 1),
    beforeSend: optional(func('a function')),
    fetch: optional(func('a fetch-compatible function')),
    // Checked in full by checkCheckout() below, with its own messages.
    checkout: (v: unknown) => v,
    locale: optional(locale),
    messages: optional(messages),
  },
  true,
);

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
  const o = parsed.value as unknown as ResolvedOptions;
  if (!o.fetch) {
    if (typeof fetch !== 'function') {
      throw new VitrineError('INVALID_OPTIONS', 'Invalid option fetch: no global fetch in this environment; pass options.fetch', { field: 'fetch' });
    }
    o.fetch = fetch.bind(globalThis);
  }
  // Throws on a bad one, else hands the option back as given: nothing to assign.
  checkCheckout(o.checkout);
  return o;
}
