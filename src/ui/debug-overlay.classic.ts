import { showDebugOverlay, showSetupOverlay } from './debug-overlay.js';
import type { DebugOverlayModule } from './debug-overlay-loader.js';

/**
 * Entry of dist/vitrine-debug.js for the script tag: defining a global is this file's only job, and
 * it runs only when a page asks for the overlay (`?vitrine-debug` or `data-debug`).
 */
const mod: DebugOverlayModule = { showDebugOverlay, showSetupOverlay };
globalThis.VitrineDebug = mod;
