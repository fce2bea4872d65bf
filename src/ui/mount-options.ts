import { VitrineError } from '../errors.js';
import { array, describe, number, object, oneOf, optional, run, string } from '../check.js';

export interface MountOptions {
  view: 'grid' | 'product';
  /** Product ids: one card each for `product`, or exactly these products in a `grid`. */
  ids?: readonly string[];
  category?: string;
  limit?: number;
  offset?: number;
}

const mountCheck = object({
  view: oneOf('grid', 'product'),
  ids: optional(array(string())),
  category: optional(string()),
  limit: optional(number({ int: true, min: 0 })),
  offset: optional(number({ int: true, min: 0 })),
});

/**
 * Checks `mount()` arguments without touching the DOM, so `store.mount` can reject mistakes at
 * once even though the UI code itself loads lazily. Returns a copy holding only the known keys.
 */
export function checkMountOptions(element: unknown, options: unknown): MountOptions {
  // The message reads as describe() words a failed check: "mount() field: expected …, got …".
  const fail = (field: string, text: string) => new VitrineError('INVALID_OPTIONS', `mount() ${text}`, { field });
  if (typeof Element === 'undefined' || !(element instanceof Element)) throw fail('element', 'element: expected a DOM element to render into');
  const checked = run(mountCheck, options);
  if (!checked.ok) {
    const { field, text } = describe(checked.issue);
    throw fail(field, text);
  }
  if (checked.value.view === 'product' && !checked.value.ids?.length) throw fail('ids', 'ids: expected at least one product id for view "product"');
  return checked.value as MountOptions;
}
