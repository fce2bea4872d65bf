import { CollectorError } from '../errors.js';
import { parseHttpUrl } from '../http-url.js';
import { isMetric, MAX_VALUE } from '../field/thresholds.js';
import { parseVitalsReport, type VitalsReport } from '../sdk.js';

/**
 * Body text → a validated report. Values no real page view produces (NaN, which JSON carries as
 * null or a number too large for a double; a negative time; a duration over 15 minutes; a health
 * counter past its bound below; a blank URL that is not an absolute http(s) URL) are dropped one
 * by one and counted, so one broken metric does not cost the view's other four and its health
 * counters. Anything else wrong is the sender's bug: a coded 400 naming the field.
 */
export type DropReason = 'not-a-number' | 'negative' | 'absurd' | 'absurd-counter' | 'not-a-url';

/**
 * The most one page view (a bfcache restore is its own) can count, per health counter. Generous
 * bounds, far past what the SDK makes (src/vitals/counters.ts): one batched API request per view
 * (none when warm), a retry budget of a tenth of them, batches of at most 500 ids (`batch.maxSize`).
 * Past these a counter did not come from a page view; summed over thousands of views they would
 * overflow the aggregates (SQLite's SUM is a 64-bit integer). Such a counter is dropped, which the
 * report's required field can only spell as 0, and counted under `absurd-counter`.
 */
export const MAX_API_REQUESTS = 1_000;
export const MAX_BATCH_IDS = 500;
export const MAX_COUNTER = 10_000;
const COUNTER_BOUNDS: Record<string, number> = {
  apiRequests: MAX_API_REQUESTS,
  apiRetries: MAX_API_REQUESTS,
  'batches.count': MAX_API_REQUESTS,
  'batches.max': MAX_BATCH_IDS,
};

export interface Parsed {
  report: VitalsReport;
  dropped: DropReason[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeBody(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CollectorError('INVALID_ENCODING', 400, 'Expected a UTF-8 body, got bytes that are not UTF-8');
  }
}

export function parseReport(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CollectorError('INVALID_JSON', 400, `Expected a vitals report as JSON, got ${text.length ? 'text that does not parse' : 'an empty body'}`);
  }
  const dropped = [...dropImpossibleValues(value), ...dropImpossibleCounters(value)];
  let report: VitalsReport;
  try {
    report = parseVitalsReport(value);
  } catch (error) {
    const e = error as { message?: string; field?: string };
    throw new CollectorError('INVALID_REPORT', 400, e.message ?? 'Invalid vitals report', e.field ?? '(root)');
  }
  const nul = fieldWithNul(report);
  // No page path or URL holds U+0000, and PostgreSQL cannot store it: refused the same on both stores.
  if (nul !== undefined) throw new CollectorError('INVALID_REPORT', 400, `Invalid vitals report ${nul}: expected text without the NUL character (U+0000)`, nul);
  // A blank URL is what an operator purges and the dashboard lists: only an absolute http(s) URL is one.
  const urls = report.health.blankUrls;
  const kept = urls.filter((url) => parseHttpUrl(url) !== undefined);
  if (kept.length !== urls.length) {
    for (let i = kept.length; i < urls.length; i++) dropped.push('not-a-url');
    report.health.blankUrls = kept;
  }
  return { report, dropped };
}

function fieldWithNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(root)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = fieldWithNul(child, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Removes (in place) the vitals entries whose value is impossible; returns why, one reason each. */
function dropImpossibleValues(value: unknown): DropReason[] {
  if (!value || typeof value !== 'object') return [];
  const vitals = (value as { vitals?: unknown }).vitals;
  if (!Array.isArray(vitals)) return [];
  const reasons: DropReason[] = [];
  const kept = vitals.filter((entry: unknown) => {
    if (!entry || typeof entry !== 'object') return true;
    const { name, value: v } = entry as { name?: unknown; value?: unknown };
    if (!isMetric(name)) return true; // the schema names that field
    let reason: DropReason | undefined;
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) reason = Number(v) === Infinity ? 'absurd' : 'not-a-number';
    else if (typeof v === 'number' && v < 0) reason = 'negative';
    else if (typeof v === 'number' && v > MAX_VALUE[name]) reason = 'absurd';
    if (reason) reasons.push(reason);
    return reason === undefined;
  });
  if (reasons.length) (value as { vitals: unknown[] }).vitals = kept;
  return reasons;
}

/**
 * Sets (in place) each health counter past its bound to 0; returns one reason per counter dropped.
 * Fractions, negatives and non-numbers are left to the schema (a coded 400): only the SDK's own
 * counting, gone wrong or forged, reaches these sizes.
 */
function dropImpossibleCounters(value: unknown): DropReason[] {
  if (!value || typeof value !== 'object') return [];
  const health = (value as { health?: unknown }).health;
  const reasons: DropReason[] = [];
  // The deepest counter is health.assets.image.ok: nothing deeper is a counter (the schema refuses it).
  const walk = (node: unknown, path: string, depth: number) => {
    if (!node || typeof node !== 'object' || Array.isArray(node) || depth > 3) return;
    for (const [key, child] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (key === 'blankUrls') continue;
      if (typeof child === 'number') {
        if (child > (COUNTER_BOUNDS[at] ?? MAX_COUNTER)) {
          (node as Record<string, unknown>)[key] = 0;
          reasons.push('absurd-counter');
        }
      } else walk(child, at, depth + 1);
    }
  };
  walk(health, '', 1);
  return reasons;
}
