import { MAX_API_REQUESTS } from '../ingest/parse.js';

/**
 * Which stored counts the answers believe. Ingest drops a health counter no page view can count
 * (`absurd-counter`, ingest/parse.ts), but a row an older collector stored, or one written by hand,
 * may still hold one. Summed, it overflowed SQLite's 64-bit SUM (the whole answer a 500) or swamped
 * every real view's numbers. The answers leave out what they cannot believe and count the rows
 * (`skippedRows`):
 *
 * - API requests past 1,000 per view (what an older collector kept): that row's requests and its
 *   views are left out of requests per view only; its views, rates and vitals still count, since
 *   one view counted them right.
 * - A row with more than a billion views in its hour (the README's billion-a-day platform peaks at a
 *   fifth of that), more fallback, error or simulated views than views, or a bin counting more than
 *   a billion: written by hand, left out whole.
 *
 * `* 1000.0`: a NUMERIC product on PostgreSQL, where a BIGINT one would overflow.
 */
const MAX_ROW_VIEWS = 1_000_000_000;

/** An hourly counts row (`view_counts`, `count_rollup`) whose views can be counted at all. */
export const VIEWS_BELIEVABLE = `views <= ${MAX_ROW_VIEWS} AND fallback_views <= views AND error_views <= views AND simulated_views <= views`;

/** …and whose API requests can be, too. */
export const API_BELIEVABLE = `api_requests <= views * ${MAX_API_REQUESTS}.0`;

/** One raw page view (`reports`, the alarms' window) whose API requests are believable. */
export const REPORT_API_BELIEVABLE = `api_requests <= ${MAX_API_REQUESTS}`;

/** An hourly histogram row (`vital_bins`, `vital_rollup`): a bin counts views. */
export const BIN_BELIEVABLE = `n <= ${MAX_ROW_VIEWS}`;

/** A SUM that no stored value can overflow: doubles, exact to 2^53, past any real count. */
export const sum = (expression: string) => `SUM(CAST(${expression} AS DOUBLE PRECISION))`;
