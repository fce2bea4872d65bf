/**
 * Which source modules `dist/vitrine.js` pays for, in gzip bytes: the script-tag bundle is built again
 * (the same rollup config entry, with a source map, into a temporary folder), every byte of the
 * minified output is attributed to the module it came from, and each module's figure is what the
 * gzip -9 size drops by when that module's bytes are taken out (its marginal cost: what moving it to
 * a lazy file or deleting it could save at most, before the glue that replaces it). The figures do
 * not add up to the total: gzip shares its dictionary between modules.
 *
 *   npm run bench:attribute           → prints the table, writes bench/results/attribute.json
 *   npm run bench:attribute -- --raw  → also the minified bytes of each module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { SourceMapConsumer } from 'source-map-js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const configs = (await import(join(root, 'rollup.config.mjs'))).default;
const config = configs.find((c) => c.output?.file === 'dist/vitrine.js');
if (!config) throw new Error('rollup.config.mjs has no dist/vitrine.js entry');

const out = mkdtempSync(join(tmpdir(), 'vitrine-attribute-'));
const file = join(out, 'vitrine.js');
try {
  // Which module each byte came from is all this needs: TypeScript's own maps (off in the build) are not.
  const onwarn = (warning, warn) => (warning.plugin === 'typescript' && /sourceMap/.test(warning.message) ? undefined : config.onwarn(warning, warn));
  const bundle = await rollup({ ...config, onwarn, output: undefined });
  await bundle.write({ ...config.output, file, sourcemap: true });
  await bundle.close();
  // Without the source map's comment: the bytes of dist/vitrine.js as built.
  const code = readFileSync(file, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')));

  // Offsets of each line's start, to turn (line, column) into a position in the file.
  const lineStart = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStart.push(i + 1);
  const mappings = [];
  map.eachMapping((m) => mappings.push({ at: lineStart[m.generatedLine - 1] + m.generatedColumn, source: m.source }));
  mappings.sort((a, b) => a.at - b.at);

  /** Each module's byte ranges in the output; what no mapping covers (the IIFE wrapper) stays unowned. */
  const ranges = new Map();
  for (let i = 0; i < mappings.length; i++) {
    const { at, source } = mappings[i];
    if (!source) continue;
    const end = i + 1 < mappings.length ? mappings[i + 1].at : code.length;
    const name = source.replace(/^.*?\/(src|node_modules)\//, '$1/');
    if (!ranges.has(name)) ranges.set(name, []);
    ranges.get(name).push([at, end]);
  }

  const gzip = (text) => gzipSync(text, { level: 9 }).length;
  const total = gzip(code);
  const rows = [...ranges].map(([module, spans]) => {
    const keep = [];
    let from = 0;
    let raw = 0;
    for (const [s, e] of spans) {
      keep.push(code.slice(from, s));
      from = e;
      raw += e - s;
    }
    keep.push(code.slice(from));
    return { module, gzip: total - gzip(keep.join('')), raw };
  });
  rows.sort((a, b) => b.gzip - a.gzip);

  const showRaw = process.argv.includes('--raw');
  console.log(`dist/vitrine.js as built now: ${code.length} B minified, ${total} B gzip -9`);
  console.log(`marginal gzip B${showRaw ? '  minified B' : ''}  module`);
  for (const r of rows) console.log(`${String(r.gzip).padStart(15)}${showRaw ? String(r.raw).padStart(12) : ''}  ${r.module}`);
  const results = join(root, 'bench', 'results', 'attribute.json');
  writeFileSync(results, `${JSON.stringify({ file: 'dist/vitrine.js', minified: code.length, gzip: total, modules: rows }, null, 2)}\n`);
  console.log(`written to ${results.slice(root.length + 1)}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
