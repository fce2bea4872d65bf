import { defineConfig } from 'vite';

// No React plugin: Vite's own transform compiles the TSX (React 19's automatic JSX runtime); the
// plugin adds Fast Refresh for `vite dev`, which this example does not need. `vitrine` is this
// repository's own package: it resolves to the built dist/ through package.json "exports", as it
// would from node_modules after `npm install vitrine`.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
