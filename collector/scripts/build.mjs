#!/usr/bin/env node
/**
 * Builds the collector into dist/: its own sources plus the SDK's report schema (../src), which it
 * validates with, bundled by esbuild; npm dependencies stay imports (they install with the package).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const here = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', here), 'utf8'));
rmSync(new URL('dist', here), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  absWorkingDir: new URL('.', here).pathname,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
