import { VitrineError, messageOf } from '../errors.js';
import type { EventBus } from '../events.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import type { RetryBudget } from './retry-budget.js';
import { abortableSleep, now as clock, timeoutSignal } from '../signals.js';

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  budget: RetryBudget;
  bus: EventBus;
  /** Aborting it (destroy()) rejects everything in flight with ABORTED. */
  signal: AbortSignal;
  now?: () => number;
  random?: () => number;
}

export interface RequestContext {
  ids?: readonly string[];
}

export type GetJson = (url: string, context?: RequestContext) => Promise<unknown>;

interface Failure {
  error: VitrineError;
  retryable: boolean;
  retryAfterMs?: number | undefined;
  /** An empty body may be a cached blank: the retry must skip the HTTP cache. */
  reload?: boolean;
}

const RETRYABLE_STATUS = new Set([408, 429]);

/**
 * GET a JSON document with a timeout, retries (network errors, 5xx, 408, 429, empty or non-JSON 2xx bodies;
 * never other 4xx) under the storefront-wide retry budget, and `Retry-After` honoured.
 */
export function createTransport(options: TransportOptions): GetJson {
  const { bus, budget, signal, retry } = options;
  const now = options.now ?? clock;
  const random = options.random ?? Math.random;

  return async function getJson(url, context = {}) {
    const ids = context.ids;
    budget.recordRequest();
    let reload = false;
    for (let attempt = 1; ; attempt++) {
      const started = now();
      const outcome = await attemptOnce(url, reload, ids);
      if (!('error' in outcome)) {
        bus.emit('request', { url, ...(ids && { ids }), status: outcome.status, ms: now() - started, attempt, source: 'network' });
        return outcome.body;
      }
      bus.emit('request', { url, ...(ids && { ids }), status: outcome.error.status ?? 0, ms: now() - started, attempt, source: 'network' });
      if (!outcome.retryable || attempt >= retry.attempts || signal.aborted) throw outcome.error;
      if (!budget.tryAcquire()) {
        throw new VitrineError(outcome.error.code, `${outcome.error.message.replace(/^\[vitrine\] /, '')} (not retried: the retry budget is spent)`, {
          url,
          ...(outcome.error.status !== undefined && { status: outcome.error.status }),
          ...(ids && { ids }),
          cause: outcome.error,
        });
      }
      reload ||= outcome.reload === true;
      await abortableSleep(outcome.retryAfterMs ?? backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs, random), signal).catch(() => {
        throw aborted(url);
      });
    }
  };

  async function attemptOnce(url: string, reload: boolean, ids: readonly string[] | undefined): Promise<{ status: number; body: unknown } | Failure> {
    const context = { url, ...(ids && { ids }) };
    if (signal.aborted) return { error: aborted(url), retryable: false };
    const deadline = timeoutSignal(signal, options.timeoutMs);
    try {
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(url, {
          signal: deadline.signal,
          headers: { accept: 'application/json' },
          credentials: 'omit',
          ...(reload && { cache: 'reload' as RequestCache }),
        });
        // The body is read inside the timeout too: a server may send headers and then stall.
        text = await response.text();
      } catch (cause) {
        if (signal.aborted) return { error: aborted(url), retryable: false };
        if (deadline.timedOut()) {
          return { error: new VitrineError('TIMEOUT', `No answer from ${url} within ${options.timeoutMs} ms`, { ...context, cause }), retryable: true };
        }
        return { error: new VitrineError('NETWORK', `Network error fetching ${url}: ${messageOf(cause)}`, { ...context, cause }), retryable: true };
      }
      const status = response.status;
      if (!response.ok) {
        const retryable = status >= 500 || RETRYABLE_STATUS.has(status);
        return {
          error: new VitrineError('HTTP', `Expected 2xx from ${url}, got ${status}${text ? `: ${snippet(text)}` : ''}`, { ...context, status }),
          retryable,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        };
      }
      if (text.trim() === '') {
        return {
          error: new VitrineError('EMPTY_RESPONSE', `Expected a JSON body from ${url}, got an empty ${status} answer`, { ...context, status }),
          retryable: true,
          reload: true,
        };
      }
      try {
        return { status, body: JSON.parse(text) as unknown };
      } catch (cause) {
        return {
          error: new VitrineError('INVALID_RESPONSE', `Expected JSON from ${url}, got ${response.headers.get('content-type') ?? 'no content-type'}: ${snippet(text)}`, {
            ...context,
            status,
            cause,
          }),
          // A 2xx that is not JSON (an HTML page, a body cut short) is the same class of fault as an
          // empty one: often a bad cached variant of this CDN-cacheable URL, so retried with a reload.
          retryable: true,
          reload: true,
        };
      }
    } finally {
      deadline.clear();
    }
  }
}

function aborted(url: string): VitrineError {
  return new VitrineError('ABORTED', `Request to ${url} aborted: the storefront was destroyed`, { url });
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

