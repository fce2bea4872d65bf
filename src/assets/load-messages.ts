import type { Language } from '../i18n/locale.js';
import type { MessageTable } from '../i18n/messages.js';

type Lazy = Exclude<Language, 'en'>;

const chunks: Record<Lazy, () => Promise<{ default: MessageTable }>> = {
  de: () => import('../i18n/de.js'),
  fr: () => import('../i18n/fr.js'),
  es: () => import('../i18n/es.js'),
  ja: () => import('../i18n/ja.js'),
  ar: () => import('../i18n/ar.js'),
};

/**
 * ESM builds: each built-in language's table is a chunk of its own, fetched by the bundler's dynamic
 * import, so a page downloads only the language it shows. (The classic-script build swaps this
 * module for load-messages.classic.ts.)
 */
export function createLanguageLoader(_script: (path: string, opts?: { sentinel?: string }) => Promise<unknown>): (language: Lazy) => Promise<MessageTable> {
  return (language) => chunks[language]().then((m) => m.default);
}
