/**
 * The field answers against exact figures computed here from the same generated page views, on
 * SQLite and on PostgreSQL: percentiles within their stated bound, shares exact, small cells
 * rolled up, bad parameters named, purge bodies in each CDN's shape.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../src/server.js';
import { QUANTILE_RELATIVE_ERROR, resolutionOf } from '../src/field/histogram.js';
import { THRESHOLDS, rate, type Metric } from '../src/field/thresholds.js';
import type { BlankAnswer, FieldAnswer } from '../src/field/types.js';
import { openStore, type FieldStore } from '../src/store/store.js';
import { CHROME_UA, FIREFOX_UA, SAFARI_IOS_UA, backends, makeRecord } from './helpers.js';

const NOW = Date.UTC(2026, 11, 1, 12, 30);
const HOUR = 3_600_000;

/** Nearest-rank percentile (CrUX's definition), computed exactly. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

/** Log-normal samples around a median, the shape field vitals have. */
function lognormal(random: () => number, median: number, sigma: number, digits: number): number {
  const u = Math.max(1e-12, random());
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Number((median * Math.exp(sigma * z)).toFixed(digits));
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const MEDIANS: Record<Metric, [number, number, number]> = { LCP: [2100, 0.6, 1], INP: [150, 0.7, 0], CLS: [0.05, 1.2, 4], FCP: [1400, 0.5, 1], TTFB: [500, 0.6, 1] };

for (const backend of backends()) {
  describe(`field answers on ${backend.name}`, () => {
    let collector: Collector;
    let store: FieldStore;
    const values: Record<Metric, number[]> = { LCP: [], INP: [], CLS: [], FCP: [], TTFB: [] };
    const chromeLcp: number[] = [];
    const auth = { Authorization: 'Bearer t0ken' };

    beforeAll(async () => {
      store = await openStore(await backend.create());
      const random = seeded(42);
      const uas = [CHROME_UA, CHROME_UA, SAFARI_IOS_UA, FIREFOX_UA];
      const countries = ['DE', 'FR', 'US', 'JP'];
      const records = [];
      for (let i = 0; i < 3_000; i++) {
        const ua = uas[i % uas.length]!;
        const vitals = (Object.keys(MEDIANS) as Metric[]).map((name) => {
          const [median, sigma, digits] = MEDIANS[name];
          const value = Math.min(lognormal(random, median, sigma, digits), name === 'CLS' ? 5 : 60_000);
          values[name].push(value);
          if (name === 'LCP' && ua === CHROME_UA) chromeLcp.push(value);
          return { name, value, delta: value, id: `v${i}${name}`, rating: 'good' as const, navigationType: 'navigate' as const };
        });
        const t = NOW - 3 * HOUR + Math.floor((i / 3_000) * 3 * HOUR);
        records.push(
          makeRecord(
            { time: t, vitals, page: i % 10 === 0 ? `/rare/${i}` : `/p/${i % 3}`, health: { apiRequests: 1 } },
            { userAgent: ua, country: countries[i % countries.length]!, receivedAt: t },
          ),
        );
      }
      await store.write(records);
      collector = await createCollector({ store, token: 't0ken', rateLimit: 0, log: () => undefined, now: () => NOW, minSample: 30 });
    });
    afterAll(async () => {
      await collector?.close();
      await store?.close();
      await backend.cleanup();
    });

    const field = async (query = '') => {
      const res = await fetch(`${collector.url}/v1/field?from=${NOW - 6 * HOUR}&to=${NOW}${query}`, { headers: auth });
      expect(res.status).toBe(200);
      return (await res.json()) as FieldAnswer;
    };

    it('p50, p75 and p95 of every metric lie within one bin (5%, or one resolution step) of the exact nearest-rank values', async () => {
      const answer = await field();
      expect(answer.views).toBe(3_000);
      for (const m of answer.metrics) {
        const all = values[m.metric];
        expect(m.count).toBe(all.length);
        for (const [p, got] of [
          [0.5, m.p50],
          [0.75, m.p75],
          [0.95, m.p95],
        ] as const) {
          const want = exact(all, p);
          const bound = Math.max(want * QUANTILE_RELATIVE_ERROR, resolutionOf(m.metric));
          expect(Math.abs(got! - want), `${m.metric} p${p * 100}: ${got} vs exact ${want}`).toBeLessThanOrEqual(bound);
        }
        expect(m.rating).toBe(rate(m.metric, m.p75!));
      }
    });

    it('good / needs-improvement / poor shares are exact: the CrUX thresholds are bin edges', async () => {
      const answer = await field();
      for (const m of answer.metrics) {
        const all = values[m.metric];
        const t = THRESHOLDS[m.metric];
        const good = all.filter((v) => v <= t.good).length / all.length;
        const poor = all.filter((v) => v > t.poor).length / all.length;
        expect(m.shares!.good).toBeCloseTo(good, 10);
        expect(m.shares!.poor).toBeCloseTo(poor, 10);
        expect(m.shares!['needs-improvement']).toBeCloseTo(1 - good - poor, 10);
      }
    });

    it('filters by browser family (and major), country and device, and the numbers follow the filter', async () => {
      const chrome = await field('&browser=Chrome');
      expect(chrome.views).toBe(1_500);
      const lcp = chrome.metrics.find((m) => m.metric === 'LCP')!;
      expect(Math.abs(lcp.p75! - exact(chromeLcp, 0.75))).toBeLessThanOrEqual(exact(chromeLcp, 0.75) * QUANTILE_RELATIVE_ERROR);
      expect((await field('&browser=Chrome%20131')).views).toBe(1_500);
      expect((await field('&browser=Chrome%20130')).views).toBe(0);
      expect((await field('&country=DE')).views).toBe(750);
      expect((await field('&device=mobile')).views).toBe(750);
      expect((await field('&device=mobile&country=DE')).views).toBe(0); // Safari iOS only ever came from FR (i % 4 === 2)
    });

    it('a cell under the minimum sample shows no percentile or rate and rolls up into "other"', async () => {
      const answer = await field();
      const pages = answer.breakdowns.page;
      expect(
        pages
          .map((p) => p.value)
          .slice(0, 3)
          .sort(),
      ).toEqual(['/p/0', '/p/1', '/p/2']);
      expect(pages.map((p) => p.value)[3]).toBe('other');
      expect(pages.slice(0, 3).map((p) => p.views)).toEqual([...pages.slice(0, 3).map((p) => p.views)].sort((a, b) => b - a));
      const other = pages.find((p) => p.value === 'other')!;
      expect(other.views).toBe(300); // 300 rare pages of one view each
      expect(other.p75.LCP).toBeDefined();
      const few = await field('&page=%2Frare%2F10');
      expect(few.views).toBe(1);
      expect(few.metrics.every((m) => m.p75 === undefined && m.count === 1)).toBe(true);
      expect(answer.breakdowns.browser.map((b) => b.value).sort()).toEqual(['Chrome 131', 'Firefox 133', 'Safari 17']);
      expect(answer.breakdowns.sdk).toEqual([expect.objectContaining({ value: 'unknown', views: 3_000, requestsPerView: 1 })]);
    });

    it('the one-dimension rollups (the unfiltered answer) and the full cube (any filter) give the same answer', async () => {
      const { fieldAnswer } = await import('../src/field/answers.js');
      for (const filter of [
        { from: NOW - 6 * HOUR, to: NOW },
        { from: NOW - 6 * HOUR, to: NOW, store: '1003' },
        { from: NOW - 2 * HOUR, to: NOW - HOUR },
      ]) {
        const o = { minSample: 30, now: () => NOW };
        const cube = await fieldAnswer(store, filter, { ...o, source: 'cube' });
        const rollups = await fieldAnswer(store, filter, { ...o, source: 'rollups' });
        expect(rollups).toEqual(cube);
      }
      expect((await fieldAnswer(store, { from: NOW - 6 * HOUR, to: NOW }, { minSample: 30, now: () => NOW })).views).toBe(3_000);
    });

    it('draws p75 per hour and requests per page view per SDK version', async () => {
      const answer = await field();
      expect(answer.series.map((s) => s.hour)).toEqual(
        [NOW - 3 * HOUR, NOW - 2 * HOUR, NOW - HOUR].map((t) => Math.floor(t / HOUR) * HOUR).concat(answer.series.length === 4 ? [Math.floor(NOW / HOUR) * HOUR] : []),
      );
      expect(answer.series.reduce((s, p) => s + p.views, 0)).toBe(3_000);
      expect(answer.series.every((p) => p.views < 30 || p.p75.LCP! > 0)).toBe(true);
      expect(answer.requestsSeries).toHaveLength(1);
      expect(answer.requestsSeries[0]!.points.every((p) => p.requestsPerView === 1)).toBe(true);
    });

    it('a bad or unknown query parameter is a coded 400 naming it; no token is a 401 on every answer', async () => {
      for (const [query, field] of [
        ['browser=%3Cscript%3E', 'browser'],
        ['country=Germany', 'country'],
        ['from=yesterday', 'from'],
        ['from=10&to=5', 'from'],
        ['browsr=Chrome', 'browsr'],
        ['device=fridge', 'device'],
        ['store=a&store=b', 'store'],
      ]) {
        const res = await fetch(`${collector.url}/v1/field?${query}`, { headers: auth });
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error: { code: string; field: string } }).error, query).toMatchObject({ code: 'INVALID_QUERY', field });
      }
      const bad = await fetch(`${collector.url}/v1/blank-variants?format=akamai`, { headers: auth });
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('format');
      const page = await fetch(`${collector.url}/v1/blank-variants?page=%2F`, { headers: auth });
      expect(page.status).toBe(400);
      for (const path of ['/v1/field', '/v1/blank-variants', '/v1/alarms']) {
        expect((await fetch(`${collector.url}${path}`)).status).toBe(401);
        expect((await fetch(`${collector.url}${path}`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
        // The scheme is case-insensitive; the token is not.
        for (const header of ['bearer t0ken', 'BEARER t0ken', 'Bearer  t0ken'])
          expect((await fetch(`${collector.url}${path}`, { headers: { Authorization: header } })).status, header).toBe(200);
        for (const header of ['bearer T0KEN', 'Basic t0ken', 'Bearert0ken'])
          expect((await fetch(`${collector.url}${path}`, { headers: { Authorization: header } })).status, header).toBe(401);
      }
    });
  });
}

describe('the "other" roll-up beside real values named "other"', () => {
  const backend = backends()[0]!;
  afterAll(() => backend.cleanup());

  it('/v1/field marks the roll-up row rolledUp: true, so a device class "other" (curl\'s User-Agent) and a release "other" stay real rows; the dashboard links those, not the roll-up', async () => {
    const store = await openStore(await backend.create());
    const t = NOW - 10 * 60_000;
    await store.write([
      ...Array.from({ length: 40 }, () => makeRecord({ v: 2, sdk: '0.1.0', release: 'other' }, { userAgent: 'curl/8.5.0', receivedAt: t })),
      ...Array.from({ length: 5 }, () => makeRecord({ v: 2, sdk: '0.1.0', release: 'shop-1' }, { userAgent: CHROME_UA, receivedAt: t })),
    ]);
    const collector = await createCollector({ store, rateLimit: 0, log: () => undefined, now: () => NOW, minSample: 30 });
    try {
      for (const query of ['', '&sdk=0.1.0']) {
        const answer = (await (await fetch(`${collector.url}/v1/field?from=${NOW - HOUR}&to=${NOW}${query}`)).json()) as FieldAnswer;
        for (const dim of ['device', 'release'] as const) {
          const rows = answer.breakdowns[dim];
          expect(
            rows.map((r) => [r.value, r.views, r.rolledUp]),
            `${dim}${query}`,
          ).toEqual([
            ['other', 40, undefined],
            ['other', 5, true],
          ]);
          expect(rows[0]!.requestsPerView).toBe(1);
        }
      }
      const page = await (await fetch(`${collector.url}/?range=1h`)).text();
      expect(page).toContain('<a href="/?range=1h&amp;device=other">other</a>');
      expect(page).toContain('<a href="/?range=1h&amp;release=other">other</a>');
      expect(page.match(/<span class="other">other<\/span> <span class="hint">\(each under the minimum sample\)<\/span>/g)).toHaveLength(3); // browser, device, release
      expect(page).toContain('By merchant release');
    } finally {
      await collector.close();
      await store.close();
    }
  });
});

describe('blank variants and purge exports', () => {
  const backend = backends()[0]!;
  let collector: Collector;
  const urls = Array.from({ length: 150 }, (_, i) => `https://cdn.example/images/1003/k${i}/400.webp`);
  beforeAll(async () => {
    const store = await openStore(await backend.create());
    const records = [];
    for (let i = 0; i < 300; i++) {
      const bad = i % 2 === 0;
      records.push(
        makeRecord(
          { time: NOW - 10 * 60_000, health: bad ? { blankUrls: urls.slice((i / 2) % 150, ((i / 2) % 150) + 1).concat(i < 20 ? [urls[0]!] : []), originFallbacks: 1 } : {} },
          { userAgent: bad ? SAFARI_IOS_UA : CHROME_UA, country: bad ? 'DE' : 'FR', receivedAt: NOW - 10 * 60_000 },
        ),
      );
    }
    await store.write(records);
    collector = await createCollector({ store: store, rateLimit: 0, log: () => undefined, now: () => NOW });
  });
  afterAll(async () => {
    await collector.close();
    await collector.store.close();
    await backend.cleanup();
  });
  const get = async (query: string) => (await fetch(`${collector.url}/v1/blank-variants?${query}`)).json();

  it('ranks URLs by how many page views saw them blank, with the browsers × countries they were seen from', async () => {
    const answer = (await get('')) as BlankAnswer;
    expect(answer.urls).toHaveLength(150);
    expect(answer.urls[0]).toMatchObject({ url: urls[0], count: 10, variants: [{ browser: 'Safari 17', country: 'DE', device: 'mobile', count: 10 }] });
    expect(answer.urls[0]!.firstSeen).toBe(NOW - 10 * 60_000);
  });

  it('Cloudflare: files with the CF-IPCountry and CF-Device-Type of the bad variant, 100 per request', async () => {
    const body = (await get('format=cloudflare')) as { requests: { path: string; body: { files: { url: string; headers: Record<string, string> }[] } }[] };
    expect(body.requests.map((r) => r.body.files.length)).toEqual([100, 50]);
    expect(body.requests[0]!.path).toBe('/client/v4/zones/{zone_id}/purge_cache');
    expect(body.requests[0]!.body.files[0]).toEqual({ url: urls[0], headers: { 'CF-IPCountry': 'DE', 'CF-Device-Type': 'mobile' } });
  });

  it('Fastly: one purge per URL; CloudFront: Paths.Items with a unique CallerReference and the every-variant warning', async () => {
    const fastly = (await get('format=fastly')) as { requests: { method: string; url: string }[] };
    expect(fastly.requests).toHaveLength(150);
    expect(fastly.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.fastly.com/purge/cdn.example/images/1003/k0/400.webp' });
    const a = (await get('format=cloudfront')) as { warning: string; requests: { InvalidationBatch: { CallerReference: string; Paths: { Quantity: number; Items: string[] } } }[] };
    expect(a.warning).toMatch(/every cached variant/);
    expect(a.requests[0]!.InvalidationBatch.Paths.Quantity).toBe(150);
    expect(a.requests[0]!.InvalidationBatch.Paths.Items[0]).toBe('/images/1003/k0/400.webp');
    const b = (await get('format=cloudfront')) as typeof a;
    expect(b.requests[0]!.InvalidationBatch.Paths).toEqual(a.requests[0]!.InvalidationBatch.Paths);
    expect(b.requests[0]!.InvalidationBatch.CallerReference).not.toBe(a.requests[0]!.InvalidationBatch.CallerReference);
  });
});

describe('percentile bound, property-tested', () => {
  it('for any sample, a percentile read from the bins is within one bin of the exact one', async () => {
    const { binOf, quantile } = await import('../src/field/histogram.js');
    await fc.assert(
      fc.property(
        fc.constantFrom<Metric>('LCP', 'INP', 'CLS', 'FCP', 'TTFB'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.5, 0.75, 0.95),
        (metric, unit, p) => {
          const scale = metric === 'CLS' ? 3 : 30_000;
          const digits = metric === 'CLS' ? 4 : 1;
          const sample = unit.map((u) => Number((u * u * scale).toFixed(digits)));
          const bins = new Map<number, number>();
          for (const v of sample) bins.set(binOf(metric, v), (bins.get(binOf(metric, v)) ?? 0) + 1);
          const got = quantile(
            metric,
            [...bins].map(([hi, n]) => ({ hi, n })),
            p,
          )!;
          const want = exact(sample, p);
          return Math.abs(got - want) <= Math.max(want * QUANTILE_RELATIVE_ERROR, resolutionOf(metric)) + 1e-9;
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
