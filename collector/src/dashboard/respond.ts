import type { ServerResponse } from 'node:http';
import type { CollectorError } from '../errors.js';
import { sendError } from '../http-util.js';
import type { Html } from './html.js';

/**
 * Headers on every dashboard answer: a CSP that allows no inline script or style at all (only
 * same-origin files) and no framing, no sniffing, no referrer leaving with a click, no caching of
 * pages that hold field data.
 */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export function sendHtml(res: ServerResponse, status: number, page: Html, headers: Record<string, string> = {}): number {
  const body = Buffer.from(page.text, 'utf8');
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), ...headers }).end(body);
  return status;
}

export function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): number {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(bytes.length), ...headers }).end(bytes);
  return status;
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): number {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: location, 'Content-Length': '0', ...headers }).end();
  return 303;
}

export function sendCoded(res: ServerResponse, error: CollectorError, headers: Record<string, string> = {}): number {
  sendError(res, error, { ...SECURITY_HEADERS, ...headers });
  return error.status;
}
