import { CollectorError } from '../errors.js';
import { isMetric, MAX_VALUE } from '../field/thresholds.js';
import { parseVitalsReport, type VitalsReport } from '../sdk.js';

/**
 * Body text → a validated report. Values no real page view produces (NaN, which JSON carries as
 * null or a number too large for a double; a negative time; a duration over 15 minutes) are dropped
 * one by one and counted, so one broken metric does not cost the view's other four and its health
 * counters. Anything else wrong is the sender's bug: a coded 400 naming the field.
 */
export type DropReason = 'not-a-number' | 'negative' | 'absurd';

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
  const dropped = dropImpossibleValues(value);
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
