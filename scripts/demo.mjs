#!/usr/bin/env node
/**
 * `npm run demo`: builds the SDK and the support console, serves the console and the simulated
 * store on loopback, starts a vitrine-collector beside them (in this process, on a SQLite file in
 * the OS temp folder, deleted on exit) filled with simulated shoppers' page views, prints the URLs
 * and the collector's token, and runs until Ctrl-C. The console's storefront reports its vitals to
 * that collector, and its Field view reads that collector's answers.
 *
 *   node scripts/demo.mjs [--no-build] [--build-only] [--if-stale] [--static] [--host 127.0.0.1] [--port 0]
 *                         [--no-simulate] [--field-db ./vitrine-field.db]
 *
 * --no-simulate starts the collector empty (only the console's own page views reach it).
 * --field-db keeps the collector's data in that SQLite file (not deleted on exit) instead.
 * --if-stale rebuilds only what is older than its sources (the e2e tests use it).
 * --static serves files only (on --port, default a free one) (demo/ at /, dist/ at /dist/): no simulated store on loopback, so the
 *   console runs the store in the page through msw's service worker (demo/mockServiceWorker.js,
 *   copied from the installed msw by every build, never committed).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'build-only': { type: 'boolean', default: false },
    'if-stale': { type: 'boolean', default: false },
    static: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'no-simulate': { type: 'boolean', default: false },
    'field-db': { type: 'string' },
  },
  strict: true,
});

/** Newest modification time of the files under these paths. */
function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) walk(join(root, p));
  return latest;
}

const stale = (output, inputs) => !existsSync(join(root, output)) || statSync(join(root, output)).mtimeMs < newest(inputs);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write(`demo: \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}

function build() {
  const rollup = join(root, 'node_modules', '.bin', 'rollup');
  const sdk = ['dist/vitrine.js', 'dist/vitrine-debug.js'].some((out) => stale(out, ['src', 'rollup.config.mjs']));
  if (!values['if-stale'] || sdk) run('npm', ['run', '--silent', 'build']);
  if (!values['if-stale'] || stale('demo/build/console/console.js', ['src', 'demo/console', 'demo/backend', 'demo/rollup.config.mjs', 'bench/incident-client.ts']))
    run(rollup, ['-c', 'demo/rollup.config.mjs', '--silent']);
}

/**
 * msw's worker script, from the installed msw (so it always matches the msw bundled in the console),
 * at the site root: a service worker controls only pages at or below its own path.
 */
function copyWorkerScript() {
  const from = join(root, 'node_modules', 'msw', 'lib', 'mockServiceWorker.js');
  const to = join(root, 'demo', 'mockServiceWorker.js');
  if (!existsSync(to) || !readFileSync(to).equals(readFileSync(from))) copyFileSync(from, to);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A plain static server: demo/ at /, dist/ at /dist/. Nothing else (no /__vitrine/backend.json). */
function serveStatic(host, _port) {
  const roots = [
    ['/dist/', join(root, 'dist')],
    ['/', join(root, 'demo')],
  ];
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      path = '';
    }
    const [prefix, dir] = roots.find(([p]) => path.startsWith(p)) ?? ['/', ''];
    const file = resolve(dir, `.${sep}${path.slice(prefix.length)}${path.endsWith('/') ? 'index.html' : ''}`);
    if (!dir || !file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' }).end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(Number(values.port), host, () => done({ url: `http://${host}:${server.address().port}`, close: () => new Promise((ok) => server.close(() => ok())) }));
  });
}

/** A free loopback port, so the collector's URL is known before it starts (the console URL it is given names it). */
function freePort(host) {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * The field collector beside the simulated store: loopback, a random token, the console's URL (for
 * the dashboard's "reproduce" links, and the one origin allowed to read its answers), then the
 * simulated shoppers unless --no-simulate.
 */
async function startFieldCollector(tsImport, host, siteUrl) {
  const { createCollector } = await tsImport('../collector/src/server.ts', import.meta.url);
  const { runSimulate } = await tsImport('../collector/src/simulate.ts', import.meta.url);
  const dir = values['field-db'] ? undefined : mkdtempSync(join(tmpdir(), 'vitrine-demo-'));
  const db = values['field-db'] ? resolve(values['field-db']) : join(dir, 'field.db');
  const token = randomBytes(18).toString('base64url');
  const port = await freePort(host);
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const consoleUrl = `${siteUrl}/?collector=${encodeURIComponent(`${base}/v1/reports`)}`;
  const collector = await createCollector({ host, port, store: db, token, consoleUrl, log: (line) => process.stdout.write(`  collector: ${line}\n`) });
  const lines = [];
  if (!values['no-simulate']) await runSimulate({ store: collector.store, log: (line) => lines.push(line) });
  return {
    collector,
    db,
    token,
    consoleUrl,
    lines,
    kept: !dir,
    close: async () => {
      await collector.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function onStop(close) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (!values['no-build']) build();
copyWorkerScript();
if (values.static && !values['build-only']) {
  const site = await serveStatic(values.host, values.port);
  process.stdout.write(`\n  Vitrine support console (store in a service worker):  ${site.url}/\n\n  Ctrl-C to stop.\n\n`);
  onStop(site.close);
} else if (!values['build-only']) {
  // The backend is TypeScript; tsx runs it in this process.
  const { tsImport } = await import('tsx/esm/api');
  const { startServer } = await tsImport('../demo/backend/server.ts', import.meta.url);
  const server = await startServer({ host: values.host, site: { root: join(root, 'demo') }, distDir: join(root, 'dist') });
  let field;
  try {
    field = await startFieldCollector(tsImport, values.host, server.urls.site);
  } catch (error) {
    await server.close();
    throw error;
  }
  const { collector } = field;
  process.stdout.write(
    [
      '',
      `  Vitrine support console:  ${field.consoleUrl}&collectorToken=${field.token}`,
      `                            (Field tab: ${field.consoleUrl}#field; the token is kept in the browser, then dropped from the address bar)`,
      `  simulated store API:      ${server.urls.api}  (faults: ${server.urls.api}/__control/faults)`,
      `  CDN ${server.urls.cdn} · origin ${server.urls.origin} · simulated collector (tests' beacons) ${server.urls.collector}`,
      `  the same store in a service worker, no servers: ${server.urls.site}/?backend=worker`,
      `  a merchant's shop page (script tag, products, cart): ${server.urls.site}/shop.html  (?lang=de, fr, es, ja, ar)`,
      '',
      `  vitrine-collector:        ${collector.dashboardUrl}  (dashboard; token ${field.token})`,
      `  the console's storefront reports to ${collector.ingestUrl}`,
      `  field data in SQLite:     ${field.db}${field.kept ? '' : '  (a temporary file, deleted on exit; keep one with --field-db path)'}`,
      ...(field.lines.length ? ['', ...field.lines.map((l) => `  ${l}`)] : ["  no simulated data (--no-simulate): only the console's own page views arrive"]),
      '',
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  onStop(async () => {
    await field.close();
    await server.close();
  });
}
