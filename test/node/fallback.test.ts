import { describe, expect, it } from 'vitest';
import { createEventBus, type AssetEvent } from '../../src/events.js';
import { createRetryBudget } from '../../src/lib/retry-budget.js';
import { createAssetHealth } from '../../src/assets/health.js';
import { loadWithFallback, type AttemptResult, type FallbackDeps } from '../../src/assets/fallback.js';
import type { AssetHost } from '../../src/events.js';

function setup(script: Record<AssetHost, Array<AttemptResult<string>>>, budget = createRetryBudget(0.1, 3)) {
  const bus = createEventBus();
  const events: AssetEvent[] = [];
  bus.on('asset', (e) => events.push(e));
  const health = createAssetHealth({ ttlMs: 1000, breakerThreshold: 3, breakerTtlMs: 1000, bus, persist: false, dbName: 't', now: () => 0 });
  const calls: Array<{ host: AssetHost; reload: boolean }> = [];
  const sleeps: number[] = [];
  const deps: FallbackDeps = { bus, budget, health, attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, now: () => 0, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) };
  const job = (n = 1) => ({
    kind: 'json' as const,
    cdnUrl: `https://cdn.test/${n}.json`,
    originUrl: `https://origin.test/${n}.json`,
    signal: new AbortController().signal,
    attempt: async (_url: string, host: AssetHost, ctx: { reload: boolean }) => {
      calls.push({ host, reload: ctx.reload });
      return script[host].shift() ?? { outcome: 'error' as const, status: 500 };
    },
  });
  return { deps, job, events, calls, sleeps, health };
}

describe('CDN → origin fallback', () => {
  it('makes no origin request when the CDN answers well', async () => {
    const s = setup({ cdn: [{ outcome: 'ok', value: 'x' }], origin: [] });
    const r = await loadWithFallback(s.job(), s.deps);
    expect(r).toEqual({ host: 'cdn', url: 'https://cdn.test/1.json', outcome: 'ok', value: 'x' });
    expect(s.calls).toEqual([{ host: 'cdn', reload: false }]);
  });

  it('loads a blank CDN answer from the origin once, bypassing the cache, and reports both attempts', async () => {
    const s = setup({ cdn: [{ outcome: 'empty', reason: 'empty-body', bytes: 0 }], origin: [{ outcome: 'ok', value: 'real' }] });
    const r = await loadWithFallback(s.job(), s.deps);
    expect(r.host).toBe('origin');
    expect(s.calls).toEqual([
      { host: 'cdn', reload: false },
      { host: 'origin', reload: true },
    ]);
    expect(s.events.map((e) => [e.host, e.outcome, e.reason])).toEqual([
      ['cdn', 'empty', 'empty-body'],
      ['origin', 'ok', undefined],
    ]);
    expect(s.health.verdict('https://cdn.test/1.json')).toBe('remembered-bad');
  });

  it('goes straight to the origin for a remembered blank, touching the CDN copy never', async () => {
    const s = setup({ cdn: [], origin: [{ outcome: 'ok', value: 'real' }] });
    s.health.markBad('https://cdn.test/1.json', 'empty');
    await loadWithFallback(s.job(), s.deps);
    expect(s.calls.map((c) => c.host)).toEqual(['origin']);
    expect(s.events[0]).toMatchObject({ host: 'cdn', outcome: 'skipped', reason: 'remembered-bad' });
  });

  it('does not retry a 404 or a blank from the origin: the answer will not change', async () => {
    const s = setup({ cdn: [{ outcome: 'error', status: 404 }], origin: [{ outcome: 'error', status: 404 }] });
    const r = await loadWithFallback(s.job(), s.deps);
    expect(r).toMatchObject({ host: 'none', outcome: 'error' });
    expect(s.calls).toHaveLength(2);
  });

  it('retries an overloaded origin only from the budget, waiting at least its Retry-After', async () => {
    const s = setup({
      cdn: [{ outcome: 'error', status: 503 }],
      origin: [
        { outcome: 'error', status: 503, retryAfterMs: 700 },
        { outcome: 'ok', value: 'real' },
      ],
    });
    const r = await loadWithFallback(s.job(), s.deps);
    expect(r.host).toBe('origin');
    expect(s.calls).toHaveLength(3);
    expect(s.sleeps).toEqual([700]);
  });

  it('never loops when the origin is down too: total tries per asset stay within retry.attempts', async () => {
    const s = setup({ cdn: [], origin: [] });
    const r = await loadWithFallback(s.job(), s.deps);
    expect(r.outcome).toBe('error');
    expect(s.calls).toHaveLength(3);
    expect(s.sleeps).toEqual([50]); // full jitter: random 0.5 × base 100
  });

  it('stops retrying across the page once the retry budget is spent', async () => {
    const budget = createRetryBudget(0, 2);
    const s = setup({ cdn: [], origin: [] }, budget);
    for (let n = 0; n < 10; n++) await loadWithFallback(s.job(n), s.deps);
    // 10 assets: after 3 distinct failures the breaker skips the CDN; 10 origin tries + 2 budgeted retries.
    const cdn = s.calls.filter((c) => c.host === 'cdn').length;
    const origin = s.calls.filter((c) => c.host === 'origin').length;
    expect(cdn).toBe(3);
    expect(origin).toBe(12);
    expect(budget.stats.denied).toBeGreaterThan(0);
  });
});
