import { z } from '../../src/validate.js';
import { HealthCounters } from '../../src/vitals/report-schema.js';
import type { LoggedEvent } from './event-log.js';
import type { ConsoleSettings } from './settings.js';

/**
 * The "Copy diagnostics report": everything support needs from one page view, pasted into a ticket.
 * Documented by this schema (zod/mini), which the tests validate copied reports against.
 *
 * - `environment`: the browser and page (user agent, language, viewport, connection…).
 * - `settings`: the store the view was made against, and whether it was the simulated one.
 * - `faults`: the simulated backend's active fault rules (empty for a real store).
 * - `events`: every bus event in order, `t` ms since the view started, `data` as emitted.
 * - `vitals`: the latest value and rating of each web-vital measured.
 * - `counters`: Vitrine's health counters (the same shape the vitals beacon carries).
 * - `blankCdnUrls`: every CDN URL that answered blank or broken, to purge.
 */
export const DIAGNOSTICS_KIND = 'vitrine-diagnostics';

const EventType = z.enum(['request', 'cache', 'asset', 'vital', 'error', 'breaker', 'cart']);

export const DiagnosticsReport = z.strictObject({
  kind: z.literal(DIAGNOSTICS_KIND),
  version: z.literal(1),
  /** ISO 8601. */
  createdAt: z.string().check(z.regex(/^\d{4}-\d\d-\d\dT/)),
  environment: z.strictObject({
    userAgent: z.string(),
    language: z.string(),
    url: z.string(),
    viewport: z.strictObject({ width: z.number(), height: z.number() }),
    devicePixelRatio: z.number(),
    online: z.boolean(),
    timeZone: z.string(),
    connection: z.optional(z.string()),
  }),
  settings: z.strictObject({
    storeId: z.string(),
    api: z.string(),
    cdn: z.string(),
    origin: z.string(),
    collector: z.optional(z.string()),
    limit: z.number(),
    category: z.optional(z.string()),
    simulated: z.boolean(),
  }),
  faults: z.array(z.looseObject({ host: z.string(), fault: z.string() })),
  events: z.array(z.strictObject({ t: z.number(), type: EventType, data: z.record(z.string(), z.unknown()) })),
  vitals: z.array(z.strictObject({ name: z.enum(['LCP', 'CLS', 'INP', 'FCP', 'TTFB']), value: z.number(), rating: z.enum(['good', 'needs-improvement', 'poor']) })),
  counters: HealthCounters,
  blankCdnUrls: z.array(z.string()),
});

export type DiagnosticsReport = z.infer<typeof DiagnosticsReport>;

/** Validates a pasted report; throws an Error naming the first wrong field. */
export function parseDiagnosticsReport(input: unknown): DiagnosticsReport {
  const parsed = DiagnosticsReport.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`Not a Vitrine diagnostics report: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
}

export interface ReportInputs {
  settings: ConsoleSettings;
  faults: ReadonlyArray<{ host: string; fault: string }>;
  events: readonly LoggedEvent[];
  viewStart: number;
  vitals: Iterable<{ name: DiagnosticsReport['vitals'][number]['name']; value: number; rating: DiagnosticsReport['vitals'][number]['rating'] }>;
  counters: HealthCounters;
  now?: () => Date;
}

export function buildDiagnosticsReport(input: ReportInputs): DiagnosticsReport {
  const { settings } = input;
  const nav = navigator as Navigator & { connection?: { effectiveType?: string } };
  const blank = new Set<string>();
  for (const e of input.events) if (e.type === 'asset' && e.data.host === 'cdn' && e.data.outcome === 'empty') blank.add(e.data.url);
  const report: DiagnosticsReport = {
    kind: DIAGNOSTICS_KIND,
    version: 1,
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    environment: {
      userAgent: nav.userAgent,
      language: document.documentElement.lang || nav.language,
      url: location.href,
      viewport: { width: innerWidth, height: innerHeight },
      devicePixelRatio,
      online: nav.onLine,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      ...(nav.connection?.effectiveType ? { connection: nav.connection.effectiveType } : {}),
    },
    settings: {
      storeId: settings.storeId,
      api: settings.api,
      cdn: settings.cdn,
      origin: settings.origin,
      limit: settings.limit,
      simulated: settings.simulated,
      ...(settings.collector ? { collector: settings.collector } : {}),
      ...(settings.category ? { category: settings.category } : {}),
    },
    faults: input.faults.map((f) => ({ ...f })),
    // A JSON round trip drops what JSON cannot carry (undefined fields, functions).
    events: input.events.map((e) => ({ t: Math.round(e.end - input.viewStart), type: e.type, data: JSON.parse(JSON.stringify(e.data)) as Record<string, unknown> })),
    vitals: [...input.vitals].map(({ name, value, rating }) => ({ name, value, rating })),
    counters: input.counters,
    blankCdnUrls: [...blank],
  };
  return report;
}

export const reportText = (report: DiagnosticsReport) => JSON.stringify(report, null, 2);

/** Copies to the clipboard; false when the page may not (no permission, insecure context). */
export async function copyReport(report: DiagnosticsReport): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(reportText(report));
    return true;
  } catch {
    return false;
  }
}

export function reportFileName(report: DiagnosticsReport): string {
  return `vitrine-diagnostics-${report.settings.storeId}-${report.createdAt.replace(/[:.]/g, '-')}.json`;
}

/** The same report as a downloaded file. */
export function downloadReport(report: DiagnosticsReport): void {
  const url = URL.createObjectURL(new Blob([reportText(report)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = reportFileName(report);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
