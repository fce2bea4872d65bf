/**
 * The SDK's own report schema: the collector validates with exactly what the SDK builds against
 * (bundled into the collector's build, so it needs no browser code at run time).
 */
export { parseVitalsReport, MAX_REPORT_BYTES } from '../../src/vitals-schema.js';
export type { VitalsReport, HealthCounters, VitalEntry } from '../../src/vitals-schema.js';
