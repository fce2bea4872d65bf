/**
 * Runs the simulated backend on loopback until killed (SIGTERM/SIGINT), for load benchmarks in
 * their own process and for the demo.
 *
 *   npx tsx demo/backend/serve.ts [--port-file f] [--site dir] [--dist dir] [--catalog-size n] [--api-delay ms]
 *
 * Prints the URLs as one JSON line on stdout: {"api":…,"cdn":…,"origin":…,"collector":…,"site":…}
 * (and writes the same JSON to --port-file when given).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startServer, type ServerOptions } from './server.js';

const { values } = parseArgs({
  options: {
    'port-file': { type: 'string' },
    site: { type: 'string' },
    dist: { type: 'string' },
    'catalog-size': { type: 'string' },
    'api-delay': { type: 'string' },
    host: { type: 'string' },
  },
  strict: true,
});

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} expects a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

const options: ServerOptions = { backendOptions: {} };
const catalogSize = whole('catalog-size', values['catalog-size']);
const apiDelayMs = whole('api-delay', values['api-delay']);
if (catalogSize !== undefined) options.backendOptions = { ...options.backendOptions, catalogSize };
if (apiDelayMs !== undefined) options.backendOptions = { ...options.backendOptions, apiDelayMs };
if (values.site !== undefined) options.site = { root: values.site };
if (values.dist !== undefined) options.distDir = values.dist;
if (values.host !== undefined) options.host = values.host;

const server = await startServer(options);
const line = JSON.stringify(server.urls);
if (values['port-file'] !== undefined) await writeFile(values['port-file'], `${line}\n`);
process.stdout.write(`${line}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
