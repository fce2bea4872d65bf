import { recordEvents, type BufferedEvent } from '../event-log.js';
import { loadClassicFile } from '../assets/classic-file.js';
import { messageOf } from '../errors.js';
import type { Storefront } from '../storefront.js';
import type { Messages } from '../i18n/messages.js';

export type { BufferedEvent };

export interface DebugOverlayModule {
  showDebugOverlay(store: Storefront, past?: readonly BufferedEvent[], messages?: Messages): () => void;
  showSetupOverlay(tagError: string): () => void;
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
export function loadDebugOverlay(store: Storefront): void {
  const log = recordEvents(store);
  Promise.all([loadClassicFile<DebugOverlayModule>(store.assets.script, 'debug', true), store.messages()]).then(
    ([mod, messages]) => {
      log.stop();
      mod.showDebugOverlay(store, log.entries, messages);
    },
    (error: unknown) => {
      log.stop();
      failed(error);
    },
  );
}

const failed = (error: unknown) => console.error(`[vitrine] debug overlay did not load: ${messageOf(error)}`);

/**
 * The overlay for a tag that made no storefront, so has no assets to load it with (a misspelt
 * `data-stor`, a bad `data-api`: exactly when the merchant needs its Setup section): the overlay
 * file from next to the tag's own (`…/sdk/vitrine.js` → `…/sdk/vitrine-debug.js`, where the lazy
 * files are), imported (a dynamic import is no Trusted Types sink, and is fetched once a page
 * however many tags ask; the CDN's CORS headers, which the lazy files already need, serve it), and
 * shows that section alone with `tagError`. Never throws.
 */
export function loadSetupOverlay(script: HTMLScriptElement, tagError: string): void {
  // A string, not new URL(…): nothing here may throw (an inline copy has no src; import() then rejects).
  import(script.src.replace(/[^/]*$/, 'vitrine-debug.js')).then(() => VitrineDebug!.showSetupOverlay(tagError), failed);
}
