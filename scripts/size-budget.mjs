#!/usr/bin/env node
/**
 * Fails the build when the script-tag bundle or the bootstrap snippet outgrows its budget.
 * Budgets live in budgets.json under "bundle" (bytes): `vitrine.js` is the gzip size of the
 * classic-script bundle that runs before the first product paint, `snippet` the raw size of the
 * inline bootstrap. Everything else in dist is reported, not budgeted.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
const { bundle: budget } = JSON.parse(readFileSync(new URL('budgets.json', root), 'utf8'));
if (!budget) {
  console.error('size-budget: budgets.json has no "bundle" key');
  process.exit(1);
}

const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const failures = [];

const critical = gzip(new URL('vitrine.js', dist));
const { snippetBytes } = JSON.parse(readFileSync(new URL('sri.json', dist), 'utf8'));
console.log(`size-budget: dist/vitrine.js ${critical} B = ${kb(critical)} gzip (budget ${budget['vitrine.js']} B, ${budget['vitrine.js'] - critical} B left)`);
console.log(`size-budget: bootstrap snippet ${snippetBytes} B (budget ${budget.snippet} B)`);
if (critical > budget['vitrine.js']) failures.push(`dist/vitrine.js is ${critical} B gzip, over its budget of ${budget['vitrine.js']} B by ${critical - budget['vitrine.js']} B`);
if (snippetBytes > budget.snippet) failures.push(`the bootstrap snippet is ${snippetBytes} B, over its budget of ${budget.snippet} B`);

// The rest, for the record: the script-tag files loaded after the first paint, and the npm files
// (the demo console is built into demo/build/, outside dist/).
const classic = readdirSync(dist).filter((name) => /^vitrine.*\.js$/.test(name));
const classicSizes = classic.map((name) => [name, gzip(new URL(name, dist))]);
const classicTotal = classicSizes.reduce((sum, [, bytes]) => sum + bytes, 0);
console.log(`size-budget: every script-tag file ${kb(classicTotal)} gzip: ${classicSizes.map(([name, bytes]) => `${name} ${bytes} B`).join(', ')}`);
let npm = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = new URL(name, dir);
    if (statSync(file).isDirectory()) {
      if (name !== 'console') walk(new URL(`${name}/`, dir));
    } else if (/\.js$/.test(name) && !/^vitrine/.test(name)) npm += gzip(file);
  }
};
walk(dist);
console.log(`size-budget: npm ESM files (dist/*.js + chunks, dependencies external) ${kb(npm)} gzip`);

if (failures.length) {
  for (const f of failures) console.error(`size-budget: FAIL ${f}. Cut the critical path (move it after the first paint) or raise the budget in budgets.json with a reason.`);
  process.exit(1);
}
