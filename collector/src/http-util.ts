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

/** How long a refused request's remaining bytes are read and thrown away before the socket closes. */
export const LINGER_MS = 2_000;

/**
 * Answers, then closes the connection after a bounded lingering close (as nginx does): what is
 * left of a refused body is read and discarded for up to `LINGER_MS`, never buffered. Closing at
 * once with unread bytes makes the kernel send a reset, and a reset makes the client's kernel drop
 * the 413 it had not read yet, so the client sees EPIPE instead of the coded answer.
 */
export function closeAfter(res: ServerResponse, lingerMs = LINGER_MS): void {
  res.shouldKeepAlive = false;
  const req = res.req;
  const socket = req.socket;
  // Node's server calls destroySoon() once a `Connection: close` answer is written, which
  // destroys the socket the moment its FIN is out: the reset described above. Half-close instead,
  // keep reading (the server dumps the rest of the request) and destroy when the client closes
  // its side or the linger time is up, whichever comes first.
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
  res.once('finish', () => req.resume());
}
