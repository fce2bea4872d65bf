/**
 * The simulated store backend as msw handlers: store API, CDN, origin and beacon collector, with
 * run-time fault injection and request counting. The one backend every test, benchmark and the demo
 * use, hosted by msw/node, msw/browser and a real loopback HTTP server (server.ts).
 *
 * Browser-safe: Web APIs only (no fs, Buffer or node:*).
 *
 * Routes (every host answers CORS preflights and sends Access-Control-Allow-Origin: * and
 * Timing-Allow-Origin: *):
 *   api        GET  /stores/{storeId}/products?ids=1,2,3          → {"items"} (unknown ids absent,
 *                   duplicates dropped, request order kept; ≤ 500 ids)
 *              GET  /stores/{storeId}/products?limit=24&offset=0[&category=c] → {"items","total"} (limit 1..100)
 *              Any storeId made of [A-Za-z0-9_-] serves the same catalogue. Bad query → 400 {"error"}.
 *              The same under /_origin/stores/… : the API's origin behind its CDN (`apiOrigin: {api}/_origin`).
 *              /__control/* (never counted): POST faults (FaultRule) → {id}; GET faults; DELETE faults;
 *              DELETE faults/{id}; GET counts; GET beacons; DELETE beacons; POST reset (counts, beacons, faults).
 *   cdn+origin GET  /images/{storeId}/{key}/{width}.{webp|png|jpg|jpeg|avif} → PNG bytes `width` px wide
 *                   (content-type image/png; width 1..2000, else 400; unknown key 404)
 *              GET  /sdk/{path}            → options.files(path)
 *              GET  /assets/{name}.js      → sets window.__vitrineAsset_<"{name}.js" with non-word chars as _>
 *              GET  /assets/{name}.css     → .vitrine-fixture-{name}{color:rgb(1,2,3)}
 *              GET  /assets/{name}.json    → {"name": name, "ok": true}
 *   collector  POST any path → 204, the JSON body is kept (see beacons()); not JSON → 400
 *
 * Counting: every request to the four hosts is logged, CORS preflights (method OPTIONS) included —
 * they are real load; faults never apply to them. A log entry is written when the request arrives
 * (status 0 until answered; stays 0 for hang and network faults).
 *
 * Faults: see faults.ts. 'malformed' corrupts items 0, 3, 6… of a products envelope (price.amount as a
 * string, missing name, inStock as a string, in turn) and keeps the rest valid; on any other body it
 * keeps the length and flips the bytes of the second half (an undecodable image).
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { createCatalog, fnv1a, type Catalog, type Product } from './catalog.js';
import { createFaultController, validateRule, type ActiveFault, type FaultController, type HostName } from './faults.js';
import { encodePng, type Rgb } from './png.js';

export type { HostName, FaultController, Catalog, Product };

export interface BackendOptions {
  bases?: Partial<Record<HostName, string>>;
  catalogSize?: number;
  files?: (path: string) => Promise<Uint8Array | string | undefined>;
  apiDelayMs?: number;
}

export interface LogEntry {
  host: HostName;
  method: string;
  path: string;
  search: string;
  /** 0 while unanswered, and for hangs and network errors. */
  status: number;
  bytes: number;
  fault?: string;
  userAgent?: string;
  at: number;
}

export interface RequestCounts {
  api: number;
  cdn: number;
  origin: number;
  collector: number;
  total: number;
  log: LogEntry[];
}

export interface Backend {
  handlers: RequestHandler[];
  catalog: Catalog;
  faults: FaultController;
  counts(): RequestCounts;
  resetCounts(): void;
  beacons(): unknown[];
  clearBeacons(): void;
  bases: Record<HostName, string>;
  /** Requests still being answered (a hang holds one until its request aborts): for leak checks. */
  inFlight(): number;
}

export const DEFAULT_BASES: Readonly<Record<HostName, string>> = {
  api: 'https://api.vitrine.test',
  cdn: 'https://cdn.vitrine.test',
  origin: 'https://origin.vitrine.test',
  collector: 'https://collector.vitrine.test',
};

export const MAX_IDS = 500;
export const MAX_LIMIT = 100;
export const MAX_IMAGE_WIDTH = 2000;

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  cjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  ts: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  ico: 'image/x-icon',
  wasm: 'application/wasm',
  woff2: 'font/woff2',
};

/** A content type from a file name's extension (application/octet-stream when unknown). */
export function contentTypeFor(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (ext !== undefined ? CONTENT_TYPES[ext] : undefined) ?? 'application/octet-stream';
}

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Timing-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After, Content-Length, Content-Type, Cache-Control',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
const CACHE_PUBLIC = 'public, max-age=300';
const NO_STORE = 'no-store';

/** A fully materialised answer, so faults can empty, truncate or corrupt it. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();

function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

function json(status: number, value: unknown, cache = NO_STORE): Answer {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': cache }, body: encoder.encode(JSON.stringify(value)) };
}

function text(status: number, body: string, contentType = 'text/plain; charset=utf-8', cache = NO_STORE): Answer {
  return { status, headers: { 'Content-Type': contentType, 'Cache-Control': cache }, body: encoder.encode(body) };
}

function error(status: number, message: string): Answer {
  return json(status, { error: message });
}

function toResponse(answer: Answer, head: boolean): HttpResponse<BodyInit> {
  const nullBodyStatus = answer.status === 204 || answer.status === 304;
  const noBody = head || nullBodyStatus;
  const headers = new Headers({ ...CORS, ...answer.headers });
  // HEAD reports the length a GET would send.
  headers.set('Content-Length', String(nullBodyStatus ? 0 : answer.body.length));
  return new HttpResponse(noBody ? null : (answer.body as Uint8Array<ArrayBuffer>), { status: answer.status, headers });
}

/** Resolves after ms, or as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const WHOLE = /^\d{1,9}$/;

function productsAnswer(catalog: Catalog, url: URL): Answer {
  const q = url.searchParams;
  const ids = q.get('ids');
  const limit = q.get('limit');
  if (ids !== null && (limit !== null || q.has('offset') || q.has('category'))) {
    return error(400, 'Use either ids=… or limit=…[&offset=…][&category=…], not both');
  }
  if (ids !== null) {
    const list = ids.split(',').filter((id) => id !== '');
    if (list.length === 0) return error(400, 'Expected ids=<comma-separated product ids>');
    if (list.length > MAX_IDS) return error(400, `At most ${MAX_IDS} ids per request, got ${list.length}`);
    const bad = list.find((id) => !ID.test(id));
    if (bad !== undefined) return error(400, `Invalid product id ${JSON.stringify(bad.slice(0, 70))}`);
    const items: Product[] = [];
    for (const id of new Set(list)) {
      const product = catalog.byId.get(id);
      if (product) items.push(product);
    }
    return json(200, { items });
  }
  if (limit === null) return error(400, 'Expected ids=… or limit=…');
  const offset = q.get('offset') ?? '0';
  if (!WHOLE.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) return error(400, `Expected limit to be a whole number in 1..${MAX_LIMIT}`);
  if (!WHOLE.test(offset)) return error(400, 'Expected offset to be a whole number ≥ 0');
  const category = q.get('category');
  const all = category === null ? catalog.products : catalog.products.filter((p) => catalog.categoryOf.get(p.id) === category);
  const start = Number(offset);
  return json(200, { items: all.slice(start, start + Number(limit)), total: all.length });
}

/** Every third item (from the first) broken in a different way; the others intact. */
function corruptEnvelope(body: Uint8Array): Uint8Array | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { items?: unknown }).items)) return undefined;
  const envelope = parsed as { items: Record<string, unknown>[] };
  envelope.items = envelope.items.map((item, i) => {
    if (i % 3 !== 0) return item;
    const broken: Record<string, unknown> = { ...item };
    switch ((i / 3) % 3) {
      case 0:
        broken.price = { ...(item.price as object), amount: String((item.price as { amount?: unknown } | undefined)?.amount ?? '12.50') };
        break;
      case 1:
        delete broken.name;
        break;
      default:
        broken.inStock = 'yes';
        break;
    }
    return broken;
  });
  return encoder.encode(JSON.stringify(envelope));
}

function colorsFor(key: string): { color: Rgb; band: Rgb } {
  const h = fnv1a(key);
  const color: Rgb = [64 + (h & 0x7f), 64 + ((h >>> 8) & 0x7f), 64 + ((h >>> 16) & 0x7f)];
  const band: Rgb = [color[0] - 48, color[1] - 48, color[2] - 48];
  return { color, band };
}

export function createBackend(options: BackendOptions = {}): Backend {
  const bases: Record<HostName, string> = { ...DEFAULT_BASES };
  for (const host of Object.keys(DEFAULT_BASES) as HostName[]) {
    const base = options.bases?.[host];
    if (base !== undefined) bases[host] = base.replace(/\/+$/, '');
  }
  const catalog = createCatalog(options.catalogSize ?? 300);
  const faults = createFaultController();
  const apiDelayMs = options.apiDelayMs ?? 0;
  let log: LogEntry[] = [];
  let beaconBodies: unknown[] = [];
  const imageKeys = new Map<string, Product>();
  for (const p of catalog.products) if (p.image) imageKeys.set(p.image.key, p);
  const images = new Map<string, Promise<Uint8Array>>();
  const IMAGE_CACHE_MAX = 1000;

  function image(product: Product, width: number): Promise<Uint8Array> {
    const img = product.image;
    if (!img) throw new Error('no image');
    const cacheKey = `${img.key}/${width}`;
    let bytes = images.get(cacheKey);
    if (!bytes) {
      const height = Math.max(1, Math.round((width * img.height) / img.width));
      bytes = encodePng({ width, height, ...colorsFor(img.key), bands: 3 });
      if (images.size >= IMAGE_CACHE_MAX) {
        const oldest = images.keys().next().value;
        if (oldest !== undefined) images.delete(oldest);
      }
      images.set(cacheKey, bytes);
      bytes.catch(() => images.delete(cacheKey));
    }
    return bytes;
  }

  async function assetAnswer(url: URL, request: Request): Promise<Answer> {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return error(405, `${method} is not allowed here`);
    const path = url.pathname;
    const img = /^\/images\/([A-Za-z0-9_-]{1,64})\/([^/]+)\/([^/]+)\.(webp|png|jpg|jpeg|avif)$/.exec(path);
    if (img) {
      const key = decodeURIComponent(img[2] ?? '');
      const widthText = img[3] ?? '';
      const product = imageKeys.get(key);
      if (!product) return error(404, `No image ${JSON.stringify(key)}`);
      if (!WHOLE.test(widthText) || Number(widthText) < 1 || Number(widthText) > MAX_IMAGE_WIDTH) {
        return error(400, `Expected an image width in 1..${MAX_IMAGE_WIDTH}, got ${JSON.stringify(widthText.slice(0, 20))}`);
      }
      return { status: 200, headers: { 'Content-Type': 'image/png', 'Cache-Control': CACHE_PUBLIC }, body: await image(product, Number(widthText)) };
    }
    if (path.startsWith('/sdk/')) {
      const rel = decodeURIComponent(path.slice('/sdk/'.length));
      if (rel === '' || rel.split('/').some((seg) => seg === '..' || seg === '.' || seg === '') || rel.includes('\\')) return error(404, 'Not found');
      const file = options.files ? await options.files(rel) : undefined;
      if (file === undefined) return error(404, `No file ${JSON.stringify(rel)}`);
      return { status: 200, headers: { 'Content-Type': contentTypeFor(rel), 'Cache-Control': CACHE_PUBLIC }, body: bytesOf(file) };
    }
    const asset = /^\/assets\/([A-Za-z0-9._-]{1,100})\.(js|css|json)$/.exec(path);
    if (asset) {
      const name = asset[1] ?? '';
      const kind = asset[2];
      if (kind === 'js') {
        return text(200, `window.__vitrineAsset_${`${name}.js`.replace(/\W/g, '_')} = true;\n`, contentTypeFor('x.js'), CACHE_PUBLIC);
      }
      if (kind === 'css') {
        return text(200, `.vitrine-fixture-${name.replace(/[^A-Za-z0-9_-]/g, '-')}{color:rgb(1,2,3)}\n`, contentTypeFor('x.css'), CACHE_PUBLIC);
      }
      return json(200, { name, ok: true }, CACHE_PUBLIC);
    }
    return error(404, 'Not found');
  }

  async function realAnswer(host: HostName, url: URL, request: Request): Promise<Answer> {
    switch (host) {
      case 'api': {
        // The API's own origin behind its CDN (Vitrine's `apiOrigin`) answers the same paths under /_origin:
        // a separate URL for every fault rule, cache and log entry, on the same simulated server.
        const m = /^(?:\/_origin)?\/stores\/([^/]+)\/products\/?$/.exec(url.pathname);
        if (!m) return error(404, 'Not found');
        if (!ID.test(decodeURIComponent(m[1] ?? ''))) return error(404, 'Unknown store');
        if (request.method !== 'GET' && request.method !== 'HEAD') return error(405, `${request.method} is not allowed here`);
        return productsAnswer(catalog, url);
      }
      case 'cdn':
      case 'origin':
        return assetAnswer(url, request);
      case 'collector': {
        if (request.method !== 'POST') return error(405, 'POST a beacon');
        const body = await request.text();
        try {
          beaconBodies.push(JSON.parse(body));
        } catch {
          return error(400, 'Expected a JSON body');
        }
        return { status: 204, headers: { 'Cache-Control': NO_STORE }, body: new Uint8Array(0) };
      }
    }
  }

  function preflight(request: Request): Answer {
    return {
      status: 204,
      headers: {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? '*',
        'Access-Control-Max-Age': '600',
        'Cache-Control': NO_STORE,
      },
      body: new Uint8Array(0),
    };
  }

  function counts(): RequestCounts {
    const c: RequestCounts = { api: 0, cdn: 0, origin: 0, collector: 0, total: log.length, log: log.map((e) => ({ ...e })) };
    for (const e of log) c[e.host]++;
    return c;
  }

  function resetCounts(): void {
    log = [];
  }

  async function handleControl(url: URL, request: Request): Promise<Answer> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = request.method;
    if (method === 'OPTIONS') return preflight(request);
    if (path === '/__control/faults') {
      if (method === 'GET') return json(200, faults.list());
      if (method === 'DELETE') {
        faults.clear();
        return json(200, { ok: true });
      }
      if (method === 'POST') {
        try {
          const rule = validateRule(JSON.parse(await request.text()));
          return json(200, { id: faults.add(rule) });
        } catch (e) {
          return error(400, e instanceof Error ? e.message : String(e));
        }
      }
    }
    const one = /^\/__control\/faults\/([^/]+)$/.exec(path);
    if (one && method === 'DELETE') {
      faults.remove(decodeURIComponent(one[1] ?? ''));
      return json(200, { ok: true });
    }
    if (path === '/__control/counts' && method === 'GET') return json(200, counts());
    if (path === '/__control/beacons' && method === 'GET') return json(200, beaconBodies);
    if (path === '/__control/beacons' && method === 'DELETE') {
      beaconBodies = [];
      return json(200, { ok: true });
    }
    if (path === '/__control/reset' && method === 'POST') {
      log = [];
      beaconBodies = [];
      faults.clear();
      return json(200, { ok: true });
    }
    return error(404, `No control endpoint ${method} ${path}`);
  }

  function applyFault(fault: ActiveFault, answer: Answer): Answer {
    switch (fault.fault) {
      case 'empty':
        return { status: 200, headers: answer.headers, body: new Uint8Array(0) };
      case 'truncate':
        return { ...answer, body: answer.body.slice(0, Math.floor(answer.body.length / 2)) };
      case 'malformed': {
        const corrupted = corruptEnvelope(answer.body);
        if (corrupted) return { ...answer, body: corrupted };
        // Not a products envelope: same length, the second half's bytes flipped (an undecodable image).
        const body = answer.body.slice();
        for (let i = Math.floor(body.length / 2); i < body.length; i++) body[i] = (body[i] ?? 0) ^ 0x5a;
        return { ...answer, body };
      }
      default:
        return answer;
    }
  }

  let pending = 0;

  async function handle(host: HostName, request: Request): Promise<Response> {
    pending++;
    try {
      return await answerRequest(host, request);
    } finally {
      pending--;
    }
  }

  async function answerRequest(host: HostName, request: Request): Promise<Response> {
    const url = new URL(request.url);
    const head = request.method === 'HEAD';
    if (host === 'api' && url.pathname.startsWith('/__control/')) return toResponse(await handleControl(url, request), head);

    const entry: LogEntry = { host, method: request.method, path: url.pathname, search: url.search, status: 0, bytes: 0, at: Date.now() };
    const ua = request.headers.get('user-agent');
    if (ua !== null) entry.userAgent = ua;
    log.push(entry);
    const finish = (answer: Answer): Response => {
      const response = toResponse(answer, head);
      entry.status = answer.status;
      entry.bytes = head || answer.status === 204 || answer.status === 304 ? 0 : answer.body.length;
      return response;
    };

    if (request.method === 'OPTIONS') return finish(preflight(request));

    const fault = faults.match(host, request);
    if (fault) entry.fault = fault.fault;
    const signal = request.signal;
    switch (fault?.fault) {
      case 'network':
        return HttpResponse.error();
      case 'hang':
        await untilAborted(signal);
        return HttpResponse.error();
      case 'html':
        return finish(text(200, '<html><body>Error</body></html>', 'text/html; charset=utf-8'));
      case 'status': {
        const status = fault.status ?? 500;
        return finish(host === 'api' ? error(status, `Simulated ${status}`) : text(status, `Simulated ${status}\n`));
      }
      case 'retry-after': {
        const status = fault.status ?? 503;
        const answer = host === 'api' ? error(status, `Simulated ${status}, retry later`) : text(status, `Simulated ${status}, retry later\n`);
        answer.headers['Retry-After'] = fault.retryAfter ?? '1';
        return finish(answer);
      }
      case 'slow':
        await sleep(fault.delayMs ?? 0, signal);
        if (signal.aborted) return HttpResponse.error();
        break;
      default:
        break;
    }
    if (host === 'api' && apiDelayMs > 0) {
      await sleep(apiDelayMs, signal);
      if (signal.aborted) return HttpResponse.error();
    }
    let answer: Answer;
    try {
      answer = await realAnswer(host, url, request);
    } catch (e) {
      answer = error(500, `Simulated backend failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return finish(fault ? applyFault(fault, answer) : answer);
  }

  const handlers: RequestHandler[] = (Object.keys(bases) as HostName[]).map((host) => http.all(`${bases[host]}/*`, ({ request }) => handle(host, request)));

  return {
    handlers,
    catalog,
    faults: { add: (r) => faults.add(r), remove: (id) => faults.remove(id), clear: () => faults.clear(), list: () => faults.list() },
    counts,
    resetCounts,
    beacons: () => beaconBodies.slice(),
    clearBeacons: () => {
      beaconBodies = [];
    },
    bases,
    inFlight: () => pending,
  };
}
