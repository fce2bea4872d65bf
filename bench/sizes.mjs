/**
 * Bundle sizes of every JavaScript entry in dist/: raw, gzip and brotli at their highest levels, as a
 * CDN would serve them. An ESM entry is measured with the chunks it imports statically (what loading
 * it costs); chunks it imports lazily are reported apart; bare imports (zod, idb-keyval) are the
 * user's bundler's business and are listed, not measured. Run after `npm run build`.
 *
 *   npm run bench:sizes   → prints a table, writes bench/results/sizes.json
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Every .js/.mjs entry under dir (chunks/ holds shared code, not entries), relative to dist/. */
function entries(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'chunks' ? [] : entries(full);
    return /\.m?js$/.test(name) ? [relative(dist, full)] : [];
  });
}

const STATIC = /(?:\bfrom\s*|\bimport\s*)["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Relative specifiers in a file, resolved against it; bare ones apart. */
function imports(file, pattern) {
  const text = readFileSync(join(dist, file), 'utf8');
  const local = [];
  const bare = [];
  for (const [, spec] of text.matchAll(pattern)) {
    const target = resolve(dirname(join(dist, file)), spec);
    // Minified code can hold import-like text in strings: follow only specifiers that are files here.
    if (spec.startsWith('.')) {
      if (existsSync(target)) local.push(relative(dist, target));
    } else bare.push(spec);
  }
  return { local, bare };
}

/** The entry plus every dist file it reaches by static imports. */
function closure(entry) {
  const seen = new Set([entry]);
  const bare = new Set();
  for (const file of seen) {
    const found = imports(file, STATIC);
    for (const f of found.local) seen.add(f);
    for (const b of found.bare) bare.add(b);
  }
  return { files: [...seen], bare: [...bare].sort() };
}

function measure(file) {
  const bytes = readFileSync(join(dist, file));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

const sum = (files) => files.map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });

let files;
try {
  files = entries(dist).sort();
} catch {
  files = [];
}
if (files.length === 0) {
  console.error('bench:sizes: no JavaScript in dist/; run `npm run build` first');
  process.exit(1);
}

const sizes = files.map((file) => {
  const loaded = closure(file);
  const lazy = new Set();
  for (const f of loaded.files) for (const d of imports(f, DYNAMIC).local) for (const c of closure(d).files) if (!loaded.files.includes(c)) lazy.add(c);
  return { file, ...sum(loaded.files), files: loaded.files, external: loaded.bare, lazy: { files: [...lazy].sort(), ...sum([...lazy]) } };
});

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(5, ...sizes.map((s) => s.file.length));
console.log(`${'entry (with static imports)'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}  ${'lazy gzip'.padStart(9)}  external`);
for (const s of sizes) {
  const lazy = s.lazy.files.length > 0 ? kb(s.lazy.gzip) : '-';
  console.log(`${s.file.padEnd(width)}  ${kb(s.raw).padStart(9)}  ${kb(s.gzip).padStart(9)}  ${kb(s.brotli).padStart(9)}  ${lazy.padStart(9)}  ${s.external.join(', ')}`);
}

const out = join(root, 'bench/results/sizes.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), files: sizes }, null, 2)}\n`);
console.log(`bench:sizes: wrote ${relative(root, out)}`);
