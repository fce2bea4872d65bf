import type { ScriptOptions } from './load-script.js';

/**
 * The script tag's lazy files: a classic script cannot `import()` a chunk, so what a first product
 * paint never needs is its own file, `/sdk/vitrine-<name>.js` next to vitrine.js on the CDN and
 * origin, loaded with Vitrine's own CDN→origin fallback (a blank cached copy is caught like any
 * other blank asset), and hands its module over as the global `Vitrine<Name>`. Loaded once a page.
 */
export async function loadClassicFile<T>(script: (path: string, opts?: ScriptOptions) => Promise<unknown>, name: string, sentinel = false): Promise<T> {
  const global = `Vitrine${name[0]!.toUpperCase()}${name.slice(1)}`;
  const path = `/sdk/vitrine-${name}.js`;
  const g = globalThis as Record<string, unknown>;
  if (!g[global]) await script(path, sentinel ? { sentinel: global } : {});
  if (!g[global]) throw new Error(`${path} loaded but did not define ${global}`);
  return g[global] as T;
}
