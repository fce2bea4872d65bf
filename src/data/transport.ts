import { VitrineError, messageOf } from '../errors.js';
import { preview } from '../check.js';
import { defined, type EventBus } from '../events.js';
import { backoffDelay, parseRetryAfter } from '../lib/backoff.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { abortableSleep, now as clock, timeoutSignal } from '../lib/signals.js';
import type { AssetHealth } from '../assets/health.js';
import { takePrefetched } from './prefetch.js';

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
  /**
   * The API's origin behind its CDN: `api` URLs that fail (blank, not JSON, 5xx, timeout, network)
   * are tried once at the same path under `apiOrigin.base`, remembered bad in `health`, and asked of
   * the origin directly while remembered.
   */
  apiOrigin?: { api: string; base: string; health: AssetHealth } | undefined;
}

export interface RequestContext {
  ids?: readonly string[];
}

export type GetJson = (url: string, context?: RequestContext) => Promise<unknown>;

interface Failure {
  error: VitrineError;
  /** Absent for an abort: never retried. */
  retryable?: boolean;
  retryAfterMs?: number | undefined;
  /** An empty body may be a cached blank: the retry must skip the HTTP cache. */
  reload?: boolean;
}

/**
 * GET a JSON document with a timeout, retries (network errors, 5xx, 408, 429, empty or non-JSON 2xx bodies;
 * never other 4xx) under the storefront-wide retry budget, and `Retry-After` honoured.
 */
export function createTransport(options: TransportOptions): GetJson {
  const { bus, budget, signal, retry, timeoutMs } = options;
  const now = options.now ?? clock;
  const random = options.random ?? Math.random;

  const fallback = options.apiOrigin;

  return async function getJson(url, { ids } = {}) {
    budget.recordRequest();
    let reload = false;
    // The same path under the API's origin, for an `api` URL.
    const originUrl = fallback && url.startsWith(fallback.api) ? fallback.base + url.slice(fallback.api.length) : undefined;
    // A URL remembered bad (this page or an earlier one) goes to the origin directly. The memory is read
    // from IndexedDB in parallel with the product cache, so this wait costs no extra round trip.
    if (originUrl) await fallback!.health.ready;
    let onOrigin = !!originUrl && fallback!.health.verdict(url) !== undefined;
    // The one origin try right after a failed API answer: a fallback, not a retry from the budget.
    let switched = false;
    // The bootstrap snippet's request for this URL, already in flight: the first attempt, not a second request.
    let adopted = takePrefetched(url);
    // Remembered bad: the origin is asked instead, and the early request is not worth its bytes.
    if (onOrigin) adopted?.a.abort();
    for (let attempt = 1; ; attempt++) {
      const started = now();
      const target = onOrigin ? originUrl! : url;
      const outcome = await attemptOnce(target, reload, ids, onOrigin ? undefined : adopted);
      adopted = undefined;
      const failed = 'error' in outcome;
      bus.emit(
        'request',
        defined({
          url: target,
          ids,
          ms: now() - started,
          attempt,
          source: 'network',
          host: onOrigin ? 'origin' : undefined,
          fallback: switched || undefined,
          status: failed ? (outcome.error.status ?? 0) : outcome.status,
          // A 2xx that is blank or not JSON: from the API, a bad cached variant to purge, like a blank CDN
          // file (from the API origin, listed too: nothing to purge there, but worth a look).
          blank: (failed && outcome.reload) || undefined,
        }),
      );
      switched = false;
      if (!failed) return outcome.body;
      if (!outcome.retryable || attempt >= retry.attempts || signal.aborted) throw outcome.error;
      if (originUrl && !onOrigin) {
        // The API's CDN failed: remember the URL (its host's breaker counts it, as for assets) and ask the
        // origin at once (no backoff: another server).
        fallback!.health.markBad(url, outcome.error.code);
        onOrigin = switched = true;
        continue;
      }
      if (!budget.tryAcquire()) {
        outcome.error.message += ' (not retried: the retry budget is spent)';
        throw outcome.error;
      }
      reload ||= outcome.reload === true;
      await abortableSleep(outcome.retryAfterMs ?? backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs, random), signal).catch(() => {
        throw aborted(url);
      });
    }
  };

  async function attemptOnce(
    url: string,
    reload: boolean,
    ids: readonly string[] | undefined,
    adopted?: { r: Promise<Response>; a: AbortController },
  ): Promise<{ status: number; body: unknown } | Failure> {
    // VitrineError copies ids either way: an undefined one gives what an absent one does.
    const context = { url, ids: ids! };
    if (signal.aborted) return { error: aborted(url) };
    const deadline = timeoutSignal(signal, timeoutMs);
    try {
      let response: Response;
      let text: string;
      // An adopted request was started without our signal: the deadline aborts it through the snippet's
      // controller (a hung one left open holds Chromium's cache lock on the URL, and our retry of that
      // URL would queue behind it) and races it, in case the abort is not heard.
      if (adopted) deadline.signal.addEventListener('abort', () => adopted.a.abort(), { once: true });
      const within = <T>(work: Promise<T>): Promise<T> => (adopted ? raceSignal(work, deadline.signal) : work);
      try {
        response = await within(
          adopted?.r ??
            options.fetch(url, {
              signal: deadline.signal,
              headers: { accept: 'application/json' },
              // 'same-origin', the fetch default: to a cross-origin API it sends no cookies, as 'omit'
              // would, and unlike 'omit' it matches the merchant's <link rel=preload as=fetch crossorigin>.
              credentials: 'same-origin',
              ...(reload && { cache: 'reload' as RequestCache }),
            }),
        );
        // The body is read inside the timeout too: a server may send headers and then stall.
        text = await within(response.text());
      } catch (cause) {
        if (signal.aborted) return { error: aborted(url) };
        if (deadline.timedOut()) {
          return { error: new VitrineError('TIMEOUT', `No answer from ${url} within ${timeoutMs} ms`, { ...context, cause }), retryable: true };
        }
        return { error: new VitrineError('NETWORK', `Network error fetching ${url}: ${messageOf(cause)}`, { ...context, cause }), retryable: true };
      }
      const status = response.status;
      if (!response.ok) {
        // 408 and 429 are the only 4xx worth a retry: a timeout and a rate limit, not the caller's fault.
        const retryable = status >= 500 || status === 408 || status === 429;
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

function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function aborted(url: string): VitrineError {
  return new VitrineError('ABORTED', `Request to ${url} aborted: the storefront was destroyed`, { url });
}

/** The start of a body, on one line, for an error message (check.ts's preview: quoted, 40 characters). */
const snippet = (text: string): string => preview(text.replace(/\s+/g, ' ').trim());
