// The support console's bundle: demo/console/main.ts → demo/build/console/console.js (outside dist/, so never in the published package) (an ES module,
// web-vitals and the SDK bundled in), plus chunks loaded on demand: the in-page simulated store
// (msw/browser and demo/backend, only in service-worker mode), the incident client (bench/incident-client.ts,
// only for a ?pattern=incident reproduction) and the SDK's own lazy parts.
// Built by `npm run demo` (scripts/demo.mjs), which also copies msw's mockServiceWorker.js.
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { sdkVersion } from '../scripts/rollup-sdk-version.mjs';

const onwarn = (warning, warn) => {
  if (warning.code === 'INVALID_ANNOTATION' || (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message))) return;
  warn(warning);
};

export default {
  input: 'demo/console/main.ts',
  onwarn,
  plugins: [
    nodeResolve({ browser: true }),
    sdkVersion(),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts', 'demo/console/**/*.ts', 'demo/backend/{handlers,catalog,faults,png}.ts', 'bench/incident-client.ts'],
      compilerOptions: { noEmit: false, declaration: false, sourceMap: false, types: [] },
    }),
  ],
  output: { dir: 'demo/build/console', format: 'es', entryFileNames: 'console.js', chunkFileNames: 'console-[name]-[hash].js' },
};
