import { emptyHealth } from './helpers.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOtlpExporter } from '../src/export/otlp.js';
import type { Exporter } from '../src/export/exporter.js';
import { METRICS, THRESHOLDS, UNITS, type Metric, type Rating } from '../src/field/thresholds.js';
import type { ViewRecord } from '../src/ingest/record.js';
import type { VitalsReport } from '../src/sdk.js';

// ---- A real OTLP/HTTP endpoint on loopback, decoding the JSON the exporters send ----------------

/** `trickle` answers 200 and then a byte every 50 ms, never ending: no idle timeout ever fires. */
type Mode = 'ok' | 'fail' | 'hang' | 'trickle';
/** Decoded OTLP JSON, read loosely: the assertions are the schema. */
// biome-ignore lint/suspicious/noExplicitAny: decoded JSON walked by path in assertions
type Json = any;

interface Endpoint {
  url: string;
  mode: Mode;
  logs: Json[];
  metrics: Json[];
  headers: IncomingHttpHeaders[];
  logRequests: number;
  openLogRequests: number;
  maxOpenLogRequests: number;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function startEndpoint(mode: Mode, delayMs = 0): Promise<Endpoint> {
  const server = createServer((req, res) => {
    const isLogs = req.url === '/v1/logs';
    if (isLogs) {
      ep.logRequests++;
      ep.openLogRequests++;
      ep.maxOpenLogRequests = Math.max(ep.maxOpenLogRequests, ep.openLogRequests);
      res.on('close', () => ep.openLogRequests--);
    }
    ep.headers.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'hang') return;
      if (mode === 'trickle') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(drip));
        return;
      }
      setTimeout(() => {
        if (mode === 'fail') {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":13,"message":"boom"}');
          return;
        }
        const body: Json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (isLogs) ep.logs.push(body);
        else if (req.url === '/v1/metrics') ep.metrics.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const ep: Endpoint = {
    url: `http://127.0.0.1:${port}`,
    mode,
    logs: [],
    metrics: [],
    headers: [],
    logRequests: 0,
    openLogRequests: 0,
    maxOpenLogRequests: 0,
    close: () => closeServer(server),
  };
  return ep;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port nothing listens on: connections to it are refused. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}

function anyValue(v: Json): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return v.boolValue;
  return v;
}

function attrs(kvs: Json[] | undefined): Record<string, unknown> {
  return Object.fromEntries((kvs ?? []).map((kv: Json) => [kv.key, anyValue(kv.value)]));
}

function logRecords(bodies: Json[]): { record: Json; attributes: Record<string, unknown>; resource: Record<string, unknown> }[] {
  return bodies.flatMap((body) =>
    body.resourceLogs.flatMap((rl: Json) =>
      rl.scopeLogs.flatMap((sl: Json) => sl.logRecords.map((record: Json) => ({ record, attributes: attrs(record.attributes), resource: attrs(rl.resource?.attributes) }))),
    ),
  );
}

/** The histograms of the latest metrics request that has any (cumulative: the latest holds all). */
function latestHistograms(ep: Endpoint): { metrics: Map<string, Json>; resource: Record<string, unknown> } | undefined {
  for (const body of [...ep.metrics].reverse()) {
    const metrics = new Map<string, Json>();
    let resource: Record<string, unknown> = {};
    for (const rm of body.resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          metrics.set(m.name, m);
          resource = attrs(rm.resource?.attributes);
        }
      }
    }
    if (metrics.size > 0) return { metrics, resource };
  }
  return undefined;
}

/** Every string anywhere in every request the endpoint decoded. */
function allStrings(ep: Endpoint): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk([ep.logs, ep.metrics]);
  return out;
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b|::ffff:/i;

// ---- ViewRecords ---------------------------------------------------------------------------------

const rating = (m: Metric, value: number): Rating => (value <= THRESHOLDS[m].good ? 'good' : value <= THRESHOLDS[m].poor ? 'needs-improvement' : 'poor');

let seq = 0;

function view(over: Partial<Omit<ViewRecord, 'vitals' | 'report'>> & { vitals?: Partial<Record<Metric, number>> } = {}): ViewRecord {
  const viewId = over.viewId ?? `view-${String(++seq).padStart(8, '0')}`;
  const values = over.vitals ?? { LCP: 2400, INP: 350, CLS: 0.05 };
  const vitals = (Object.entries(values) as [Metric, number][]).map(([name, value]) => ({ name, value, rating: rating(name, value) }));
  const viewTime = over.viewTime ?? Date.now() - 60_000;
  const storeId = over.storeId ?? 'shop-1';
  const page = over.page ?? '/products/red-shoe';
  const release = over.release ?? '';
  const report: VitalsReport = {
    v: 2,
    sdk: over.sdk ?? '1.4.0',
    ...(release && { release }),
    storeId,
    viewId,
    page,
    navigationType: 'navigate',
    time: viewTime,
    vitals: vitals.map((v) => ({ ...v, delta: v.value, id: `v5-${viewId}-${v.name}`, navigationType: 'navigate' as const })),
    health: emptyHealth(),
  };
  return {
    storeId,
    viewId,
    viewTime,
    receivedAt: over.receivedAt ?? viewTime + 1500,
    page,
    browser: over.browser ?? 'Chrome',
    browserMajor: over.browserMajor ?? '126',
    device: over.device ?? 'mobile',
    country: over.country ?? 'DE',
    sdk: over.sdk ?? '1.4.0',
    release,
    navigationType: 'navigate',
    queued: false,
    schemaVersion: 2,
    vitals,
    health: report.health,
    report,
  };
}

// ---- The tests -------------------------------------------------------------------------------------

const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let exporters: Exporter[] = [];
const track = (e: Exporter) => (exporters.push(e), e);

beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterEach(async () => {
  await Promise.all(exporters.map((e) => e.shutdown()));
  exporters = [];
  await Promise.all(servers.splice(0).map(closeServer));
  expect(unhandled).toEqual([]);
});
afterAll(() => void process.off('unhandledRejection', onUnhandled));

describe('OTLP exporter: what a pipeline receives', { timeout: 60_000 }, () => {
  it('sends each vital of a view as one browser.web_vital log record with the semconv name, value and rating and the view attributes, at the view time', async () => {
    const ep = await startEndpoint('ok');
    const exporter = track(createOtlpExporter({ url: `${ep.url}/`, headers: { 'x-api-key': 'k-123' }, flushIntervalMs: 20 }));
    // A view from before the process started (a queued report) keeps its own time, to the nanosecond.
    const dayAgo = Date.now() - 86_400_000;
    const first = view({ viewTime: dayAgo, receivedAt: dayAgo + 2000, release: '2024.06-1', vitals: { LCP: 2400, INP: 350, CLS: 0.05 } });
    const second = view({ page: '/cart', browser: 'Firefox', browserMajor: '128', device: 'desktop', country: 'FR', vitals: { TTFB: 900, FCP: 1700 } });
    exporter.push(first);
    exporter.push(second);

    await vi.waitFor(() => expect(exporter.stats().exported).toBe(2), { timeout: 10_000, interval: 20 });
    expect(exporter.stats()).toEqual({ queued: 0, exported: 2, dropped: 0, failed: 0 });

    const records = logRecords(ep.logs);
    expect(records).toHaveLength(5);
    for (const { record, attributes, resource } of records) {
      expect(record.eventName).toBe('browser.web_vital');
      expect(attributes['event.name']).toBe('browser.web_vital');
      expect(resource['service.name']).toBe('vitrine-collector');
    }
    const lcp = records.find((r) => r.attributes['browser.web_vital.name'] === 'lcp')!;
    expect(lcp.attributes).toEqual({
      'event.name': 'browser.web_vital',
      'browser.web_vital.name': 'lcp',
      'browser.web_vital.value': 2400,
      'browser.web_vital.rating': 'good',
      'browser.web_vital.delta': 2400,
      'browser.web_vital.id': `v5-${first.viewId}-LCP`,
      'browser.web_vital.navigation_type': 'navigate',
      page: '/products/red-shoe',
      browser: 'Chrome',
      'browser.version': '126',
      device: 'mobile',
      country: 'DE',
      'sdk.version': '1.4.0',
      store: 'shop-1',
      release: '2024.06-1',
      'view.id': first.viewId,
    });
    expect(lcp.record.timeUnixNano).toBe(nanos(dayAgo));
    expect(lcp.record.observedTimeUnixNano).toBe(nanos(dayAgo + 2000));

    const byName = (n: string) => records.find((r) => r.attributes['browser.web_vital.name'] === n)!.attributes;
    expect(byName('cls')).toMatchObject({ 'browser.web_vital.value': 0.05, 'browser.web_vital.rating': 'good' });
    expect(byName('inp')).toMatchObject({ 'browser.web_vital.value': 350, 'browser.web_vital.rating': 'needs-improvement' });
    expect(byName('ttfb')).toMatchObject({
      'browser.web_vital.value': 900,
      'browser.web_vital.rating': 'needs-improvement',
      page: '/cart',
      browser: 'Firefox',
      'browser.version': '128',
      device: 'desktop',
      country: 'FR',
      'view.id': second.viewId,
    });
    expect(byName('fcp')['browser.web_vital.rating']).toBe('good');
    // No release tag, no release attribute.
    expect(byName('ttfb')).not.toHaveProperty('release');

    expect(ep.headers.every((h) => h['x-api-key'] === 'k-123')).toBe(true);
    expect(allStrings(ep).filter((s) => IPV4.test(s) || IPV6.test(s))).toEqual([]);
  });

  it('exports one histogram per metric, with the CrUX thresholds among its bucket bounds, counted per page, browser, country, SDK version and store', async () => {
    const ep = await startEndpoint('ok');
    const exporter = track(createOtlpExporter({ url: ep.url, serviceName: 'field-eu', metricIntervalMs: 50, flushIntervalMs: 20 }));
    exporter.push(view({ vitals: { LCP: 1000, CLS: 0.1 } }));
    exporter.push(view({ vitals: { LCP: 2500, CLS: 0.3 } }));
    exporter.push(view({ page: '/b', browser: 'Firefox', country: 'FR', vitals: { LCP: 5000, INP: 120, FCP: 1800, TTFB: 800 } }));

    await vi.waitFor(() => expect(latestHistograms(ep)?.metrics.get('browser.web_vital.lcp')?.histogram.dataPoints).toHaveLength(2), { timeout: 10_000, interval: 25 });
    const { metrics, resource } = latestHistograms(ep)!;
    expect(resource['service.name']).toBe('field-eu');
    expect([...metrics.keys()].sort()).toEqual(METRICS.map((m) => `browser.web_vital.${m.toLowerCase()}`).sort());
    for (const m of METRICS) {
      const metric = metrics.get(`browser.web_vital.${m.toLowerCase()}`);
      expect(metric.unit).toBe(UNITS[m]);
      for (const point of metric.histogram.dataPoints) {
        expect(point.explicitBounds).toEqual(expect.arrayContaining([THRESHOLDS[m].good, THRESHOLDS[m].poor]));
        expect(point.bucketCounts).toHaveLength(point.explicitBounds.length + 1);
      }
    }

    const lcpPoints: Json[] = metrics.get('browser.web_vital.lcp').histogram.dataPoints;
    const pointA = lcpPoints.find((p) => attrs(p.attributes).page === '/products/red-shoe');
    expect(attrs(pointA.attributes)).toEqual({ page: '/products/red-shoe', browser: 'Chrome', country: 'DE', 'sdk.version': '1.4.0', store: 'shop-1' });
    expect(Number(pointA.count)).toBe(2);
    expect(Number(pointA.sum)).toBe(3500);
    // A value equal to the "good" threshold is counted at or under it, as the CrUX rating counts it good.
    const bounds: number[] = pointA.explicitBounds;
    const at = (bound: number) => Number(pointA.bucketCounts[bounds.indexOf(bound)]);
    expect(at(2500)).toBe(1);
    expect(at(1000)).toBe(1);
    const pointB = lcpPoints.find((p) => attrs(p.attributes).page === '/b');
    expect(attrs(pointB.attributes)).toMatchObject({ browser: 'Firefox', country: 'FR' });
    expect(Number(pointB.count)).toBe(1);

    const cls = metrics.get('browser.web_vital.cls').histogram.dataPoints[0];
    expect(Number(cls.count)).toBe(2);
    expect(Number(cls.bucketCounts[cls.explicitBounds.indexOf(0.1)])).toBe(1);
    expect(allStrings(ep).filter((s) => IPV4.test(s) || IPV6.test(s))).toEqual([]);
  });

  it('shutdown() sends the queued views and the histograms recorded since the last interval', async () => {
    const ep = await startEndpoint('ok');
    const exporter = createOtlpExporter({ url: ep.url, flushIntervalMs: 60_000, metricIntervalMs: 60_000, timeoutMs: 5000 });
    for (let i = 0; i < 3; i++) exporter.push(view());
    expect(exporter.stats()).toEqual({ queued: 3, exported: 0, dropped: 0, failed: 0 });
    await exporter.shutdown();
    expect(exporter.stats()).toEqual({ queued: 0, exported: 3, dropped: 0, failed: 0 });
    expect(logRecords(ep.logs)).toHaveLength(9);
    expect(Number(latestHistograms(ep)?.metrics.get('browser.web_vital.lcp')?.histogram.dataPoints[0].count)).toBe(3);
  });

  it('sends batches of batchSize views, one request at a time', async () => {
    const ep = await startEndpoint('ok', 50);
    const exporter = track(createOtlpExporter({ url: ep.url, batchSize: 100, flushIntervalMs: 20 }));
    // Pushed in groups while a request is in flight: a full batch waits for the answer to the last.
    for (let group = 0; group < 10; group++) {
      for (let i = 0; i < 100; i++) exporter.push(view({ vitals: { LCP: 1000 + i } }));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await vi.waitFor(() => expect(exporter.stats().exported).toBe(1000), { timeout: 20_000, interval: 25 });
    expect(ep.logRequests).toBe(10);
    expect(ep.maxOpenLogRequests).toBe(1);
    expect(ep.logs.map((body) => logRecords([body]).length)).toEqual(Array(10).fill(100));
  });
});

describe('OTLP exporter: a bad endpoint never reaches ingest', { timeout: 60_000 }, () => {
  const MAX_QUEUE = 1000;

  it.each([
    ['answers 500', 'fail'],
    ['hangs', 'hang'],
    ['trickles an answer that never ends', 'trickle'],
    ['refuses connections', 'refuse'],
  ] as const)('an endpoint that %s: 50,000 pushes return, the queue stays within maxQueue, the rest is dropped and failures are counted', async (_, mode) => {
    const url = mode === 'refuse' ? await refusedUrl() : (await startEndpoint(mode)).url;
    const errors: unknown[] = [];
    const exporter = track(
      createOtlpExporter({ url, maxQueue: MAX_QUEUE, batchSize: 100, flushIntervalMs: 10, metricIntervalMs: 100, timeoutMs: 200, onError: (e) => errors.push(e) }),
    );
    const records = [view(), view({ page: '/b' }), view({ country: 'FR' })];
    let maxQueued = 0;
    const wave = () => {
      for (let i = 0; i < 50_000; i++) {
        exporter.push(records[i % 3]!);
        maxQueued = Math.max(maxQueued, exporter.stats().queued);
      }
    };

    wave();
    // Nothing can be sent while push() runs: the first maxQueue views are held, the rest dropped.
    expect(exporter.stats()).toEqual({ queued: MAX_QUEUE, exported: 0, dropped: 50_000 - MAX_QUEUE, failed: 0 });

    await vi.waitFor(() => expect(exporter.stats().failed).toBeGreaterThanOrEqual(200), { timeout: 15_000, interval: 20 });
    // The endpoint stays down: a second wave is bounded the same way.
    wave();
    await vi.waitFor(() => expect(exporter.stats().failed).toBeGreaterThanOrEqual(400), { timeout: 15_000, interval: 20 });
    // Memory is bounded by the queue: it never held more than maxQueue views (each a fixed-size copy).
    expect(maxQueued).toBeLessThanOrEqual(MAX_QUEUE);
    expect(exporter.stats().dropped).toBeGreaterThanOrEqual(2 * (50_000 - MAX_QUEUE));
    expect(exporter.stats().exported).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toBeInstanceOf(Error);
    expect(String((errors[0] as Error).message)).toContain('/v1/');

    await exporter.shutdown();
    const s = exporter.stats();
    expect(s.queued).toBe(0);
    expect(s.exported + s.failed + s.dropped).toBe(100_000);
  });

  it.each([
    ['hangs', 'hang'],
    ['trickles an answer that never ends', 'trickle'],
  ] as const)('shutdown() resolves while the endpoint %s, and counts the views it could not send as failed', async (_, mode) => {
    const ep = await startEndpoint(mode);
    const exporter = createOtlpExporter({ url: ep.url, flushIntervalMs: 60_000, metricIntervalMs: 60_000, timeoutMs: 300 });
    for (let i = 0; i < 10; i++) exporter.push(view());
    const done = exporter.shutdown();
    expect(exporter.shutdown()).toBe(done);
    await done;
    expect(exporter.stats()).toEqual({ queued: 0, exported: 0, dropped: 0, failed: 10 });
    expect(ep.logRequests).toBeGreaterThanOrEqual(1);
    // After shutdown a push is counted, not sent, and does not throw.
    exporter.push(view());
    expect(exporter.stats().dropped).toBe(1);
  });

  it('push() never throws: a malformed record and a throwing onError handler are absorbed', async () => {
    const ep = await startEndpoint('ok');
    const errors: unknown[] = [];
    const exporter = track(createOtlpExporter({ url: ep.url, onError: (e) => errors.push(e) }));
    expect(() => exporter.push({} as ViewRecord)).not.toThrow();
    expect(() => exporter.push(null as unknown as ViewRecord)).not.toThrow();
    expect(errors.length).toBe(2);

    const throwing = track(
      createOtlpExporter({
        url: ep.url,
        onError: () => {
          throw new Error('handler broke');
        },
      }),
    );
    expect(() => throwing.push(null as unknown as ViewRecord)).not.toThrow();
  });

  it('refuses bad options at creation with a message naming the option', () => {
    expect(() => createOtlpExporter({ url: 'localhost:4318' })).toThrow(/expected url to be an OTLP\/HTTP base/);
    expect(() => createOtlpExporter({ url: 'http://127.0.0.1:4318', maxQueue: 0 })).toThrow(/expected maxQueue to be a positive integer, got 0/);
    expect(() => createOtlpExporter({ url: 'http://127.0.0.1:4318', timeoutMs: 1.5 })).toThrow(/timeoutMs/);
  });
});
