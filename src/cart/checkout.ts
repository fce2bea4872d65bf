import { VitrineError } from '../errors.js';
import { preview } from '../check.js';
import type { CheckoutTarget } from './types.js';

/**
 * The checkout hand-off (pure): the merchant's template, checked once when the cart is created, and
 * the target built from it for the current lines. Only ids and quantities leave the page — the shop
 * prices the order itself, so a tampered client can never set a price.
 *
 * The option:
 * - a string: a GET link, `'https://shop.example.com/cart/{lines}'`, `{lines}` once, in the path or
 *   the query (`'https://shop.example.com/checkout?items={lines}'`);
 * - `{ url, method: 'POST', field? }`: a form the page submits in the same tab to `url` (no
 *   `{lines}` in it), with one field `field` (default `'lines'`) holding the lines.
 *
 * `{lines}` is `id:quantity,id:quantity`, the shape of Shopify's cart permalinks
 * (`/cart/<variant id>:<qty>,…`). Shopify buys variants, so a line with a variant is sent by its
 * **variant id** (unique shop-wide there) and a line without one by its product id. Each id is
 * `encodeURIComponent`-escaped (ids are pattern-checked already: this is the second lock).
 */
export type CheckoutOption = string | { url: string; method: 'POST'; field?: string };

export type CheckoutTemplate = { method: 'GET'; href: string } | { method: 'POST'; action: string; field: string };

/** What leaves: the id the shop knows the line by, and how many. */
export interface CheckoutLine {
  productId: string;
  variantId?: string | undefined;
  quantity: number;
}

const PLACEHOLDER = '{lines}';
// Letters and digits only: the URL parser leaves it as it is wherever it stands, so it can be found again.
const MARKER = 'vitrinelines0placeholder';
const FIELD = /^[A-Za-z0-9_.[\]-]{1,64}$/;

const refuse = (why: string, got: unknown) =>
  new VitrineError('INVALID_OPTIONS', `Invalid checkout: ${why}, got ${preview(got)}`, { field: 'checkout' });

/** An absolute http(s) URL with a host and no credentials, spelled plainly (no whitespace, control characters or backslashes the URL parser would quietly fix up). */
function parseHttpUrl(text: string, got: unknown): URL {
  if (text.length > 2048) throw refuse('expected a URL of at most 2048 characters', got);
  // Scheme first, on the raw text: 'javascript:', 'data:', '//host' (protocol-relative) and relative paths all stop here.
  if (!/^https?:\/\/[^/?#]/i.test(text)) throw refuse('expected an absolute http:// or https:// URL', got);
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) throw refuse('expected a URL without whitespace, control characters or backslashes', got);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('expected a well-formed URL', got);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('expected an http:// or https:// URL', got);
  // A URL with user:password@ can disguise its real host ('https://shop.example.com@evil.test/') and leaks a secret.
  const authority = text.slice(text.indexOf('//') + 2).split(/[/?#]/)[0]!;
  if (url.username || url.password || authority.includes('@')) throw refuse('expected a URL without credentials', got);
  return url;
}

/** Checks the `checkout` option (INVALID_OPTIONS, field `checkout`); undefined stays undefined (no checkout). */
export function parseCheckout(option: unknown): CheckoutTemplate | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'string') {
    const first = option.indexOf(PLACEHOLDER);
    if (first < 0) throw refuse(`expected the URL to hold ${PLACEHOLDER} (where the lines go)`, option);
    if (option.indexOf(PLACEHOLDER, first + 1) >= 0) throw refuse(`expected ${PLACEHOLDER} once`, option);
    const url = parseHttpUrl(option.replace(PLACEHOLDER, MARKER), option);
    // Only where an id list belongs: never the host (the lines would pick the site), the port or the
    // fragment (never sent to the shop). Counted in the parsed URL, which lowercases and decodes the host:
    // a host spelling the marker itself ('%76itrine…') must not become a second place to fill in.
    if (url.href.split(MARKER).length !== 2 || (!url.pathname.includes(MARKER) && !url.search.includes(MARKER))) {
      throw refuse(`expected ${PLACEHOLDER} in the path or the query`, option);
    }
    return { method: 'GET', href: url.href };
  }
  if (option !== null && typeof option === 'object' && !Array.isArray(option)) {
    const { url, method, field = 'lines', ...rest } = option as { url?: unknown; method?: unknown; field?: unknown };
    const unknown = Object.keys(rest);
    if (unknown.length) throw refuse(`unknown key(s) ${unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`, option);
    if (method !== 'POST') throw refuse('expected method: "POST" (a GET checkout is a URL string)', method);
    if (typeof url !== 'string') throw refuse('expected url to be a string', url);
    if (url.includes(PLACEHOLDER)) throw refuse(`expected no ${PLACEHOLDER} in a POST URL (the lines go in the form field)`, url);
    if (typeof field !== 'string' || !FIELD.test(field)) throw refuse('expected field to be 1–64 letters, digits, _ . - [ or ]', field);
    return { method: 'POST', action: parseHttpUrl(url, url).href, field };
  }
  throw refuse(`expected a URL string with ${PLACEHOLDER} or { url, method: "POST", field? }`, option);
}

/** `id:qty,id:qty` with each id escaped; a variant line goes by its variant id (as Shopify's permalinks do). */
export const linesParam = (lines: readonly CheckoutLine[]): string =>
  lines.map((line) => `${encodeURIComponent(line.variantId ?? line.productId)}:${line.quantity}`).join(',');

/** The target for these lines: a same-tab link or form, never a pop-up. */
export function buildCheckout(template: CheckoutTemplate, lines: readonly CheckoutLine[]): CheckoutTarget {
  const value = linesParam(lines);
  return template.method === 'GET'
    ? { method: 'GET', href: template.href.replace(MARKER, value) }
    : { method: 'POST', action: template.action, fields: [[template.field, value]] };
}
