import { VitrineError } from '../errors.js';

export interface MountOptions {
  view: 'grid' | 'product';
  /** Product ids: one card each for `product`, or exactly these products in a `grid`. */
  ids?: readonly string[];
  category?: string;
  limit?: number;
  offset?: number;
}

/**
 * Checks `mount()` arguments without touching the DOM, so `store.mount` can reject mistakes at
 * once even though the UI code itself loads lazily.
 */
export function checkMountOptions(element: unknown, options: unknown): MountOptions {
  const fail = (field: string, text: string) => new VitrineError('INVALID_OPTIONS', `mount() ${field}: ${text}`, { field });
  if (typeof Element === 'undefined' || !(element instanceof Element)) throw fail('element', 'expected a DOM element to render into');
  if (options === null || typeof options !== 'object') throw fail('options', 'expected { view: "grid" | "product", … }');
  const o = options as Partial<Record<keyof MountOptions, unknown>>;
  if (o.view !== 'grid' && o.view !== 'product') throw fail('view', `expected "grid" or "product", got ${JSON.stringify(o.view) ?? 'undefined'}`);
  if (o.ids !== undefined && (!Array.isArray(o.ids) || !o.ids.every((id) => typeof id === 'string'))) throw fail('ids', 'expected an array of product ids');
  if (o.view === 'product' && !(Array.isArray(o.ids) && o.ids.length)) throw fail('ids', 'expected at least one product id for view "product"');
  for (const key of ['limit', 'offset'] as const) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw fail(key, `expected a whole number, got ${JSON.stringify(v)}`);
  }
  if (o.category !== undefined && typeof o.category !== 'string') throw fail('category', 'expected a string');
  return o as MountOptions;
}
