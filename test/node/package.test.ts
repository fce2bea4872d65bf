import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('the npm package', () => {
  it('lists types first in every export condition, so TypeScript resolves them', () => {
    for (const [subpath, conditions] of Object.entries(pkg.exports as Record<string, unknown>)) {
      if (typeof conditions === 'string') continue;
      expect(Object.keys(conditions as object)[0], subpath).toBe('types');
    }
  });

  it('every file the exports map names exists after the build', () => {
    for (const conditions of Object.values(pkg.exports as Record<string, Record<string, string> | string>)) {
      for (const file of typeof conditions === 'string' ? [conditions] : Object.values(conditions)) expect(existsSync(file), file).toBe(true);
    }
    expect(existsSync('dist/vitrine.js')).toBe(true);
  });

  it('importing the built package in Node does no work and touches no browser global (server rendering)', () => {
    // Every browser global a careless import might touch throws when read.
    const script = `
      for (const name of ['window', 'document', 'indexedDB', 'localStorage', 'sessionStorage', 'customElements', 'HTMLElement', 'PerformanceObserver', 'requestIdleCallback']) {
        Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error('import touched ' + name); } });
      }
      const realFetch = globalThis.fetch;
      globalThis.fetch = () => { throw new Error('import called fetch'); };
      const api = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
      if (typeof api.createStorefront !== 'function') throw new Error('no createStorefront');
      // Node has none of these: creating a storefront for server rendering must work without them.
      for (const name of ['window', 'document', 'indexedDB', 'localStorage', 'sessionStorage', 'customElements', 'HTMLElement', 'PerformanceObserver', 'requestIdleCallback']) delete globalThis[name];
      const store = api.createStorefront({ storeId: '1', api: 'https://a.test', cdn: 'https://c.test', origin: 'https://o.test', fetch: realFetch });
      store.destroy();
      console.log(Object.keys(api).sort().join(','));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toContain('createStorefront');
  });

  it("the build stamps package.json's version as the SDK version, in the script-tag vitals file and the npm entry", () => {
    const vitals = readFileSync('dist/vitrine-vitals.js', 'utf8');
    expect(vitals).not.toContain('__VITRINE_VERSION__');
    // The reporter builds `{ v: 2, sdk: "<version>", … }`.
    expect(vitals).toContain(`v:2,sdk:${JSON.stringify(pkg.version)}`);
    const built = readdirSync('dist', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(built.length).toBeGreaterThan(4);
    for (const file of built) expect(readFileSync(`dist/${file}`, 'utf8'), file).not.toContain('__VITRINE_VERSION__');
    const script = `const { SDK_VERSION } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)}); console.log(SDK_VERSION);`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()).toBe(pkg.version);
  });

  it('the script-tag bundle contains no eval or new Function (pages with a strict CSP)', () => {
    const bundle = readFileSync('dist/vitrine.js', 'utf8');
    expect(bundle).not.toMatch(/\beval\(|new Function\(|Function\(\s*["'`]/);
  });
});
