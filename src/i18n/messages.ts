import { messageOf, type VitrineErrorCode } from '../errors.js';
import { EN } from './en.js';
import { chooseLocale, isRtl, languageOf, type Language } from './locale.js';

/** Message key → text. A plural message has one key per CLDR category: `cart.badge.one`, `cart.badge.other`, … */
export type MessageTable = Readonly<Record<string, string>>;

/**
 * The text the widgets, the cart and the debug overlay show, in one language (`store.messages()`).
 * The core keeps to plain lookups; placeholders, plural forms and more fallback tables are
 * `format()` and `extend()` (format.ts), which only the lazy cart and overlay files import.
 */
export interface Messages {
  /** The shopper's locale (a canonical BCP 47 tag): prices and numbers follow it. */
  readonly locale: string;
  /** 'rtl' for Arabic, Hebrew and the other right-to-left languages. */
  readonly dir: 'ltr' | 'rtl';
  /** Most preferred first: the `messages` overrides, the language's table, English. */
  readonly tables: readonly MessageTable[];
  /** The raw text of `key` (placeholders left as `{name}`) from the first table that has it; the key itself when none has. */
  t(key: string): string;
}

export function createMessages(locale: string, tables: readonly MessageTable[]): Messages {
  return {
    locale,
    dir: isRtl(locale) ? 'rtl' : 'ltr',
    tables,
    t(key) {
      for (const table of tables) if (typeof table[key] === 'string') return table[key]!;
      return key;
    },
  };
}

/** How long the widgets keep their skeleton waiting for a language file before they show English. */
export const LANGUAGE_WAIT_MS = 3000;

/**
 * `store.messages()`: the chosen locale's messages, once per locale and page view. English resolves
 * at once; another built-in language once its table has loaded (`load`), or in English after a
 * failed load or `waitMs`, reported once through `report`. Never rejects, so a widget never breaks
 * over its language; and a page view that fell back to English stays in English (no late switch).
 */
export function createMessagesLoader(
  options: { readonly locale?: string | undefined; readonly messages?: MessageTable | undefined },
  load: (language: Exclude<Language, 'en'>) => Promise<MessageTable>,
  report: (code: VitrineErrorCode, message: string) => void,
  waitMs = LANGUAGE_WAIT_MS,
): () => Promise<Messages> {
  const cache: Record<string, Promise<Messages>> = {};
  return () => {
    const locale = chooseLocale(options.locale);
    const language = languageOf(locale);
    const make = (table: MessageTable = {}) => createMessages(locale, [options.messages ?? {}, table, EN]);
    return (cache[locale] ??=
      language === 'en'
        ? Promise.resolve(make())
        : Promise.race([load(language), new Promise<never>((_, reject) => setTimeout(reject, waitMs, `not in ${waitMs} ms`))]).then(make, (error: unknown) => {
            report('ASSET_FAILED', `[vitrine] "${language}" messages did not load (${messageOf(error)}), English shown`);
            return make();
          }));
  };
}
