import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorError } from './errors.js';

/** Small helpers for the thin HTTP layer: JSON answers, coded errors, bounded body reads. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: CollectorError, headers: Record<string, string> = {}): void {
  const extra: Record<string, string> = { ...headers };
  if (error.retryAfter !== undefined) extra['Retry-After'] = String(error.retryAfter);
  sendJson(res, error.status, error.toJSON(), extra);
}

/**
 * Reads the body into memory, never more than `max` bytes and never longer than `timeoutMs`: a
 * larger body is refused as soon as it shows (Content-Length, or the running count), a slow one
 * when its time is up, so no client can hold memory or a connection hostage.
 */
export function readBody(req: IncomingMessage, max: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(new CollectorError('BODY_TOO_LARGE', 413, `Expected a body of at most ${max} bytes, got Content-Length ${declared}`));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: CollectorError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error) reject(error);
      else resolve(Buffer.concat(parts, size));
    };
    const timer = setTimeout(() => finish(new CollectorError('TIMEOUT', 408, `Expected the body within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return finish(new CollectorError('BODY_TOO_LARGE', 413, `Expected a body of at most ${max} bytes, got more`));
      parts.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new CollectorError('TIMEOUT', 408, 'The request body was cut off'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Answers, then closes the connection: what is left of a refused body is not worth reading. */
export function closeAfter(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.once('finish', () => {
    const socket = res.req.socket;
    // Let the answer leave first; a client still sending gets a reset rather than our memory.
    setTimeout(() => socket.destroy(), 50).unref();
  });
}
