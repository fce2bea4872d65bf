/**
 * The collector benchmark's ceiling: a bare Node HTTP server on loopback that reads each request's
 * body to the end and answers 204, nothing else. What the collector does beyond this (validation,
 * normalising, the durable write, metrics) is what the benchmark's ratio measures.
 *
 *   node bench/ceiling-server.mjs      prints "ceiling: http://127.0.0.1:<port>/v1/reports"
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    res.writeHead(204, { 'X-Body-Bytes': String(bytes) }).end();
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.stdout.write(`ceiling: http://127.0.0.1:${port}/v1/reports\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
