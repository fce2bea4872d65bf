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

// One message per rule broken, each naming what was expected: short, because this check runs in the
// script-tag bundle (it refuses a bad template when the storefront is created).
const refuse = (why: string, got: unknown) => new VitrineError('INVALID_OPTIONS', `Invalid checkout: expected ${why}, got ${preview(got)}`, { field: 'checkout' });

/**
 * An absolute http(s) URL with a host and no credentials, spelled plainly. Checked on the raw text
 * first: 'javascript:', 'data:', '//host' (protocol-relative) and relative paths fail the scheme;
 * whitespace, control characters and backslashes (which the URL parser would quietly fix up) and a
 * `user:password@` (which can disguise the real host: 'https://shop.example.com@evil.test/') fail too.
 */
function parseHttpUrl(text: string): URL | undefined {
  if (text.length > 2048 || !/^https?:\/\/[^/?#@]+([/?#]|$)/i.test(text) || /[\s\\\u0000-\u001f\u007f]/.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
const HTTP = 'an absolute http(s) URL (at most 2048 characters, no credentials, whitespace or backslashes)';

/** Checks the `checkout` option (INVALID_OPTIONS, field `checkout`); undefined stays undefined (no checkout). */
export function parseCheckout(option: unknown): CheckoutTemplate | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'string') {
    const url = parseHttpUrl(option.replace(PLACEHOLDER, MARKER));
    if (!url) throw refuse(`${HTTP} with ${PLACEHOLDER}`, option);
    // {lines} once, and only where an id list belongs: never the host (the lines would pick the site),
    // the port or the fragment (never sent to the shop). Counted in the parsed URL, which lowercases
    // and decodes the host: a host spelling the marker itself ('%76itrine…') must not become a second place.
    if (option.split(PLACEHOLDER).length !== 2 || url.href.split(MARKER).length !== 2 || !(url.pathname + url.search).includes(MARKER)) {
      throw refuse(`${PLACEHOLDER} once, in the URL's path or query`, option);
    }
    return { method: 'GET', href: url.href };
  }
  const { url, method, field = 'lines', ...rest } = (option ?? {}) as { url?: unknown; method?: unknown; field?: unknown };
  if (typeof option !== 'object' || Array.isArray(option) || method !== 'POST' || Object.keys(rest).length) {
    throw refuse(`a URL string with ${PLACEHOLDER} or { url, method: "POST", field? }`, option);
  }
  const action = typeof url === 'string' && !url.includes(PLACEHOLDER) && parseHttpUrl(url);
  if (!action) throw refuse(`url to be ${HTTP}, without ${PLACEHOLDER} (the lines go in the form field)`, url);
  if (typeof field !== 'string' || !FIELD.test(field)) throw refuse('field to be 1-64 letters, digits, _ . - [ or ]', field);
  return { method: 'POST', action: action.href, field };
}

/** `id:qty,id:qty` with each id escaped; a variant line goes by its variant id (as Shopify's permalinks do). */
export const linesParam = (lines: readonly CheckoutLine[]): string => lines.map((line) => `${encodeURIComponent(line.variantId ?? line.productId)}:${line.quantity}`).join(',');

/** The target for these lines: a same-tab link or form, never a pop-up. */
export function buildCheckout(template: CheckoutTemplate, lines: readonly CheckoutLine[]): CheckoutTarget {
  const value = linesParam(lines);
  return template.method === 'GET' ? { method: 'GET', href: template.href.replace(MARKER, value) } : { method: 'POST', action: template.action, fields: [[template.field, value]] };
}
