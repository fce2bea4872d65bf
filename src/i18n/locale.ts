/**
 * Which language the widgets speak: the `locale` option (`data-locale`), else the page's
 * `<html lang>`, else the browser's `navigator.language`, else English. Each candidate must be a
 * valid BCP 47 tag (`Intl.getCanonicalLocales`): a malformed `<html lang>` is skipped, a malformed
 * option is an INVALID_OPTIONS error (config.ts).
 */

/** The built-in languages besides English, each a lazy file (`vitrine-i18n-<lang>.js`, or a chunk). */
export const LANGUAGES = ['de', 'fr', 'es', 'ja', 'ar'] as const;
export type Language = 'en' | (typeof LANGUAGES)[number];

/** `tag` in its canonical form ('DE-at' → 'de-AT'), or undefined when it is not a BCP 47 tag. */
export function canonicalLocale(tag: unknown): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag as string)[0];
  } catch {
    return undefined;
  }
}

type Page = { documentElement?: { lang?: string } | null } | undefined;

/** The locale the widgets use: `option` (already checked), else `<html lang>`, else the browser's, else 'en'. */
export function chooseLocale(option?: string, doc: Page = globalThis.document): string {
  return option ?? canonicalLocale(doc?.documentElement?.lang) ?? canonicalLocale(globalThis.navigator?.language) ?? 'en';
}

/** The built-in table for a locale, by its primary language subtag (de-AT → de); English when there is none. */
export function languageOf(locale: string): Language {
  const primary = locale.split('-')[0] as Language;
  return LANGUAGES.includes(primary as never) ? primary : 'en';
}

/** Right-to-left scripts: Arabic, Hebrew, Persian, Urdu and their neighbours (by primary language). */
export const isRtl = (locale: string): boolean => /^(ar|ckb|dv|fa|he|ps|sd|ug|ur|yi)\b/.test(locale);
