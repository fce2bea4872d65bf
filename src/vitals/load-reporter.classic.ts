import type { Assets } from '../assets/assets.js';
import type { VitalsModule } from './schedule.js';

/** Where the script-tag build puts the reporter, next to vitrine.js under the CDN and origin. */
export const CLASSIC_VITALS_PATH = '/sdk/vitrine-vitals.js';

declare global {
  // Set by dist/vitrine-vitals.js (src/vitals/classic.ts).
  var VitrineVitals: VitalsModule | undefined;
}

/**
 * Script-tag build: a classic script cannot `import()` a chunk, so the reporter is its own file,
 * loaded with Vitrine's own CDN→origin fallback — a blank cached copy of it is caught like any
 * other blank asset.
 */
export function createReporterLoader(assets: Assets): () => Promise<VitalsModule> {
  return async () => {
    if (!globalThis.VitrineVitals) await assets.script(CLASSIC_VITALS_PATH);
    const mod = globalThis.VitrineVitals;
    if (!mod) throw new Error(`${CLASSIC_VITALS_PATH} loaded but did not define VitrineVitals`);
    return mod;
  };
}
