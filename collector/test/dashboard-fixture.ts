/**
 * Field data for the dashboard tests, sent through the real ingest URL: 24 hours of page views
 * (queued reports filed under their view time) from three browsers and three countries, two SDK
 * versions (the newer with 4 API requests per view), hostile strings in page paths and blank URLs,
 * and a burst in the last half hour that opens the requests-per-view and blank-variant alarms.
 */
import type { Collector } from '../src/server.js';
import { CHROME_UA, FIREFOX_UA, SAFARI_IOS_UA, makeReport } from './helpers.js';

export const HOSTILE_PAGES = ['/<script>alert(1)</script>', '/"><img src=x onerror=alert(1)>'];
export const HOSTILE_BLANK = 'javascript:alert(1)';
export const BLANK_CSS = 'https://cdn.example.com/assets/app.css';
export const BLANK_IMG = 'https://cdn.example.com/"><img src=x onerror=alert(1)>.png';
export const PAGES = ['/index.html', '/product/42', ...HOSTILE_PAGES];
const CLIENTS = [
  { ua: CHROME_UA, country: 'US' },
  { ua: SAFARI_IOS_UA, country: 'DE' },
  { ua: FIREFOX_UA, country: 'FR' },
];
const HOUR = 3_600_000;

/** Deterministic noise, so every run draws the same charts. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface View {
  hoursAgo: number;
  minutesAgo: number;
  sdk: string;
  page: string;
  client: (typeof CLIENTS)[number];
  blank: boolean;
}

function report(v: View, now: number, rnd: () => number) {
  const time = now - v.hoursAgo * HOUR - v.minutesAgo * 60_000;
  const slow = v.sdk === '0.2.0' ? 1.4 : 1;
  const lcp = Math.round((900 + rnd() * 2600) * slow);
  const blankUrls = v.blank ? [BLANK_CSS, HOSTILE_BLANK, BLANK_IMG] : [];
  return makeReport({
    v: 2,
    sdk: v.sdk,
    page: v.page,
    time,
    queued: true,
    vitals: [
      { name: 'LCP', value: lcp, delta: lcp, id: 'v5-1', rating: 'good', navigationType: 'navigate' },
      { name: 'INP', value: Math.round(60 + rnd() * 300), delta: 1, id: 'v5-5', rating: 'good', navigationType: 'navigate' },
      { name: 'CLS', value: Number((rnd() * 0.2).toFixed(4)), delta: 0.01, id: 'v5-2', rating: 'good', navigationType: 'navigate' },
      { name: 'FCP', value: Math.round(500 + rnd() * 1500), delta: 1, id: 'v5-3', rating: 'good', navigationType: 'navigate' },
      { name: 'TTFB', value: Math.round(80 + rnd() * 600), delta: 1, id: 'v5-4', rating: 'good', navigationType: 'navigate' },
    ] as never,
    health: {
      apiRequests: v.sdk === '0.2.0' ? 4 : 1,
      originFallbacks: v.blank ? 1 : 0,
      errors: rnd() < 0.03 ? 1 : 0,
      blankUrls,
      assets: {
        image: { ok: 8, empty: 0, failed: 0 },
        script: { ok: 1, empty: 0, failed: 0 },
        style: { ok: v.blank ? 0 : 1, empty: v.blank ? 1 : 0, failed: 0 },
        json: { ok: 0, empty: 0, failed: 0 },
      },
    },
  });
}

export function dashboardViews(): View[] {
  const views: View[] = [];
  let n = 0;
  // 23 hours of history: SDK 0.1.0, then 0.2.0 alongside it for the last 8 hours.
  for (let h = 23; h >= 1; h--) {
    for (let i = 0; i < 12; i++) {
      const client = CLIENTS[i % 3]!;
      views.push({ hoursAgo: h, minutesAgo: (i * 4) % 50, sdk: h <= 8 && i % 2 ? '0.2.0' : '0.1.0', page: PAGES[n++ % PAGES.length]!, client, blank: false });
    }
  }
  // The last half hour: both versions well sampled, and Safari in DE seeing blank CDN copies.
  for (let i = 0; i < 48; i++) {
    const client = CLIENTS[i % 3]!;
    views.push({ hoursAgo: 0, minutesAgo: 1 + (i % 20), sdk: i % 2 ? '0.2.0' : '0.1.0', page: PAGES[n++ % PAGES.length]!, client, blank: client.country === 'DE' });
  }
  return views;
}

export async function fillDashboardData(c: Collector, now = Date.now()): Promise<number> {
  const rnd = noise(42);
  const views = dashboardViews();
  for (let i = 0; i < views.length; i += 25) {
    await Promise.all(
      views.slice(i, i + 25).map(async (v) => {
        const res = await fetch(c.ingestUrl, {
          method: 'POST',
          body: JSON.stringify(report(v, now, rnd)),
          headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': v.client.ua, 'CF-IPCountry': v.client.country },
        });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      }),
    );
  }
  await c.drain();
  return views.length;
}
