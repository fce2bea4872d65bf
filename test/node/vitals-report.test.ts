import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../src/events.js';
import { createHealthCounters } from '../../src/vitals/counters.js';
import { startVitalsReporter, fit } from '../../src/vitals/reporter.js';
import type { QueuedReport, ReportQueue } from '../../src/vitals/queue.js';
import { parseVitalsReport, MAX_REPORT_BYTES, type VitalsReport, type VitalsReportV1 } from '../../src/vitals-schema.js';
import { postOutcome } from '../../src/vitals/beacon.js';
import { SDK_VERSION } from '../../src/version.js';
import { isSampledIn, hashToUnit, sessionId } from '../../src/vitals/sampling.js';
import { isVitrineError } from '../../src/errors.js';

const PACKAGE_VERSION: string = JSON.parse(readFileSync('package.json', 'utf8')).version;

/** A window's lifecycle surface, driven by hand: the real events are covered in test/e2e. */
function fakeWindow(path = '/shop/shoes') {
  const target = new EventTarget() as EventTarget & Record<string, unknown>;
  const doc = { visibilityState: 'visible' as DocumentVisibilityState };
  Object.assign(target, {
    document: doc,
    location: { href: `https://merchant.test${path}?email=a@b.c`, pathname: path },
    performance: { getEntriesByType: () => [{ type: 'navigate' }] },
  });
  return {
    win: target as unknown as Window,
    hide() {
      doc.visibilityState = 'hidden';
      target.dispatchEvent(new Event('visibilitychange'));
      target.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    },
    /** What Chromium does on a navigation: pagehide first, then the document turns hidden. */
    unload(between: () => void) {
      target.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
      between();
      doc.visibilityState = 'hidden';
      target.dispatchEvent(new Event('visibilitychange'));
    },
    restore() {
      doc.visibilityState = 'visible';
      target.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    },
  };
}

/** The queue's contract in memory (the IndexedDB one is exercised in Chromium, test/e2e). */
function memoryQueue(max = 10): ReportQueue & { items: QueuedReport[] } {
  let n = 0;
  const q = {
    items: [] as QueuedReport[],
    async open() {},
    async push(report: unknown) {
      q.items.push({ key: String(n++).padStart(6, '0'), report });
    },
    async restore(rs: readonly QueuedReport[]) {
      q.items.push(...rs);
      q.items.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async take(limit = Infinity) {
      const dropped = Math.max(0, q.items.length - max);
      q.items.splice(0, dropped);
      return { reports: q.items.splice(0, limit), dropped };
    },
  };
  return q;
}

type Emit = (m: unknown) => void;
function fakeMetrics() {
  const subs: Emit[] = [];
  return {
    metrics: [0, 1, 2, 3, 4].map(() => (cb: Emit) => void subs.push(cb)) as never,
    emit(m: Record<string, unknown>) {
      subs[0]?.(m); // every subscription shares one callback; one call is one metric report
    },
  };
}

const lcp = (url: string) => ({
  name: 'LCP',
  value: 1234.56,
  delta: 1234.56,
  id: 'v5-1',
  rating: 'good',
  navigationType: 'navigate',
  entries: [],
  attribution: { target: 'vitrine-grid', url: `${url}?token=secret`, timeToFirstByte: 1, resourceLoadDelay: 1, resourceLoadDuration: 1, elementRenderDelay: 1 },
});

function setup(
  over: {
    beforeSend?: (r: unknown) => unknown;
    sendBeacon?: (u: string, d: BodyInit) => boolean;
    fetch?: typeof fetch;
    onLine?: () => boolean;
    queue?: ReturnType<typeof memoryQueue>;
    release?: string;
  } = {},
) {
  const bus = createEventBus();
  const counters = createHealthCounters(bus);
  const page = fakeWindow();
  const queue = over.queue ?? memoryQueue();
  const { metrics, emit } = fakeMetrics();
  const beacons: string[] = [];
  const sendBeacon = over.sendBeacon ?? ((_u: string, d: BodyInit) => (beacons.push(String(d)), true));
  const fetchImpl = over.fetch ?? (vi.fn(async () => new Response(null, { status: 204 })) as unknown as typeof fetch);
  const errors: string[] = [];
  bus.on('error', (e) => errors.push(e.message));
  const reporter = startVitalsReporter({
    options: {
      storeId: '1003',
      cdn: 'https://cdn.test',
      origin: 'https://origin.test',
      collector: 'https://rum.test/v',
      beforeSend: over.beforeSend,
      fetch: fetchImpl,
      release: over.release,
    },
    bus,
    counters,
    window: page.win,
    queue,
    metrics,
    beacon: { sendBeacon, ...(over.onLine && { onLine: over.onLine }) },
  });
  const sent = () => beacons.map((b) => parseVitalsReport(b));
  return { bus, counters, page, queue, emit, beacons, sent, reporter, fetchImpl, errors };
}

describe('vitals report', () => {
  it('leaving the page sends exactly one report, with the vitals and the path but not the query string', async () => {
    const t = setup();
    await t.reporter.flushed;
    t.emit(lcp('https://origin.test/images/1003/k/1200.webp'));
    t.bus.emit('asset', { url: 'https://cdn.test/images/1003/k/1200.webp', kind: 'image', host: 'cdn', outcome: 'empty', ms: 3 });
    t.page.hide();
    const [report, ...more] = t.sent();
    expect(more).toHaveLength(0);
    // Schema v2: which SDK sent it (package.json's version, as the build stamps it); no release unless one is set.
    expect(report).toMatchObject({ v: 2, sdk: PACKAGE_VERSION });
    expect(report).not.toHaveProperty('release');
    expect(report?.page).toBe('/shop/shoes');
    expect(JSON.stringify(report)).not.toContain('email');
    expect(report?.vitals[0]).toMatchObject({ name: 'LCP', value: 1234.6, attribution: { url: 'https://origin.test/images/1003/k/1200.webp', inVitrine: true, fromOrigin: true } });
    expect(JSON.stringify(report)).not.toContain('secret');
    expect(report?.health.blankUrls).toEqual(['https://cdn.test/images/1003/k/1200.webp']);
  });

  it('a bfcache-restored view sends its own second report with a new view id and fresh counters', async () => {
    const t = setup();
    t.bus.emit('request', { url: 'u', ids: ['1'], status: 200, ms: 1, attempt: 1, source: 'network' });
    t.page.hide();
    t.page.restore();
    t.page.hide();
    const [first, second] = t.sent();
    expect(t.beacons).toHaveLength(2);
    expect(second?.viewId).not.toBe(first?.viewId);
    expect(second?.navigationType).toBe('back-forward-cache');
    expect(first?.health.apiRequests).toBe(1);
    expect(second?.health.apiRequests).toBe(0);
  });

  it('on a navigation (pagehide before hidden) the report still carries the CLS web-vitals finalises on hidden', () => {
    const t = setup();
    t.page.unload(() => t.emit({ name: 'CLS', value: 0, delta: 0, id: 'c', rating: 'good', navigationType: 'navigate', entries: [], attribution: {} }));
    expect(t.beacons).toHaveLength(1);
    expect(t.sent()[0]?.vitals.map((v) => v.name)).toEqual(['CLS']);
  });

  it('beforeSend can redact a report or drop it entirely', async () => {
    const redacted = setup({ beforeSend: (r) => ({ ...(r as VitalsReport), page: '/redacted' }) });
    redacted.page.hide();
    expect(redacted.sent()[0]?.page).toBe('/redacted');
    const dropped = setup({ beforeSend: () => null });
    dropped.page.hide();
    expect(dropped.beacons).toHaveLength(0);
  });

  it('a beforeSend hook that throws drops the report (never sends it unredacted) and reports an error', () => {
    const t = setup({
      beforeSend: () => {
        throw new Error('boom');
      },
    });
    t.page.hide();
    expect(t.beacons).toHaveLength(0);
    expect(t.errors.join()).toContain('boom');
  });

  it('offline: the report is kept for the next visit, which delivers it exactly once with queued: true', async () => {
    const queue = memoryQueue();
    const first = setup({ queue, onLine: () => false });
    first.page.hide();
    await vi.waitFor(() => expect(queue.items).toHaveLength(1));
    expect(first.beacons).toHaveLength(0);

    const posted: string[] = [];
    const fetchImpl = (async (_u: string, init: RequestInit) => (posted.push(String(init.body)), new Response(null, { status: 204 }))) as unknown as typeof fetch;
    const second = setup({ queue, fetch: fetchImpl });
    await second.reporter.flushed;
    const third = setup({ queue, fetch: fetchImpl });
    await third.reporter.flushed;
    expect(posted).toHaveLength(1);
    expect(parseVitalsReport(posted[0]).queued).toBe(true);
    expect(queue.items).toHaveLength(0);
  });

  it('beacon refused and the keepalive fetch failing: the report is kept, not lost', async () => {
    const queue = memoryQueue();
    const t = setup({ queue, sendBeacon: () => false, fetch: (async () => new Response(null, { status: 503 })) as unknown as typeof fetch });
    t.page.hide();
    await vi.waitFor(() => expect(queue.items).toHaveLength(1));
  });

  it('collector still down on the next visit: one request, the report stays queued, and this view is queued too', async () => {
    const queue = memoryQueue();
    await queue.push({ v: 1, old: 1 });
    await queue.push({ v: 1, old: 2 });
    const before = queue.items.map((i) => i.key);
    const down = vi.fn(async () => new Response(null, { status: 503 })) as unknown as typeof fetch;
    const t = setup({ queue, fetch: down });
    await t.reporter.flushed;
    expect(down).toHaveBeenCalledTimes(1);
    expect(queue.items.map((i) => i.key)).toEqual(before);
    t.page.hide();
    await vi.waitFor(() => expect(queue.items).toHaveLength(3));
    expect(t.beacons).toHaveLength(0);
  });

  it("the merchant's release tag goes into the report as release", () => {
    const t = setup({ release: 'shop-2024.06.1+b7' });
    t.page.hide();
    expect(t.sent()[0]).toMatchObject({ v: 2, sdk: PACKAGE_VERSION, release: 'shop-2024.06.1+b7' });
  });

  it.each([400, 413, 422])('a queued report the collector refuses for good (%i) is dropped and counted, and the flush goes on', async (status) => {
    const queue = memoryQueue();
    await queue.push({ v: 1, old: 1 });
    await queue.push({ v: 1, old: 2 });
    let calls = 0;
    // The collector refuses the first (too old, invalid or too large) and takes the second.
    const answers = vi.fn(async () => new Response(null, { status: calls++ === 0 ? status : 204 })) as unknown as typeof fetch;
    const t = setup({ queue, fetch: answers });
    await t.reporter.flushed;
    expect(answers).toHaveBeenCalledTimes(2);
    expect(queue.items).toHaveLength(0);
    // The collector is up: this view's report goes out at once, and says one report was dropped.
    t.page.hide();
    expect(t.beacons).toHaveLength(1);
    expect(t.sent()[0]?.health.beaconsDropped).toBe(1);
    expect(queue.items).toHaveLength(0);
  });

  it.each([
    ['408', 408],
    ['429', 429],
    ['500', 500],
    ['503', 503],
    ['a network error', 0],
  ] as const)('a queued report answered with %s is kept: one request, the collector is taken as down', async (_name, status) => {
    const queue = memoryQueue();
    await queue.push({ v: 1, old: 1 });
    await queue.push({ v: 1, old: 2 });
    const before = queue.items.map((i) => i.key);
    const answer = vi.fn(async () => {
      if (status === 0) throw new TypeError('Failed to fetch');
      return new Response(null, { status });
    }) as unknown as typeof fetch;
    const t = setup({ queue, fetch: answer });
    await t.reporter.flushed;
    expect(answer).toHaveBeenCalledTimes(1);
    expect(queue.items.map((i) => i.key)).toEqual(before);
    t.page.hide();
    await vi.waitFor(() => expect(queue.items).toHaveLength(3));
    expect(t.beacons).toHaveLength(0);
    expect((queue.items[2]!.report as VitalsReport).health.beaconsDropped).toBe(0);
  });

  it('postOutcome: 2xx delivered; 4xx other than 408 and 429 rejected; everything else down', () => {
    for (const status of [200, 202, 204]) expect(postOutcome(status), String(status)).toBe('delivered');
    for (const status of [400, 401, 403, 404, 410, 413, 415, 422]) expect(postOutcome(status), String(status)).toBe('rejected');
    for (const status of [0, 301, 304, 408, 429, 500, 502, 503, 504]) expect(postOutcome(status), String(status)).toBe('down');
  });

  it('reports dropped from a full queue are counted in the next report', async () => {
    const queue = memoryQueue(2);
    for (let i = 0; i < 5; i++) await queue.push({ v: 1, i });
    const t = setup({ queue });
    await t.reporter.flushed;
    t.page.hide();
    expect(t.sent()[0]?.health.beaconsDropped).toBe(3);
  });

  it('emits each web-vital on the event bus for the support console', () => {
    const t = setup();
    const seen: string[] = [];
    t.bus.on('vital', (e) => seen.push(`${e.name}:${e.rating}`));
    t.emit({
      name: 'CLS',
      value: 0.12345,
      delta: 0.1,
      id: 'c',
      rating: 'needs-improvement',
      navigationType: 'navigate',
      entries: [],
      attribution: { largestShiftTarget: 'main>div' },
    });
    expect(seen).toEqual(['CLS:needs-improvement']);
  });

  it('a page with hundreds of blank CDN URLs still sends a report under 16 KB', () => {
    const t = setup();
    const long = 'x'.repeat(250);
    for (let i = 0; i < 500; i++) t.bus.emit('asset', { url: `https://cdn.test/images/1003/${long}${i}/400.webp`, kind: 'image', host: 'cdn', outcome: 'empty', ms: 1 });
    t.page.hide();
    expect(new TextEncoder().encode(t.beacons[0]).length).toBeLessThanOrEqual(MAX_REPORT_BYTES);
    const report = t.sent()[0];
    expect((report?.health.blankUrls.length ?? 0) + (report?.health.blankUrlsOmitted ?? 0)).toBe(500);
  });

  it('fit() leaves a typical report untouched', () => {
    const t = setup();
    const r = t.reporter.preview();
    expect(fit(r)).toBe(r);
  });
});

describe('parseVitalsReport', () => {
  it('rejects a report with an unknown field, naming it, so a collector can tell', () => {
    const t = setup();
    const body = { ...t.reporter.preview(), email: 'x@y.z' };
    expect(() => parseVitalsReport(body)).toThrowError(/email/);
    try {
      parseVitalsReport(JSON.stringify(body));
    } catch (e) {
      expect(isVitrineError(e, 'INVALID_RESPONSE')).toBe(true);
    }
  });

  /** What an SDK from before schema v2 sent: no sdk, no release. */
  const v1Report = (): VitalsReportV1 => {
    const { v: _v, sdk: _sdk, release: _release, ...rest } = setup({ release: 'r1' }).reporter.preview();
    return { v: 1, ...rest };
  };

  it("still accepts a v1 report (old SDKs' queued reports arrive for days), and a v2 one", () => {
    const v1 = v1Report();
    expect(parseVitalsReport(JSON.stringify(v1))).toEqual(v1);
    const v2 = setup({ release: 'r1' }).reporter.preview();
    expect(v2).toMatchObject({ v: 2, sdk: SDK_VERSION, release: 'r1' });
    expect(parseVitalsReport(JSON.stringify(v2))).toEqual(v2);
    // A v1 report is v1 through and through: v2's fields in it are unknown keys.
    expect(() => parseVitalsReport({ ...v1, sdk: '1.0.0' })).toThrowError(/unknown key\(s\) sdk/);
  });

  it.each([
    ['a v2 report without sdk', (r: Record<string, unknown>) => delete r['sdk'], 'sdk', /sdk: expected string, got undefined/],
    ['an sdk that is not a version', (r: Record<string, unknown>) => (r['sdk'] = 'latest'), 'sdk', /sdk: expected the documented format, got "latest"/],
    ['an sdk over 32 characters', (r: Record<string, unknown>) => (r['sdk'] = `1.0.0-${'a'.repeat(30)}`), 'sdk', /sdk: expected a length of at most 32/],
    ['a release with a space', (r: Record<string, unknown>) => (r['release'] = 'spring sale'), 'release', /release: expected the documented format, got "spring sale"/],
    ['an empty release', (r: Record<string, unknown>) => (r['release'] = ''), 'release', /release: expected the documented format, got ""/],
    ['a release over 64 characters', (r: Record<string, unknown>) => (r['release'] = 'r'.repeat(65)), 'release', /release: /],
    ['a version the schema does not know', (r: Record<string, unknown>) => (r['v'] = 3), 'v', /v: expected one of 1, 2, got 3$/],
    ['no version at all', (r: Record<string, unknown>) => delete r['v'], 'v', /v: expected one of 1, 2, got undefined$/],
  ])('rejects %s, naming the field', (_name, spoil, field, message) => {
    const report: Record<string, unknown> = { ...setup({ release: 'r1' }).reporter.preview() };
    spoil(report);
    let error: unknown;
    try {
      parseVitalsReport(JSON.stringify(report));
    } catch (e) {
      error = e;
    }
    expect(isVitrineError(error, 'INVALID_RESPONSE')).toBe(true);
    expect((error as { field: string }).field).toBe(field);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects text that is not JSON and accepts a JSON string of a valid report', () => {
    expect(() => parseVitalsReport('{nope')).toThrowError(/does not parse/);
    const t = setup();
    expect(parseVitalsReport(JSON.stringify(t.reporter.preview())).storeId).toBe('1003');
  });
});

describe('sampling', () => {
  let store: Map<string, string>;
  const storage = () => ({ getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
  beforeEach(() => {
    store = new Map();
  });
  afterEach(() => vi.restoreAllMocks());

  it('sampleRate 0 never reports and 1 always does', () => {
    expect(isSampledIn(0, { storage: storage() })).toBe(false);
    expect(isSampledIn(1, { storage: storage() })).toBe(true);
  });

  it('a session keeps its answer on every page (same id from sessionStorage)', () => {
    const s = storage();
    const answers = new Set(Array.from({ length: 5 }, () => isSampledIn(0.5, { storage: s })));
    expect(answers.size).toBe(1);
    expect(store.size).toBe(1);
  });

  it('about the requested share of sessions is sampled in', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let inCount = 0;
    for (let i = 0; i < 4000; i++)
      if (isSampledIn(0.25, { storage: storage(), random })) inCount++, store.clear();
      else store.clear();
    expect(inCount / 4000).toBeGreaterThan(0.22);
    expect(inCount / 4000).toBeLessThan(0.28);
  });

  it('throwing storage (sandboxed iframe) still samples instead of crashing', () => {
    const bad = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(sessionId({ storage: bad })).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(hashToUnit('abc')).toBeGreaterThanOrEqual(0);
  });
});
