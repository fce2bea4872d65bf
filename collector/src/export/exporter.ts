import type { ViewRecord } from '../ingest/record.js';

/**
 * Where stored views go next (an OpenTelemetry pipeline, say). The ingest pipeline hands each
 * newly stored view to `push` after its commit and never waits: an exporter keeps its own bounded
 * queue and counts what it had to drop, so a slow or failing endpoint never slows ingest.
 */
export interface Exporter {
  push(record: ViewRecord): void;
  stats(): ExporterStats;
  /** Sends what is queued (bounded by the exporter's own timeout) and stops. */
  shutdown(): Promise<void>;
}

export interface ExporterStats {
  /** Views waiting to be exported. */
  queued: number;
  exported: number;
  /** Views dropped because the queue was full. */
  dropped: number;
  /** Views in export requests the endpoint refused or that failed. */
  failed: number;
}
