export { createCollector } from './server.js';
export type { Collector, Handler, RouteContext, RouteTable, RouteFactory } from './server.js';
export type { CollectorOptions } from './config.js';
export { CollectorError } from './errors.js';
export type { CollectorErrorCode } from './errors.js';
export { openStore, createFieldStore } from './store/store.js';
export type { FieldStore } from './store/store.js';
export type { ViewRecord } from './ingest/record.js';
export type { Exporter, ExporterStats } from './export/exporter.js';
