// The support console's bundle: demo/console/main.ts → dist/console/console.js (one ES module,
// web-vitals and the SDK bundled in). Built by `npm run demo` (scripts/demo.mjs).
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

const onwarn = (warning, warn) => {
  if (warning.code === 'INVALID_ANNOTATION' || (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message))) return;
  warn(warning);
};

export default {
  input: 'demo/console/main.ts',
  onwarn,
  plugins: [
    nodeResolve({ browser: true }),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts', 'demo/console/**/*.ts', 'demo/backend/faults.ts'],
      compilerOptions: { noEmit: false, declaration: false, sourceMap: false, types: [] },
    }),
  ],
  output: { file: 'dist/console/console.js', format: 'es', inlineDynamicImports: true },
};
