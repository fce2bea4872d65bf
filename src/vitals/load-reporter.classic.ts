import type { Assets } from '../assets/assets.js';
import { loadClassicFile } from '../assets/classic-file.js';
import type { VitalsModule } from './schedule.js';

/**
 * Script-tag build: the reporter is its own file, dist/vitrine-vitals.js (src/vitals/classic.ts,
 * which sets `VitrineVitals`), served as /sdk/vitrine-vitals.js next to vitrine.js.
 */
export function createReporterLoader(assets: Assets): () => Promise<VitalsModule> {
  return () => loadClassicFile(assets.script, 'vitals');
}
