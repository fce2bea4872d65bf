import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorError } from '../errors.js';
import { closeAfter, readBody, sendError, sendJson } from '../http-util.js';
import type { SelfMetrics } from '../metrics.js';
import type { Writer } from '../store/writer.js';
import type { Exporter } from '../export/exporter.js';
import { normalise } from './normalise.js';
import { decodeBody, parseReport } from './parse.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * `POST /v1/reports`: the ingest pipeline as named stages, each refusing with its own code —
 * origin (when `--allow-origin` lists some) → rate-limit → content type → bounded read → decode → parse and validate → normalise → durable
 * write → export. The answer is sent only after the write's commit.
 */
export interface IngestDeps {
  writer: Writer;
  limiter: RateLimiter;
  metrics: SelfMetrics;
  exporter: Exporter | undefined;
  cors: (req: IncomingMessage) => Record<string, string>;
  /** False for a request whose Origin header names a page origin `--allow-origin` does not list. */
  originAllowed: (req: IncomingMessage) => boolean;
  clientKey: (req: IncomingMessage) => string;
  countryHeader: string | undefined;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  maxPending: number;
  now: () => number;
}

const ACCEPTED_TYPES = /^(text\/plain|application\/json)\s*(;|$)/i;

export function createIngest(deps: IngestDeps) {
  return async function ingest(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const cors = deps.cors(req);
    const refuse = (error: CollectorError, close = false) => {
      deps.metrics.rejected(error.code);
      if (close) closeAfter(res);
      sendError(res, error, cors);
      return error.status;
    };

    if (!deps.originAllowed(req)) {
      const origin = String(req.headers.origin).slice(0, 100);
      return refuse(new CollectorError('ORIGIN_NOT_ALLOWED', 403, `Expected a report from a page origin --allow-origin lists, got Origin ${JSON.stringify(origin)}`), true);
    }
    const wait = deps.limiter.take(deps.clientKey(req));
    if (wait > 0) return refuse(new CollectorError('RATE_LIMITED', 429, `Too many reports from this client; retry after ${wait} s`, undefined, wait), true);

    const type = req.headers['content-type'] ?? '';
    if (!ACCEPTED_TYPES.test(type)) {
      return refuse(
        new CollectorError('UNSUPPORTED_MEDIA_TYPE', 415, `Expected Content-Type text/plain or application/json, got ${type ? JSON.stringify(type.slice(0, 100)) : 'none'}`),
        true,
      );
    }
    if (deps.writer.depth >= deps.maxPending) {
      return refuse(new CollectorError('BUSY', 503, 'The collector is behind on writes; retry shortly', undefined, 5), true);
    }

    let record: ReturnType<typeof normalise>;
    try {
      const bytes = await readBody(req, deps.maxBodyBytes, deps.bodyTimeoutMs);
      deps.metrics.received(bytes.length);
      const { report, dropped } = parseReport(decodeBody(bytes));
      for (const reason of dropped) deps.metrics.droppedValue(reason);
      record = normalise(report, {
        userAgent: header(req, 'user-agent'),
        country: deps.countryHeader ? header(req, deps.countryHeader) : undefined,
        receivedAt: deps.now(),
      });
    } catch (error) {
      if (error instanceof CollectorError) return refuse(error, error.status === 413 || error.status === 408);
      throw error;
    }

    let fresh: boolean;
    try {
      fresh = await deps.writer.submit(record);
    } catch {
      return refuse(new CollectorError('STORE_UNAVAILABLE', 503, 'The report could not be stored; retry later', undefined, 5));
    }
    deps.metrics.stored(fresh);
    if (fresh && deps.exporter) deps.exporter.push(record);
    sendJson(res, 200, { ok: true, duplicate: !fresh }, cors);
    return 200;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
