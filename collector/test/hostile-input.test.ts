/**
 * Hostile input against a REAL collector process (`node collector/bin/vitrine-collector.js`, built
 * first): generated bodies (fast-check, fixed seeds) and a hand corpus. Every answer is a 200 for a
 * valid report or a coded 4xx (`{error:{code,message}}`, a code from src/errors.ts), never a 5xx and
 * never a reset on a small body; what is accepted is stored verbatim, what is refused leaves no
 * trace in the raw rows or the aggregates; the process stays up and its memory (VmRSS, VmHWM, read
 * from /proc) stays bounded. The timeout cases need a 500 ms body timeout the CLI has no flag for,
 * so they run against an in-process collector, as ingest.test.ts does.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config.js';
import { CollectorError } from '../src/errors.js';
import { normalise } from '../src/ingest/normalise.js';
import { decodeBody, parseReport } from '../src/ingest/parse.js';
import { createCollector, type Collector } from '../src/server.js';
import { MAX_BLANK_URLS, MAX_FIELD_CHARS, RELEASE_PATTERN, SDK_VERSION_PATTERN } from '../../src/vitals/limits.js';
import { CHROME_UA, makeReport, postgresBackend, sqliteBackend, viewId as freshViewId } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The codes a refusal may carry: read from errors.ts itself, so a new code needs no edit here. */
const CODES = new Set([...readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8').matchAll(/\|\s*'([A-Z_]+)'/g)].map((m) => m[1]!));
const MAX_BODY = DEFAULTS.maxBodyBytes;
const STORE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VIEW_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_PAGE_CHARS = 1024;
const MAX_VITAL_ID_CHARS = 100;
/** fast-check: one seed per lane, so a failure prints a seed and path that replay it. */
const SEED = 0x5eed_0f_c0;
const LANES = 8;
const MB = 1024 * 1024;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

// ---------------------------------------------------------------------------------------------
// The child process, its database (read-only from here) and the ledger of what it accepted.

let child: ChildProcess;
let childOut = '';
let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
let dir: string;
let dbPath: string;
let db: Database.Database;
let ingestUrl: URL;
let baseUrl: URL;
const rss: Record<string, { rssMb: number; hwmMb: number }> = {};

/** Every (storeId, viewId) the child answered 200 for, and how many 200s it sent. */
const accepted = new Set<string>();
let answered200 = 0;
const stats = { generated: 0, corpus: 0, chunkedBytesBefore413: 0 };

function memory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, hwmMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}
const sample = (label: string) => (rss[label] = memory(child.pid!));

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build', '-w', 'vitrine-collector'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'vitrine-hostile-'));
  dbPath = join(dir, 'field.db');
  child = spawn(process.execPath, ['collector/bin/vitrine-collector.js', '--port', '0', '--rate-limit', '0', '--db', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const keep = (d: Buffer) => (childOut = (childOut + d.toString()).slice(-20_000));
  child.stderr!.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${childOut}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      const m = /ingest:\s+(\S+)/.exec(childOut);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`collector exited at start: ${childOut}`)));
  });
  ingestUrl = new URL(url);
  baseUrl = new URL('/', ingestUrl);
  db = new Database(dbPath, { readonly: true, fileMustExist: true });
  // One report first, so the baseline is a warmed-up process (SQLite open, schema compiled).
  await sendReport(makeReport());
  sample('start');
}, 60_000);

afterAll(async () => {
  db?.close();
  if (child && !exited) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await once(child, 'exit').catch(() => undefined);
    clearTimeout(timer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with no agent (one connection per request, so no keep-alive race can pass for a
// reset), and raw sockets for what a well-behaved client cannot send.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

function send(url: URL, opts: { method?: string; body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'User-Agent': CHROME_UA, ...opts.headers };
    if (opts.body) headers['Content-Length'] = String(opts.body.length);
    const req = request(url, { method: opts.method ?? 'POST', agent: false, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(`${opts.method ?? 'POST'} ${url.pathname}: ${e.code ?? e.message} (a reset, not an answer)`)));
    req.end(opts.body);
  });
}

/** `contentType: null` sends none. */
const post = (body: Uint8Array, contentType: string | null = 'text/plain;charset=UTF-8') =>
  send(ingestUrl, { body, headers: contentType === null ? {} : { 'Content-Type': contentType } });

/** The coded refusal every non-200 must be, with the code the caller expects (when it says). */
function expectCoded(a: Answer, status?: number, code?: string) {
  expect(a.status, a.text).toBeGreaterThanOrEqual(400);
  expect(a.status, `never a 5xx: ${a.text}`).toBeLessThan(500);
  expect(String(a.headers['content-type'])).toMatch(/^application\/json/);
  const error = (a.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(error, a.text).toBeDefined();
  expect(CODES.has(String(error!.code)), `code ${String(error!.code)} is one of errors.ts`).toBe(true);
  expect(typeof error!.message).toBe('string');
  if (status !== undefined) expect(a.status, a.text).toBe(status);
  if (code !== undefined) expect(error!.code, a.text).toBe(code);
  return error as { code: string; message: string; field?: string };
}

/** Paths (a.b.0.c) of the strings holding U+0000. */
function nulFields(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => nulFields(v, path ? `${path}.${k}` : k));
}

/** A 200 must be a first store of a key never seen before (every case has a fresh viewId). */
function record200(a: Answer, bytes: Uint8Array): string {
  expect(a.status).toBe(200);
  const report = JSON.parse(new TextDecoder().decode(bytes)) as { storeId: string; viewId: string };
  const key = `${report.storeId}\u0000${report.viewId}`;
  expect(a.json).toEqual({ ok: true, duplicate: false });
  expect(accepted.has(key), `viewId ${report.viewId} was unique`).toBe(false);
  accepted.add(key);
  answered200++;
  return key;
}

async function sendReport(report: unknown, contentType?: string) {
  const bytes = utf8(JSON.stringify(report));
  const a = await post(bytes, contentType);
  if (a.status === 200) record200(a, bytes);
  return a;
}

interface Raw {
  socket: Socket;
  readonly text: string;
  readonly error: string | undefined;
  closed: Promise<void>;
  /** Resolves once a whole response head has arrived (or the socket closed), or after `ms`. */
  head(ms?: number): Promise<boolean>;
  /** Writes with back-pressure; false once the socket is gone. */
  write(chunk: string | Uint8Array): Promise<boolean>;
}

function openRaw(url: URL): Raw {
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  let error: string | undefined;
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
  return {
    socket,
    get text() {
      return text;
    },
    get error() {
      return error;
    },
    closed,
    async head(ms = 10_000) {
      const until = Date.now() + ms;
      while (!text.includes('\r\n\r\n') && !socket.destroyed && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      return text.includes('\r\n\r\n');
    },
    async write(chunk) {
      if (socket.destroyed || !socket.writable) return false;
      // once() rejects on 'error' (EPIPE once the server closed): that only means "gone".
      if (!socket.write(chunk)) await Promise.race([once(socket, 'drain').catch(() => undefined), closed]);
      return !socket.destroyed && socket.writable;
    },
  };
}

/** Sends `text` on a fresh connection and returns what came back before the server closed it. */
async function rawExchange(text: string | Uint8Array, ms = 5_000): Promise<{ text: string; error: string | undefined }> {
  const raw = openRaw(ingestUrl);
  await raw.write(text);
  await Promise.race([raw.closed, new Promise((r) => setTimeout(r, ms))]);
  raw.socket.destroy();
  return { text: raw.text, error: raw.error };
}

function parseRaw(text: string): { status: number; headers: string; body: unknown } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  let payload = rest.join('\r\n\r\n');
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    let out = '';
    for (let i = 0; ; ) {
      const eol = payload.indexOf('\r\n', i);
      const size = eol < 0 ? 0 : parseInt(payload.slice(i, eol), 16);
      if (!size) break;
      out += payload.slice(eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    payload = out;
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'latin1').toString('utf8'));
  } catch {
    body = undefined;
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN), headers: head, body };
}

async function expectAlive() {
  expect(exited, `the collector exited: ${childOut}`).toBeUndefined();
  const h = await send(new URL('/healthz', baseUrl), { method: 'GET' });
  expect(h.status).toBe(200);
  expect(h.json).toMatchObject({ ok: true });
}

// ---------------------------------------------------------------------------------------------
// The oracle: what the collector's own pipeline (size cap, decode, parse and validate, normalise)
// says of a body, computed here in-process. The process must answer the same, and never a 5xx.

function oracle(bytes: Uint8Array): { status: number; code: string | undefined } {
  if (bytes.length > MAX_BODY) return { status: 413, code: 'BODY_TOO_LARGE' };
  try {
    const { report } = parseReport(decodeBody(bytes));
    normalise(report, { userAgent: CHROME_UA, country: undefined, receivedAt: Date.now() });
    return { status: 200, code: undefined };
  } catch (error) {
    if (error instanceof CollectorError) return { status: error.status, code: error.code };
    return { status: 500, code: `uncaught ${String(error)}` };
  }
}

async function sendGenerated(bytes: Uint8Array, contentType = 'text/plain;charset=UTF-8') {
  stats.generated++;
  const a = await post(bytes, contentType);
  const want = oracle(bytes);
  if (a.status === 200) record200(a, bytes);
  else expectCoded(a);
  expect({ status: a.status, code: (a.json as { error?: { code?: string } })?.error?.code }, `the pipeline says ${JSON.stringify(want)}`).toEqual(want);
  return a;
}

/** fc.assert in LANES concurrent lanes (seed SEED + salt + lane), numRuns split between them. */
async function assertLanes<T>(salt: number, numRuns: number, arb: fc.Arbitrary<T>, predicate: (t: T) => Promise<void>) {
  const per = Math.ceil(numRuns / LANES);
  const results = await Promise.allSettled(Array.from({ length: LANES }, (_, lane) => fc.assert(fc.asyncProperty(arb, predicate), { seed: SEED + salt + lane, numRuns: per })));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return per * LANES;
}

// ---------------------------------------------------------------------------------------------
// Hostile material.

const SQL = [
  `'; DROP TABLE reports; --`,
  `' OR '1'='1`,
  `" OR 1=1 --`,
  `1; DELETE FROM view_counts WHERE 1=1`,
  `Robert'); DROP TABLE reports;--`,
  `' UNION SELECT body FROM reports --`,
  `') ON CONFLICT DO NOTHING; --`,
  `%' ESCAPE '\\`,
  `$1 ?1 ?? :name @p`,
  `'; SELECT pg_sleep(10); --`,
  `'||(SELECT sqlite_version())||'`,
  `'; ATTACH DATABASE '/tmp/x.db' AS x; --`,
  `/* */ \\x00 E'\\\\' $$dollar$$`,
];
const HTML = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `<svg/onload=alert(document.cookie)>`,
  `javascript:alert(1)`,
  `</title></textarea><script>`,
  `<!-- --> <![CDATA[x]]>`,
  `&lt;&amp;&#x3c;&#60;`,
  `{{constructor.constructor('alert(1)')()}}`,
  '${7*7} #{7*7} <%= 7*7 %>',
  `<iframe srcdoc="<script>parent.x()</script>">`,
  `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`,
];
const ODD = ['\u0000', '\u2028\u2029', '\u202e', '\ufeff', '😀', 'e\u0301', '\ud800', '\udfff', '\udc00\ud800', '𝕏', '\u0085', '\\', '"', '\r\n\t', '\u001b[31m'];

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
/** A string any JSON string can carry: lone surrogates, NUL, control characters included. */
const anyString = (maxLength: number) => fc.oneof(fc.string({ unit: codeUnit, maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));
const hostile = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SQL, ...HTML) }, fc.constantFrom(...ODD), anyString(20)), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));
const capped = (max: number) => hostile.map((s) => s.slice(0, max));
/** SQL-looking but inside the regex the schema gives storeId, viewId and release. */
const regexSafe = fc
  .array(fc.constantFrom('--', '_OR_1', '-DROP_TABLE_reports', '_SELECT-', '0x00', 'script', 'onerror-1', '_'), { minLength: 1, maxLength: 6 })
  .map((p) => p.join(''));
const sdkSafe = fc.array(fc.constantFrom('DROP.TABLE', '--', 'OR.1-1', 'script', '.', 'x'), { minLength: 1, maxLength: 4 }).map((p) => `1.0.0-${p.join('')}`.slice(0, 32));

const DEEP_ARRAYS = '@@deep-arrays@@';
const DEEP_OBJECTS = '@@deep-objects@@';
const RAW_NUMBERS: Record<string, string> = { '@@1e400@@': '1e400', '@@-1e400@@': '-1e400', '@@400-digits@@': `1${'0'.repeat(400)}`, '@@tiny@@': '1e-400', '@@-0@@': '-0.0' };
/** JSON.stringify, then the sentinels replaced by what JSON.stringify cannot write. */
function toText(value: unknown): string {
  let text = JSON.stringify(value);
  text = text.replaceAll(JSON.stringify(DEEP_ARRAYS), `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  text = text.replaceAll(JSON.stringify(DEEP_OBJECTS), `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
  for (const [sentinel, raw] of Object.entries(RAW_NUMBERS)) text = text.replaceAll(JSON.stringify(sentinel), raw);
  return text;
}

const HUGE = [1e308, -1e308, 2 ** 53 + 1, 2 ** 53 - 1, -(2 ** 53 + 1), 8.64e15, 8.64e15 + 1, Number.MIN_VALUE, -1, 0.5, -0, 1e21];
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, '', [], {}, [1, 2, 3], { a: 1 }, '1200', 'LCP', ...HUGE),
  fc.constantFrom(DEEP_ARRAYS, DEEP_OBJECTS, ...Object.keys(RAW_NUMBERS)),
  fc.constantFrom(65, 301, 1025, 5_000, 20_000, 70_000).map((n) => 'x'.repeat(n)),
  fc.constantFrom(...ODD),
  anyString(40),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);
const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'toString', 'hasOwnProperty', 'x'.repeat(1000), '\ud800', '<script>', `'; DROP TABLE reports; --`),
  fc.string(),
);

const OPTIONAL_KEYS = new Set(['queued', 'attribution', 'target', 'url', 'script', 'inVitrine', 'fromOrigin', 'release']);

/** Every path in the value (objects' keys and arrays' indices), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== 'object') return [];
  const out: (string | number)[][] = [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}
const objectsOf = (value: unknown) =>
  [[], ...pathsOf(value)].filter((p) => {
    const v = at(value, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function baseReport(shape: { v2: boolean; queued: boolean | null; attribution: boolean; blank: boolean }) {
  const r = makeReport() as unknown as Record<string, unknown>;
  if (shape.v2) Object.assign(r, { v: 2, sdk: '1.4.0', release: 'shop-2026.12.01' });
  if (shape.queued !== null) r['queued'] = shape.queued;
  const vitals = r['vitals'] as Record<string, unknown>[];
  if (shape.attribution) vitals[0]!['attribution'] = { target: 'main > img.hero', url: 'https://cdn.example/hero.avif', inVitrine: true, fromOrigin: false };
  if (shape.blank) (r['health'] as Record<string, unknown>)['blankUrls'] = ['https://cdn.example/a.avif'];
  return r;
}
const shape = fc.record({ v2: fc.boolean(), queued: fc.option(fc.boolean()), attribution: fc.boolean(), blank: fc.boolean() });

type Mutation =
  | { kind: 'remove'; pick: number }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'extra'; pick: number; key: string; value: unknown }
  | { kind: 'clock'; queued: boolean; time: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: badValue }) },
  fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: extraKey, value: badValue }),
  fc.record({
    kind: fc.constant('clock' as const),
    queued: fc.boolean(),
    time: fc.constantFrom(0, -1, 1.5, 1e308, 8.64e15, 8.64e15 + 1, 2 ** 53 - 1, 2 ** 53 + 1, Date.now() - 6 * 86_400_000, Date.now() - 8 * 86_400_000, Date.now() + 86_400_000),
  }),
);

/** Applies the mutations; says whether the result must be refused whatever the values are. */
function mutate(report: Record<string, unknown>, mutations: readonly Mutation[]): boolean {
  let mustFail = false;
  for (const m of mutations) {
    if (m.kind === 'clock') {
      report['queued'] = m.queued;
      report['time'] = m.time;
      continue;
    }
    if (m.kind === 'extra') {
      const objects = objectsOf(report);
      const target = at(report, objects[m.pick % objects.length]!) as Record<string, unknown>;
      if (!Object.hasOwn(target, m.key)) mustFail = true; // every object in a report is strict
      // defineProperty: a plain assignment to "__proto__" would set the prototype, not a key.
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const paths = pathsOf(report);
    if (!paths.length) continue;
    const path = paths[m.pick % paths.length]!;
    const parent = at(report, path.slice(0, -1)) as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (m.kind === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else {
        delete parent[key];
        if (!OPTIONAL_KEYS.has(String(key))) mustFail = true;
      }
    } else {
      let value = m.value;
      // The ledger needs every accepted viewId unique: a replacement viewId is never a valid one.
      if (path.length === 1 && key === 'viewId' && typeof value === 'string' && VIEW_ID.test(value)) value = `${value}!`;
      parent[key] = value;
    }
  }
  return mustFail;
}

// ---------------------------------------------------------------------------------------------

describe('hostile input against a collector process', () => {
  it('generated: bodies that are not JSON (random strings and bytes, cut or spliced reports, JSON that is not a report)', async () => {
    const contentType = fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'application/json', 'application/json; charset=latin1', 'TEXT/PLAIN');
    const body = fc.oneof(
      anyString(400).map((s) => ({ kind: 'string', make: () => utf8(s) })),
      fc.uint8Array({ maxLength: 2_000 }).map((b) => ({ kind: 'bytes', make: () => b })),
      fc.nat().map((cut) => ({
        kind: 'cut report',
        make: () => {
          const t = JSON.stringify(makeReport());
          return utf8(t.slice(0, cut % t.length));
        },
      })),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at_, bytes]) => ({
        kind: 'spliced report',
        make: () => {
          const t = utf8(JSON.stringify(makeReport()));
          const i = at_ % t.length;
          return new Uint8Array([...t.subarray(0, i), ...bytes, ...t.subarray(i)]);
        },
      })),
      fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'json', make: () => utf8(JSON.stringify(v) ?? 'null') })),
      fc.tuple(fc.json(), anyString(10)).map(([j, tail]) => ({ kind: 'json + tail', make: () => utf8(j + tail) })),
    );
    const runs = await assertLanes(0, 320, fc.tuple(body, contentType), async ([b, type]) => {
      const bytes = b.make();
      const a = await sendGenerated(bytes, type);
      // Only a spliced report can still be one (a space between two tokens, say).
      if (b.kind !== 'spliced report') expect(a.status).not.toBe(200);
    });
    expect(runs).toBeGreaterThanOrEqual(320);
  });

  it('generated: valid reports mutated (fields removed, wrong types, extra keys, huge numbers, 10,000-deep nesting, long strings, unicode, lone surrogates)', async () => {
    await assertLanes(100, 480, fc.tuple(shape, fc.array(mutation, { minLength: 1, maxLength: 3 })), async ([s, mutations]) => {
      const report = baseReport(s);
      const mustFail = mutate(report, mutations);
      const a = await sendGenerated(utf8(toText(report)));
      if (mustFail) expect(a.status, 'a removed required key or an unknown key is refused').not.toBe(200);
    });
  });

  it('generated: SQL and HTML in every string field; where the schema admits them they are stored verbatim, where it does not the field is named', async () => {
    const names = ['LCP', 'CLS', 'INP', 'FCP', 'TTFB'] as const;
    const restricted = fc.constantFrom('storeId', 'viewId', 'navigationType', 'sdk', 'release', 'vitals.0.name', 'vitals.0.rating', 'vitals.0.navigationType');
    const arb = fc.record({
      v2: fc.boolean(),
      page: capped(MAX_PAGE_CHARS),
      storeId: regexSafe.map((s) => s.slice(0, 64)),
      viewTail: regexSafe,
      sdk: sdkSafe,
      release: regexSafe.map((s) => s.slice(0, 64)),
      vitals: fc.array(
        fc.record({ id: capped(MAX_VITAL_ID_CHARS), target: capped(MAX_FIELD_CHARS), url: capped(MAX_FIELD_CHARS), script: capped(MAX_FIELD_CHARS), flags: fc.boolean() }),
        { minLength: 1, maxLength: 5 },
      ),
      // Hostile text inside an https URL (kept verbatim) and on its own (not a URL: dropped at ingest).
      blankUrls: fc.array(
        fc.oneof(
          capped(MAX_FIELD_CHARS),
          hostile.map((h) => `https://cdn.example/${h}`.slice(0, MAX_FIELD_CHARS)),
        ),
        { minLength: 1, maxLength: 6 },
      ),
      bad: fc.option(fc.record({ field: restricted, payload: fc.constantFrom(...SQL, ...HTML) }), { freq: 3 }),
    });
    await assertLanes(200, 400, arb, async (c) => {
      const fresh = freshViewId();
      const report = makeReport({
        storeId: c.storeId,
        viewId: `${fresh}${c.viewTail}`.slice(0, 64),
        page: c.page,
        vitals: c.vitals.map((v, i) => ({
          name: names[i]!,
          value: i === 1 ? 0.05 : 100 * (i + 1),
          delta: 1,
          id: v.id,
          rating: 'good',
          navigationType: 'navigate',
          attribution: { target: v.target, url: v.url, script: v.script, ...(v.flags && { inVitrine: true, fromOrigin: false }) },
        })),
        health: { blankUrls: c.blankUrls.slice(0, MAX_BLANK_URLS), blankUrlsOmitted: 0 },
      }) as unknown as Record<string, unknown>;
      if (c.v2) Object.assign(report, { v: 2, sdk: c.sdk, release: c.release });
      let refusedField: string | undefined;
      if (c.bad && (c.v2 || (c.bad.field !== 'sdk' && c.bad.field !== 'release'))) {
        const path = c.bad.field.split('.');
        (
          at(
            report,
            path.slice(0, -1).map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
          ) as Record<string, unknown>
        )[path[path.length - 1]!] = c.bad.payload;
        refusedField = c.bad.field;
      }
      // The regex-bound fields were built to fit their regex; this says they did.
      expect(STORE_ID.test(String(report['storeId'])) || refusedField === 'storeId').toBe(true);
      expect(VIEW_ID.test(String(report['viewId'])) || refusedField === 'viewId').toBe(true);
      if (c.v2)
        expect((SDK_VERSION_PATTERN.test(String(report['sdk'])) && RELEASE_PATTERN.test(String(report['release']))) || refusedField === 'sdk' || refusedField === 'release').toBe(
          true,
        );

      const bytes = utf8(JSON.stringify(report));
      const a = await sendGenerated(bytes);
      // U+0000 is refused in every string (PostgreSQL cannot store it), naming a field that holds one.
      const withNul = nulFields(report);
      if (!refusedField && withNul.length) {
        expect(withNul).toContain(expectCoded(a, 400, 'INVALID_REPORT').field);
        expect(db.prepare('SELECT COUNT(*) AS n FROM reports WHERE view_id = ?').get(report['viewId']) as { n: number }).toEqual({ n: 0 });
        return;
      }
      if (refusedField) {
        expect(expectCoded(a, 400, 'INVALID_REPORT').field).toBe(refusedField);
        expect(db.prepare('SELECT COUNT(*) AS n FROM reports WHERE view_id = ?').get(report['viewId']) as { n: number }).toEqual({ n: 0 });
        return;
      }
      expect(a.status, a.text).toBe(200);
      const row = db.prepare('SELECT body, page, sdk, release FROM reports WHERE store_id = ? AND view_id = ?').get(report['storeId'], report['viewId']) as
        | { body: string; page: string; sdk: string; release: string }
        | undefined;
      expect(row, 'the accepted report is in the reports table').toBeDefined();
      const stored = JSON.parse(row!.body) as Record<string, unknown>;
      const strings = (r: Record<string, unknown>) => ({
        storeId: r['storeId'],
        viewId: r['viewId'],
        page: r['page'],
        sdk: r['sdk'],
        release: r['release'],
        vitals: (r['vitals'] as { id: string; attribution: unknown }[]).map((v) => ({ id: v.id, attribution: v.attribution })),
        blankUrls: (r['health'] as { blankUrls: string[] }).blankUrls,
      });
      const absoluteHttp = (u: string) => /^https?:\/\/[^/?#\s]/i.test(u) && URL.canParse(u);
      expect(strings(stored)).toEqual({ ...strings(report), blankUrls: strings(report).blankUrls.filter(absoluteHttp) });
      // The dimension columns too, where the string is well-formed UTF-16 (a lone surrogate has no UTF-8 spelling).
      if (!LONE_SURROGATE.test(c.page)) expect(row!.page).toBe(c.page);
      expect(row!.sdk).toBe(c.v2 ? c.sdk : 'unknown');
      expect(row!.release).toBe(c.v2 ? c.release : '');
    });
  });

  describe('a hand corpus', () => {
    const report = () => makeReport();
    const bytesOf = (r: unknown) => utf8(JSON.stringify(r));

    it('empty body, null, [], "str", {}, a bare number, a report of v: 99', async () => {
      stats.corpus += 7;
      expectCoded(await post(new Uint8Array()), 400, 'INVALID_JSON');
      expectCoded(await post(utf8('null')), 400, 'INVALID_REPORT');
      expectCoded(await post(utf8('[]')), 400, 'INVALID_REPORT');
      expectCoded(await post(utf8('"str"')), 400, 'INVALID_REPORT');
      expect(expectCoded(await post(utf8('{}')), 400, 'INVALID_REPORT').field).toBe('v');
      expectCoded(await post(utf8('1e400')), 400, 'INVALID_REPORT');
      expect(expectCoded(await post(bytesOf({ ...report(), v: 99 })), 400, 'INVALID_REPORT').field).toBe('v');
    });

    it('a queued report whose time is past what a Date can hold (8.64e15 + 1, 2^53 - 1) is refused as REPORT_IN_FUTURE, not a 500', async () => {
      stats.corpus += 3;
      // A queued report's time is an int ≥ 0 (a safe integer); normalise formats it with toISOString, which throws past 8.64e15.
      expectCoded(await post(bytesOf({ ...report(), queued: true, time: 8.64e15 })), 400, 'REPORT_IN_FUTURE');
      expectCoded(await post(bytesOf({ ...report(), queued: true, time: 8.64e15 + 1 })), 400, 'REPORT_IN_FUTURE');
      expectCoded(await post(bytesOf({ ...report(), queued: true, time: Number.MAX_SAFE_INTEGER })), 400, 'REPORT_IN_FUTURE');
    });

    it('a report of exactly 64 KB is stored; 64 KB + 1 byte is 413', async () => {
      stats.corpus += 2;
      const r = report();
      const text = JSON.stringify(r);
      // JSON allows whitespace after the value: the same report, padded to the byte.
      const exact = utf8(text + ' '.repeat(MAX_BODY - Buffer.byteLength(text)));
      expect(exact.length).toBe(64 * 1024);
      record200(await post(exact), exact);
      const over = utf8(JSON.stringify(report()) + ' '.repeat(MAX_BODY + 1 - Buffer.byteLength(text)));
      expect(over.length).toBe(64 * 1024 + 1);
      expectCoded(await post(over), 413, 'BODY_TOO_LARGE');
    });

    it('invalid UTF-8 is INVALID_ENCODING; a UTF-8 BOM is dropped by the decoder (a report after it is stored), a second one is not JSON', async () => {
      const text = JSON.stringify(report());
      const inPage = (bytes: number[]) => {
        const [a, b] = text.split('/index.html');
        return new Uint8Array([...utf8(a!), ...bytes, ...utf8(b!)]);
      };
      const invalid = [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
      for (const bytes of invalid) expectCoded(await post(inPage(bytes)), 400, 'INVALID_ENCODING');
      expectCoded(await post(new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')])), 400, 'INVALID_ENCODING');
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(JSON.stringify(report()))]);
      const withBom = await post(bom);
      expect(withBom.status, withBom.text).toBe(200);
      record200(withBom, bom.subarray(3));
      expectCoded(await post(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...utf8(JSON.stringify(report()))])), 400, 'INVALID_JSON');
      stats.corpus += invalid.length + 3;
    });

    it('Content-Type: missing and multipart are 415; any parameter is accepted (charset=latin1 too) and the body is read as UTF-8 whatever it says', async () => {
      expectCoded(await post(bytesOf(report()), null), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectCoded(await post(bytesOf(report()), 'multipart/form-data; boundary=x'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectCoded(await post(bytesOf(report()), 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectCoded(await post(bytesOf(report()), 'application/jsonp'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectCoded(await post(bytesOf(report()), 'application/json-patch+json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await sendReport(report(), 'application/json; charset=latin1')).status).toBe(200);
      expect((await sendReport(report(), 'TEXT/PLAIN; charset=utf-16')).status).toBe(200);
      // The same report with its page in Latin-1 (é = 0xE9): the charset parameter is not honoured, so not UTF-8.
      const [a, b] = JSON.stringify(report()).split('/index.html');
      expectCoded(await post(new Uint8Array([...utf8(`${a!}/caf`), 0xe9, ...utf8(b!)]), 'application/json; charset=latin1'), 400, 'INVALID_ENCODING');
      // UTF-16 as announced: its bytes are valid UTF-8 (NULs between the ASCII), which is not JSON.
      expectCoded(await post(new Uint8Array(Buffer.from(JSON.stringify(report()), 'utf16le')), 'text/plain; charset=utf-16le'), 400, 'INVALID_JSON');
      stats.corpus += 9;
    });

    it('wrong methods on /v1/reports are 405 with Allow: POST; wrong paths are 404', async () => {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const a = await send(ingestUrl, { method, body: bytesOf(report()), headers: { 'Content-Type': 'text/plain' } });
        expectCoded(a, 405, 'METHOD_NOT_ALLOWED');
        expect(a.headers['allow']).toBe('POST');
      }
      const head = await send(ingestUrl, { method: 'HEAD' });
      expect(head.status).toBe(405);
      expect(head.headers['allow']).toBe('POST');
      // Paths no route module claims ('/' and the field answers' paths are routes of their own).
      const paths = [
        '/v1/report',
        '/v1/reports/',
        '/V1/REPORTS',
        '/v1/reports%00',
        '/v1/reports;x',
        '/%2e%2e/%2e%2e/etc/passwd',
        `/${'a'.repeat(8_000)}`,
        '/v1/reports/../../healthz/x',
      ];
      for (const path of paths) {
        const a = await send(new URL(path, baseUrl), { body: bytesOf(report()), headers: { 'Content-Type': 'text/plain' } });
        const error = expectCoded(a, 404, 'NOT_FOUND');
        expect(error.message.length).toBeLessThan(300);
      }
      stats.corpus += 5 + paths.length;
    });

    it('HTTP smuggling-ish and malformed heads are 400 and the connection closed; a head over 16 KB is 431; the process stays up', async () => {
      const body = JSON.stringify(report());
      const len = Buffer.byteLength(body);
      const H = `POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n`;
      const chunked = `${len.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      const cases: Record<string, string> = {
        'Content-Length and Transfer-Encoding': `${H}Content-Length: ${len}\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`,
        'Transfer-Encoding and Content-Length': `${H}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${chunked}`,
        'CL.TE with a smuggled request': `${H}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nPOST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${len}\r\n\r\n${body}`,
        'two Content-Lengths': `${H}Content-Length: ${len}\r\nContent-Length: ${len + 1}\r\n\r\n${body} `,
        'a Content-Length list': `${H}Content-Length: ${len}, ${len}\r\n\r\n${body}`,
        'Transfer-Encoding: identity': `${H}Transfer-Encoding: identity\r\n\r\n${body}`,
        'Transfer-Encoding: chunked, identity': `${H}Transfer-Encoding: chunked, identity\r\n\r\n${chunked}`,
        'two Transfer-Encodings': `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n${chunked}`,
        'a space before the colon': `${H}Transfer-Encoding : chunked\r\n\r\n${chunked}`,
        'an obs-folded Transfer-Encoding': `${H}Transfer-Encoding:\r\n chunked\r\n\r\n${chunked}`,
        'a chunk size past 64 bits': `${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n${body}\r\n0\r\n\r\n`,
        'Content-Length: -1': `${H}Content-Length: -1\r\n\r\n${body}`,
        'Content-Length: 0x10': `${H}Content-Length: 0x10\r\n\r\n${body}`,
        'bare LF line ends': `POST /v1/reports HTTP/1.1\nHost: x\nContent-Type: text/plain\nContent-Length: ${len}\n\n${body}`,
        'not HTTP at all': '\u0000\u0001\u0002\u00ff\r\n\r\n',
      };
      for (const [name, text] of Object.entries(cases)) {
        const got = await rawExchange(Buffer.from(text, 'latin1'));
        expect(parseRaw(got.text).status, `${name}: ${JSON.stringify(got.text.slice(0, 200))}`).toBe(400);
        expect(got.text.match(/HTTP\/1\.1/g)?.length, `${name}: one answer, nothing smuggled through`).toBe(1);
      }
      const big = await rawExchange(`${H}X-Big: ${'a'.repeat(20_000)}\r\nContent-Length: ${len}\r\n\r\n${body}`);
      expect(parseRaw(big.text).status).toBe(431);
      stats.corpus += Object.keys(cases).length + 1;
      await expectAlive();
    });

    it('every one of those left the process up', expectAlive);
  });

  it('10 MB with Content-Length is 413 before a byte of body is read; 10 MB chunked is 413 once past 64 KB; memory stays bounded', async () => {
    sample('before 10 MB');
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    for (let round = 0; round < 3; round++) {
      // Content-Length: the head alone is answered.
      const withLength = openRaw(ingestUrl);
      await withLength.write(`POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${10 * MB}\r\n\r\n`);
      expect(await withLength.head(10_000), 'answered on the head, before any body').toBe(true);
      // Then the body anyway, as a hostile client would: the server must not buffer it.
      for (let sent = 0; sent < 10 * MB && (await withLength.write(chunk)); sent += chunk.length);
      await Promise.race([withLength.closed, new Promise((r) => setTimeout(r, 5_000))]);
      withLength.socket.destroy();
      const a = parseRaw(withLength.text);
      expect(a.status, `round ${round}: ${JSON.stringify(withLength.text.slice(0, 300))} ${withLength.error}`).toBe(413);
      expect(a.body).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });

      // Chunked, no Content-Length: refused on the running count.
      const chunkedRaw = openRaw(ingestUrl);
      await chunkedRaw.write(`POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      let sent = 0;
      while (sent < 10 * MB && !chunkedRaw.text.includes('\r\n\r\n')) {
        if (!(await chunkedRaw.write(frame))) break;
        sent += chunk.length;
        // Read between writes, as a client that wants the answer does; the server reads and drops
        // the rest for a bounded time after its 413 (closeAfter's lingering close), then closes.
        await new Promise((r) => setImmediate(r));
      }
      if (!chunkedRaw.socket.destroyed) await chunkedRaw.write('0\r\n\r\n');
      await Promise.race([chunkedRaw.closed, new Promise((r) => setTimeout(r, 5_000))]);
      chunkedRaw.socket.destroy();
      const b = parseRaw(chunkedRaw.text);
      expect(b.status, `round ${round}, ${sent} bytes sent, ${chunkedRaw.error}: ${JSON.stringify(chunkedRaw.text.slice(0, 200))}`).toBe(413);
      expect(b.body).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
      expect(sent, 'the answer came long before the 10 MB were sent').toBeLessThan(10 * MB);
      stats.chunkedBytesBefore413 = Math.max(stats.chunkedBytesBefore413, sent);
    }
    stats.corpus += 6;
    sample('after 10 MB');
    await expectAlive();
  });

  it('a client that sends 4 MB past the cap without reading still gets its 413 (lingering close, not a reset)', async () => {
    // A naive client writes everything before it reads. Closing on it with its bytes unread sends
    // a reset, and the reset drops the 413 from the client's buffer: it would see EPIPE, no answer.
    for (let round = 0; round < 5; round++) {
      const payload = Buffer.alloc(4 * MB, 0x20);
      const head = `POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${payload.length.toString(16)}\r\n`;
      const raw = openRaw(ingestUrl);
      // Paused: the answer waits unread in this side's kernel buffer, as on a busy client.
      raw.socket.pause();
      raw.socket.write(Buffer.concat([Buffer.from(head), payload, Buffer.from('\r\n0\r\n\r\n')]));
      await new Promise((r) => setTimeout(r, 300));
      raw.socket.resume();
      await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5_000))]);
      raw.socket.destroy();
      const got = parseRaw(raw.text);
      expect(got.status, `round ${round}, ${raw.error}: ${JSON.stringify(raw.text.slice(0, 200))}`).toBe(413);
      expect(got.body).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    }
    stats.corpus += 5;
    await expectAlive();
  });

  it('nothing is stored half-way: reports holds exactly the 200s, and the aggregates only those', async () => {
    const n = (sql: string) => Number((db.prepare(sql).get() as { n: number | bigint | null }).n ?? 0);
    expect(answered200).toBeGreaterThan(50);
    expect(n('SELECT COUNT(*) AS n FROM reports')).toBe(answered200);
    expect(accepted.size).toBe(answered200);
    const keys = new Set((db.prepare('SELECT store_id, view_id FROM reports').all() as { store_id: string; view_id: string }[]).map((r) => `${r.store_id}\u0000${r.view_id}`));
    expect(keys).toEqual(accepted);
    expect(n('SELECT SUM(views) AS n FROM view_counts')).toBe(answered200);
    // Every stored vital (after dedupe and dropping) is in exactly one histogram bin.
    const vitals = (db.prepare('SELECT body FROM reports').all() as { body: string }[]).reduce((sum, r) => sum + (JSON.parse(r.body) as { vitals: unknown[] }).vitals.length, 0);
    expect(n('SELECT SUM(n) AS n FROM vital_bins')).toBe(vitals);
    const blankViews = (db.prepare('SELECT body FROM reports').all() as { body: string }[]).reduce((sum, r) => {
      const h = (JSON.parse(r.body) as { health: { blankUrls: string[] } }).health;
      return sum + new Set(h.blankUrls).size;
    }, 0);
    expect(n('SELECT SUM(n) AS n FROM blank_urls')).toBe(blankViews);
  });

  it('memory stayed bounded, GET /healthz answers {ok:true} and the process never exited', async () => {
    sample('end');
    const start = rss['start']!;
    for (const [label, m] of Object.entries(rss)) {
      expect(m.rssMb, `${label} RSS`).toBeLessThan(300);
      expect(m.rssMb - start.rssMb, `${label} RSS growth`).toBeLessThan(150);
    }
    // The peak (VmHWM) covers the moments between samples, the 10 MB bodies included.
    expect(rss['end']!.hwmMb).toBeLessThan(300);
    expect(rss['end']!.hwmMb - start.rssMb).toBeLessThan(150);
    const h = await send(new URL('/healthz', baseUrl), { method: 'GET' });
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ ok: true });
    expect(exited, childOut).toBeUndefined();
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    process.stdout.write(
      `hostile-input: ${stats.generated} generated cases, ${stats.corpus} corpus cases, ${answered200} stored; chunked 10 MB answered after ≤ ${stats.chunkedBytesBefore413} bytes; memory ${JSON.stringify(rss)}\n`,
    );
  });
});

describe('slow bodies (an in-process collector with 500 ms header and body timeouts)', () => {
  const backend = sqliteBackend();
  let c: Collector;
  beforeAll(async () => {
    c = await createCollector({ store: await backend.create(), rateLimit: 0, bodyTimeoutMs: 500, headersTimeoutMs: 500, log: () => undefined });
  });
  afterAll(async () => {
    await c?.close();
    await backend.cleanup();
  });

  async function trickle(head: string, pieces: string[], everyMs: number) {
    const raw = openRaw(new URL(c.ingestUrl));
    await raw.write(head);
    const started = Date.now();
    for (const p of pieces) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (!(await raw.write(p))) break;
    }
    await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5_000))]);
    raw.socket.destroy();
    return { ...parseRaw(raw.text), ms: Date.now() - started, closed: raw.socket.destroyed };
  }

  it('a body trickled a byte every 100 ms is a coded 408 and the connection closed, with Content-Length or chunked', async () => {
    const body = JSON.stringify(makeReport());
    const withLength = await trickle(`POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`, [...body.slice(0, 40)], 100);
    expect(withLength.status).toBe(408);
    expect(withLength.body).toMatchObject({ error: { code: 'TIMEOUT' } });
    const chunked = await trickle(
      `POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`,
      [...body.slice(0, 40)].map((ch) => `1\r\n${ch}\r\n`),
      100,
    );
    expect(chunked.status).toBe(408);
    expect(chunked.body).toMatchObject({ error: { code: 'TIMEOUT' } });
    // A head trickled in: Node's own 408 (no JSON: it never became a request).
    const head = await trickle(
      'POST /v1/reports HTTP/1.1\r\n',
      ['Host: x\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n', 'X-E: 5\r\n', 'X-F: 6\r\n', 'X-G: 7\r\n', 'X-H: 8\r\n'],
      200,
    );
    expect(head.status).toBe(408);
    expect(await c.store.countReports()).toBe(0);
  });

  it('a body sent slowly but within the timeout is stored', async () => {
    const report = makeReport();
    const body = JSON.stringify(report);
    const quarter = Math.ceil(body.length / 4);
    const slow = await trickle(
      `POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      [0, 1, 2, 3].map((i) => body.slice(i * quarter, (i + 1) * quarter)),
      60,
    );
    expect(slow.status).toBe(200);
    expect(await c.store.countReports()).toBe(1);
  });
});

describe('PostgreSQL: a NUL character in a string the schema admits', () => {
  const backend = postgresBackend();
  let c: Collector;
  beforeAll(async () => {
    c = await createCollector({ store: await backend.create(), rateLimit: 0, log: () => undefined });
  });
  afterAll(async () => {
    await c?.close();
    await backend.cleanup();
  });

  it('is answered 200 or a coded 4xx, never a 503, and does not fail the reports committed with it', async () => {
    const reports = Array.from({ length: 24 }, () => makeReport());
    reports[10] = makeReport({ page: '/a\u0000b' });
    reports[20] = makeReport({ health: { blankUrls: ['https://cdn.example/\u0000.avif'] } });
    const answers = await Promise.all(reports.map((r) => send(new URL(c.ingestUrl), { body: utf8(JSON.stringify(r)), headers: { 'Content-Type': 'text/plain' } })));
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s, i) => i !== 10 && i !== 20 && s !== 200),
      `the others were stored: ${statuses.join(' ')}`,
    ).toEqual([]);
    for (const i of [10, 20]) {
      if (answers[i]!.status !== 200) expectCoded(answers[i]!);
    }
  });
});
