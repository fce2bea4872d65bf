import { recordEvents, type BufferedEvent } from '../event-log.js';
import { loadClassicFile } from '../assets/classic-file.js';
import { messageOf } from '../errors.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';

export type { BufferedEvent };

export interface DebugOverlayModule {
  showDebugOverlay(store: Storefront, past?: readonly BufferedEvent[], messages?: Messages): () => void;
}

declare global {
  // Set by dist/vitrine-debug.js (debug-overlay.classic.ts), /sdk/vitrine-debug.js on the CDN and origin.
  var VitrineDebug: DebugOverlayModule | undefined;
}

/** Support asks a shopper to add `?vitrine-debug` to the page URL; a merchant can set `data-debug` on the tag. */
export function debugRequested(script: Element | null, search: string): boolean {
  return /[?&]vitrine-debug(?:[=&]|$)/.test(search) || (script?.hasAttribute('data-debug') ?? false);
}

/**
 * Starts recording the storefront's events now, so the overlay shows the whole page view, then
 * loads the overlay (off the critical path, with the CDN→origin fallback of any asset) and hands
 * the record over, in the shopper's language. Never throws into the page.
 */
export function loadDebugOverlay(store: Storefront, load = () => loadClassicFile<DebugOverlayModule>(store.assets.script, 'debug', true)): void {
  const log = recordEvents(store);
  Promise.all([load(), store.messages()]).then(
    ([mod, messages]) => {
      log.stop();
      mod.showDebugOverlay(store, log.entries, messages);
    },
    (error: unknown) => {
      log.stop();
      console.error(`[vitrine] debug overlay did not load: ${messageOf(error)}`);
    },
  );
}
