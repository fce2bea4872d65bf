/**
 * The one error type Vitrine throws or rejects with. `code` is stable and meant for
 * `switch`; the message is for humans and says what was expected and what came instead.
 */
export type VitrineErrorCode =
  | 'INVALID_OPTIONS'
  | 'HTTP'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'EMPTY_RESPONSE'
  | 'INVALID_RESPONSE'
  | 'INVALID_PRODUCT'
  | 'NOT_FOUND'
  | 'ABORTED'
  | 'ASSET_FAILED'
  | 'STORAGE'
  // The cart (src/cart): bad input to add / setQuantity / remove, and the checkout hand-off.
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_QUANTITY'
  | 'CURRENCY_MISMATCH'
  | 'CART_FULL'
  | 'VARIANT_REQUIRED'
  | 'UNKNOWN_VARIANT'
  | 'CHECKOUT_UNAVAILABLE'
  | 'CART_EMPTY'
  | 'CART_NOT_READY';

export interface VitrineErrorContext {
  url?: string;
  status?: number;
  ids?: readonly string[];
  /** The option, attribute or product field at fault. */
  field?: string;
  cause?: unknown;
}

/** Page-wide: every copy of the class (vitrine.js and each lazy file bundle their own) recognises the others'. */
const BRAND = Symbol.for('vitrine.error');

export class VitrineError extends Error {
  /** `instanceof` by brand, so an error made in a lazy file passes `instanceof` and isVitrineError() in the core. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (value as { [BRAND]?: unknown } | null)?.[BRAND] === true;
  }
  override readonly name = 'VitrineError';
  /** @internal The page-wide brand `instanceof` reads. */
  get [BRAND](): true {
    return true;
  }
  readonly code: VitrineErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly ids: readonly string[] | undefined;
  readonly field: string | undefined;

  constructor(code: VitrineErrorCode, message: string, context: VitrineErrorContext = {}) {
    // The context as Error's options: Error reads only its `cause`, and only when the key is there.
    super(`[vitrine] ${message}`, context);
    this.code = code;
    this.url = context.url;
    this.status = context.status;
    this.ids = context.ids;
    this.field = context.field;
  }
}

export function isVitrineError(value: unknown, code?: VitrineErrorCode): value is VitrineError {
  return value instanceof VitrineError && (code === undefined || value.code === code);
}

/** The message of anything thrown: an Error's own, anything else as a string. */
export function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/** An error's message without VitrineError's own "[vitrine] " prefix, for a line that adds it once. */
export const unprefixed = (error: unknown): string => messageOf(error).replace(/^\[vitrine\] /, '');

/** One console line for a failure no listener could hear about. */
export function report(error: unknown): void {
  console.error(`[vitrine] ${unprefixed(error)}`);
}

/** Wraps anything thrown into a VitrineError, keeping an existing one as it is. */
export function toVitrineError(value: unknown, fallback: VitrineErrorCode, context?: VitrineErrorContext): VitrineError {
  if (value instanceof VitrineError) return value;
  return new VitrineError(fallback, messageOf(value), { ...context, cause: value });
}
