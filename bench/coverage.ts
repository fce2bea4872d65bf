/**
 * `npm run bench:coverage`: how much of `dist/vitrine.js` a healthy page view runs at all, in real
 * headless Chromium (V8's block coverage through the DevTools protocol), on the request budgets'
 * fixture pages (test/load/fixtures: the 24-product grid, the 8 embeds, each cold and warm) served by
 * the simulated store on loopback. The bytes no healthy view runs are what a smaller first-paint
 * bundle could leave to a lazy file (error paths, the cart, retries, server-side data, debug): the
 * map for the 12 KB work of issue #14, beside bench:attribute's per-module costs.
 *
 * The bundle is built again with a source map (the same rollup entry, as bench:attribute does), so
 * every byte is attributed to its source module. A byte counts as run when the innermost covered
 * range holding it ran at least once. The gzip figures are each set of bytes compressed on its own.
 *
 *   npm run bench:coverage   → prints the table, writes bench/results/coverage.json
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { rollup, type RollupOptions, type OutputOptions } from 'rollup';
import { SourceMapConsumer } from 'source-map-js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../vitest.config.js';
import { startBackendProcess } from './backend-process.js';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = resolve(ROOT, 'test/load/fixtures');
const VIEWS = [
  { page: 'grid', warm: false },
  { page: 'grid', warm: true },
  { page: 'embeds', warm: false },
  { page: 'embeds', warm: true },
] as const;

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

/** dist/vitrine.js as the build makes it, and which module each of its bytes came from. */
async function buildMapped(out: string): Promise<{ code: string; owner: string[] }> {
  process.chdir(ROOT);
  const configs = (await import(join(ROOT, 'rollup.config.mjs'))).default as RollupOptions[];
  const config = configs.find((c) => (c.output as OutputOptions | undefined)?.file === 'dist/vitrine.js');
  if (!config) throw new Error('bench:coverage: rollup.config.mjs has no dist/vitrine.js entry');
  const file = join(out, 'vitrine.js');
  const bundle = await rollup({
    ...config,
    onwarn: (w, warn) => (w.plugin === 'typescript' && /sourceMap/.test(w.message) ? undefined : (config.onwarn as (w: unknown, f: unknown) => void)(w, warn)),
    output: undefined,
  });
  await bundle.write({ ...(config.output as OutputOptions), file, sourcemap: true });
  await bundle.close();
  const code = readFileSync(file, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  const lineStart = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStart.push(i + 1);
  const marks: { at: number; source: string | null }[] = [];
  map.eachMapping((m) => marks.push({ at: lineStart[m.generatedLine - 1]! + m.generatedColumn, source: m.source }));
  marks.sort((a, b) => a.at - b.at);
  const owner = new Array<string>(code.length).fill('(wrapper)');
  for (let i = 0; i < marks.length; i++) {
    const { at, source } = marks[i]!;
    if (!source) continue;
    owner.fill(source.replace(/^.*?\/(src|node_modules)\//, '$1/'), at, i + 1 < marks.length ? marks[i + 1]!.at : code.length);
  }
  return { code, owner };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vitrine-coverage-'));
  const site = join(work, 'site');
  const dist = join(work, 'dist');
  let child: ChildProcess | undefined;
  try {
    const { code, owner } = await buildMapped(work);
    cpSync(resolve(ROOT, 'dist'), dist, { recursive: true });
    writeFileSync(join(dist, 'vitrine.js'), code);
    cpSync(FIXTURES, site, { recursive: true });
    const server = await startBackendProcess(['--site', site, '--dist', dist]);
    child = server.child;
    const { urls } = server;
    for (const { page } of VIEWS) {
      const text = readFileSync(join(FIXTURES, `${page}.html`), 'utf8');
      writeFileSync(join(site, `${page}.html`), text.replaceAll('{{api}}', urls.api).replaceAll('{{cdn}}', urls.cdn).replaceAll('{{origin}}', urls.origin));
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const anyRun = new Uint8Array(code.length);
    const views: { view: string; run: number; runGzip: number; notRun: number }[] = [];
    try {
      for (const { page, warm } of VIEWS) {
        const context = await browser.newContext();
        const tab = await context.newPage();
        const url = `${urls.site}/${page}.html`;
        // Warm: one view first fills IndexedDB and the HTTP cache; the measured view is the second.
        if (warm) await tab.goto(url).then(() => tab.waitForTimeout(1500));
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
        await tab.goto(url);
        // The page settles (products, images, the idle work after them).
        await tab.waitForTimeout(3000);
        const { result } = (await cdp.send('Profiler.takePreciseCoverage')) as { result: { url: string; functions: { ranges: Range[] }[] }[] };
        await context.close();
        const script = result.find((r) => r.url.endsWith('/sdk/vitrine.js'));
        if (!script) throw new Error(`bench:coverage: ${page} ran no /sdk/vitrine.js`);
        // Widest first, so each inner range (a branch, a nested function) overrides the one holding it.
        const ranges = script.functions.flatMap((f) => f.ranges).sort((a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset));
        const ran = new Uint8Array(code.length);
        for (const r of ranges) ran.fill(r.count > 0 ? 1 : 0, r.startOffset, r.endOffset);
        let text = '';
        for (let i = 0; i < code.length; i++) if (ran[i]) (text += code[i]), (anyRun[i] = 1);
        views.push({ view: `${page} ${warm ? 'warm' : 'cold'}`, run: text.length, runGzip: gzip(text), notRun: code.length - text.length });
      }
    } finally {
      await browser.close();
    }

    const modules = new Map<string, { raw: number; run: number }>();
    let runText = '';
    let idleText = '';
    for (let i = 0; i < code.length; i++) {
      const m = modules.get(owner[i]!) ?? { raw: 0, run: 0 };
      m.raw++;
      if (anyRun[i]) m.run++, (runText += code[i]);
      else idleText += code[i];
      modules.set(owner[i]!, m);
    }
    const rows = [...modules].map(([module, m]) => ({ module, raw: m.raw, neverRun: m.raw - m.run })).sort((a, b) => b.neverRun - a.neverRun);
    const union = { run: runText.length, runGzip: gzip(runText), neverRun: idleText.length, neverRunGzip: gzip(idleText) };

    console.log(`dist/vitrine.js: ${code.length} B minified, ${gzip(code)} B gzip -9`);
    for (const v of views) console.log(`  ${v.view.padEnd(12)} runs ${v.run} B (${v.runGzip} B gzip on their own), leaves ${v.notRun} B unrun`);
    console.log(`  any healthy view runs ${union.run} B (${union.runGzip} B gzip); none runs ${union.neverRun} B (${union.neverRunGzip} B gzip on their own)`);
    console.log('never run B  of minified B  module');
    for (const r of rows.filter((r) => r.neverRun > 0)) console.log(`${String(r.neverRun).padStart(11)}  ${String(r.raw).padStart(13)}  ${r.module}`);
    const results = join(ROOT, 'bench', 'results', 'coverage.json');
    writeFileSync(results, `${JSON.stringify({ file: 'dist/vitrine.js', minified: code.length, gzip: gzip(code), views, union, modules: rows }, null, 2)}\n`);
    console.log(`written to ${results.slice(ROOT.length + 1)}`);
  } finally {
    child?.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
