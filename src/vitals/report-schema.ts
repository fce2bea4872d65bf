import { VitrineError } from '../errors.js';
import { z, describeIssues } from '../validate.js';

/**
 * The wire shape of one vitals report (`POST {collector}`). Exported so a collector can validate
 * what it receives with the very schema the SDK builds against. Limits are the caps the reporter
 * applies, so anything bigger did not come from Vitrine.
 */

import { MAX_BLANK_URLS, MAX_FIELD_CHARS, MAX_REPORT_BYTES, MAX_SDK_VERSION_CHARS, RELEASE_PATTERN, SDK_VERSION_PATTERN } from './limits.js';

export { MAX_BLANK_URLS, MAX_FIELD_CHARS, MAX_REPORT_BYTES };

const capped = () => z.string().check(z.maxLength(MAX_FIELD_CHARS));
const count = () => z.number().check(z.int(), z.minimum(0));
const finite = () => z.number().check(z.refine(Number.isFinite, { message: 'expected a finite number' }));

export const MetricName = z.enum(['LCP', 'CLS', 'INP', 'FCP', 'TTFB']);
export const Rating = z.enum(['good', 'needs-improvement', 'poor']);
export const NavigationType = z.enum(['navigate', 'reload', 'back-forward', 'back-forward-cache', 'prerender', 'restore']);

/** Only these attribution fields leave the page: enough to find the culprit, nothing personal. */
export const VitalAttribution = z.strictObject({
  /** LCP element, INP interaction target or CLS largest-shift target (a CSS selector). */
  target: z.optional(capped()),
  /** LCP resource URL, without its query string. */
  url: z.optional(capped()),
  /** INP: the script of the longest long-animation-frame, without its query string. */
  script: z.optional(capped()),
  /** LCP element sits inside a Vitrine widget. */
  inVitrine: z.optional(z.boolean()),
  /** LCP image came from the origin fallback (its CDN variant was bad). */
  fromOrigin: z.optional(z.boolean()),
});

export const VitalEntry = z.strictObject({
  name: MetricName,
  value: finite(),
  delta: finite(),
  id: z.string().check(z.maxLength(100)),
  rating: Rating,
  navigationType: NavigationType,
  attribution: z.optional(VitalAttribution),
});

const assetCounts = () => z.strictObject({ ok: count(), empty: count(), failed: count() });

export const HealthCounters = z.strictObject({
  /** API requests that went to the network, retries included. */
  apiRequests: count(),
  /** API attempts after the first. */
  apiRetries: count(),
  /** Products asked per batched API request. */
  batches: z.strictObject({ count: count(), ids: count(), max: count() }),
  cache: z.strictObject({ fresh: count(), stale: count(), miss: count() }),
  assets: z.strictObject({ image: assetCounts(), script: assetCounts(), style: assetCounts(), json: assetCounts() }),
  /** Asset attempts made against the origin because the CDN failed or was known bad. */
  originFallbacks: count(),
  breakerOpenings: count(),
  /** Retries taken from the page-wide retry budget (API and assets). */
  retryBudgetSpent: count(),
  /** Reports that could not be kept because the unsent queue was full. */
  beaconsDropped: count(),
  errors: count(),
  /** CDN URLs that answered blank or broken, for a targeted purge. */
  blankUrls: z.array(capped()).check(z.maxLength(MAX_BLANK_URLS)),
  /** Blank URLs seen beyond the ones listed. */
  blankUrlsOmitted: count(),
});

/** What every version of the report carries, after its `v` (and v2's `sdk` and `release`). */
const reportFields = {
  storeId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  /** One id per page view (a bfcache restore is a new view); the key to deduplicate on. */
  viewId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  /** The page path, without query string or fragment unless beforeSend puts them back. */
  page: z.string().check(z.maxLength(1024)),
  navigationType: NavigationType,
  /** When the report was built, ms since the epoch (a queued report arrives later). */
  time: count(),
  /** True when the report is delivered from the unsent queue on a later visit. */
  queued: z.optional(z.boolean()),
  vitals: z.array(VitalEntry).check(z.maxLength(5)),
  health: HealthCounters,
};

/** Version 1, from SDKs before report schema v2: still accepted (old SDKs' queued reports arrive for days). */
export const VitalsReportV1 = z.strictObject({
  /** Schema version: a collector can reject what it does not know. */
  v: z.literal(1),
  ...reportFields,
});

/** Version 2: says which SDK sent it and, when the merchant sets one, which release of their site. */
export const VitalsReportV2 = z.strictObject({
  v: z.literal(2),
  /** The SDK's version, stamped at build (package.json `version`). */
  sdk: z.string().check(z.maxLength(MAX_SDK_VERSION_CHARS), z.regex(SDK_VERSION_PATTERN)),
  /** The merchant's own release tag (the `release` option, `data-release`). */
  release: z.optional(z.string().check(z.regex(RELEASE_PATTERN))),
  ...reportFields,
});

/** Any report a collector should accept, told apart by `v`. The SDK sends v2. */
export const VitalsReport = z.discriminatedUnion('v', [VitalsReportV1, VitalsReportV2]);

export type VitalsReport = z.infer<typeof VitalsReport>;
export type VitalsReportV1 = z.infer<typeof VitalsReportV1>;
export type VitalsReportV2 = z.infer<typeof VitalsReportV2>;
export type VitalEntry = z.infer<typeof VitalEntry>;
export type VitalAttribution = z.infer<typeof VitalAttribution>;
export type HealthCounters = z.infer<typeof HealthCounters>;

/**
 * Validates a received report (a parsed JSON body, or its text). Throws `INVALID_RESPONSE`
 * naming the first field at fault.
 */
export function parseVitalsReport(body: unknown): VitalsReport {
  let value = body;
  if (typeof body === 'string') {
    if (body.length > 64 * 1024) {
      throw new VitrineError('INVALID_RESPONSE', `Expected a vitals report under 64 KB (the beacon quota), got ${body.length} characters`);
    }
    try {
      value = JSON.parse(body);
    } catch (cause) {
      throw new VitrineError('INVALID_RESPONSE', 'Expected a vitals report as JSON, got text that does not parse', { cause });
    }
  }
  const parsed = VitalsReport.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const { field, text } = describeIssues(parsed.error.issues);
    throw new VitrineError('INVALID_RESPONSE', `Invalid vitals report ${text}`, { field, cause: parsed.error });
  }
  return parsed.data;
}
