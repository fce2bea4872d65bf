import type { VitrineErrorCode } from './errors.js';
import type { CartEvent } from './cart/types.js';

/** One API request attempt (or a lookup answered from the cache, `source: 'cache'`). */
export interface RequestEvent {
  url: string;
  ids?: readonly string[];
  /** HTTP status; 0 when no response arrived (network error, timeout, abort). */
  status: number;
  ms: number;
  /** 1 for the first try, 2+ for retries. */
  attempt: number;
  source: 'network' | 'cache';
  /** Set when the attempt went to `apiOrigin` instead of `api`. */
  host?: 'origin';
  /** The one origin try after a failed `api` answer: a fallback, not a retry from the budget. */
  fallback?: true;
  /** The API answered 2xx with a blank or undecodable body: a bad cached variant to purge. */
  blank?: true;
}

export type AssetKind = 'image' | 'script' | 'style' | 'json';
export type AssetHost = 'cdn' | 'origin';
export type AssetOutcome = 'ok' | 'empty' | 'error' | 'timeout' | 'skipped';

/** One asset attempt against one host. */
export interface AssetEvent {
  url: string;
  kind: AssetKind;
  host: AssetHost;
  outcome: AssetOutcome;
  bytes?: number;
  ms: number;
  /** Why an attempt was skipped or failed, for humans (e.g. 'remembered-bad', 'breaker-open', 'naturalWidth=0'). */
  reason?: string;
}

export interface CacheEvent {
  key: string;
  hit: boolean;
  stale: boolean;
  /** Stale-if-error: the stale copy stays on screen because revalidating it failed. */
  error?: true;
}

export interface VitalEvent {
  name: 'LCP' | 'CLS' | 'INP' | 'FCP' | 'TTFB';
  value: number;
  rating: 'good' | 'needs-improvement' | 'poor';
}

export interface ErrorEvent {
  code: VitrineErrorCode;
  message: string;
  url?: string;
  ids?: readonly string[];
  field?: string;
}

/** A CDN host's circuit breaker changed state. (An addition to DESIGN.md's five events.) */
export interface BreakerEvent {
  host: string;
  state: 'open' | 'closed';
  failures: number;
}

export interface VitrineEvents {
  request: RequestEvent;
  cache: CacheEvent;
  asset: AssetEvent;
  vital: VitalEvent;
  error: ErrorEvent;
  breaker: BreakerEvent;
  /** The cart changed (here or in another tab) or was re-priced. */
  cart: CartEvent;
}

export type VitrineEventName = keyof VitrineEvents;

/** `value` without its undefined keys: an optional field of an event is absent, never `undefined`. */
export const defined = <T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
export type Listener<K extends VitrineEventName> = (event: VitrineEvents[K]) => void;

export interface EventBus {
  on<K extends VitrineEventName>(name: K, listener: Listener<K>): () => void;
  emit<K extends VitrineEventName>(name: K, event: VitrineEvents[K]): void;
  /** Drops every listener (used by destroy()). */
  clear(): void;
}

/**
 * The one path every part reports on. A listener that throws is isolated: the merchant's
 * subscriber must never break Vitrine, nor Vitrine's parts each other.
 */
export function createEventBus(): EventBus {
  const listeners = new Map<VitrineEventName, Set<(event: never) => void>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (event: never) => void);
      return () => {
        set.delete(listener as (event: never) => void);
      };
    },
    emit(name, event) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as (e: typeof event) => void)(event);
        } catch (err) {
          // Visible to the developer, but never unwinds into the emitting part or the page.
          console.error('[vitrine] an event listener threw', err);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
