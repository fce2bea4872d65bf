import type { Language } from '../i18n/locale.js';
import type { MessageTable } from '../i18n/messages.js';
import { loadClassicFile } from './classic-file.js';

/**
 * Script-tag build: each built-in language's table is its own file, dist/vitrine-i18n-<lang>.js
 * (rollup.config.mjs; it sets the global `VitrineI18n-<lang>`), served as /sdk/vitrine-i18n-<lang>.js
 * next to vitrine.js and loaded with the CDN→origin fallback. The global is its sentinel, so a blank
 * or HTML answer from the CDN counts as a failed attempt and goes to the origin.
 */
export function createLanguageLoader(script: (path: string, opts?: { sentinel?: string }) => Promise<unknown>): (language: Exclude<Language, 'en'>) => Promise<MessageTable> {
  return (language) => loadClassicFile(script, `i18n-${language}`, true);
}
