/**
 * The SDK's version, `version` from package.json: replaced with a string literal by the build
 * (scripts/rollup-sdk-version.mjs) and by vitest (`define` in vitest.config.ts). Read it through
 * ./version.ts, never directly.
 */
declare const __VITRINE_VERSION__: string;
