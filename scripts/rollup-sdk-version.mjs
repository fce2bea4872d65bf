/**
 * Rollup plugin: replaces `__VITRINE_VERSION__` in the SDK's sources (src/version.ts reads it) with
 * package.json's `version` as a string literal, so every build says which SDK sent a report.
 * vitest.config.ts gives tests the same value through `define`.
 */
import { readFileSync } from 'node:fs';

export const SDK_VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export function sdkVersion() {
  const literal = JSON.stringify(SDK_VERSION);
  return {
    name: 'vitrine-sdk-version',
    transform(code, id) {
      if (!/[\\/]src[\\/]/.test(id) || !code.includes('__VITRINE_VERSION__')) return null;
      return { code: code.replace(/\b__VITRINE_VERSION__\b/g, literal), map: null };
    },
  };
}
