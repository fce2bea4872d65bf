import type { Exporter } from './export/exporter.js';
import type { AlarmOptions } from './field/alarms.js';
import type { FieldStore } from './store/store.js';

/**
 * Everything a collector can be told, with the defaults the README documents. The CLI maps its
 * flags and VITRINE_COLLECTOR_* variables onto this; tests pass it to createCollector directly.
 */
export interface CollectorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** A SQLite path, a postgres:// URL, or an open store. Default ./vitrine-field.db. */
  store?: string | FieldStore;
  /** Protects the field answers and the dashboard (ingest never needs it). Required off loopback. */
  token?: string;
  /** `*`, or a comma-separated list of page origins allowed to post reports. Default `*`. */
  allowOrigin?: string;
  /** The trusted header carrying the shopper's country (e.g. cf-ipcountry). Default none: 'unknown'. */
  countryHeader?: string;
  /**
   * A trusted header naming the client for rate limiting behind a proxy or CDN: best one the CDN
   * sets itself (cf-connecting-ip, true-client-ip); a list (x-forwarded-for) counts by its last entry.
   */
  clientHeader?: string;
  /** Reports a second per client, token bucket; 0 turns limiting off. Default 20. */
  rateLimit?: number;
  /** Bucket size: the burst a client may send at once. Default 5 × rateLimit. */
  burst?: number;
  /** Days raw reports are kept. Default 30. */
  retentionDays?: number;
  /** Days the hourly aggregates are kept. Default 400. */
  aggregateRetentionDays?: number;
  /** OTLP/HTTP base URL to export to (e.g. http://127.0.0.1:4318). */
  otlp?: string;
  /** Injected exporter (tests); wins over `otlp`. */
  exporter?: Exporter;
  /** Request head must arrive within this. Default 10 s. */
  headersTimeoutMs?: number;
  /** Body must arrive within this of the head. Default 10 s. */
  bodyTimeoutMs?: number;
  /** Reports waiting for a commit before the collector answers 503. Default 50,000. */
  maxPending?: number;
  /** Smallest sample before a cell's percentile or rate is shown (field answers). Default 30. */
  minSample?: number;
  /** Alarm thresholds, windows and minimum samples (field/alarms.ts ALARM_DEFAULTS). */
  alarms?: Partial<AlarmOptions>;
  /** How often alarms are evaluated in the background. Default 60 s. */
  alarmIntervalMs?: number;
  /** The support console's URL, for the alarms' "reproduce" links. */
  consoleUrl?: string;
  /** Injected clock (ms since the epoch). */
  now?: () => number;
  /** One line per event worth a log; default stdout. Never given a client address. */
  log?: (line: string) => void;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  store: './vitrine-field.db',
  allowOrigin: '*',
  rateLimit: 20,
  retentionDays: 30,
  aggregateRetentionDays: 400,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxPending: 50_000,
  minSample: 30,
  maxBodyBytes: 64 * 1024,
} as const;

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
