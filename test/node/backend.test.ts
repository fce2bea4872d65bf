import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createBackend, createCatalog, inShare, readPngSize, type Product } from '../../demo/backend/index.js';
import { isProduct } from '../../src/data/schema.js';

const files = new Map<string, string>([['vitrine.js', 'console.log("sdk");']]);
const backend = createBackend({ files: async (path) => files.get(path) });
const server = setupServer(...backend.handlers);
const { api, cdn, origin, collector } = backend.bases;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  backend.faults.clear();
  backend.resetCounts();
  backend.clearBeacons();
});
afterAll(() => server.close());

// biome-ignore lint/suspicious/noExplicitAny: the simulated API's answers, read by path in assertions
async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const withImage = backend.catalog.products.filter((p): p is Product & { image: NonNullable<Product['image']> } => p.image !== undefined);
const first = withImage[0]!;
const imageUrl = (base: string, width: number, p = first) => `${base}/images/1003/${p.image.key}/${width}.webp`;

describe('catalogue', () => {
  it('is the same on every run and every product passes the SDK schema', () => {
    const again = createCatalog(300);
    expect(again.products).toEqual(backend.catalog.products);
    expect(backend.catalog.products).toHaveLength(300);
    expect(backend.catalog.products.map((p) => p.id)).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)));
    for (const p of backend.catalog.products) expect(isProduct(p), `product ${p.id}`).toBe(true);
  });

  it('a bigger catalogue keeps the products a smaller one had', () => {
    expect(createCatalog(1000).products.slice(0, 300)).toEqual(backend.catalog.products);
  });

  it('has the variety the UI must cope with: missing images, out of stock, four currencies, ~8 categories, three aspect ratios', () => {
    const ps = backend.catalog.products;
    const noImage = ps.filter((p) => !p.image).length / ps.length;
    const outOfStock = ps.filter((p) => !p.inStock).length / ps.length;
    expect(noImage).toBeGreaterThan(0.04);
    expect(noImage).toBeLessThan(0.18);
    expect(outOfStock).toBeGreaterThan(0.07);
    expect(outOfStock).toBeLessThan(0.25);
    expect(new Set(ps.map((p) => p.price.currency))).toEqual(new Set(['EUR', 'USD', 'GBP', 'JPY']));
    expect(backend.catalog.categories).toHaveLength(8);
    expect(new Set(withImage.map((p) => p.image.height))).toEqual(new Set([900, 1200, 1500]));
    for (const p of ps.filter((p) => p.price.currency === 'JPY')) expect(Number.isInteger(p.price.amount)).toBe(true);
  });
});

describe('store API', () => {
  it('answers a batch of ids with only the products that exist', async () => {
    const { status, body, headers } = await getJson(`${api}/stores/1003/products?ids=1,2,3,99999,2`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    expect(body.items.map((p: Product) => p.id)).toEqual(['1', '2', '3']);
    expect(body.items[0]).toEqual(backend.catalog.byId.get('1'));
    expect(body.total).toBeUndefined();
  });

  it('pages through the list with a total, and filters by category', async () => {
    const page1 = await getJson(`${api}/stores/1003/products?limit=24&offset=0`);
    const page2 = await getJson(`${api}/stores/1003/products?limit=24&offset=24`);
    expect(page1.body.total).toBe(300);
    expect(page1.body.items.map((p: Product) => p.id)).toEqual(Array.from({ length: 24 }, (_, i) => String(i + 1)));
    expect(page2.body.items[0].id).toBe('25');
    const last = await getJson(`${api}/stores/1003/products?limit=24&offset=290`);
    expect(last.body.items).toHaveLength(10);

    const category = backend.catalog.categories[0]!;
    const all = backend.catalog.products.filter((p) => backend.catalog.categoryOf.get(p.id) === category);
    const filtered = await getJson(`${api}/stores/1003/products?limit=100&offset=0&category=${category}`);
    expect(filtered.body.total).toBe(all.length);
    expect(filtered.body.items.map((p: Product) => p.id)).toEqual(all.slice(0, 100).map((p) => p.id));
    const unknown = await getJson(`${api}/stores/1003/products?limit=10&category=nope`);
    expect(unknown.body).toEqual({ items: [], total: 0 });
  });

  it('rejects a bad query with a 400 JSON error', async () => {
    for (const query of ['', '?limit=101', '?limit=abc', '?limit=0', '?limit=10&offset=-1', '?ids=', '?ids=1&limit=10', '?ids=a%20b']) {
      const { status, body } = await getJson(`${api}/stores/1003/products${query}`);
      expect(status, query).toBe(400);
      expect(typeof body.error, query).toBe('string');
    }
    const tooMany = Array.from({ length: 501 }, (_, i) => i + 1).join(',');
    expect((await fetch(`${api}/stores/1003/products?ids=${tooMany}`)).status).toBe(400);
  });

  it('serves the same catalogue for any store id, and 404s unknown routes', async () => {
    const other = await getJson(`${api}/stores/other-store/products?ids=1`);
    expect(other.body.items[0].id).toBe('1');
    expect((await fetch(`${api}/nope`)).status).toBe(404);
  });

  it('slows every API answer by apiDelayMs', async () => {
    const slow = createBackend({ apiDelayMs: 120, bases: { api: 'https://slow-api.vitrine.test' } });
    server.use(...slow.handlers);
    const t0 = performance.now();
    const res = await fetch(`${slow.bases.api}/stores/1003/products?ids=1`);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    server.resetHandlers();
  });
});

describe('images', () => {
  it('are real PNGs exactly the requested width, height from the aspect ratio, on CDN and origin', async () => {
    for (const [base, width] of [
      [cdn, 160],
      [cdn, 400],
      [origin, 1200],
      [cdn, 1],
    ] as const) {
      const res = await fetch(imageUrl(base, width));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      expect(readPngSize(bytes)).toEqual({ width, height: Math.max(1, Math.round((width * first.image.height) / first.image.width)) });
    }
    const tall = withImage.find((p) => p.image.height === 1500)!;
    expect(readPngSize(new Uint8Array(await (await fetch(imageUrl(cdn, 400, tall))).arrayBuffer()))).toEqual({ width: 400, height: 500 });
  });

  it('decode to the expected pixels (valid zlib stream)', async () => {
    const bytes = new Uint8Array(await (await fetch(imageUrl(cdn, 8))).arrayBuffer());
    // IDAT starts after the signature (8) and IHDR chunk (25): length(4) type(4) data…
    const view = new DataView(bytes.buffer);
    const idatLength = view.getUint32(33);
    expect(String.fromCharCode(...bytes.subarray(37, 41))).toBe('IDAT');
    const stream = new Blob([bytes.slice(41, 41 + idatLength)]).stream().pipeThrough(new DecompressionStream('deflate'));
    const raw = new Uint8Array(await new Response(stream).arrayBuffer());
    const height = Math.round((8 * first.image.height) / first.image.width);
    expect(raw.length).toBe(height * (1 + 8 * 3));
  });

  it('404 for an unknown key, 400 for a width outside 1..2000', async () => {
    expect((await fetch(`${cdn}/images/1003/nope-123/400.webp`)).status).toBe(404);
    expect((await fetch(imageUrl(cdn, 2001))).status).toBe(400);
    expect((await fetch(imageUrl(cdn, 0))).status).toBe(400);
  });
});

describe('static files and fixture assets', () => {
  it('serve the SDK bundle under /sdk/ on CDN and origin', async () => {
    for (const base of [cdn, origin]) {
      const res = await fetch(`${base}/sdk/vitrine.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('javascript');
      expect(await res.text()).toBe('console.log("sdk");');
    }
    expect((await fetch(`${cdn}/sdk/missing.js`)).status).toBe(404);
    expect((await fetch(`${cdn}/sdk/%2E%2E/secret`)).status).toBe(404);
  });

  it('serve fixture scripts, styles and JSON', async () => {
    const js = await fetch(`${cdn}/assets/ok.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toContain('window.__vitrineAsset_ok_js = true');
    expect(await (await fetch(`${origin}/assets/my-lib.v2.js`)).text()).toContain('window.__vitrineAsset_my_lib_v2_js = true');
    const css = await fetch(`${cdn}/assets/theme.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.vitrine-fixture-theme{color:rgb(1,2,3)}');
    expect(await (await fetch(`${cdn}/assets/config.json`)).json()).toEqual({ name: 'config', ok: true });
    expect(css.headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe('CORS', () => {
  it('every host allows any origin, exposes timing, and answers preflights', async () => {
    for (const url of [`${api}/stores/1003/products?ids=1`, imageUrl(cdn, 160), `${origin}/assets/ok.js`]) {
      const res = await fetch(url);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('timing-allow-origin')).toBe('*');
    }
    const pre = await fetch(`${collector}/vitals`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('collector', () => {
  it('keeps beacons in order, including text/plain ones from sendBeacon', async () => {
    const a = await fetch(`${collector}/vitals`, { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'content-type': 'application/json' } });
    const b = await fetch(`${collector}/vitals`, { method: 'POST', body: JSON.stringify({ n: 2 }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect([a.status, b.status]).toEqual([204, 204]);
    expect(backend.beacons()).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await fetch(`${collector}/vitals`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect(backend.beacons()).toHaveLength(2);
    backend.clearBeacons();
    expect(backend.beacons()).toEqual([]);
  });
});

describe('request counts', () => {
  it('counts requests per host with a log of what was asked and answered', async () => {
    await fetch(`${api}/stores/1003/products?ids=1`, { headers: { 'user-agent': 'TestBrowser/1' } });
    await fetch(imageUrl(cdn, 160));
    await fetch(imageUrl(cdn, 400));
    await fetch(imageUrl(origin, 400));
    await fetch(`${collector}/vitals`, { method: 'POST', body: '{}' });
    const c = backend.counts();
    expect({ api: c.api, cdn: c.cdn, origin: c.origin, collector: c.collector, total: c.total }).toEqual({ api: 1, cdn: 2, origin: 1, collector: 1, total: 5 });
    expect(c.log[0]).toMatchObject({ host: 'api', method: 'GET', path: '/stores/1003/products', search: '?ids=1', status: 200, userAgent: 'TestBrowser/1' });
    expect(c.log[0]!.bytes).toBeGreaterThan(100);
    expect(c.log[4]).toMatchObject({ host: 'collector', method: 'POST', status: 204, bytes: 0 });
    backend.resetCounts();
    expect(backend.counts().total).toBe(0);
  });

  it('does not count control requests', async () => {
    await fetch(`${api}/__control/counts`);
    await fetch(`${api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'empty' }) });
    expect(backend.counts().total).toBe(0);
  });
});

describe('faults', () => {
  it('empty: 200 with zero bytes and the normal content type', async () => {
    backend.faults.add({ host: 'cdn', fault: 'empty', path: '/images/*' });
    const res = await fetch(imageUrl(cdn, 400));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(backend.counts().log[0]).toMatchObject({ fault: 'empty', status: 200, bytes: 0 });
    // The origin is not affected.
    expect((await (await fetch(imageUrl(origin, 400))).arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('truncate: the first half of the real body with the real content type', async () => {
    const full = new Uint8Array(await (await fetch(`${cdn}/assets/ok.js`)).arrayBuffer());
    backend.faults.add({ host: 'cdn', fault: 'truncate', path: '/assets/ok.js' });
    const res = await fetch(`${cdn}/assets/ok.js`);
    expect(res.headers.get('content-type')).toContain('javascript');
    const cut = new Uint8Array(await res.arrayBuffer());
    expect(cut.length).toBe(Math.floor(full.length / 2));
    expect(cut).toEqual(full.slice(0, cut.length));
  });

  it('html: a 200 HTML error page instead of the asset', async () => {
    backend.faults.add({ host: 'cdn', fault: 'html' });
    const res = await fetch(`${cdn}/assets/theme.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toBe('<html><body>Error</body></html>');
  });

  it('status: the chosen status with a small body', async () => {
    backend.faults.add({ host: 'api', fault: 'status', status: 500 });
    backend.faults.add({ host: 'cdn', fault: 'status', status: 404 });
    const a = await fetch(`${api}/stores/1003/products?ids=1`);
    expect(a.status).toBe(500);
    expect((await a.json()).error).toContain('500');
    const c = await fetch(imageUrl(cdn, 160));
    expect(c.status).toBe(404);
    expect((await c.text()).length).toBeLessThan(100);
  });

  it('retry-after: 503 with a Retry-After header by default, or the given status and value', async () => {
    const id = backend.faults.add({ host: 'api', fault: 'retry-after' });
    const a = await fetch(`${api}/stores/1003/products?ids=1`);
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('1');
    backend.faults.remove(id);
    backend.faults.add({ host: 'api', fault: 'retry-after', status: 429, retryAfter: '7' });
    const b = await fetch(`${api}/stores/1003/products?ids=1`);
    expect([b.status, b.headers.get('retry-after')]).toEqual([429, '7']);
  });

  it('slow: the real answer after delayMs', async () => {
    backend.faults.add({ host: 'cdn', fault: 'slow', delayMs: 150 });
    const t0 = performance.now();
    const res = await fetch(`${cdn}/assets/ok.js`);
    expect(await res.text()).toContain('__vitrineAsset_ok_js');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('hang: never answers, and lets go as soon as the request is aborted', async () => {
    backend.faults.add({ host: 'cdn', fault: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${cdn}/assets/ok.js`, { signal: controller.signal });
    const outcome = await Promise.race([
      pending.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 200)),
    ]);
    expect(outcome).toBe('still waiting');
    expect(backend.inFlight()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => backend.inFlight(), { timeout: 5000 }).toBe(0);
    expect(backend.counts().log[0]).toMatchObject({ fault: 'hang', status: 0 });
  });

  it('network: the request fails like a dropped connection', async () => {
    backend.faults.add({ host: 'origin', fault: 'network' });
    await expect(fetch(`${origin}/assets/ok.js`)).rejects.toThrow(TypeError);
    expect(backend.counts().log[0]).toMatchObject({ host: 'origin', fault: 'network' });
  });

  it('malformed: a valid envelope where some products are broken next to valid ones', async () => {
    backend.faults.add({ host: 'api', fault: 'malformed' });
    const { status, body } = await getJson(`${api}/stores/1003/products?ids=1,2,3,4,5,6,7`);
    expect(status).toBe(200);
    const valid = body.items.filter((p: unknown) => isProduct(p));
    const invalid = body.items.filter((p: unknown) => !isProduct(p));
    expect(body.items).toHaveLength(7);
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.map((p: Product) => p.id)).toEqual(['1', '4', '7']);
  });

  it('malformed on an image: same length, undecodable bytes', async () => {
    const good = new Uint8Array(await (await fetch(imageUrl(cdn, 400))).arrayBuffer());
    backend.faults.add({ host: 'cdn', fault: 'malformed' });
    const bad = new Uint8Array(await (await fetch(imageUrl(cdn, 400))).arrayBuffer());
    expect(bad.length).toBe(good.length);
    expect(bad).not.toEqual(good);
  });

  it('only some variants: by user agent or Accept header', async () => {
    backend.faults.add({ host: 'cdn', fault: 'empty', userAgent: 'Firefox' });
    backend.faults.add({ host: 'cdn', fault: 'html', accept: 'image/avif' });
    const size = async (init: RequestInit) => (await (await fetch(imageUrl(cdn, 160), init)).arrayBuffer()).byteLength;
    expect(await size({ headers: { 'user-agent': 'Mozilla/5.0 Firefox/130' } })).toBe(0);
    expect(await size({ headers: { 'user-agent': 'Mozilla/5.0 Chrome/130' } })).toBeGreaterThan(0);
    const avif = await fetch(imageUrl(cdn, 160), { headers: { accept: 'image/avif,image/webp,*/*' } });
    expect(avif.headers.get('content-type')).toContain('text/html');
    const webp = await fetch(imageUrl(cdn, 160), { headers: { accept: 'image/webp,*/*' } });
    expect(webp.headers.get('content-type')).toBe('image/png');
  });

  it('share: blanks a stable ~10% of distinct paths', async () => {
    // The share is a pure function of the path: check its spread over many paths without I/O…
    const paths = Array.from({ length: 2000 }, (_, i) => `/images/1003/p${i}-x/400.webp`);
    const hit = paths.filter((p) => inShare(0.1, p)).length / paths.length;
    expect(hit).toBeGreaterThan(0.08);
    expect(hit).toBeLessThan(0.12);
    expect(paths.every((p) => inShare(1, p))).toBe(true);
    expect(paths.some((p) => inShare(0, p))).toBe(false);

    // …then end to end: the same paths blank every time, exactly those the share picks.
    backend.faults.add({ host: 'cdn', fault: 'empty', path: '/assets/*', share: 0.1 });
    const names = Array.from({ length: 80 }, (_, i) => `lib-${i}`);
    const blank = async (name: string) => (await (await fetch(`${cdn}/assets/${name}.js`)).arrayBuffer()).byteLength === 0;
    const first = await Promise.all(names.map(blank));
    const again = await Promise.all(names.map(blank));
    expect(again).toEqual(first);
    expect(first).toEqual(names.map((n) => inShare(0.1, `/assets/${n}.js`)));
    expect(first.some(Boolean)).toBe(true);
    expect(first.filter(Boolean).length).toBeLessThan(names.length / 4);
  });

  it('times: applies at most N times, then the real answer comes back', async () => {
    backend.faults.add({ host: 'api', fault: 'status', status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${api}/stores/1003/products?ids=1`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(backend.faults.list()[0]).toMatchObject({ hits: 2, times: 2 });
  });

  it('path: exact path or prefix; the first matching rule wins; remove and clear switch faults off', async () => {
    const exact = backend.faults.add({ host: 'cdn', fault: 'status', status: 404, path: '/assets/ok.js' });
    backend.faults.add({ host: 'cdn', fault: 'status', status: 500, path: '/assets/*' });
    expect((await fetch(`${cdn}/assets/ok.js`)).status).toBe(404);
    expect((await fetch(`${cdn}/assets/other.js`)).status).toBe(500);
    expect((await fetch(imageUrl(cdn, 160))).status).toBe(200);
    backend.faults.remove(exact);
    expect((await fetch(`${cdn}/assets/ok.js`)).status).toBe(500);
    backend.faults.clear();
    expect(backend.faults.list()).toEqual([]);
    expect((await fetch(`${cdn}/assets/ok.js`)).status).toBe(200);
  });

  it('rejects an invalid rule with a message saying what is wrong', () => {
    expect(() => backend.faults.add({ host: 'cdn', fault: 'status' })).toThrow(/status/);
    expect(() => backend.faults.add({ host: 'nope' as 'cdn', fault: 'empty' })).toThrow(/host/);
    expect(() => backend.faults.add({ host: 'cdn', fault: 'empty', share: 2 })).toThrow(/share/);
  });
});

describe('control endpoints (msw-hosted)', () => {
  it('flip a fault on, read counts and beacons, and reset', async () => {
    const { body } = await getJson(`${api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'status', status: 503 }) });
    expect(body.id).toMatch(/^f\d+$/);
    expect((await fetch(`${cdn}/assets/ok.js`)).status).toBe(503);
    await fetch(`${collector}/vitals`, { method: 'POST', body: '{"lcp":1}' });
    expect((await getJson(`${api}/__control/counts`)).body).toMatchObject({ cdn: 1, collector: 1, total: 2 });
    expect((await getJson(`${api}/__control/beacons`)).body).toEqual([{ lcp: 1 }]);
    expect((await fetch(`${api}/__control/faults/${body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${cdn}/assets/ok.js`)).status).toBe(200);
    await fetch(`${api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'empty' }) });
    await fetch(`${api}/__control/faults`, { method: 'DELETE' });
    expect(backend.faults.list()).toEqual([]);
    await fetch(`${api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'empty' }) });
    expect((await fetch(`${api}/__control/reset`, { method: 'POST' })).status).toBe(200);
    expect(backend.faults.list()).toEqual([]);
    expect(backend.beacons()).toEqual([]);
    expect(backend.counts().total).toBe(0);
  });

  it('reject a bad rule with a 400 JSON error', async () => {
    const { status, body } = await getJson(`${api}/__control/faults`, { method: 'POST', body: JSON.stringify({ host: 'cdn', fault: 'explode' }) });
    expect(status).toBe(400);
    expect(body.error).toContain('fault');
  });
});
