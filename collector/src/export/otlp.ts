import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Attributes, Histogram, HrTime } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { METRICS, UNITS, type Metric, type Rating } from '../field/thresholds.js';
import type { ViewRecord } from '../ingest/record.js';
import type { Exporter, ExporterStats } from './exporter.js';

export interface OtlpExporterOptions {
  /** The OTLP/HTTP base, e.g. `http://127.0.0.1:4318`: logs go to `/v1/logs`, metrics to `/v1/metrics` (JSON). */
  url: string;
  headers?: Record<string, string>;
  /** Views held at most (waiting or in the request in flight); past it a pushed view is dropped. */
  maxQueue?: number;
  /** Views per logs request (each view is one log record per vital, so up to 5 records). */
  batchSize?: number;
  flushIntervalMs?: number;
  metricIntervalMs?: number;
  /** Per request, and for the whole of shutdown(). */
  timeoutMs?: number;
  serviceName?: string;
  onError?: (e: unknown) => void;
}

/**
 * Names from the OpenTelemetry semantic conventions v1.45.0 (the browser `browser.web_vital` event,
 * Development status), copied rather than imported from `@opentelemetry/semantic-conventions/incubating`
 * as that package advises for unstable names.
 */
const WEB_VITAL_EVENT = 'browser.web_vital';
const ATTR = {
  name: 'browser.web_vital.name',
  value: 'browser.web_vital.value',
  rating: 'browser.web_vital.rating',
  delta: 'browser.web_vital.delta',
  id: 'browser.web_vital.id',
  navigationType: 'browser.web_vital.navigation_type',
} as const;

/**
 * Bucket upper bounds per metric: the CrUX thresholds exactly, plus a few steps either side. An
 * OTel bucket is (previous, bound], so a value equal to the "good" threshold lands at or under it,
 * as `rate()` counts it good.
 */
const BOUNDS: Record<Metric, number[]> = {
  LCP: [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 8000, 10_000, 15_000, 30_000],
  INP: [50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 2000, 5000],
  CLS: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 1, 2.5],
  FCP: [500, 1000, 1500, 1800, 2000, 2500, 3000, 3500, 4000, 5000, 7500, 10_000, 20_000],
  TTFB: [100, 200, 400, 600, 800, 1000, 1200, 1500, 1800, 2500, 4000, 6000, 10_000],
};

/** ExportResultCode.SUCCESS of @opentelemetry/core (a transitive dependency, not imported for one constant). */
const SUCCESS = 0;
/** A request the exporter's own timeout did not end (an endpoint trickling bytes) is cut this much later. */
const WATCHDOG_GRACE_MS = 250;

/** What a queued view keeps: its attributes and vitals, not the whole report (bounded memory per view). */
interface QueuedView {
  attributes: Attributes;
  time: HrTime;
  observed: HrTime;
  vitals: { name: Metric; value: number; rating: Rating; id: string | undefined; delta: number | undefined }[];
}

/**
 * Sends every pushed view to an OTLP/HTTP endpoint as `browser.web_vital` log records (one per
 * vital) and per-metric histograms. push() only copies the view into a bounded ring and records
 * the histograms: it never waits and never throws, whatever the endpoint does.
 */
export function createOtlpExporter(options: OtlpExporterOptions): Exporter {
  const base = validUrl(options.url);
  const maxQueue = positive('maxQueue', options.maxQueue ?? 10_000);
  const batchSize = Math.min(positive('batchSize', options.batchSize ?? 512), maxQueue);
  const flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 1000);
  const metricIntervalMs = positive('metricIntervalMs', options.metricIntervalMs ?? 10_000);
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
  const report = (e: unknown) => {
    try {
      options.onError?.(e);
    } catch {
      // The caller's handler failing is no reason to fail ingest.
    }
  };

  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': options.serviceName ?? 'vitrine-collector' }));
  // One agent per exporter, so a hung logs request can be cut without touching the metrics one.
  const logsAgent = agentSlot();
  const metricsAgent = agentSlot();
  const transport = (agent: ReturnType<typeof agentSlot>) => ({ headers: { ...options.headers }, timeoutMillis: timeoutMs, httpAgentOptions: agent.factory });

  // Our ring does the batching and counting (BatchLogRecordProcessor would drop silently past its
  // own queue); the SDK's Logger only builds the records, handed synchronously to the batch in making.
  let sink: ReadableLogRecord[] | undefined;
  const capture: LogRecordProcessor = { onEmit: (r) => void sink?.push(r), forceFlush: async () => {}, shutdown: async () => {} };
  const loggerProvider = new LoggerProvider({ resource, processors: [capture] });
  const logger = loggerProvider.getLogger('vitrine-collector');
  const logExporter: LogRecordExporter = new OTLPLogExporter({ url: `${base}/v1/logs`, ...transport(logsAgent) });

  const metricExporter = new OTLPMetricExporter({ url: `${base}/v1/metrics`, ...transport(metricsAgent) });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: reporting(metricExporter, (e) => report(new Error(`otlp: metrics export to ${base}/v1/metrics failed: ${reason(e)}`, { cause: e }))),
        exportIntervalMillis: metricIntervalMs,
        exportTimeoutMillis: Math.min(timeoutMs, metricIntervalMs),
      }),
    ],
  });
  const meter = meterProvider.getMeter('vitrine-collector');
  // One histogram per metric rather than one `browser.web_vital` histogram split by name: an OTel
  // instrument has one unit and one set of bucket bounds, and CLS (unitless, 0-1) cannot share
  // either with the millisecond timings. Series per histogram are capped by the SDK's cardinality
  // limit (2000, then one overflow series), so many distinct pages cannot grow memory without bound.
  const histograms = Object.fromEntries(
    METRICS.map((m) => [
      m,
      meter.createHistogram(`browser.web_vital.${m.toLowerCase()}`, {
        unit: UNITS[m],
        description: `${m} of page views, from Vitrine beacons`,
        advice: { explicitBucketBoundaries: BOUNDS[m] },
      }),
    ]),
  ) as Record<Metric, Histogram>;

  const queue = createRing<QueuedView>(maxQueue);
  let inFlight: Promise<boolean> | undefined;
  let inFlightViews = 0;
  let abortInFlight: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Infinity;
  let lastFailed = false;
  let closed = false;
  let shutdownPromise: Promise<void> | undefined;
  const counts = { exported: 0, dropped: 0, failed: 0 };

  function schedule(delay: number) {
    if (inFlight || closed) return;
    const due = Date.now() + delay;
    if (timer) {
      if (due >= timerDue) return;
      clearTimeout(timer);
    }
    timerDue = due;
    timer = setTimeout(tick, delay);
    timer.unref();
  }

  function tick() {
    timer = undefined;
    timerDue = Infinity;
    if (inFlight || closed || queue.size === 0) return;
    const sending = (inFlight = sendNext());
    void sending.then((ok) => {
      inFlight = undefined;
      lastFailed = !ok;
      // After a failure, wait a full interval: a down endpoint is not hammered in a tight loop.
      if (queue.size > 0) schedule(ok && queue.size >= batchSize ? 0 : flushIntervalMs);
    });
  }

  /** Exports one batch; resolves (never rejects) once the endpoint answered, failed or timed out. */
  function sendNext(): Promise<boolean> {
    const views = queue.take(batchSize);
    inFlightViews = views.length;
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (ok: boolean, error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        abortInFlight = undefined;
        inFlightViews = 0;
        if (ok) counts.exported += views.length;
        else {
          counts.failed += views.length;
          report(new Error(`otlp: logs export of ${views.length} views to ${base}/v1/logs failed: ${reason(error)}`, { cause: error }));
        }
        resolve(ok);
      };
      const watchdog = setTimeout(() => {
        logsAgent.destroy();
        settle(false, new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs + WATCHDOG_GRACE_MS);
      watchdog.unref();
      abortInFlight = () => {
        logsAgent.destroy();
        settle(false, new Error('shutdown timed out first'));
      };
      try {
        const records = toLogRecords(views);
        // Views without vitals have nothing to send (an empty request would be refused as such).
        if (records.length === 0) settle(true);
        else logExporter.export(records, (result) => settle(result.code === SUCCESS, result.error));
      } catch (e) {
        settle(false, e);
      }
    });
  }

  function toLogRecords(views: QueuedView[]): ReadableLogRecord[] {
    const records: ReadableLogRecord[] = [];
    sink = records;
    try {
      for (const view of views) {
        for (const v of view.vitals) {
          logger.emit({
            eventName: WEB_VITAL_EVENT,
            timestamp: view.time,
            observedTimestamp: view.observed,
            attributes: {
              'event.name': WEB_VITAL_EVENT,
              [ATTR.name]: v.name.toLowerCase(),
              [ATTR.value]: v.value,
              [ATTR.rating]: v.rating,
              ...(v.delta !== undefined && { [ATTR.delta]: v.delta }),
              ...(v.id !== undefined && { [ATTR.id]: v.id }),
              ...view.attributes,
            },
          });
        }
      }
    } finally {
      sink = undefined;
    }
    return records;
  }

  function push(record: ViewRecord): void {
    try {
      if (closed) {
        counts.dropped++;
        return;
      }
      if (queue.size + inFlightViews >= maxQueue) counts.dropped++;
      else {
        queue.push(toQueued(record));
        schedule(queue.size >= batchSize && !lastFailed ? 0 : flushIntervalMs);
      }
      // Histograms are aggregates of fixed size, so they count every view, dropped from the log queue or not.
      const attributes = { page: record.page, browser: record.browser, country: record.country, 'sdk.version': record.sdk, store: record.storeId };
      for (const v of record.vitals) histograms[v.name]?.record(v.value, attributes);
    } catch (e) {
      report(e);
    }
  }

  function stats(): ExporterStats {
    return { queued: queue.size + inFlightViews, ...counts };
  }

  function shutdown(): Promise<void> {
    shutdownPromise ??= (async () => {
      const deadline = Date.now() + timeoutMs;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      let expired = false;
      const drainLogs = async () => {
        if (inFlight) await inFlight;
        while (!expired && queue.size > 0) await sendNext();
      };
      await within(timeoutMs, [drainLogs(), meterProvider.shutdown().catch(report)], () => {
        expired = true;
        abortInFlight?.();
      });
      // What the timeout left unsent counts as dropped: pushed = exported + failed + dropped.
      counts.dropped += queue.size;
      queue.clear();
      logsAgent.destroy();
      metricsAgent.destroy();
      await within(Math.max(0, deadline - Date.now()), [logExporter.shutdown().catch(report), loggerProvider.shutdown().catch(report)]);
    })().catch(report);
    return shutdownPromise;
  }

  return { push, stats, shutdown };
}

function toQueued(r: ViewRecord): QueuedView {
  const attributes: Attributes = {
    page: r.page,
    browser: r.browser,
    'browser.version': r.browserMajor,
    device: r.device,
    country: r.country,
    'sdk.version': r.sdk,
    store: r.storeId,
    ...(r.release !== '' && { release: r.release }),
    'view.id': r.viewId,
    [ATTR.navigationType]: r.navigationType,
  };
  const vitals = r.vitals.map((v) => {
    // The report's last entry for a metric is the one the view kept (see normalise()).
    let sent: ViewRecord['report']['vitals'][number] | undefined;
    for (const e of r.report.vitals) if (e.name === v.name) sent = e;
    return { name: v.name, value: v.value, rating: v.rating, id: sent?.id, delta: sent?.delta };
  });
  return { attributes, time: hrTime(r.viewTime), observed: hrTime(r.receivedAt), vitals };
}

/**
 * Epoch milliseconds as exact [seconds, nanoseconds], so a view's time never depends on how an SDK
 * version tells a plain epoch number from a performance.now() offset (older ones misread times
 * from before the process started, as a queued view's is).
 */
function hrTime(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  return [s, Math.min(999_999_999, Math.round((ms - s * 1000) * 1e6))];
}

/** The OTLP exporter wrapped to hear each export's result; the reader still gets it unchanged. */
function reporting(inner: OTLPMetricExporter, onFailure: (e: unknown) => void): PushMetricExporter {
  return {
    export: (metrics, done) =>
      inner.export(metrics, (result) => {
        if (result.code !== SUCCESS) onFailure(result.error);
        done(result);
      }),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregation: (type) => inner.selectAggregation(type),
    selectAggregationTemporality: (type) => inner.selectAggregationTemporality(type),
  };
}

function agentSlot() {
  let agent: HttpAgent | undefined;
  return {
    factory: (protocol: string) => (agent ??= protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })),
    /** Ends its sockets (a hung request fails at once); the agent opens new ones when next used. */
    destroy: () => agent?.destroy(),
  };
}

/** Waits for all of `work`, or `ms`, whichever is first (then calls `onTimeout`); never rejects. */
async function within(ms: number, work: Promise<unknown>[], onTimeout?: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = await Promise.race([Promise.allSettled(work), timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') onTimeout?.();
}

/** A fixed-size FIFO: push and the per-item cost of take are O(1), memory is `capacity` slots. */
function createRing<T>(capacity: number) {
  const slots: (T | undefined)[] = new Array<T | undefined>(capacity);
  let head = 0;
  let size = 0;
  return {
    get size() {
      return size;
    },
    push(item: T) {
      slots[(head + size) % capacity] = item;
      size++;
    },
    take(n: number): T[] {
      const out: T[] = [];
      while (out.length < n && size > 0) {
        out.push(slots[head] as T);
        slots[head] = undefined;
        head = (head + 1) % capacity;
        size--;
      }
      return out;
    },
    clear() {
      slots.fill(undefined);
      head = 0;
      size = 0;
    },
  };
}

function validUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`otlp: expected url to be an OTLP/HTTP base like http://127.0.0.1:4318, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`otlp: expected ${name} to be a positive integer, got ${String(value)}`);
  return value;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e ?? 'unknown error');
}
