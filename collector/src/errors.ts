/**
 * Every answer the collector refuses carries one of these codes, so a client (or the person
 * reading its logs) can tell "fix the sender" from "try again later" without parsing prose.
 */
export type CollectorErrorCode =
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_ENCODING'
  | 'INVALID_JSON'
  | 'INVALID_REPORT'
  | 'REPORT_TOO_OLD'
  | 'REPORT_IN_FUTURE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'INVALID_QUERY'
  | 'STORE_UNAVAILABLE'
  | 'BUSY';

export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  constructor(
    readonly code: CollectorErrorCode,
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  toJSON(): { error: { code: CollectorErrorCode; field?: string; message: string } } {
    return { error: { code: this.code, ...(this.field !== undefined && { field: this.field }), message: this.message } };
  }
}
