import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { sdkVersion } from './scripts/rollup-sdk-version.mjs';

// Every JavaScript build also has sdkVersion(): `__VITRINE_VERSION__` (src/version.ts) becomes package.json's version.
const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, sourceMap: false, types: [] },
  });

// Terser must not reintroduce what strict CSPs forbid, and the bundle must stay ES2020.
// ascii_only: a classic script is decoded in the page's encoding when its response names no charset (a
// windows-1252 or Shift_JIS shop, a CDN that drops the header), so every script-tag file is plain ASCII.
// vitrine.js alone (`core`) also takes three passes, arrows for `this`-free function expressions and
// getters assumed pure (-41 B gzip): its code has no getter with a side effect and never calls `new`
// on a function expression. The lazy files keep the defaults: they bundle zod and web-vitals, whose getters
// this build cannot vouch for.
const minify = (core) =>
  terser({
    ecma: 2020,
    module: false,
    compress: core ? { passes: 3, unsafe_arrows: true, pure_getters: true } : { passes: 2 },
    format: { comments: false, ascii_only: true },
    ...(core && { mangle: { properties: { regex: /^_(store|run|painted|rendered)$/ } } }),
  });

/** The npm entries: ESM, dependencies left as imports for the user's bundler. */
const npmEntries = { index: 'src/index.ts', 'vitals-schema': 'src/vitals-schema.ts', ui: 'src/ui/index.ts' };
/**
 * The declaration entries: dist/ui.d.ts also has the element types (public-types.ts, type-only, so
 * dist/ui.js is unchanged), and each framework's JSX / component typings are an opt-in types-only
 * entry, so consumers without React, Preact or Vue installed never load them.
 */
const dtsEntries = {
  ...npmEntries,
  ui: 'src/ui/public-types.ts',
  react: 'src/frameworks/react.ts',
  preact: 'src/frameworks/preact.ts',
  vue: 'src/frameworks/vue.ts',
};
/** The script-tag entry: the embed when it exists, the plain API until then. */
const embedEntry = existsSync('src/embed.ts') ? 'src/embed.ts' : 'src/index.ts';

// A classic script cannot import() a chunk: the script-tag build swaps each `load-*.js` module for its
// `.classic.ts` twin, which loads the code as a separate file (dist/vitrine-vitals.js, -assets.js,
// -cart.js, the language files) through the CDN→origin fallback, or (load-checkout) defers a check
// to the cart's file, or (load-recover) loads dist/vitrine-recover.js, the fallback's own recovery
// code, on its own CDN-then-origin path.
const classicVitalsLoader = () => ({
  name: 'vitrine-classic-vitals-loader',
  resolveId(source, importer) {
    if (importer && /(^|\/)load-(reporter|extras|cart|messages|checkout|recover)\.js$/.test(source)) return resolve(dirname(importer), source.replace(/\.js$/, '.classic.ts'));
    return null;
  },
});

// Each built-in language but English for the script tag: dist/vitrine-i18n-<lang>.js sets the global
// `VitrineI18n-<lang>` to its table (src/i18n/<lang>.ts); assets/load-messages.classic.ts loads it.
const LANGUAGES = ['de', 'fr', 'es', 'ja', 'ar'];
const languageEntry = (lang) => ({
  name: 'vitrine-language-entry',
  resolveId: (id) => (id === `\0i18n-${lang}` ? id : null),
  load: (id) =>
    id === `\0i18n-${lang}` ? `import table from ${JSON.stringify(resolve(`src/i18n/${lang}.ts`))};\nglobalThis[${JSON.stringify(`VitrineI18n-${lang}`)}] = table;\n` : null,
});

// zod ships comments rollup cannot place and an internal import cycle; both are harmless.
const onwarn = (warning, warn) => {
  if (warning.code === 'INVALID_ANNOTATION' || (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message))) return;
  warn(warning);
};

export default [
  {
    input: npmEntries,
    external: [/^zod/, /^web-vitals/],
    onwarn,
    plugins: [sdkVersion(), ts()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: dtsEntries,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { stripInternal: true } })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts' },
  },
  {
    input: embedEntry,
    onwarn,
    plugins: [classicVitalsLoader(), nodeResolve({ browser: true }), sdkVersion(), ts(), minify(true)],
    output: { file: 'dist/vitrine.js', format: 'iife', name: 'Vitrine', inlineDynamicImports: true, freeze: false, generatedCode: { arrowFunctions: true } },
  },
  {
    input: 'src/vitals/classic.ts',
    onwarn,
    plugins: [nodeResolve({ browser: true }), sdkVersion(), ts(), minify()],
    output: { file: 'dist/vitrine-vitals.js', format: 'iife' },
  },
  {
    // The bad-URL memory and the origin's retries for the script tag, loaded when a view first needs them.
    input: 'src/assets/recover.classic.ts',
    onwarn,
    plugins: [nodeResolve({ browser: true }), sdkVersion(), ts(), minify()],
    output: { file: 'dist/vitrine-recover.js', format: 'iife' },
  },
  {
    // assets.style() and assets.json() for the script tag, loaded on their first call.
    input: 'src/assets/extras.classic.ts',
    onwarn,
    plugins: [nodeResolve({ browser: true }), sdkVersion(), ts(), minify()],
    output: { file: 'dist/vitrine-assets.js', format: 'iife' },
  },
  {
    // The cart (its logic, drawer and announcements), loaded by the script tag on the cart's first use.
    input: 'src/ui/cart.classic.ts',
    onwarn,
    plugins: [nodeResolve({ browser: true }), sdkVersion(), ts(), minify()],
    output: { file: 'dist/vitrine-cart.js', format: 'iife' },
  },
  ...LANGUAGES.map((lang) => ({
    // The shopper's language, loaded by the script tag only for a page in that language.
    input: `\0i18n-${lang}`,
    onwarn,
    plugins: [languageEntry(lang), ts(), minify()],
    output: { file: `dist/vitrine-i18n-${lang}.js`, format: 'iife' },
  })),
  {
    // The support debug overlay, loaded by the script tag only with ?vitrine-debug or data-debug.
    input: 'src/ui/debug-overlay.classic.ts',
    onwarn,
    plugins: [nodeResolve({ browser: true }), sdkVersion(), ts(), minify()],
    output: { file: 'dist/vitrine-debug.js', format: 'iife' },
  },
];
