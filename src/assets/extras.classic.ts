import { extras } from './extras.js';

/** Entry of dist/vitrine-assets.js for the script tag: defines the global load-extras.classic.ts reads. */
(globalThis as { VitrineAssets?: typeof extras }).VitrineAssets = extras;
