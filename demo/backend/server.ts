/**
 * Hosts the simulated backend on real loopback HTTP servers: one per host (api, cdn, origin,
 * collector — genuinely different origins, like production) plus a static `site` server for merchant
 * pages (which can read every URL at `/__vitrine/backend.json`). Each request becomes a Fetch Request resolved by msw's getResponse over the same handlers
 * the msw/node and msw/browser hostings use. Node only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getResponse } from 'msw';
import { contentTypeFor, createBackend, type Backend, type BackendOptions, type HostName } from './handlers.js';

export interface ServerOptions {
  /** A backend to host; its handlers are reached whatever its bases (requests are re-addressed to them). */
  backend?: Backend;
  /** Options for the backend created when none is given (its bases become the real loopback URLs). */
  backendOptions?: BackendOptions;
  /** Default 127.0.0.1. */
  host?: string;
  /** Served under /sdk/* on cdn+origin and /dist/* on the site. Default: the repository's dist/. */
  distDir?: string;
  /** Static merchant pages; headers(path) adds headers per path (e.g. a strict CSP). */
  site?: { root: string; headers?: (path: string) => Record<string, string> };
}

export interface RunningServer {
  backend: Backend;
  urls: Record<HostName | 'site', string>;
  close(): Promise<void>;
}

const HOSTS: readonly HostName[] = ['api', 'cdn', 'origin', 'collector'];
const DEFAULT_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const SKIPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect']);

/** Reads a file under root; undefined when missing, a directory, or outside root. */
async function readUnder(root: string, rel: string): Promise<Uint8Array | undefined> {
  const full = resolve(root, `.${sep}${rel}`);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    if (!(await stat(full)).isFile()) return undefined;
    const buf = await readFile(full);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch {
    return undefined;
  }
}

function listen(server: Server, host: string): Promise<string> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => {
      server.off('error', fail);
      const { port } = server.address() as AddressInfo;
      done(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk as Uint8Array);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function sendPlain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Access-Control-Allow-Origin': '*',
    'Timing-Allow-Origin': '*',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const distDir = resolve(options.distDir ?? DEFAULT_DIST);
  const servers: Server[] = [];
  const urls = {} as Record<HostName | 'site', string>;
  let backend: Backend | undefined = options.backend;

  const hostServer = (name: HostName) =>
    createServer({ keepAlive: true }, (req, res) => {
      void handleHost(name, req, res).catch((e: unknown) => {
        if (!res.headersSent) sendPlain(res, 500, JSON.stringify({ error: `Server failed: ${e instanceof Error ? e.message : String(e)}` }));
        else res.destroy();
      });
    });

  async function handleHost(name: HostName, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!backend) throw new Error('backend not ready');
    const controller = new AbortController();
    // Client gone before the answer was sent: abort, so hangs and slow answers stop holding resources.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || SKIPPED_REQUEST_HEADERS.has(key)) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    const init: RequestInit = { method, headers, signal: controller.signal };
    if (body !== undefined) init.body = body as Uint8Array<ArrayBuffer>;
    // Re-address to the backend's own base, so a backend created with other bases still routes.
    const request = new Request(`${backend.bases[name]}${req.url ?? '/'}`, init);
    const response = await getResponse(backend.handlers, request);
    if (res.destroyed || controller.signal.aborted) return;
    if (!response) return sendPlain(res, 404, JSON.stringify({ error: 'Not found' }));
    if (response.type === 'error') {
      // A simulated network error: the connection just dies.
      req.socket.destroy();
      return;
    }
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      outHeaders[key] = value;
    });
    // While this host drops connections (a 'network' fault), it keeps none open: Chromium silently
    // resends a request whose reused keep-alive connection dies before the answer starts, which would
    // show one attempt of the SDK as two requests in the log.
    if (backend.faults.list().some((f) => f.fault === 'network' && f.host === name)) outHeaders.connection = 'close';
    res.writeHead(response.status, outHeaders);
    if (!response.body || method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), res);
    } catch {
      res.destroy();
    }
  }

  async function handleSite(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return sendPlain(res, 405, JSON.stringify({ error: 'GET only' }));
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
    } catch {
      return sendPlain(res, 400, JSON.stringify({ error: 'Bad path' }));
    }
    // Pages on the site (the support console) learn where the simulated store answers.
    if (path === '/__vitrine/backend.json') return sendPlain(res, 200, JSON.stringify(urls));
    let file: Uint8Array | undefined;
    let served = path;
    if (path.startsWith('/dist/')) {
      file = await readUnder(distDir, path.slice('/dist/'.length));
    } else if (options.site) {
      const root = resolve(options.site.root);
      if (path.endsWith('/')) served = `${path}index.html`;
      file = await readUnder(root, served.slice(1));
      if (!file && !path.endsWith('/')) {
        const index = await readUnder(root, `${path.slice(1)}/index.html`);
        if (index) {
          file = index;
          served = `${path}/index.html`;
        }
      }
    }
    if (!file) return sendPlain(res, 404, JSON.stringify({ error: 'Not found' }));
    res.writeHead(200, {
      'Content-Type': contentTypeFor(served),
      'Content-Length': file.length,
      'Cache-Control': 'no-cache',
      ...(options.site?.headers?.(path) ?? {}),
    });
    res.end(method === 'HEAD' ? undefined : file);
  }

  try {
    for (const name of HOSTS) {
      const server = hostServer(name);
      servers.push(server);
      urls[name] = await listen(server, host);
    }
    const site = createServer({ keepAlive: true }, (req, res) => {
      void handleSite(req, res).catch(() => sendPlain(res, 500, JSON.stringify({ error: 'Server failed' })));
    });
    servers.push(site);
    urls.site = await listen(site, host);
  } catch (e) {
    await Promise.all(servers.map(closeServer));
    throw e;
  }

  backend ??= createBackend({
    ...options.backendOptions,
    bases: { api: urls.api, cdn: urls.cdn, origin: urls.origin, collector: urls.collector },
    files: options.backendOptions?.files ?? ((path) => readUnder(distDir, path)),
  });

  let closing: Promise<void> | undefined;
  return {
    backend,
    urls,
    close: () => (closing ??= Promise.all(servers.map(closeServer)).then(() => undefined)),
  };
}
