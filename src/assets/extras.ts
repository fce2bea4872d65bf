import { attemptJson } from './load-json.js';
import { attemptStyle } from './load-style.js';
import { looksTruncated } from './pixels.js';

/**
 * The loaders a first product paint never needs (`assets.style`, `assets.json`) and the opt-in pixel
 * check (`assets.checkPixels`): a separate chunk for npm builds, `/sdk/vitrine-assets.js` for the
 * script tag, fetched the first time one of them is needed.
 */
export interface AssetExtras {
  attemptStyle: typeof attemptStyle;
  attemptJson: typeof attemptJson;
  looksTruncated: typeof looksTruncated;
}

export const extras: AssetExtras = { attemptStyle, attemptJson, looksTruncated };
