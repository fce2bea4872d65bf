import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The collector's own health in Prometheus' text format (`GET /metrics`): every outcome counted,
 * never silent. One registry per collector, so two collectors in one process (tests) do not mix.
 */
export type SelfMetrics = ReturnType<typeof createSelfMetrics>;

export function createSelfMetrics(gauges: {
  queueDepth: () => number;
  exportQueue: () => number;
  exportDropped: () => number;
  exportFailed: () => number;
  exported: () => number;
}) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'vitrine_collector_http_requests_total',
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const bytes = new Counter({ name: 'vitrine_collector_received_bytes_total', help: 'Report body bytes received.', registers: [registry] });
  const reports = new Counter({
    name: 'vitrine_collector_reports_total',
    help: 'Reports acknowledged, by outcome: stored (new) or duplicate (already stored).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const rejections = new Counter({ name: 'vitrine_collector_rejections_total', help: 'Requests refused, by error code.', labelNames: ['reason'], registers: [registry] });
  const valuesDropped = new Counter({
    name: 'vitrine_collector_values_dropped_total',
    help: 'Vitals values and health counters dropped at ingest as impossible, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const writeSeconds = new Histogram({
    name: 'vitrine_collector_write_seconds',
    help: 'Time of one group commit (a transaction holding every report that arrived meanwhile).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'vitrine_collector_write_batch_reports',
    help: 'Reports per group commit.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [registry],
  });
  const alarmFailures = new Counter({
    name: 'vitrine_collector_alarm_evaluation_failures_total',
    help: "Alarm evaluations of one store that failed (that store's alarms left as they were; the other stores still evaluated).",
    registers: [registry],
  });
  const pruned = new Counter({ name: 'vitrine_collector_pruned_rows_total', help: 'Rows deleted by the retention job.', labelNames: ['table'], registers: [registry] });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('vitrine_collector_write_queue_depth', 'Reports waiting for their commit.', gauges.queueDepth);
  gauge('vitrine_collector_export_queue_depth', 'Views waiting for the OTLP export.', gauges.exportQueue);
  // The exporter keeps these totals itself; each is read at scrape time into a counter (`_total`).
  const total = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  total('vitrine_collector_export_dropped_total', 'Views the OTLP export dropped (its queue was full), since start.', gauges.exportDropped);
  total('vitrine_collector_export_failed_total', 'Views in OTLP export requests that failed, since start.', gauges.exportFailed);
  total('vitrine_collector_exported_total', 'Views exported over OTLP, since start.', gauges.exported);

  return {
    registry,
    request: (route: string, status: number) => requests.inc({ route, status: String(status) }),
    received: (n: number) => bytes.inc(n),
    stored: (fresh: boolean) => reports.inc({ outcome: fresh ? 'stored' : 'duplicate' }),
    rejected: (reason: string) => rejections.inc({ reason }),
    droppedValue: (reason: string) => valuesDropped.inc({ reason }),
    commit: (records: number, ms: number) => {
      writeSeconds.observe(ms / 1000);
      batchSize.observe(records);
    },
    pruned: (table: string, n: number) => pruned.inc({ table }, n),
    alarmFailed: () => alarmFailures.inc(),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
