import { createMessages, type Messages, type MessageTable } from './messages.js';

/** `{name}` placeholders: strings as they are, numbers formatted in the shopper's locale. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * The text of `key` with its placeholders filled, for the lazy cart and overlay files (the core's
 * widgets need only `m.t`). With a numeric `params.count` and no `key` of its own in any table, the
 * plural form `key.<category>` is picked by `Intl.PluralRules` for the shopper's locale (Arabic:
 * zero, one, two, few, many, other), `key.other` when that category is missing.
 */
export function format(m: Messages, key: string, params: MessageParams = {}): string {
  const count = params['count'];
  let text = m.t(key);
  if (text === key && typeof count === 'number') {
    const plural = `${key}.${new Intl.PluralRules(m.locale).select(count)}`;
    text = m.t(plural);
    if (text === plural) text = m.t(`${key}.other`);
  }
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const value = params[name];
    return value === undefined ? all : typeof value === 'number' ? value.toLocaleString(m.locale) : value;
  });
}

/** The same messages with `table` as the last fallback: the cart's and the overlay's English, which live in their lazy files. */
export const extend = (m: Messages, table: MessageTable): Messages => createMessages(m.locale, [...m.tables, table]);
