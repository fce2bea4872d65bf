import type { EventBus } from '../events.js';
import type { ResolvedOptions } from '../config.js';
import { createHealthCounters, type HealthCounterSet } from './counters.js';
import type { BufferedEvent } from '../event-log.js';
import { collectVitals, type CollectDeps } from './collect.js';
import { sendReport, postReport, watchPageLifecycle, type BeaconDeps } from './beacon.js';
import { createReportQueue, type ReportQueue } from './queue.js';
import { randomId } from './sampling.js';
import { MAX_REPORT_BYTES } from './limits.js';
import type { VitalEntry, VitalsReportV2 } from './report-schema.js';
import { SDK_VERSION } from '../version.js';

/**
 * The lazily loaded half of vitals reporting: web-vitals, the beacon, the unsent queue. Started
 * after the first product paint by `scheduleVitals`, once per storefront that has a collector and
 * a sampled-in session. Everything here is background work: it catches, reports an `error` event
 * and carries on.
 */
export interface VitalsReporterDeps {
  options: Pick<ResolvedOptions, 'storeId' | 'cdn' | 'origin' | 'beforeSend' | 'fetch'> & { collector: string; release?: string | undefined; cache?: { dbName: string } };
  bus: EventBus;
  /** Events recorded since the storefront was created (the reporter loads after the first paint). */
  past?: readonly BufferedEvent[];
  /** The storefront's retry budget, for an exact "retries spent". */
  budget?: { readonly stats: { readonly retries: number } };
  /** Injected for tests; default: counters over `past` and the live bus. */
  counters?: HealthCounterSet;
  /** Injected for tests; default: the page's window. */
  window?: Window;
  queue?: ReportQueue;
  beacon?: BeaconDeps;
  metrics?: CollectDeps['metrics'];
  now?: () => number;
  random?: () => number;
}

export interface VitalsReporter {
  /** The report the page would send now (for the console and tests). */
  preview(): VitalsReportV2;
  /** Resolves when the queue left by earlier visits has been flushed (or found undeliverable). */
  readonly flushed: Promise<void>;
  stop(): void;
}

export function startVitalsReporter(deps: VitalsReporterDeps): VitalsReporter {
  const { options, bus } = deps;
  const counters = deps.counters ?? createHealthCounters(bus, { ...(deps.budget && { budget: deps.budget }), ...(deps.past && { past: deps.past }) });
  const win = deps.window ?? window;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const queue = deps.queue ?? createReportQueue({ dbName: options.cache?.dbName ?? 'vitrine', onFailure: (e) => fail('STORAGE', e) });
  const vitals = new Map<VitalEntry['name'], VitalEntry>();
  let viewId = randomId(random);
  let navigationType: VitalsReportV2['navigationType'] = navigationTypeOf(win);
  // Learned from this view's own sends: no point firing reports at a collector seen failing.
  let collectorDown = false;
  // A flush still waiting for its answer: the collector's health is unknown, so a leaving page
  // queues its report rather than firing it into a possible outage.
  let flushing = false;
  let stopped = false;

  function fail(code: 'STORAGE' | 'NETWORK' | 'INVALID_RESPONSE', error: unknown) {
    bus.emit('error', { code, message: `[vitrine] vitals: ${error instanceof Error ? error.message : String(error)}`, url: options.collector });
  }

  const resolve = (base: string) => {
    try {
      return new URL(base, win.location.href).href.replace(/\/+$/, '');
    } catch {
      return base;
    }
  };

  collectVitals({
    cdn: resolve(options.cdn),
    origin: resolve(options.origin),
    ...(deps.metrics && { metrics: deps.metrics }),
    onVital(entry) {
      vitals.set(entry.name, entry);
      bus.emit('vital', { name: entry.name, value: entry.value, rating: entry.rating });
    },
  });

  function build(health = counters.snapshot()): VitalsReportV2 {
    return {
      v: 2,
      sdk: SDK_VERSION,
      ...(options.release !== undefined && { release: options.release }),
      storeId: options.storeId,
      viewId,
      page: win.location.pathname.slice(0, 1024),
      navigationType,
      time: Math.max(0, Math.round(now())),
      vitals: [...vitals.values()],
      health,
    };
  }

  function keep(body: string): Promise<void> {
    return queue.push(JSON.parse(body)).catch((e: unknown) => fail('STORAGE', e));
  }

  function leave() {
    if (stopped) return;
    try {
      const body = finalBody(build(counters.take()));
      if (body === undefined) return;
      // Kept synchronously when the failure is known now: a page being unloaded has no later.
      if (collectorDown || flushing) return void keep(body);
      const sent = sendReport(options.collector, body, { fetch: options.fetch, ...deps.beacon });
      if (sent.via === 'none') return void keep(body);
      void sent.delivered.then((ok) => (ok ? undefined : keep(body)));
    } catch (error) {
      fail('INVALID_RESPONSE', error);
    }
  }

  /** Fits the report under the size cap, then lets the merchant redact or drop it. */
  function finalBody(report: VitalsReportV2): string | undefined {
    const fitted = fit(report);
    let out: unknown = fitted;
    if (options.beforeSend) {
      try {
        out = options.beforeSend(fitted);
      } catch (error) {
        // A redaction hook that throws must not leak the unredacted report: drop it.
        fail('INVALID_RESPONSE', error);
        return undefined;
      }
      if (out === null || out === undefined || out === false) return undefined;
    }
    const body = JSON.stringify(out);
    if (byteLength(body) > MAX_REPORT_BYTES) {
      fail('INVALID_RESPONSE', new Error(`report of ${byteLength(body)} bytes after beforeSend exceeds ${MAX_REPORT_BYTES}; not sent`));
      return undefined;
    }
    return body;
  }

  async function flushQueue() {
    for (let i = 0; i < 50 && !stopped; i++) {
      const { reports, dropped } = await queue.take(1);
      if (dropped) counters.addBeaconsDropped(dropped);
      const item = reports[0];
      if (item === undefined) return;
      const { report } = item;
      const body = JSON.stringify(report && typeof report === 'object' ? { ...report, queued: true } : report);
      flushing = true;
      const outcome = await postReport(options.collector, body, options.fetch).finally(() => (flushing = false));
      // Refused for good (invalid, too large, too old): sending it again would be refused again.
      if (outcome === 'rejected') counters.addBeaconsDropped(1);
      else if (outcome === 'down') {
        // Still down: put it back and stop, so an outage costs one request per visit, not ten.
        collectorDown = true;
        await queue.restore([item]);
        return;
      }
    }
  }

  const flushed = flushQueue().catch((e: unknown) => fail('STORAGE', e));

  const unwatch = watchPageLifecycle(
    {
      onLeave: leave,
      onRestore() {
        // A restored page is a new page view: new id, fresh vitals (web-vitals reports them again).
        viewId = randomId(random);
        navigationType = 'back-forward-cache';
        vitals.clear();
      },
    },
    win,
  );

  return {
    preview: () => fit(build()),
    flushed,
    stop() {
      stopped = true;
      unwatch();
    },
  };
}

/** Under the cap by construction: only the blank-URL list can grow, so it is what gives way. */
export function fit(report: VitalsReportV2): VitalsReportV2 {
  let r = report;
  while (byteLength(JSON.stringify(r)) > MAX_REPORT_BYTES && r.health.blankUrls.length) {
    const keep = Math.floor(r.health.blankUrls.length / 2);
    r = {
      ...r,
      health: { ...r.health, blankUrls: r.health.blankUrls.slice(0, keep), blankUrlsOmitted: r.health.blankUrlsOmitted + r.health.blankUrls.length - keep },
    };
  }
  return r;
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;

function navigationTypeOf(win: Window): VitalsReportV2['navigationType'] {
  try {
    const entry = win.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const type = entry?.type;
    if (type === 'back_forward') return 'back-forward';
    if (type === 'reload' || type === 'prerender') return type;
  } catch {
    // Older browsers: a plain navigation is the safe assumption.
  }
  return 'navigate';
}
