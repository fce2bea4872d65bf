import type { AssetExtras } from './extras.js';
import { loadClassicFile } from './classic-file.js';

/**
 * Script-tag build: `assets.style()` and `assets.json()` load their code on first use as one more
 * file, dist/vitrine-assets.js (src/assets/extras.classic.ts, which sets `VitrineAssets`), served as
 * /sdk/vitrine-assets.js next to vitrine.js.
 */
export function createExtrasLoader(script: (path: string) => Promise<unknown>): () => Promise<AssetExtras> {
  return () => loadClassicFile(script, 'assets');
}
