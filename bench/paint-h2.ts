/**
 * `npm run bench:paint -- --h2`: an HTTP/2 (TLS) front for the loopback backend, one port per host,
 * so Chromium multiplexes every request to a host on one connection, as it would with a CDN, instead
 * of the 6 HTTP/1.1 connections per host that queue a page's 20 images (or the incident's 96 API
 * requests) in waves. Not a server of its own: each stream is forwarded as is to the simulated
 * store's HTTP/1.1 server (demo/backend/serve.ts), and its answer streamed back.
 *
 * The certificate is self-signed for 127.0.0.1, made with the openssl CLI in a temporary folder;
 * Chromium trusts exactly that key through `--ignore-certificate-errors-spki-list` (no certificate
 * error state: the page is an ordinary secure origin). Loopback only.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface H2Front {
  /** The same keys as the backend's URLs, as https:// URLs of the front. */
  urls: Record<string, string>;
  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  spki: string;
  close(): Promise<void>;
}

/** Connection-level headers HTTP/2 forbids (RFC 9113 §8.2.2) and hop-by-hop ones not to forward. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'http2-settings', 'te']);

export async function startH2Front(targets: Record<string, string>, dir: string): Promise<H2Front> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(keyFile);
  const cert = readFileSync(certFile);
  const spki = createHash('sha256')
    .update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const servers: http2.Http2SecureServer[] = [];
  const urls: Record<string, string> = {};
  const sessions = new Set<http2.ServerHttp2Session>();

  for (const [name, target] of Object.entries(targets)) {
    const upstream = new URL(target);
    const server = http2.createSecureServer({ key, cert, allowHTTP1: false });
    server.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
    });
    server.on('stream', (stream, headers) => {
      const forwarded: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') && !HOP.has(k) && v !== undefined) forwarded[k] = v;
      const request = http.request(
        { agent, host: upstream.hostname, port: upstream.port, method: String(headers[':method'] ?? 'GET'), path: String(headers[':path'] ?? '/'), headers: forwarded },
        (response) => {
          const out: http2.OutgoingHttpHeaders = { ':status': response.statusCode ?? 502 };
          for (const [k, v] of Object.entries(response.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
          if (stream.destroyed) return response.destroy();
          stream.respond(out);
          response.pipe(stream);
          response.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
        },
      );
      // The backend's simulated network error (a dropped connection) becomes a reset stream.
      request.on('error', () => stream.destroyed || stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
      stream.on('close', () => request.destroy());
      stream.pipe(request);
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    urls[name] = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  return {
    urls,
    spki,
    close: async () => {
      for (const session of sessions) session.destroy();
      await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
      agent.destroy();
    },
  };
}
