import type { HealthCounters, VitalsReport } from '../sdk.js';
import type { DeviceClass } from './user-agent.js';
import type { Metric, Rating } from '../field/thresholds.js';

/**
 * One page view as the collector keeps it: the validated report reduced to what the answers group
 * by (no IP address, no User-Agent), with ratings recomputed from the CrUX thresholds.
 */
export interface ViewRecord {
  storeId: string;
  viewId: string;
  /** When the view happened (ms since the epoch): a queued report is filed under its view's time. */
  viewTime: number;
  receivedAt: number;
  page: string;
  browser: string;
  browserMajor: string;
  device: DeviceClass;
  /** ISO 3166-1 alpha-2 from the trusted header, else 'unknown'. */
  country: string;
  /** The SDK version ('unknown' for v1 reports, which did not carry it). */
  sdk: string;
  /** The merchant's release tag, '' when none. */
  release: string;
  navigationType: VitalsReport['navigationType'];
  queued: boolean;
  schemaVersion: number;
  vitals: { name: Metric; value: number; rating: Rating }[];
  health: HealthCounters;
  /** Made by `vitrine-collector simulate`, not by a shopper: the dashboard says so. */
  simulated?: boolean;
  /** The report as received and validated (strings verbatim), vitals already cleaned. */
  report: VitalsReport;
}
