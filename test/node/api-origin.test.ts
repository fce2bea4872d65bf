import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHealthCounters } from '../../src/vitals/counters.js';
import { apiRequests, storeFor, useBackend } from '../helpers/node-store.js';
import type { FaultRule } from '../../demo/backend/index.js';

const backend = useBackend();
const ORIGIN = '/_origin';
const withOrigin = () => ({ apiOrigin: `${backend.bases.api}${ORIGIN}`, retry: { baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 300 });
const onApi = () => apiRequests(backend).filter((e) => !e.path.startsWith(ORIGIN));
const onOrigin = () => apiRequests(backend).filter((e) => e.path.startsWith(ORIGIN));
const ids = ['1', '2', '3', '4'];

const FAULTS: Array<[string, Omit<FaultRule, 'host' | 'path'>]> = [
  ['a zero-byte 200', { fault: 'empty' }],
  ['an HTML page with 200', { fault: 'html' }],
  ['a truncated body', { fault: 'truncate' }],
  ['a 503', { fault: 'status', status: 503 }],
  ['a 503 with Retry-After', { fault: 'retry-after', retryAfter: '1' }],
  ['a hang past the timeout', { fault: 'hang' }],
  ['a network error', { fault: 'network' }],
];

describe('apiOrigin: the API origin behind its CDN', () => {
  it('a healthy API: one batched request, the origin never asked', async () => {
    const { store, events } = storeFor(backend, withOrigin());
    await store.products.getMany(ids);
    expect(onApi()).toHaveLength(1);
    expect(onOrigin()).toHaveLength(0);
    expect(events.request.every((e) => e.host === undefined)).toBe(true);
  });

  for (const [label, rule] of FAULTS) {
    it(`${label} from the API, every time: every product arrives from the origin at 1 + 1 requests`, async () => {
      backend.faults.add({ ...rule, host: 'api', path: '/stores/*' });
      const { store, events } = storeFor(backend, withOrigin());
      const counters = createHealthCounters({ on: store.on }, { budget: store.retryBudget });
      const products = await store.products.getMany(ids);
      expect(products.map((p) => p.id)).toEqual(ids);
      expect(onApi()).toHaveLength(1);
      expect(onOrigin()).toHaveLength(1);
      expect(events.request.map((e) => e.host ?? 'api')).toEqual(['api', 'origin']);
      const h = counters.snapshot();
      expect(h.apiRequests).toBe(2);
      expect(h.apiRetries).toBe(0);
      expect(h.originFallbacks).toBe(1);
      expect(h.retryBudgetSpent).toBe(0);
      // A 2xx with nothing usable is a blank cached variant: its URL is listed for purging, query included.
      const blank = rule.fault === 'empty' || rule.fault === 'html' || rule.fault === 'truncate';
      const [first] = onApi();
      expect(h.blankUrls).toEqual(blank ? [`${backend.bases.api}${first!.path}${first!.search}`] : []);
    });
  }

  it('the bad API URL is remembered: the next lookup of the same set asks the origin directly', async () => {
    backend.faults.add({ fault: 'empty', host: 'api', path: '/stores/*' });
    const { store } = storeFor(backend, { ...withOrigin(), cache: { persist: false, ttlMs: 0 } });
    await store.products.getMany(ids);
    // ttlMs 0: the copy is stale once the clock has moved (in the same millisecond it is still fresh, and
    // nothing would be asked); a stale copy is served at once and revalidated in the background, so the
    // origin's second request is waited for, not assumed to have arrived.
    const t = Date.now();
    while (Date.now() <= t) await new Promise((r) => setTimeout(r, 1));
    await store.products.getMany(ids);
    await expect.poll(() => onOrigin().length).toBe(2);
    expect(onApi()).toHaveLength(1);
  });

  it('API and origin both down: at most 1 + 1 + one budgeted retry, then a coded error', async () => {
    backend.faults.add({ fault: 'status', status: 503, host: 'api' });
    const { store } = storeFor(backend, withOrigin());
    const failure = await store.products.get('1').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'HTTP', status: 503 });
    expect(onApi()).toHaveLength(1);
    expect(onOrigin()).toHaveLength(2);
  });

  it('a 404 is an answer: not asked of the origin', async () => {
    backend.faults.add({ fault: 'status', status: 404, host: 'api', path: '/stores/*' });
    const { store } = storeFor(backend, withOrigin());
    await expect(store.products.get('1')).rejects.toMatchObject({ code: 'HTTP', status: 404 });
    expect(onOrigin()).toHaveLength(0);
  });

  it('without apiOrigin, today’s behaviour: the API is retried, the origin never asked', async () => {
    backend.faults.add({ fault: 'empty', host: 'api', path: '/stores/*', times: 1 });
    const { store } = storeFor(backend, { retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    await store.products.getMany(ids);
    expect(onApi()).toHaveLength(2);
    expect(onOrigin()).toHaveLength(0);
  });
});

describe('apiOrigin and time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the origin try comes at once; an origin 503 with Retry-After: 2 is retried from the budget no sooner than 2 s later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    backend.faults.add({ fault: 'empty', host: 'api', path: '/stores/*' });
    backend.faults.add({ fault: 'retry-after', retryAfter: '2', host: 'api', path: `${ORIGIN}/*`, times: 1 });
    const { store, events } = storeFor(backend, { ...withOrigin(), timeoutMs: 10_000 });
    const pending = store.products.get('3');
    // The origin is asked right after the API's blank, without waiting for any timer.
    for (let i = 0; i < 50 && onOrigin().length < 1; i++) await vi.advanceTimersByTimeAsync(0);
    expect(onOrigin()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1990);
    expect(onOrigin()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    await expect(pending).resolves.toMatchObject({ id: '3' });
    expect(events.request.map((e) => [e.host ?? 'api', e.status, e.fallback ?? false])).toEqual([
      ['api', 200, false],
      ['origin', 503, true],
      ['origin', 200, false],
    ]);
    expect(store.retryBudget.stats.retries).toBe(1);
  });
});

describe('apiOrigin option', () => {
  it('is optional, trimmed like the other bases, and a bad one names the field', () => {
    const { store } = storeFor(backend, { apiOrigin: 'https://api-origin.example.com/' });
    expect(store.options.apiOrigin).toBe('https://api-origin.example.com');
    expect(storeFor(backend).store.options.apiOrigin).toBeUndefined();
    expect(() => storeFor(backend, { apiOrigin: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'apiOrigin' }));
  });
});
