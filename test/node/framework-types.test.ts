import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The element and framework typings as a consumer sees them: test/types resolves `vitrine/*` through
 * package.json "exports" to the built dist/*.d.ts (`npm run build` first). Each file there also holds
 * `@ts-expect-error` lines (a wrong attribute type, an unknown attribute, the wrong event detail), so
 * typings too loose fail too: TypeScript reports an unused `@ts-expect-error`.
 */
const tsc = join('node_modules', '.bin', 'tsc');

function typecheck(project: string): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(tsc, ['-p', project], { encoding: 'utf8', timeout: 120_000 }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe('framework types (built .d.ts)', () => {
  it('the build emits the types-only entries package.json exports', () => {
    for (const name of ['react', 'preact', 'vue']) expect(existsSync(`dist/${name}.d.ts`), name).toBe(true);
    expect(readFileSync('dist/ui.d.ts', 'utf8')).toContain('VitrineGridElement');
  });

  it('React 19 and Preact JSX, a Vue render function and GlobalComponents, and DOM lookups type-check, and the wrong uses do not', () => {
    const { status, output } = typecheck('test/types');
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 120_000);

  it('a Node-only consumer (no lib.dom) of the root entry still type-checks', () => {
    const { status, output } = typecheck('test/types/node-only');
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 120_000);
});
