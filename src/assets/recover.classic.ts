import { fromOrigin } from './fallback.js';
import { createAssetHealth } from './health.js';
import type { RecoverModule } from './load-recover.classic.js';

/**
 * Entry of dist/vitrine-recover.js for the script tag: the bad-URL memory and the origin's retries,
 * which a healthy view never runs. Defining a global is this file's only job; load-recover.classic.ts
 * loads it on a view's first failed CDN copy, or first of all when this profile remembers bad URLs.
 */
const mod: RecoverModule = { createAssetHealth, fromOrigin };
(globalThis as { VitrineRecover?: RecoverModule }).VitrineRecover = mod;
