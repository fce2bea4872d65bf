#!/usr/bin/env node
/**
 * `npm run demo`: builds the SDK and the support console, serves the console and the simulated
 * store on loopback, prints the console's URL, and runs until Ctrl-C.
 *
 *   node scripts/demo.mjs [--no-build] [--build-only] [--if-stale] [--host 127.0.0.1]
 *
 * --if-stale rebuilds only what is older than its sources (the e2e tests use it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'build-only': { type: 'boolean', default: false },
    'if-stale': { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
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
  if (!values['if-stale'] || stale('dist/console/console.js', ['src', 'demo/console', 'demo/rollup.config.mjs'])) run(rollup, ['-c', 'demo/rollup.config.mjs', '--silent']);
}

if (!values['no-build']) build();
if (!values['build-only']) {
  // The backend is TypeScript; tsx runs it in this process.
  const { tsImport } = await import('tsx/esm/api');
  const { startServer } = await tsImport('../demo/backend/server.ts', import.meta.url);
  const server = await startServer({ host: values.host, site: { root: join(root, 'demo') }, distDir: join(root, 'dist') });
  process.stdout.write(
    [
      '',
      `  Vitrine support console:  ${server.urls.site}/`,
      `  simulated store API:      ${server.urls.api}  (faults: ${server.urls.api}/__control/faults)`,
      `  CDN ${server.urls.cdn} · origin ${server.urls.origin} · collector ${server.urls.collector}`,
      '',
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
