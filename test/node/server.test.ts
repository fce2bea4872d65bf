import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createBackend, readPngSize } from '../../demo/backend/index.js';
import { startServer, type RunningServer } from '../../demo/backend/server.js';

let dir: string;

/** Status for a path sent exactly as written. */
function rawStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-server-test-'));
  await mkdir(join(dir, 'site', 'shop'), { recursive: true });
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>Merchant</title>');
  await writeFile(join(dir, 'site', 'shop', 'index.html'), '<!doctype html><title>Shop</title>');
  await writeFile(join(dir, 'site', 'app.css'), 'body{margin:0}');
  await writeFile(join(dir, 'dist', 'vitrine.js'), 'console.log("bundle")');
  await writeFile(join(dir, 'secret.txt'), 'do not serve');
  server = await startServer({
    distDir: join(dir, 'dist'),
    site: { root: join(dir, 'site'), headers: (path) => (path.endsWith('.html') || path.endsWith('/') ? { 'Content-Security-Policy': "default-src 'self'" } : {}) },
  });
});

afterEach(async () => {
  await fetch(`${server.urls.api}/__control/reset`, { method: 'POST' });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('loopback HTTP hosting', () => {
  it('puts api, cdn, origin, collector and site on distinct origins, and the backend knows them', () => {
    const origins = Object.values(server.urls).map((u) => new URL(u).origin);
    expect(new Set(origins).size).toBe(5);
    for (const u of origins) expect(new URL(u).hostname).toBe('127.0.0.1');
    expect(server.backend.bases).toEqual({ api: server.urls.api, cdn: server.urls.cdn, origin: server.urls.origin, collector: server.urls.collector });
  });

  it('serves products, images and the SDK bundle over real HTTP with CORS and Timing-Allow-Origin', async () => {
    const api = await fetch(`${server.urls.api}/stores/1003/products?ids=1,2`, { headers: { origin: server.urls.site } });
    expect(api.status).toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
    expect(api.headers.get('timing-allow-origin')).toBe('*');
    expect((await api.json()).items).toHaveLength(2);

    const product = server.backend.catalog.products.find((p) => p.image)!;
    const img = await fetch(`${server.urls.cdn}/images/1003/${product.image!.key}/400.webp`);
    const bytes = new Uint8Array(await img.arrayBuffer());
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('timing-allow-origin')).toBe('*');
    expect(Number(img.headers.get('content-length'))).toBe(bytes.length);
    expect(readPngSize(bytes)?.width).toBe(400);

    const sdk = await fetch(`${server.urls.origin}/sdk/vitrine.js`);
    expect(await sdk.text()).toBe('console.log("bundle")');
    expect(sdk.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers CORS preflights on every host', async () => {
    for (const host of ['api', 'cdn', 'origin', 'collector'] as const) {
      const res = await fetch(`${server.urls[host]}/anything`, {
        method: 'OPTIONS',
        headers: { origin: server.urls.site, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.status, host).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), host).toBe('*');
      expect(res.headers.get('access-control-allow-methods'), host).toContain('POST');
    }
  });

  it('keeps beacons POSTed to the collector', async () => {
    const res = await fetch(`${server.urls.collector}/vitals`, { method: 'POST', body: JSON.stringify({ lcp: 1234 }), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(204);
    expect(await (await fetch(`${server.urls.api}/__control/beacons`)).json()).toEqual([{ lcp: 1234 }]);
    expect(server.backend.beacons()).toEqual([{ lcp: 1234 }]);
  });

  it('lets a test flip a fault over HTTP and read the counts back', async () => {
    const add = await fetch(`${server.urls.api}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'cdn', fault: 'empty', path: '/assets/*' }),
    });
    const { id } = (await add.json()) as { id: string };
    const blank = await fetch(`${server.urls.cdn}/assets/ok.js`);
    expect(blank.status).toBe(200);
    expect(blank.headers.get('content-type')).toContain('javascript');
    expect(await blank.text()).toBe('');
    expect(await (await fetch(`${server.urls.origin}/assets/ok.js`)).text()).toContain('__vitrineAsset_ok_js');

    await fetch(`${server.urls.api}/__control/faults/${id}`, { method: 'DELETE' });
    expect(await (await fetch(`${server.urls.cdn}/assets/ok.js`)).text()).toContain('__vitrineAsset_ok_js');

    const counts = (await (await fetch(`${server.urls.api}/__control/counts`)).json()) as { cdn: number; origin: number; api: number; log: { fault?: string }[] };
    expect(counts).toMatchObject({ api: 0, cdn: 2, origin: 1 });
    expect(counts.log[0]?.fault).toBe('empty');
  });

  it('truncates over HTTP with a consistent Content-Length', async () => {
    const full = await (await fetch(`${server.urls.cdn}/assets/theme.css`)).text();
    server.backend.faults.add({ host: 'cdn', fault: 'truncate' });
    const res = await fetch(`${server.urls.cdn}/assets/theme.css`);
    const cut = await res.text();
    expect(cut).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(Number(res.headers.get('content-length'))).toBe(cut.length);
  });

  it('a network fault drops the connection, so fetch rejects', async () => {
    server.backend.faults.add({ host: 'origin', fault: 'network' });
    await expect(fetch(`${server.urls.origin}/assets/ok.js`)).rejects.toThrow(TypeError);
    // The server itself is fine afterwards.
    server.backend.faults.clear();
    expect((await fetch(`${server.urls.origin}/assets/ok.js`)).status).toBe(200);
  });

  it('a hang holds nothing once the client gives up', async () => {
    server.backend.faults.add({ host: 'cdn', fault: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${server.urls.cdn}/assets/ok.js`, { signal: controller.signal });
    await expect.poll(() => server.backend.inFlight(), { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.backend.inFlight()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => server.backend.inFlight(), { timeout: 5000 }).toBe(0);
  });

  it('a slow answer stops as soon as the client disconnects', async () => {
    server.backend.faults.add({ host: 'api', fault: 'slow', delayMs: 60_000 });
    const req = httpRequest(`${server.urls.api}/stores/1003/products?ids=1`);
    req.on('error', () => {});
    req.end();
    await expect.poll(() => server.backend.inFlight(), { timeout: 5000 }).toBe(1);
    req.destroy();
    await expect.poll(() => server.backend.inFlight(), { timeout: 5000 }).toBe(0);
  });

  it('404s what no handler answers', async () => {
    expect((await fetch(`${server.urls.collector}/`, { method: 'GET' })).status).toBe(405);
    expect((await fetch(`${server.urls.cdn}/nothing-here`)).status).toBe(404);
  });
});

describe('site host', () => {
  it('serves merchant pages with content types and the per-path headers (e.g. a strict CSP)', async () => {
    const index = await fetch(`${server.urls.site}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await index.text()).toContain('Merchant');
    expect(await (await fetch(`${server.urls.site}/shop`)).text()).toContain('Shop');
    const css = await fetch(`${server.urls.site}/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('content-security-policy')).toBeNull();
  });

  it('tells pages on the site where the simulated store answers', async () => {
    expect(await (await fetch(`${server.urls.site}/__vitrine/backend.json`)).json()).toEqual(server.urls);
  });

  it('serves the built bundles under /dist/ and nothing outside its roots', async () => {
    const bundle = await fetch(`${server.urls.site}/dist/vitrine.js`);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(await bundle.text()).toBe('console.log("bundle")');
    expect((await fetch(`${server.urls.site}/missing.html`)).status).toBe(404);
    // Raw paths (fetch would normalise the dots away before sending).
    for (const path of ['/../secret.txt', '/dist/../secret.txt', '/%2E%2E/secret.txt', '/dist/..%2Fsecret.txt']) {
      expect(await rawStatus(server.urls.site, path), path).toBe(404);
    }
    expect(await rawStatus(server.urls.cdn, '/sdk/..%2F..%2Fsecret.txt')).toBe(404);
  });
});

describe('lifecycle', () => {
  it('hosts a backend created elsewhere, whatever its bases', async () => {
    const backend = createBackend({ catalogSize: 5 });
    const own = await startServer({ backend });
    try {
      const res = await fetch(`${own.urls.api}/stores/1003/products?limit=10`);
      expect(((await res.json()) as { total: number }).total).toBe(5);
      expect(backend.counts().api).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('close() is prompt even with keep-alive connections and a hanging request open', async () => {
    const own = await startServer();
    expect((await fetch(`${own.urls.api}/stores/1003/products?ids=1`)).status).toBe(200); // leaves a keep-alive socket
    own.backend.faults.add({ host: 'cdn', fault: 'hang' });
    const hanging = fetch(`${own.urls.cdn}/assets/ok.js`);
    hanging.catch(() => {});
    await expect.poll(() => own.backend.inFlight(), { timeout: 5000 }).toBe(1);
    const t0 = performance.now();
    await own.close();
    // Not the 5 s keep-alive timeout, nor forever for the hang (bound generous for a loaded CI machine).
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(hanging).rejects.toThrow();
    await expect.poll(() => own.backend.inFlight(), { timeout: 5000 }).toBe(0);
    await expect(fetch(`${own.urls.api}/stores/1003/products?ids=1`)).rejects.toThrow();
  });

  it('serve.ts prints its URLs as one JSON line, serves, and exits cleanly on SIGTERM', async () => {
    const portFile = join(dir, 'ports.json');
    // tsx itself (not npx) so the signal reaches the server process.
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['demo/backend/serve.ts', '--port-file', portFile, '--catalog-size', '7'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (out += chunk));
      await expect.poll(() => out.includes('\n'), { timeout: 45_000 }).toBe(true);
      const urls = JSON.parse(out.split('\n')[0]!) as Record<string, string>;
      expect(Object.keys(urls).sort()).toEqual(['api', 'cdn', 'collector', 'origin', 'site']);
      expect(JSON.parse(await readFile(portFile, 'utf8'))).toEqual(urls);
      const res = await fetch(`${urls.api}/stores/1003/products?limit=100`);
      expect(((await res.json()) as { total: number }).total).toBe(7);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
