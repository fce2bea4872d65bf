/**
 * `POST /v1/reports` over real loopback HTTP against a collector on a temporary SQLite file: each
 * refusal has its code, accepted reports are stored once, and what is stored keeps no address and
 * no User-Agent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '../src/server.js';
import type { CollectorOptions } from '../src/config.js';
import { CHROME_UA, SAFARI_IOS_UA, makeReport, sqliteBackend } from './helpers.js';

const backend = sqliteBackend();
const running: Collector[] = [];
const locations = new Map<Collector, string>();
afterEach(async () => {
  for (const c of running.splice(0)) await c.close();
});
afterAll(() => backend.cleanup());

async function start(options: Partial<CollectorOptions> = {}): Promise<Collector> {
  const location = await backend.create();
  const c = await createCollector({ store: location, rateLimit: 0, log: () => undefined, ...options });
  running.push(c);
  locations.set(c, location);
  return c;
}

function post(c: Collector, body: unknown, headers: Record<string, string> = {}) {
  return fetch(c.ingestUrl, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': CHROME_UA, ...headers },
  });
}

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; field?: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('ingest', () => {
  it('stores a report sent as text/plain (what sendBeacon sends) and answers 200 only once it is stored', async () => {
    const c = await start();
    const report = makeReport();
    const res = await post(c, report);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // No drain needed: the answer waited for the commit.
    expect(await c.store.countReports()).toBe(1);
    expect(await c.store.getReport(report.storeId, report.viewId)).toMatchObject({ viewId: report.viewId, page: report.page });
  });

  it('accepts application/json too, and stores a resent report once (answered 200, marked duplicate)', async () => {
    const c = await start();
    const report = makeReport();
    expect((await post(c, report, { 'Content-Type': 'application/json' })).status).toBe(200);
    const again = await post(c, report);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    const both = await Promise.all([post(c, report), post(c, report)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await c.store.countReports()).toBe(1);
  });

  it('refuses other content types with 415, bodies over 64 KB with 413, and bad JSON or schema with a coded 400 naming the field', async () => {
    const c = await start();
    expect(await errorOf(await post(c, makeReport(), { 'Content-Type': 'application/x-www-form-urlencoded' }))).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await errorOf(await post(c, 'x'.repeat(64 * 1024 + 1)))).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    expect(await errorOf(await post(c, '{"v":1,'))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(await errorOf(await post(c, ''))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(await errorOf(await post(c, { ...makeReport(), storeId: 'no spaces allowed' }))).toMatchObject({ status: 400, code: 'INVALID_REPORT', field: 'storeId' });
    const badVital = makeReport();
    (badVital.vitals[0] as { name: string }).name = 'XYZ';
    expect(await errorOf(await post(c, badVital))).toMatchObject({ status: 400, code: 'INVALID_REPORT', field: 'vitals.0.name' });
    const bytes = await fetch(c.ingestUrl, { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'Content-Type': 'text/plain' } });
    expect(await errorOf(bytes)).toMatchObject({ status: 400, code: 'INVALID_ENCODING' });
    expect(await c.store.countReports()).toBe(0);
  });

  it('answers wrong paths with 404 and wrong methods with 405 and Allow, coded', async () => {
    const c = await start();
    expect(await errorOf(await fetch(`${c.url}/v1/nope`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const get = await fetch(c.ingestUrl);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await errorOf(get)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(await errorOf(await fetch(c.ingestUrl, { method: 'PUT', body: '{}' }))).toMatchObject({ status: 405 });
  });

  it('answers the CORS preflight of a JSON post, for any origin by default and only listed ones with --allow-origin', async () => {
    const open = await start();
    const pre = await fetch(open.ingestUrl, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('content-type');
    const listed = await start({ allowOrigin: 'https://shop.example, https://other.example' });
    const ok = await post(listed, makeReport(), { Origin: 'https://other.example' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const no = await post(listed, makeReport(), { Origin: 'https://evil.example' });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with --allow-origin, refuses a post from a page origin off the list with 403 ORIGIN_NOT_ALLOWED and stores nothing (CORS alone does not stop a text/plain beacon); one without Origin is accepted', async () => {
    const listed = await start({ allowOrigin: 'https://shop.example/, https://Other.example' });
    const evil = await post(listed, makeReport(), { Origin: 'https://evil.example' });
    expect(await errorOf(evil)).toMatchObject({ status: 403, code: 'ORIGIN_NOT_ALLOWED' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(await errorOf(await post(listed, makeReport(), { Origin: 'null' }))).toMatchObject({ status: 403, code: 'ORIGIN_NOT_ALLOWED' });
    expect(await listed.store.countReports()).toBe(0);
    // Listed origins (the list's trailing slash and case do not matter), and no Origin at all (a server, curl).
    expect((await post(listed, makeReport(), { Origin: 'https://shop.example' })).status).toBe(200);
    expect((await post(listed, makeReport(), { Origin: 'https://other.example' })).status).toBe(200);
    expect((await post(listed, makeReport())).status).toBe(200);
    expect(await listed.store.countReports()).toBe(3);
    expect(await (await fetch(`${listed.url}/metrics`)).text()).toMatch(/vitrine_collector_rejections_total\{reason="ORIGIN_NOT_ALLOWED"\} 2/);
    // The default (*) takes any origin.
    const open = await start();
    expect((await post(open, makeReport(), { Origin: 'https://evil.example' })).status).toBe(200);
  });

  it('files a queued report under the time of its view, up to 7 days late, and refuses older ones with REPORT_TOO_OLD', async () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const c = await start({ now: () => now });
    const day = 86_400_000;
    const late = makeReport({ queued: true, time: now - 6 * day });
    expect((await post(c, late)).status).toBe(200);
    const rows = await c.store.db.all<{ view_time: number; queued: number }>('SELECT view_time, queued FROM reports WHERE view_id = ?', [late.viewId]);
    expect(rows.map((r) => [Number(r.view_time), Number(r.queued)])).toEqual([[now - 6 * day, 1]]);
    expect(await errorOf(await post(c, makeReport({ queued: true, time: now - 8 * day })))).toMatchObject({ status: 400, code: 'REPORT_TOO_OLD', field: 'time' });
    expect(await errorOf(await post(c, makeReport({ queued: true, time: now + day })))).toMatchObject({ status: 400, code: 'REPORT_IN_FUTURE' });
    // A live report is filed on arrival whatever its clock says.
    const skewed = makeReport({ time: now - 3 * day });
    expect((await post(c, skewed)).status).toBe(200);
    const live = await c.store.db.all<{ view_time: number }>('SELECT view_time FROM reports WHERE view_id = ?', [skewed.viewId]);
    expect(Number(live[0]!.view_time)).toBe(now);
  });

  it('rate-limits each client with a token bucket: past the burst, 429 with Retry-After, counted on /metrics', async () => {
    let t = 1_000_000;
    const c = await start({ rateLimit: 2, burst: 3, now: () => t });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(c, makeReport())).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await post(c, makeReport());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(limited)).toMatchObject({ code: 'RATE_LIMITED' });
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/vitrine_collector_rejections_total\{reason="RATE_LIMITED"\} 3/);
    expect(await c.store.countReports()).toBe(3);
    // Half a second later the bucket has one token again (2 a second).
    t += 500;
    expect((await post(c, makeReport())).status).toBe(200);
  });

  it('behind a proxy, counts a client by the LAST x-forwarded-for entry (the one the proxy appended): spoofed first entries do not escape the limit', async () => {
    const c = await start({ rateLimit: 2, burst: 3, clientHeader: 'X-Forwarded-For', now: () => 1_000_000 });
    const spoofed = await Promise.all(Array.from({ length: 40 }, (_, i) => post(c, makeReport(), { 'X-Forwarded-For': `198.51.100.${i}, 203.0.113.7` }).then((r) => r.status)));
    expect(spoofed.filter((s) => s === 200)).toHaveLength(3);
    expect(spoofed.filter((s) => s === 429)).toHaveLength(37);
    // Another client behind the same proxy has its own bucket; so has one without the header (its socket's address).
    expect((await post(c, makeReport(), { 'X-Forwarded-For': '198.51.100.1, 203.0.113.8' })).status).toBe(200);
    expect((await post(c, makeReport(), { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(200);
    expect((await post(c, makeReport())).status).toBe(200);
    // A CDN's own single-address header works the same.
    const cdn = await start({ rateLimit: 2, burst: 3, clientHeader: 'cf-connecting-ip', now: () => 1_000_000 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(cdn, makeReport(), { 'CF-Connecting-IP': '192.0.2.10' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await post(cdn, makeReport(), { 'CF-Connecting-IP': '192.0.2.11' })).status).toBe(200);
  });

  it('drops impossible values one by one (NaN, negative, over 15 minutes) and counts them; recomputes every rating', async () => {
    const c = await start();
    const report = makeReport({
      vitals: [
        { name: 'LCP', value: 5000, delta: 5000, id: 'a', rating: 'good', navigationType: 'navigate' },
        { name: 'CLS', value: -0.5, delta: 0, id: 'b', rating: 'good', navigationType: 'navigate' },
        { name: 'FCP', value: 16 * 60_000, delta: 0, id: 'c', rating: 'good', navigationType: 'navigate' },
        { name: 'TTFB', value: 900, delta: 900, id: 'd', rating: 'poor', navigationType: 'navigate' },
      ],
    });
    // NaN travels as null in JSON; a number past a double's range as Infinity.
    const text = JSON.stringify(report).replace('"value":900,', '"value":null,').replace('"value":5000,', '"value":5000,');
    const withInf = text.replace('"name":"TTFB","value":null', '"name":"TTFB","value":1e400');
    expect((await post(c, text)).status).toBe(200);
    expect((await post(c, withInf.replace(report.viewId, `${report.viewId}x`))).status).toBe(200);
    const stored = (await c.store.getReport(report.storeId, report.viewId)) as { vitals: { name: string; value: number; rating: string }[] };
    expect(stored.vitals.map((v) => [v.name, v.value, v.rating])).toEqual([['LCP', 5000, 'poor']]);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/vitrine_collector_values_dropped_total\{reason="negative"\} 2/);
    expect(metrics).toMatch(/vitrine_collector_values_dropped_total\{reason="absurd"\} 3/);
    expect(metrics).toMatch(/vitrine_collector_values_dropped_total\{reason="not-a-number"\} 1/);
  });

  it('drops health counters past their bound (kept as 0, counted under absurd-counter) and keeps the rest of the report; 1,100 such reports leave /v1/alarms, / and /v1/field answering', async () => {
    const c = await start();
    const huge = Number.MAX_SAFE_INTEGER;
    const forged = () =>
      makeReport({
        v: 2,
        sdk: '0.1.0',
        health: {
          apiRequests: huge,
          errors: huge,
          originFallbacks: 10_001,
          assets: { image: { ok: huge, empty: 0, failed: 0 }, script: { ok: 0, empty: 0, failed: 0 }, style: { ok: 0, empty: 0, failed: 0 }, json: { ok: 0, empty: 0, failed: 0 } },
        },
      });
    const first = forged();
    expect((await post(c, first)).status).toBe(200);
    const stored = (await c.store.getReport(first.storeId, first.viewId)) as { vitals: unknown[]; health: Record<string, unknown> };
    expect(stored.vitals).toHaveLength(4);
    expect(stored.health).toMatchObject({ apiRequests: 0, errors: 0, originFallbacks: 0, assets: { image: { ok: 0 } }, batches: { count: 1, ids: 8, max: 8 } });
    // At their bounds counters are kept, and a number past 2^53 (or past a double's range) is dropped too, not refused.
    const edge = makeReport({ health: { apiRequests: 1_000, errors: 10_000, batches: { count: 1_000, ids: 10_000, max: 500 } } });
    expect((await post(c, edge)).status).toBe(200);
    expect(((await c.store.getReport(edge.storeId, edge.viewId)) as { health: unknown }).health).toMatchObject({ apiRequests: 1_000, errors: 10_000, batches: { max: 500 } });
    const past = makeReport();
    expect((await post(c, JSON.stringify(past).replace('"apiRetries":0', '"apiRetries":1e400').replace('"max":8', '"max":501'))).status).toBe(200);
    expect(((await c.store.getReport(past.storeId, past.viewId)) as { health: unknown }).health).toMatchObject({ apiRetries: 0, batches: { max: 0 } });
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/vitrine_collector_values_dropped_total\{reason="absurd-counter"\} 6/);

    // What the audit sent: 1,100 of them (their sum is past 2^63, where SQLite's SUM overflows).
    for (let i = 0; i < 1_100; i += 50) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => post(c, forged()).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    const alarms = await fetch(`${c.url}/v1/alarms`);
    expect(alarms.status).toBe(200);
    expect(((await alarms.json()) as { open: { kind: string }[] }).open.map((a) => a.kind)).toEqual([]);
    expect((await fetch(`${c.url}/`)).status).toBe(200);
    const field = (await (await fetch(`${c.url}/v1/field`)).json()) as { views: number; requestsSeries: { points: { requestsPerView: number }[] }[] };
    expect(field.views).toBe(1_103);
    for (const p of field.requestsSeries.flatMap((s) => s.points)) expect(p.requestsPerView).toBeLessThanOrEqual(1_000);
  });

  it('keeps only absolute http(s) blank URLs: javascript:, markup, relative paths and other schemes are dropped, counted under not-a-url, and never reach the blank variants', async () => {
    const c = await start();
    const good = ['https://cdn.example/images/a.avif', 'HTTP://cdn.example/b.png?w=400', 'https://cdn.example/"><svg onload=alert(1)>.png'];
    const bad = [
      'javascript:alert(1)',
      '"><svg onload=alert(1)>',
      '/images/c.avif',
      '//cdn.example/d.png',
      'ftp://cdn.example/e.png',
      'data:image/png;base64,AAAA',
      'https://',
      'https:cdn.example/f.png',
      '',
    ];
    const report = makeReport({ health: { blankUrls: [bad[0]!, good[0]!, ...bad.slice(1), good[1]!, good[2]!] } });
    expect((await post(c, report)).status).toBe(200);
    const stored = (await c.store.getReport(report.storeId, report.viewId)) as { vitals: unknown[]; health: { blankUrls: string[] } };
    expect(stored.health.blankUrls).toEqual(good);
    expect(stored.vitals).toHaveLength(4);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`vitrine_collector_values_dropped_total\\{reason="not-a-url"\\} ${bad.length}`));
    const blank = (await (await fetch(`${c.url}/v1/blank-variants`)).json()) as { urls: { url: string }[] };
    expect(blank.urls.map((u) => u.url).sort()).toEqual([...good].sort());
    expect((await c.store.db.all<{ url: string }>('SELECT url FROM view_blank_urls')).map((r) => r.url).sort()).toEqual([...good].sort());
  });

  it('keeps browser family, major and device class from the User-Agent, country only from the trusted header, and stores neither the User-Agent nor any address', async () => {
    const c = await start({ countryHeader: 'CF-IPCountry' });
    const a = makeReport();
    const b = makeReport();
    const d = makeReport();
    expect((await post(c, a, { 'User-Agent': SAFARI_IOS_UA, 'CF-IPCountry': 'de', 'X-Forwarded-For': '203.0.113.9' })).status).toBe(200);
    expect((await post(c, b, { 'User-Agent': CHROME_UA, 'CF-IPCountry': '<script>' })).status).toBe(200);
    expect((await post(c, d, { 'User-Agent': CHROME_UA, 'X-Country': 'FR' })).status).toBe(200);
    const rows = await c.store.db.all<Record<string, unknown>>('SELECT * FROM reports ORDER BY received_at');
    const byView = Object.fromEntries(rows.map((r) => [r['view_id'], r]));
    expect(byView[a.viewId]).toMatchObject({ browser: 'Safari', browser_major: '17', device: 'mobile', country: 'DE' });
    expect(byView[b.viewId]).toMatchObject({ browser: 'Chrome', browser_major: '131', device: 'desktop', country: 'unknown' });
    expect(byView[d.viewId]).toMatchObject({ country: 'unknown' });
    await c.drain();
    // Every byte on disk (database, WAL): no address, no User-Agent string.
    const dir = dirname(locations.get(c)!);
    const disk = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    expect(disk).toContain(a.viewId);
    for (const needle of ['127.0.0.1', '203.0.113.9', '::1', 'Mozilla/5.0', 'AppleWebKit', 'iPhone OS']) expect(disk).not.toContain(needle);
  });

  it('without a token listens on loopback only and refuses another address; with one, /metrics needs it', async () => {
    await expect(createCollector({ host: '0.0.0.0', store: await backend.create(), log: () => undefined })).rejects.toThrow(/without a token/);
    const c = await start({ token: 's3cret' });
    expect((await fetch(`${c.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${c.url}/metrics`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await fetch(`${c.url}/metrics`, { headers: { Authorization: 'Bearer s3cre' } })).status).toBe(401);
    // Ingest never needs the token.
    expect((await post(c, makeReport())).status).toBe(200);
  });

  it('closes a connection whose head trickles in slower than the header timeout, and one whose body does', async () => {
    const c = await start({ headersTimeoutMs: 500, bodyTimeoutMs: 500 });
    const { port } = new URL(c.url);
    const slow = (lines: string[]) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        let got = '';
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
        socket.on('error', () => undefined);
        let i = 0;
        const timer = setInterval(() => {
          if (i < lines.length && !socket.destroyed) socket.write(lines[i++]!);
        }, 300);
        socket.on('close', () => clearInterval(timer));
      });
    // Headers one line every 300 ms, never finished: closed (Node answers 408) instead of held open.
    const head = await slow(['POST /v1/reports HTTP/1.1\r\n', 'Host: x\r\n', 'Content-Type: text/plain\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n', 'X-E: 5\r\n']);
    expect(head).toMatch(/^HTTP\/1\.1 408/);
    // A complete head, then a body that never completes: a coded 408 and the connection closed.
    const body = await slow(['POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"v":', '1', ',', '"s', 'x']);
    expect(body).toMatch(/^HTTP\/1\.1 408/);
    expect(body).toContain('"code":"TIMEOUT"');
    expect((await post(c, makeReport())).status).toBe(200);
  });

  it('logs a failed OTLP export once prefixed ("otlp: logs export … failed"), not "otlp: otlp: …"', async () => {
    // An endpoint that refuses every export at once (400: not retried).
    const endpoint = createServer((req, res) => void req.resume().on('end', () => res.writeHead(400).end()));
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const { port } = endpoint.address() as AddressInfo;
    const lines: string[] = [];
    const c = await start({ otlp: `http://127.0.0.1:${port}`, log: (l) => lines.push(l) });
    const closeEndpoint = () => new Promise((resolve) => endpoint.close(resolve));
    expect((await post(c, makeReport())).status).toBe(200);
    await vi.waitFor(() => expect(lines.some((l) => l.includes('logs export'))).toBe(true), { timeout: 15_000, interval: 50 });
    const line = lines.find((l) => l.includes('logs export'))!;
    expect(line).toMatch(/^otlp: logs export of 1 views to http:\/\/127\.0\.0\.1:\d+\/v1\/logs failed: /);
    expect(lines.filter((l) => l.startsWith('otlp: otlp:'))).toEqual([]);
    expect(await (await fetch(`${c.url}/metrics`)).text()).toMatch(/^vitrine_collector_export_failed_total 1$/m);
    await c.close();
    endpoint.closeAllConnections();
    await closeEndpoint();
  });

  it('exposes its own counters on /metrics in Prometheus text: requests, bytes, outcomes, queue depth, write latency', async () => {
    const c = await start();
    await post(c, makeReport());
    await post(c, '{');
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(text).toMatch(/vitrine_collector_http_requests_total\{route="reports",status="200"\} 1/);
    expect(text).toMatch(/vitrine_collector_http_requests_total\{route="reports",status="400"\} 1/);
    expect(text).toMatch(/vitrine_collector_reports_total\{outcome="stored"\} 1/);
    expect(text).toMatch(/vitrine_collector_received_bytes_total \d{3,}/);
    expect(text).toMatch(/vitrine_collector_write_queue_depth 0/);
    expect(text).toMatch(/vitrine_collector_write_seconds_count 1/);
    expect(text).toMatch(/vitrine_collector_rejections_total\{reason="INVALID_JSON"\} 1/);
    // The OTLP export's totals are counters, named as Prometheus names counters.
    for (const name of ['export_dropped', 'export_failed', 'exported']) {
      expect(text).toMatch(new RegExp(`^# TYPE vitrine_collector_${name}_total counter$`, 'm'));
      expect(text).toMatch(new RegExp(`^vitrine_collector_${name}_total 0$`, 'm'));
    }
    const health = await (await fetch(`${c.url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, store: 'sqlite' });
  });
});
