import { CollectorError } from '../errors.js';
import { rate, type Metric } from '../field/thresholds.js';
import type { VitalsReport } from '../sdk.js';
import type { ViewRecord } from './record.js';
import { classifyUserAgent } from './user-agent.js';

/**
 * A validated report plus what the request says about its sender → the stored view. This is
 * where the User-Agent becomes a browser family, major version and device class and is then
 * forgotten, and where the country comes from the one header the operator trusts. The client's
 * address never reaches this function.
 */
export interface RequestFacts {
  userAgent: string | undefined;
  /** The trusted country header's value, when one is configured. */
  country: string | undefined;
  receivedAt: number;
}

/** A queued report is accepted this late: the SDK keeps unsent reports for a later visit. */
export const MAX_LATENESS_MS = 7 * 24 * 3_600_000;
/** Client clocks run ahead; past this a view time is not believable. */
export const MAX_CLOCK_AHEAD_MS = 10 * 60_000;

export function normaliseCountry(value: string | undefined): string {
  const v = value?.trim().toUpperCase();
  return v && /^[A-Z]{2}$/.test(v) && v !== 'XX' ? v : 'unknown';
}

/** A report time as a date when it is one (past year 275760 `Date` gives up), else the number. */
const when = (t: number) => (t <= 8.64e15 ? new Date(t).toISOString() : `${t} ms`);

export function normalise(report: VitalsReport, facts: RequestFacts): ViewRecord {
  const queued = report.queued === true;
  // A live report is filed when it arrives (the client clock may be wrong); a queued one under its view.
  let viewTime = facts.receivedAt;
  if (queued) {
    if (report.time < facts.receivedAt - MAX_LATENESS_MS) {
      throw new CollectorError('REPORT_TOO_OLD', 400, `Expected a queued report at most 7 days old, got one from ${when(report.time)}`, 'time');
    }
    if (report.time > facts.receivedAt + MAX_CLOCK_AHEAD_MS) {
      throw new CollectorError('REPORT_IN_FUTURE', 400, `Expected a report time no later than now, got ${when(report.time)}`, 'time');
    }
    viewTime = Math.min(report.time, facts.receivedAt);
  }
  const client = classifyUserAgent(facts.userAgent);
  const v2 = report as VitalsReport & { sdk?: string; release?: string };
  // One value per metric and view (the last reported is the final one), as CrUX counts page views.
  const vitals = [...new Map(report.vitals.map((v) => [v.name, { ...v, rating: rate(v.name as Metric, v.value) }])).values()];
  return {
    storeId: report.storeId,
    viewId: report.viewId,
    viewTime,
    receivedAt: facts.receivedAt,
    page: report.page,
    browser: client.browser,
    browserMajor: client.browserMajor,
    device: client.device,
    country: normaliseCountry(facts.country),
    sdk: typeof v2.sdk === 'string' ? v2.sdk : 'unknown',
    release: typeof v2.release === 'string' ? v2.release : '',
    navigationType: report.navigationType,
    queued,
    schemaVersion: report.v,
    vitals: vitals.map((v) => ({ name: v.name as Metric, value: v.value, rating: v.rating })),
    health: report.health,
    report: { ...report, vitals },
  };
}
