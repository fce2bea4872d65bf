import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/events.js';
import { recordEvents } from '../../src/event-log.js';
import { createHealthCounters } from '../../src/vitals/counters.js';
import { createRetryBudget } from '../../src/lib/retry-budget.js';
import { VitalsReport } from '../../src/vitals/report-schema.js';
import { SDK_VERSION } from '../../src/version.js';

const asset = (url: string, host: 'cdn' | 'origin', outcome: 'ok' | 'empty' | 'error' | 'timeout' | 'skipped', kind: 'image' | 'script' = 'image') => ({
  url,
  kind,
  host,
  outcome,
  ms: 1,
});

describe('health counters', () => {
  it('loaded after the first paint, still counts the whole page view: recorded events and retries spent before it arrived', () => {
    const bus = createEventBus();
    const budget = createRetryBudget(0.1, 3);
    const log = recordEvents(bus);
    // Before the reporter (or the overlay) loads: a retried request and a blank CDN image.
    budget.recordRequest();
    expect(budget.tryAcquire()).toBe(true);
    bus.emit('request', { url: 'u', ids: ['1'], status: 503, ms: 5, attempt: 1, source: 'network' });
    bus.emit('request', { url: 'u', ids: ['1'], status: 200, ms: 5, attempt: 2, source: 'network' });
    bus.emit('asset', asset('https://cdn.test/images/1/a/400.webp', 'cdn', 'empty'));
    const c = createHealthCounters(bus, { budget, past: log.entries });
    log.stop();
    bus.emit('asset', asset('https://origin.test/images/1/a/400.webp', 'origin', 'ok'));
    const h = c.snapshot();
    expect(h.apiRequests).toBe(2);
    expect(h.apiRetries).toBe(1);
    expect(h.retryBudgetSpent).toBe(1);
    expect(h.assets.image).toEqual({ ok: 1, empty: 1, failed: 0 });
    expect(h.blankUrls).toEqual(['https://cdn.test/images/1/a/400.webp']);
  });

  it('counts two blank CDN images as two empties, two origin fallbacks and lists both URLs for purging', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    for (const key of ['a', 'b']) {
      bus.emit('asset', asset(`https://cdn.test/images/1/${key}/400.webp?sig=secret`, 'cdn', 'empty'));
      bus.emit('asset', asset(`https://origin.test/images/1/${key}/400.webp`, 'origin', 'ok'));
    }
    bus.emit('asset', asset('https://cdn.test/images/1/c/400.webp', 'cdn', 'ok'));
    const h = c.snapshot();
    expect(h.assets.image).toEqual({ ok: 3, empty: 2, failed: 0 });
    expect(h.originFallbacks).toBe(2);
    expect(h.blankUrls).toEqual(['https://cdn.test/images/1/a/400.webp', 'https://cdn.test/images/1/b/400.webp']);
  });

  it('counts API requests, retries and batch sizes, but not answers served from the cache', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    bus.emit('request', { url: 'u', ids: ['1', '2', '3'], status: 503, ms: 5, attempt: 1, source: 'network' });
    bus.emit('request', { url: 'u', ids: ['1', '2', '3'], status: 200, ms: 5, attempt: 2, source: 'network' });
    bus.emit('request', { url: 'u', ids: ['9'], status: 200, ms: 5, attempt: 1, source: 'network' });
    bus.emit('request', { url: 'u', ids: ['4'], status: 200, ms: 0, attempt: 1, source: 'cache' });
    const h = c.snapshot();
    expect(h.apiRequests).toBe(3);
    expect(h.apiRetries).toBe(1);
    expect(h.batches).toEqual({ count: 2, ids: 4, max: 3 });
  });

  it('tells fresh cache hits from stale ones and misses, and counts breaker openings and errors', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    bus.emit('cache', { key: 'a', hit: true, stale: false });
    bus.emit('cache', { key: 'b', hit: true, stale: true });
    bus.emit('cache', { key: 'c', hit: false, stale: false });
    bus.emit('breaker', { host: 'cdn.test', state: 'open', failures: 3 });
    bus.emit('breaker', { host: 'cdn.test', state: 'closed', failures: 0 });
    bus.emit('error', { code: 'HTTP', message: 'x' });
    const h = c.snapshot();
    expect(h.cache).toEqual({ fresh: 1, stale: 1, miss: 1 });
    expect(h.breakerOpenings).toBe(1);
    expect(h.errors).toBe(1);
  });

  it('reads retries spent straight from the retry budget when given it', () => {
    const bus = createEventBus();
    const budget = createRetryBudget(0.1, 3);
    budget.tryAcquire();
    const c = createHealthCounters(bus, { budget });
    budget.tryAcquire();
    budget.tryAcquire();
    expect(c.snapshot().retryBudgetSpent).toBe(2);
    c.take();
    budget.tryAcquire();
    expect(c.snapshot().retryBudgetSpent).toBe(0); // the budget is spent (floor 3), the denial is not a retry
  });

  it('caps the blank URL list at 50 and counts the rest, so a poisoned CDN cannot bloat the report', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    for (let i = 0; i < 70; i++) bus.emit('asset', asset(`https://cdn.test/images/1/k${i}/400.webp`, 'cdn', 'empty'));
    bus.emit('asset', asset('https://cdn.test/images/1/k0/400.webp', 'cdn', 'empty'));
    const h = c.snapshot();
    expect(h.blankUrls).toHaveLength(50);
    expect(h.blankUrlsOmitted).toBe(20);
  });

  it('starts each page view from zero after take(), and stops counting after stop()', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    bus.emit('asset', asset('https://cdn.test/a.js', 'cdn', 'error', 'script'));
    expect(c.take().assets.script.failed).toBe(1);
    expect(c.snapshot().assets.script.failed).toBe(0);
    c.stop();
    bus.emit('asset', asset('https://cdn.test/a.js', 'cdn', 'error', 'script'));
    expect(c.snapshot().assets.script.failed).toBe(0);
  });

  it('produces counters the exported report schema accepts', () => {
    const bus = createEventBus();
    const c = createHealthCounters(bus);
    bus.emit('asset', asset('https://cdn.test/images/1/a/400.webp', 'cdn', 'empty'));
    c.addBeaconsDropped(2);
    const report = { v: 2, sdk: SDK_VERSION, storeId: '1003', viewId: 'abcdefgh12', page: '/', navigationType: 'navigate', time: 1, vitals: [], health: c.snapshot() };
    expect(VitalsReport.safeParse(report).success).toBe(true);
    expect(c.snapshot().beaconsDropped).toBe(2);
  });
});
