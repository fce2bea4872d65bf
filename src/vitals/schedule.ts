import type { EventBus } from '../events.js';
import type { ResolvedOptions } from '../config.js';
import { recordEvents } from '../event-log.js';
import { messageOf } from '../errors.js';
import type { VitalsReporter, VitalsReporterDeps } from './reporter.js';
import { isSampledIn } from './sampling.js';

/** What the lazily loaded chunk (or, for the script tag, dist/vitrine-vitals.js) provides. */
export interface VitalsModule {
  startVitalsReporter(deps: VitalsReporterDeps): VitalsReporter;
}

export interface ScheduleVitalsDeps {
  options: ResolvedOptions;
  bus: EventBus;
  /** The storefront's retry budget, handed to the reporter's counters. */
  budget: { readonly stats: { readonly retries: number } };
  /** Settles at the first product paint; the reporter loads only after it (never on the critical path). */
  firstPaint: Promise<unknown>;
  /**
   * How the reporter's code arrives (load-reporter.ts: a chunk for ESM users; its .classic twin: the
   * separate dist/vitrine-vitals.js). Required: a default `import('./reporter.js')` here would be
   * inlined into the script-tag bundle, putting web-vitals on the critical path.
   */
  load: () => Promise<VitalsModule>;
}

/**
 * Core-bundle side of vitals: decides whether this session reports at all (no collector or
 * sampled out → nothing is loaded), and loads the reporter off the critical path. Returns a stop
 * function for destroy(). Never throws: a chunk that fails to load is an `error` event.
 */
export function scheduleVitals(deps: ScheduleVitalsDeps): () => void {
  const { options, bus, budget } = deps;
  const collector = options.collector;
  if (!collector || typeof window === 'undefined' || !isSampledIn(options.sampleRate)) return () => {};
  // Only a session that will report records: the reporter replays this page view when it loads.
  const log = recordEvents(bus);
  let stopped = false;
  let reporter: VitalsReporter | undefined;

  // A page with no product paint still reports: the reporter loads when the page goes idle after `load`.
  void Promise.race([deps.firstPaint.catch(() => undefined), idleAfterLoad()])
    // Then the next idle moment (at most 2 s later), never inside the paint's own task.
    .then(() => new Promise((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(resolve, { timeout: 2000 }) : setTimeout(resolve))))
    .then(() => (stopped ? undefined : deps.load()))
    .then((mod) => {
      if (mod && !stopped) reporter = mod.startVitalsReporter({ options: { ...options, collector }, bus, past: log.entries, budget });
    })
    .finally(log.stop)
    .catch((error: unknown) => {
      bus.emit('error', { code: 'NETWORK', message: `[vitrine] vitals reporter did not load: ${messageOf(error)}` });
    });

  return () => {
    stopped = true;
    log.stop();
    reporter?.stop();
  };
}

/**
 * The first product paint, as the bus sees it: the first product image that arrived (from either
 * host), one frame later. Pages whose products have no image fall back to `idleAfterLoad`.
 */
export function firstProductPaint(bus: EventBus, signal?: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    const off = bus.on('asset', (e) => {
      if (e.kind === 'image' && e.outcome === 'ok') {
        off();
        if (typeof requestAnimationFrame === 'function') requestAnimationFrame(resolve);
        else resolve(0);
      }
    });
    signal?.addEventListener('abort', off, { once: true });
  });
}

/** Fallback trigger for pages that never paint a product (an error page, a mount that failed): 3 s after `load`. */
function idleAfterLoad(): Promise<void> {
  return new Promise((resolve) => {
    const go = () => setTimeout(resolve, 3000);
    if (document.readyState === 'complete') go();
    else addEventListener('load', go, { once: true });
  });
}
