import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// ARCHITECTURE.md's code map says which folder may import which. This reads every import in src/
// (static, dynamic and type-only alike) and fails on an import that points upward.
const root = resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each relative import of a file, as a path under src/ ('lib/storage.ts', 'storefront.ts'). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    out.push(relative(root, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '(root)');

/** What each folder must never import; '(root)' is src/'s own files (storefront.ts, events.ts, …). */
const forbidden: Record<string, (target: string) => boolean> = {
  lib: (t) => folderOf(t) !== 'lib',
  data: (t) => ['ui', 'vitals', 'cart', 'frameworks'].includes(folderOf(t)) || t === 'storefront.ts' || t === 'embed.ts',
  assets: (t) => ['ui', 'vitals', 'cart', 'frameworks'].includes(folderOf(t)) || t === 'storefront.ts' || t === 'embed.ts',
  vitals: (t) => ['ui', 'cart', 'frameworks'].includes(folderOf(t)) || t === 'embed.ts',
  cart: (t) => ['ui', 'vitals', 'frameworks'].includes(folderOf(t)) || t === 'embed.ts',
  // The message table: below the widgets, the cart and the storefront; only src/lib and errors.ts above it.
  i18n: (t) => !['i18n', 'lib'].includes(folderOf(t)) && t !== 'errors.ts',
};

describe('import layers (ARCHITECTURE.md code map)', () => {
  const all = files(root).map((f) => ({ file: relative(root, f), targets: imports(f) }));

  it('finds the source files and their imports', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(all.find((f) => f.file === 'storefront.ts')?.targets).toContain('lib/storage.ts');
  });

  for (const [folder, isForbidden] of Object.entries(forbidden)) {
    it(`src/${folder} imports only downward`, () => {
      const bad = all.filter((f) => folderOf(f.file) === folder).flatMap((f) => f.targets.filter(isForbidden).map((t) => `${f.file} → ${t}`));
      expect(bad).toEqual([]);
    });
  }

  it('the shared mechanisms live in src/lib, not in src/data', () => {
    const data = readdirSync(join(root, 'data'));
    for (const moved of ['storage.ts', 'backoff.ts', 'retry-budget.ts']) expect(data).not.toContain(moved);
    expect(readdirSync(root)).not.toContain('signals.ts');
  });
});
