import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULTS, isLoopback, type CollectorOptions } from './config.js';
import { CollectorError } from './errors.js';
import type { Exporter } from './export/exporter.js';
import { sendError, sendJson } from './http-util.js';
import { createIngest } from './ingest/ingest.js';
import { createRateLimiter } from './ingest/rate-limit.js';
import { createSelfMetrics } from './metrics.js';
import { startRetention } from './store/retention.js';
import { openStore, type FieldStore } from './store/store.js';
import { createWriter } from './store/writer.js';
import { fieldRoutes } from './field/routes.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import { evaluateAlarms, ALARM_DEFAULTS } from './field/answers.js';

/**
 * `createCollector(options)`: the whole collector, started. The HTTP layer stays thin (routing,
 * limits, status codes); each route's work lives in its own module.
 */
export interface Collector {
  /** http://host:port */
  readonly url: string;
  readonly ingestUrl: string;
  readonly dashboardUrl: string;
  readonly store: FieldStore;
  readonly server: Server;
  /** Resolves when every report accepted so far is committed. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** A route's handler: answers, and returns the status it sent (for /metrics). */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<number> | number;

export interface RouteContext {
  store: FieldStore;
  options: CollectorOptions;
  now: () => number;
  /** Whether the request carries the token (Bearer header or the dashboard's cookie). */
  authorized(req: IncomingMessage): boolean;
  readonly token: string | undefined;
  /** One line for the operator's log (never given a client address). */
  log(line: string): void;
  /** A store whose alarms could not be evaluated: logged (once per store and reason) and counted. */
  alarmFailed(storeId: string, error: unknown): void;
}

/** Routes other modules add (field answers, dashboard): path → method → handler. */
export type RouteTable = Record<string, Partial<Record<'GET' | 'POST', Handler>>>;
export type RouteFactory = (ctx: RouteContext) => RouteTable | Promise<RouteTable>;

/** The route modules beside ingest (field answers, dashboard); each adds its paths. */
const ROUTE_FACTORIES: readonly RouteFactory[] = [fieldRoutes, dashboardRoutes];

export async function createCollector(options: CollectorOptions = {}): Promise<Collector> {
  const host = options.host ?? DEFAULTS.host;
  const token = options.token || undefined;
  if (!token && !isLoopback(host)) {
    throw new CollectorError('UNAUTHORIZED', 401, `Refusing to listen on ${host} without a token: pass --token (or VITRINE_COLLECTOR_TOKEN), or listen on 127.0.0.1`);
  }
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = typeof options.store === 'object' ? options.store : await openStore(options.store ?? DEFAULTS.store);
  const ownsStore = typeof options.store !== 'object';

  let exporter: Exporter | undefined = options.exporter;
  if (!exporter && options.otlp) {
    const { createOtlpExporter } = await import('./export/otlp.js');
    exporter = createOtlpExporter({
      url: options.otlp,
      onError: (e) => {
        // The exporter's own errors already say "otlp: …"; anything else it passes on gets the prefix.
        const message = e instanceof Error ? e.message : String(e);
        log(message.startsWith('otlp: ') ? message : `otlp: ${message}`);
      },
    });
  }
  const exportStats = () => exporter?.stats() ?? { queued: 0, exported: 0, dropped: 0, failed: 0 };

  let writerDepth = () => 0;
  const metrics = createSelfMetrics({
    queueDepth: () => writerDepth(),
    exportQueue: () => exportStats().queued,
    exportDropped: () => exportStats().dropped,
    exportFailed: () => exportStats().failed,
    exported: () => exportStats().exported,
  });
  const writer = createWriter(store, { concurrency: store.db.dialect === 'postgres' ? 4 : 1, onCommit: ({ records, ms }) => metrics.commit(records, ms) });
  writerDepth = () => writer.depth;

  const rate = options.rateLimit ?? DEFAULTS.rateLimit;
  const limiter = createRateLimiter({ rate, burst: options.burst ?? Math.max(1, rate * 5), now });
  // Origins compare as browsers send them: scheme://host[:port], lower case, no trailing slash.
  const allowed = (options.allowOrigin ?? DEFAULTS.allowOrigin)
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, '').toLowerCase())
    .filter(Boolean);
  const anyOrigin = allowed.includes('*');
  const listed = (origin: string | undefined) => origin !== undefined && allowed.includes(origin.toLowerCase());
  const cors = (req: IncomingMessage): Record<string, string> => {
    if (anyOrigin) return { 'Access-Control-Allow-Origin': '*' };
    const origin = req.headers.origin;
    return origin && listed(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
  };
  // CORS alone stops nothing here: sendBeacon's text/plain POST is a simple request, sent and stored
  // whatever the answer's headers say. So a page origin off the list is refused outright. A request
  // without Origin (a server, curl) is not a page's and stays accepted.
  const originAllowed = (req: IncomingMessage) => anyOrigin || req.headers.origin === undefined || listed(req.headers.origin);
  const clientHeader = options.clientHeader?.toLowerCase();
  // The address is a rate-limit key in memory and nothing else: it is never logged or stored.
  // A list (x-forwarded-for: client, proxy1, …) counts by its LAST entry, the one the nearest proxy
  // appended: every entry before it is whatever the client sent, so keying on the first let a
  // client pick a fresh bucket per request. (Node joins repeated headers with ", ".)
  const clientKey = (req: IncomingMessage) => {
    const forwarded = clientHeader ? req.headers[clientHeader] : undefined;
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    return last || req.socket.remoteAddress || 'unknown';
  };

  const ingest = createIngest({
    writer,
    limiter,
    metrics,
    exporter,
    cors,
    originAllowed,
    clientKey,
    countryHeader: options.countryHeader?.toLowerCase(),
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
    maxPending: options.maxPending ?? DEFAULTS.maxPending,
    now,
  });

  const tokenHash = token ? createHash('sha256').update(token).digest() : undefined;
  const matches = (candidate: string | undefined) => {
    if (!tokenHash || candidate === undefined) return false;
    return timingSafeEqual(createHash('sha256').update(candidate).digest(), tokenHash);
  };
  const authorized = (req: IncomingMessage) => {
    if (!tokenHash) return true;
    // The scheme is case-insensitive (RFC 9110 §11.1): "bearer x" is "Bearer x".
    const bearer = /^bearer +(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && matches(bearer.trim())) return true;
    const cookie = /(?:^|;\s*)vitrine_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return cookie !== undefined && matches(decodeURIComponent(cookie));
  };

  // One line when a store starts failing (or fails otherwise), not one a minute while it goes on.
  const failingStores = new Map<string, string>();
  const alarmFailed = (storeId: string, error: unknown) => {
    metrics.alarmFailed();
    const message = error instanceof Error ? error.message : String(error);
    if (failingStores.get(storeId) === message) return;
    if (failingStores.size >= 1_000) failingStores.clear();
    failingStores.set(storeId, message);
    log(`alarms: store ${storeId}: ${message}`);
  };

  const ctx: RouteContext = { store, options, now, authorized, token, log, alarmFailed };
  const routes: RouteTable = {
    '/v1/reports': {
      POST: (req, res) => ingest(req, res),
    },
    '/healthz': {
      GET: async (_req, res) => {
        try {
          await store.countReports('__healthz__');
          sendJson(res, 200, { ok: true, store: store.db.dialect, pending: writer.depth });
          return 200;
        } catch {
          sendJson(res, 503, { ok: false, store: store.db.dialect });
          return 503;
        }
      },
    },
    '/metrics': {
      GET: async (req, res) => {
        if (!authorized(req)) return unauthorized(res);
        const text = await metrics.text();
        res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(text);
        return 200;
      },
    },
  };
  for (const factory of ROUTE_FACTORIES) Object.assign(routes, await factory(ctx));

  const routeName = (path: string) => (path === '/v1/reports' ? 'reports' : routes[path] ? path : 'other');

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://collector.invalid');
    } catch {
      url = new URL('http://collector.invalid/');
    }
    const route = routes[url.pathname];
    let status: number;
    try {
      if (req.method === 'OPTIONS' && url.pathname === '/v1/reports') {
        res.writeHead(204, { ...cors(req), 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '86400' }).end();
        status = 204;
      } else if (!route) {
        status = refuse(res, new CollectorError('NOT_FOUND', 404, `No route ${req.method} ${url.pathname.slice(0, 200)}`), url.pathname === '/v1/reports' ? cors(req) : {});
      } else {
        const handler = route[req.method as 'GET' | 'POST'];
        if (!handler) {
          const allow = Object.keys(route).join(', ');
          status = refuse(res, new CollectorError('METHOD_NOT_ALLOWED', 405, `Expected ${allow} on ${url.pathname}, got ${String(req.method).slice(0, 20)}`), { Allow: allow });
        } else status = await handler(req, res, url);
      }
    } catch (error) {
      log(`error: ${req.method} ${url.pathname.slice(0, 200)}: ${error instanceof Error ? error.message : String(error)}`);
      status = 500;
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
      else res.destroy();
    }
    metrics.request(routeName(url.pathname), status);
    // A request whose body nobody read must not hold its connection open.
    if (!req.complete) req.resume();
  }

  function refuse(res: ServerResponse, error: CollectorError, headers: Record<string, string>) {
    metrics.rejected(error.code);
    sendError(res, error, headers);
    return error.status;
  }
  function unauthorized(res: ServerResponse) {
    return refuse(res, new CollectorError('UNAUTHORIZED', 401, 'Expected Authorization: Bearer <token>'), { 'WWW-Authenticate': 'Bearer' });
  }

  const headersTimeout = options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs;
  const server = createServer(
    {
      headersTimeout,
      // The whole request, head and body; readBody's own timer answers first with a coded 408.
      requestTimeout: headersTimeout + bodyTimeout + 1_000,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above on this period (default 30 s): slow clients go sooner.
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => void handle(req, res),
  );
  // What never became a request (a head too slow, too large or not HTTP) is answered and closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const code = error.code;
    const [status, reason, message] =
      code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', 'TIMEOUT', `Expected the request head within ${headersTimeout} ms`]
        : code === 'HPE_HEADER_OVERFLOW'
          ? ['431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'Expected request headers under 16 KB']
          : ['400 Bad Request', 'BAD_REQUEST', 'Expected a well-formed HTTP request'];
    metrics.rejected(reason);
    const body = JSON.stringify({ error: { code: reason, message } });
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const retention = startRetention(store, {
    retentionDays: options.retentionDays ?? DEFAULTS.retentionDays,
    aggregateRetentionDays: options.aggregateRetentionDays ?? DEFAULTS.aggregateRetentionDays,
    now,
    onPrune: (r) => {
      metrics.pruned('reports', r.reports);
      metrics.pruned('aggregates', r.aggregates);
    },
    onError: (e) => log(`retention: ${e instanceof Error ? e.message : String(e)}`),
  });

  // Alarms open and resolve on their own, whether or not anyone is looking at them.
  const alarmOptions = { ...ALARM_DEFAULTS, minSample: options.minSample ?? DEFAULTS.minSample, ...options.alarms };
  const alarmTimer = setInterval(() => {
    evaluateAlarms(store, now(), alarmOptions, undefined, alarmFailed)
      .then((failed) => {
        for (const id of failingStores.keys()) if (!failed.includes(id)) failingStores.delete(id);
      })
      .catch((e: unknown) => log(`alarms: ${e instanceof Error ? e.message : String(e)}`));
  }, options.alarmIntervalMs ?? 60_000);
  alarmTimer.unref();

  let closed: Promise<void> | undefined;
  return {
    url,
    ingestUrl: `${url}/v1/reports`,
    dashboardUrl: `${url}/`,
    store,
    server,
    drain: () => writer.drain(),
    close() {
      closed ??= (async () => {
        retention.stop();
        clearInterval(alarmTimer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
        await writer.drain();
        await exporter?.shutdown().catch(() => undefined);
        if (ownsStore) await store.close();
      })();
      return closed;
    },
  };
}
