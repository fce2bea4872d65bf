import type { AssetExtras } from './extras.js';

/** Where the script-tag build puts the style and JSON loaders, next to vitrine.js under the CDN and origin. */
export const CLASSIC_EXTRAS_PATH = '/sdk/vitrine-assets.js';

declare global {
  // Set by dist/vitrine-assets.js (src/assets/extras.classic.ts).
  var VitrineAssets: AssetExtras | undefined;
}

/**
 * Script-tag build: a classic script cannot `import()` a chunk, so `assets.style()` and `assets.json()`
 * load their code as one more file, with Vitrine's own CDN→origin fallback, on first use.
 */
export function createExtrasLoader(script: (path: string) => Promise<unknown>): () => Promise<AssetExtras> {
  return async () => {
    if (!globalThis.VitrineAssets) await script(CLASSIC_EXTRAS_PATH);
    const mod = globalThis.VitrineAssets;
    if (!mod) throw new Error(`${CLASSIC_EXTRAS_PATH} loaded but did not define VitrineAssets`);
    return mod;
  };
}
