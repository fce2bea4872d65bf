#!/usr/bin/env node
// dist/ is built by `npm run build` (and before `npm pack`); a clone of the repository has none
// until then: say so in one line instead of Node's ERR_MODULE_NOT_FOUND.
let main;
try {
  ({ main } = await import('../dist/cli.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write(
    'vitrine-collector: dist/ is not built. In a clone of the Vitrine repository run `npm run collector -- <flags>` (it builds first), or `npm run build -w vitrine-collector` once.\n',
  );
  process.exit(2);
}
await main(process.argv.slice(2));
