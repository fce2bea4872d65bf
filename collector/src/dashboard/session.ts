import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { CollectorError } from '../errors.js';
import { readBody } from '../http-util.js';
import { loginPage } from './login-page.js';
import { safeNext } from './query.js';
import { redirect, sendCoded, sendHtml } from './respond.js';

/**
 * Sign-in and sign-out: the token posted from the login form becomes an HttpOnly, SameSite=Strict
 * cookie (`vitrine_token`, which the server's `authorized()` accepts), `Secure` when the request
 * came over https. A POST from another origin is refused, so no other site can sign a browser
 * in or out.
 */
export const COOKIE = 'vitrine_token';
const MAX_FORM_BYTES = 4 * 1024;
const FORM_TIMEOUT_MS = 10_000;

const digest = (s: string) => createHash('sha256').update(s).digest();
export const sameToken = (candidate: string, token: string) => timingSafeEqual(digest(candidate), digest(token));

/** https as the browser saw it: TLS here, or a proxy in front saying so. */
export function overHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase() === 'https';
}

export function cookieFor(req: IncomingMessage, value: string, clear = false): string {
  const parts = [`${COOKIE}=${clear ? '' : encodeURIComponent(value)}`, 'HttpOnly', 'SameSite=Strict', 'Path=/'];
  if (clear) parts.push('Max-Age=0');
  if (overHttps(req)) parts.push('Secure');
  return parts.join('; ');
}

/**
 * A form POST must come from this origin when the browser says where it came from. Fetch Metadata
 * first: our own `Referrer-Policy: no-referrer` makes Chromium send `Origin: null` on the form's
 * POST, so Origin is only the fallback for browsers without `Sec-Fetch-Site`.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new CollectorError('UNSUPPORTED_MEDIA_TYPE', 415, `Expected application/x-www-form-urlencoded, got ${JSON.stringify(type.slice(0, 60) || '(none)')}`);
  }
  const body = await readBody(req, MAX_FORM_BYTES, FORM_TIMEOUT_MS);
  return new URLSearchParams(Buffer.from(body).toString('utf8'));
}

export function createSession(token: string | undefined) {
  async function login(req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (!sameOrigin(req)) return sendCoded(res, new CollectorError('UNAUTHORIZED', 403, 'Expected the sign-in form of this dashboard, got a post from another origin'));
    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error) {
      if (error instanceof CollectorError) return sendCoded(res, error);
      throw error;
    }
    const next = safeNext(form.get('next') ?? '');
    if (token === undefined) return redirect(res, next);
    const candidate = form.get('token') ?? '';
    if (!candidate || !sameToken(candidate, token)) {
      return sendHtml(res, 401, loginPage({ error: candidate ? 'That token is not the one this collector was started with.' : 'Enter the token.', next: next.slice(1) }));
    }
    return redirect(res, next, { 'Set-Cookie': cookieFor(req, candidate) });
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (!sameOrigin(req)) return sendCoded(res, new CollectorError('UNAUTHORIZED', 403, 'Expected the sign-out button of this dashboard, got a post from another origin'));
    // Nothing in the body matters; it is not read.
    return redirect(res, '/', { 'Set-Cookie': cookieFor(req, '', true) });
  }

  return { login, logout };
}
