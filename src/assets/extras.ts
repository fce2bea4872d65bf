import { attemptJson } from './load-json.js';
import { attemptStyle } from './load-style.js';

/**
 * The loaders a first product paint never needs (`assets.style`, `assets.json`): a separate chunk for
 * npm builds, `/sdk/vitrine-assets.js` for the script tag, fetched the first time either is called.
 */
export interface AssetExtras {
  attemptStyle: typeof attemptStyle;
  attemptJson: typeof attemptJson;
}

export const extras: AssetExtras = { attemptStyle, attemptJson };
