import { VitrineError } from './errors.js';

/**
 * Tiny structural validators for what must be checked before the first product paint (options and
 * API answers). zod/mini costs ~6 KB gzip in the script-tag bundle and that code cannot load
 * later, so this critical path uses these instead; schemas that are not on it (the vitals report,
 * the diagnostics report) keep zod/mini. No `eval`, no `new Function`: safe under a strict CSP.
 *
 * A check returns a fresh value holding only the keys it knows (so `__proto__` or any unexpected
 * key in an answer never reaches Vitrine's objects), or throws `Invalid` naming the path.
 */
export class Invalid {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly input?: unknown,
    readonly showInput = true,
  ) {}
}

export type Check<T> = (value: unknown, path: string) => T;

/** Fails a check at `path`: throws the `Invalid` that run() returns. */
export const fail = (path: string, expected: string, input: unknown, showInput = true): never => {
  throw new Invalid(path || '(root)', expected, input, showInput);
};

// An absent bound never fails: `x < undefined` and `x > undefined` are both false.
// `length`: a string's or an array's length ("a length of at most 3"), else a number ("a value ≤ 3").
const within = (n: number, o: { min?: number | undefined; max?: number | undefined }, p: string, v: unknown, length?: boolean) => {
  if (n < o.min!) fail(p, `expected ${length ? 'a length of at least' : 'a value ≥'} ${o.min}`, v);
  if (n > o.max!) fail(p, `expected ${length ? 'a length of at most' : 'a value ≤'} ${o.max}`, v);
};

/** A string; a `pattern` comes with its `format`, the words that name it in the message. */
export const string =
  (o: { min?: number; max?: number } & ({ pattern?: undefined } | { pattern: RegExp; format: string }) = {}): Check<string> =>
  (v, p) => {
    if (typeof v !== 'string') return fail(p, 'expected string', v);
    within(v.length, o, p, v, true);
    if (o.pattern && !o.pattern.test(v)) fail(p, `expected ${o.format}`, v);
    return v;
  };

export const number =
  (o: { int?: boolean; min?: number | undefined; max?: number | undefined } = {}): Check<number> =>
  (v, p) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return fail(p, 'expected number', v);
    if (o.int && !Number.isInteger(v)) fail(p, 'expected a whole number', v);
    within(v, o, p, v);
    // -0 becomes 0: formatted, it would read "-€0.00".
    return v + 0;
  };

export const boolean: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'expected boolean', v));

export const func =
  <F>(what: string): Check<F> =>
  (v, p) =>
    typeof v === 'function' ? (v as F) : fail(p, `expected ${what}`, v);

/** One of a few literal values. */
export const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, `expected ${values.map((x) => JSON.stringify(x)).join(' or ')}`, v);

/** An array of at most `max` items, every one passing `check` (named `path[i]` when one does not). The length is checked first: a hostile answer's huge array is refused before its items are walked. */
export const array =
  <T>(check: Check<T>, max?: number): Check<T[]> =>
  (v, p) =>
    Array.isArray(v) ? (v.length > max! && fail(p, `expected a length of at most ${max}`, v), v.map((item, i) => check(item, `${p}[${i}]`))) : fail(p, 'expected an array', v);

/** A value that may be left out: `fallback` then (an option's default), else undefined. */
export const optional =
  <T>(check: Check<T>, fallback?: T): Check<T | undefined> =>
  (v, p) =>
    v === undefined ? fallback : check(v, p);

export const refine =
  <T>(check: Check<T>, test: (value: T) => boolean, expected: string): Check<T> =>
  (v, p) => {
    const value = check(v, p);
    return test(value) ? value : fail(p, `expected ${expected}`, v);
  };

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * An object of known keys. An `options` object (or a group of options) rejects any other key by
 * name (typos in options must not pass), and a group left out is checked as `{}`: every default.
 */
export const object =
  <S extends Shape>(shape: S, options = false): Check<Out<S>> =>
  (v, p) => {
    if (options && v === undefined) v = {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(p, 'expected object', v);
    if (options) {
      const unknown = Object.keys(v).filter((k) => !Object.prototype.hasOwnProperty.call(shape, k));
      if (unknown.length)
        fail(
          p,
          `unknown key(s) ${unknown
            .slice(0, 5)
            .map((k) => JSON.stringify(k.slice(0, 40)))
            .join(', ')}`,
          v,
          false,
        );
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const value = shape[key]!((v as Record<string, unknown>)[key], p ? `${p}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as Out<S>;
  };

/** Runs a check, turning any failure (even a throwing getter) into an Invalid. */
export function run<T>(check: Check<T>, value: unknown): { ok: true; value: T } | { ok: false; issue: Invalid } {
  try {
    return { ok: true, value: check(value, '') };
  } catch (error) {
    return { ok: false, issue: error instanceof Invalid ? error : new Invalid('(root)', 'expected a plain value', undefined, false) };
  }
}

/** A short, safe rendering of a value for an error message (never the whole thing). */
export function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value == null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  // An object, a function, a symbol, a bigint.
  return `a ${typeof value}`;
}

/** A bad argument: INVALID_OPTIONS naming it, "Invalid field: expected X, got Y". */
export const invalid = (field: string, expected: string, got: unknown) =>
  new VitrineError('INVALID_OPTIONS', `Invalid ${field}: expected ${expected}, got ${preview(got)}`, { field });

/**
 * An argument that must be an object (a product, a query): typed, but plain JavaScript can pass null,
 * which would be a raw TypeError further in. Returns it; otherwise throws INVALID_OPTIONS naming it.
 */
export function objectArg<T>(field: string, value: T): T {
  if (Object(value) !== value) throw invalid(field, 'an object', value);
  return value;
}

/** "field: expected X, got Y" */
export function describe(issue: Invalid): { field: string; text: string } {
  return { field: issue.path, text: `${issue.path}: ${issue.expected}${issue.showInput ? `, got ${preview(issue.input)}` : ''}` };
}
