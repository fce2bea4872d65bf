import { describe, expect, it } from 'vitest';
import { createEventBus, type BreakerEvent } from '../../src/events.js';
import { createAssetHealth, type HealthStorage } from '../../src/assets/health.js';

function memoryStorage(initial: Array<[string, unknown]> = []): HealthStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(initial);
  return {
    data,
    entries: async () => [...data.entries()],
    setMany: async (rows) => rows.forEach(([k, v]) => data.set(k, v)),
    delMany: async (keys) => keys.forEach((k) => data.delete(k)),
  };
}

const base = { ttlMs: 60_000, breakerThreshold: 3, breakerTtlMs: 10_000, persist: true, dbName: 't' };

describe('asset health', () => {
  it('remembers a bad CDN URL, so the next lookup goes to the origin', async () => {
    let t = 1000;
    const storage = memoryStorage();
    const h = createAssetHealth({ ...base, bus: createEventBus(), storage, now: () => t });
    await h.ready;
    expect(h.verdict('https://cdn.test/a.png')).toBeUndefined();
    h.markBad('https://cdn.test/a.png', 'empty');
    expect(h.verdict('https://cdn.test/a.png')).toBe('remembered-bad');
    expect(h.verdict('https://cdn.test/b.png')).toBeUndefined();
    await Promise.resolve();
    expect(storage.data.get('url:https://cdn.test/a.png')).toEqual({ until: 61_000, reason: 'empty' });
    t = 61_001;
    expect(h.verdict('https://cdn.test/a.png')).toBeUndefined();
  });

  it('reads the memory of an earlier page view, so a known blank is not fetched again', async () => {
    const storage = memoryStorage([
      ['url:https://cdn.test/a.png', { until: 5000, reason: 'empty' }],
      ['url:https://cdn.test/old.png', { until: 10, reason: 'empty' }],
      ['url:https://cdn.test/junk.png', 'garbage'],
    ]);
    const h = createAssetHealth({ ...base, bus: createEventBus(), storage, now: () => 1000 });
    await h.ready;
    expect(h.verdict('https://cdn.test/a.png')).toBe('remembered-bad');
    expect(h.verdict('https://cdn.test/old.png')).toBeUndefined();
    // Expired and unreadable rows are cleaned up.
    await Promise.resolve();
    expect([...storage.data.keys()]).toEqual(['url:https://cdn.test/a.png']);
  });

  it('answers lookups before the stored memory arrives, so the first paint never waits for IndexedDB', async () => {
    let release: (rows: Array<[IDBValidKey, unknown]>) => void = () => undefined;
    const storage: HealthStorage = { entries: () => new Promise((r) => (release = r)), setMany: async () => undefined, delMany: async () => undefined };
    const h = createAssetHealth({ ...base, bus: createEventBus(), storage, now: () => 1000 });
    expect(h.verdict('https://cdn.test/a.png')).toBeUndefined();
    release([['url:https://cdn.test/a.png', { until: 5000, reason: 'empty' }]]);
    await h.ready;
    expect(h.verdict('https://cdn.test/a.png')).toBe('remembered-bad');
  });

  it('keeps remembering in memory when IndexedDB fails, silently (a browser without storage is not an error)', async () => {
    const bus = createEventBus();
    const errors: string[] = [];
    bus.on('error', (e) => errors.push(e.code));
    const storage: HealthStorage = { entries: () => Promise.reject(new Error('blocked')), setMany: () => Promise.reject(new Error('blocked')), delMany: async () => undefined };
    const h = createAssetHealth({ ...base, bus, storage, now: () => 1000 });
    await h.ready;
    h.markBad('https://cdn.test/a.png', 'empty');
    expect(h.verdict('https://cdn.test/a.png')).toBe('remembered-bad');
    expect(errors).toEqual([]);
  });

  it('opens the breaker after the threshold of distinct failures, so the rest of the page goes to the origin', async () => {
    let t = 0;
    const bus = createEventBus();
    const events: BreakerEvent[] = [];
    bus.on('breaker', (e) => events.push(e));
    const h = createAssetHealth({ ...base, persist: false, bus, now: () => t });
    h.markBad('https://cdn.test/1.png', 'empty');
    h.markBad('https://cdn.test/1.png', 'empty'); // the same URL twice is one failure
    h.markBad('https://cdn.test/2.png', 'empty');
    expect(h.verdict('https://cdn.test/never-tried.png')).toBeUndefined();
    h.markBad('https://cdn.test/3.png', 'error');
    expect(h.verdict('https://cdn.test/never-tried.png')).toBe('breaker-open');
    expect(h.verdict('https://other-cdn.test/x.png')).toBeUndefined();
    expect(events).toEqual([{ host: 'cdn.test', state: 'open', failures: 3 }]);
    t = 10_001;
    expect(h.verdict('https://cdn.test/never-tried.png')).toBeUndefined();
    expect(events.at(-1)).toEqual({ host: 'cdn.test', state: 'closed', failures: 0 });
  });

  it('keeps an open breaker for the next page view until its TTL', async () => {
    const storage = memoryStorage();
    const first = createAssetHealth({ ...base, bus: createEventBus(), storage, now: () => 0 });
    for (const n of [1, 2, 3]) first.markBad(`https://cdn.test/${n}.png`, 'empty');
    await Promise.resolve();
    const next = createAssetHealth({ ...base, bus: createEventBus(), storage, now: () => 5000 });
    await next.ready;
    expect(next.isOpen('cdn.test')).toBe(true);
  });

  it('works without IndexedDB (Node, locked-down browsers)', async () => {
    const h = createAssetHealth({ ...base, bus: createEventBus(), now: () => 0 });
    await h.ready;
    h.markBad('https://cdn.test/a.png', 'empty');
    expect(h.verdict('https://cdn.test/a.png')).toBe('remembered-bad');
  });
});
