import { recordEvents, type BufferedEvent } from '../event-log.js';
import type { Storefront } from '../storefront.js';

export type { BufferedEvent };

/** The overlay's own file, next to vitrine.js under the CDN and origin (built from debug-overlay.classic.ts). */
export const DEBUG_OVERLAY_PATH = '/sdk/vitrine-debug.js';

export interface DebugOverlayModule {
  showDebugOverlay(store: Storefront, past?: readonly BufferedEvent[]): () => void;
}

declare global {
  // Set by dist/vitrine-debug.js.
  var VitrineDebug: DebugOverlayModule | undefined;
}

/** Support asks a shopper to add `?vitrine-debug` to the page URL; a merchant can set `data-debug` on the tag. */
export function debugRequested(script: Element | null, search: string): boolean {
  return /[?&]vitrine-debug(?:[=&]|$)/.test(search) || (script?.hasAttribute('data-debug') ?? false);
}

/**
 * Starts recording the storefront's events now, so the overlay shows the whole page view, then
 * loads the overlay (off the critical path, with the CDN→origin fallback of any asset) and hands
 * the record over. Never throws into the page.
 */
export function loadDebugOverlay(store: Storefront, load: () => Promise<DebugOverlayModule> = () => loadClassic(store)): void {
  const log = recordEvents(store);
  load().then(
    (mod) => {
      log.stop();
      mod.showDebugOverlay(store, log.entries);
    },
    (error: unknown) => {
      log.stop();
      console.error(`[vitrine] debug overlay did not load: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
}

async function loadClassic(store: Storefront): Promise<DebugOverlayModule> {
  if (!globalThis.VitrineDebug) await store.assets.script(DEBUG_OVERLAY_PATH, { sentinel: 'VitrineDebug' });
  const mod = globalThis.VitrineDebug;
  if (!mod) throw new Error(`${DEBUG_OVERLAY_PATH} loaded but did not define VitrineDebug`);
  return mod;
}
