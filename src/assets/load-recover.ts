import { createAssetHealth as create, type AssetHealth, type AssetHealthOptions } from './health.js';

/**
 * The recovery code (the bad-URL memory and the origin's retries) as its users import it. Here it
 * is bundled; the script-tag build swaps this module for load-recover.classic.ts, which loads it
 * as dist/vitrine-recover.js only when a view first needs it.
 */
export { loadWithFallback } from './fallback.js';

/** Health's options, with where (the origin) and how long the script tag's twin fetches the recovery code. */
export type RecoverHealthOptions = AssetHealthOptions & { origin: string; timeoutMs: number };

export const createAssetHealth: (opts: RecoverHealthOptions) => AssetHealth = create;
