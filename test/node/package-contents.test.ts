/**
 * What `npm publish` would ship, checked on every `npm test` (after the build): the tarball holds
 * the SDK and nothing else (no console build, no msw), within its size budget, and the ecosystem's
 * own linters (publint, Are The Types Wrong) find nothing wrong with its exports and types.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

const budget = (JSON.parse(readFileSync('budgets.json', 'utf8')) as { package: { packedBytes: number; unpackedBytes: number; files: string[] } }).package;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `dist/*.js` matches dist/a.js, not dist/chunks/a.js: one path segment per `*`. */
const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`).test(path);

let dir: string;
let packed: Packed;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-pack-'));
  // --ignore-scripts: prepack would rebuild dist/ under the other test projects' feet; npm test built it already.
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { encoding: 'utf8', timeout: 120_000 });
  packed = (JSON.parse(out) as Packed[])[0]!;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the published tarball', () => {
  it('holds only the files budgets.json lists, each pattern at least once: no console build, no test or demo code', () => {
    const paths = packed.files.map((f) => f.path).sort();
    const stray = paths.filter((path) => !budget.files.some((pattern) => matches(pattern, path)));
    expect(stray, 'files outside budgets.json "package.files"').toEqual([]);
    for (const pattern of budget.files)
      expect(
        paths.some((path) => matches(pattern, path)),
        pattern,
      ).toBe(true);
    expect(paths.some((path) => /console|msw|mockServiceWorker/i.test(path))).toBe(false);
  });

  it('stays within its packed and unpacked size budgets', () => {
    console.log(`[package] ${packed.files.length} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
    expect(packed.size).toBeLessThanOrEqual(budget.packedBytes);
    expect(packed.unpackedSize).toBeLessThanOrEqual(budget.unpackedBytes);
  });

  it('publint finds no error or warning in the packed files', async () => {
    const tarball = readFileSync(join(dir, packed.filename));
    // The tarball's root folder is `package/`.
    const { messages } = await publint({
      pkgDir: 'package',
      level: 'warning',
      strict: true,
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    });
    expect(messages).toEqual([]);
  });

  it('Are The Types Wrong finds no problem for ESM consumers (node16 from ESM, bundlers)', () => {
    // esm-only: the package has no CommonJS entry on purpose, so node10 and require() resolution are out of scope.
    const out = execFileSync(join('node_modules', '.bin', 'attw'), [join(dir, packed.filename), '--profile', 'esm-only', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const analysis = JSON.parse(out) as { analysis: { problems: { kind: string; resolutionKind?: string; entrypoint?: string }[] } };
    const inScope = analysis.analysis.problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(inScope).toEqual([]);
    // The out-of-scope ones are exactly "no CommonJS", nothing else.
    expect(new Set(analysis.analysis.problems.map((p) => p.kind))).toEqual(new Set(['NoResolution', 'CJSResolvesToESM']));
  });
});
