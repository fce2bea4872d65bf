import { VitrineError } from '../errors.js';
import { EN } from './en.js';
import type { MessageTable } from './messages.js';

/**
 * The keys the core knows: the widgets' own (en.ts), and any key of the cart's (`cart.…`) and the
 * debug overlay's (`debug.…`) namespaces, whose English tables and key lists come with their lazy
 * files. `createStorefront` checks `messages` against this; `unknownKeys()` checks the namespaced
 * keys against their table when that file loads, before any of its text can show.
 */
/** Whether `key` can name a message (the cart's and overlay's keys in full only with `unknownKeys`). */
export const isMessageKey = (key: string): boolean => Object.prototype.hasOwnProperty.call(EN, key) || /^(cart|debug)\.[\w.-]+$/.test(key);

const PLURAL = /\.(zero|one|two|few|many|other)$/;

/**
 * The `messages` overrides in `table`'s namespace (`cart.`, `debug.`) that name none of its keys, as
 * INVALID_OPTIONS errors naming `messages.<key>` (a plural key may carry any CLDR category, or none).
 * For the lazy files to report (the overlay: console; the cart: the bus).
 */
export function unknownKeys(overrides: MessageTable | undefined, table: MessageTable): VitrineError[] {
  const keys = Object.keys(table);
  const space = keys[0]!.split('.')[0]!;
  const plurals = new Set(keys.filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, '')));
  return Object.keys(overrides ?? {})
    .filter((key) => key.startsWith(`${space}.`) && !keys.includes(key) && !plurals.has(key.replace(PLURAL, '')))
    .map((key) => new VitrineError('INVALID_OPTIONS', `Invalid option messages.${key}: expected a known message key (README "Languages")`, { field: `messages.${key}` }));
}
