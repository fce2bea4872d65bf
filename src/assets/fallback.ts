import { VitrineError, messageOf } from '../errors.js';
import { defined, type AssetHost, type AssetKind, type AssetOutcome, type EventBus } from '../events.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { backoffDelay } from '../lib/backoff.js';
import { abortableSleep, now as clock } from '../lib/signals.js';
import type { AssetHealth } from './health.js';

/** What one attempt against one host produced. */
export interface AttemptResult<T> {
  outcome: Exclude<AssetOutcome, 'skipped'>;
  /** The URL really fetched when it differs from the one asked (an `<img>` picking a srcset candidate). */
  url?: string;
  bytes?: number;
  status?: number;
  retryAfterMs?: number;
  reason?: string;
  value?: T;
}

export interface AttemptContext {
  /** The attempt is a retry: bypass the HTTP cache where the loader can. */
  reload: boolean;
  signal: AbortSignal;
}

export interface FallbackResult<T> {
  host: AssetHost | 'none';
  url: string;
  outcome: AssetOutcome;
  value?: T;
}

export interface FallbackDeps {
  bus: EventBus;
  budget: RetryBudget;
  health: AssetHealth;
  /** Total tries per asset, CDN included; tries past CDN + origin come out of `budget`. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface FallbackJob<T> {
  kind: AssetKind;
  cdnUrl: string;
  originUrl: string;
  /** Skip the CDN for a reason the loader knows better (e.g. another srcset candidate is remembered bad). */
  skip?: string | undefined;
  signal: AbortSignal;
  attempt(url: string, host: AssetHost, ctx: AttemptContext): Promise<AttemptResult<T>>;
}

/**
 * The CDN→origin path shared by every loader: at most one CDN attempt and one origin attempt per
 * asset; anything more is a retry against the origin, taken from the page-wide budget after backoff
 * with full jitter (or `Retry-After`, when longer). A failing CDN is never retried: the origin is the
 * retry, so a blank CDN costs exactly one extra request per asset, and a healthy CDN none.
 */
export function loadWithFallback<T>(job: FallbackJob<T>, deps: FallbackDeps): Promise<FallbackResult<T>> {
  return cdnFirst(job, deps, fromOrigin);
}

/** What happens once the CDN copy failed or was skipped (`fromOrigin`, or the script tag's lazy twin of it). */
export type OriginStep = <T>(job: FallbackJob<T>, deps: FallbackDeps, skipped: boolean) => Promise<FallbackResult<T>>;

/** The CDN's part: the one attempt (unless skipped), its failure remembered; the rest is `origin`'s. */
export async function cdnFirst<T>(job: FallbackJob<T>, deps: FallbackDeps, origin: OriginStep): Promise<FallbackResult<T>> {
  // Awaited here, not in cdnVerdict: one await before the CDN attempt starts, so an image has its
  // source by the time the widget that asked for it says it rendered.
  await deps.health.ready;
  const skip = cdnVerdict(job, deps);
  if (!skip) {
    const cdn = await attemptOn(job, deps, job.cdnUrl, 'cdn', false);
    if (cdn.outcome === 'ok') return done('cdn', cdn, job.cdnUrl);
    deps.health.markBad(cdn.url ?? job.cdnUrl, cdn.reason ?? cdn.outcome);
  }
  return origin(job, deps, !!skip);
}

/**
 * Once health is ready: counts the asset's request, and says why its CDN copy is not tried (remembered bad, breaker open),
 * as a `skipped` event; undefined when it may be.
 */
function cdnVerdict(job: FallbackJob<unknown>, { bus, health, budget }: FallbackDeps): string | undefined {
  budget.recordRequest();
  const skip = job.skip ?? health.verdict(job.cdnUrl);
  if (skip) bus.emit('asset', { url: job.cdnUrl, kind: job.kind, host: 'cdn', outcome: 'skipped', ms: 0, reason: skip });
  return skip;
}

/** One attempt against one host, as an `asset` event; a loader that throws is a failed attempt. */
export async function attemptOn<T>(job: FallbackJob<T>, deps: FallbackDeps, url: string, host: AssetHost, reload: boolean): Promise<AttemptResult<T>> {
  const now = deps.now ?? clock;
  if (job.signal.aborted) throw aborted(url);
  const start = now();
  let result: AttemptResult<T>;
  try {
    result = await job.attempt(url, host, { reload, signal: job.signal });
  } catch (err) {
    if (job.signal.aborted) throw aborted(url);
    // A loader that throws is a loader bug or a blocked URL (Trusted Types, CSP): a failed attempt.
    result = { outcome: 'error', reason: messageOf(err) };
  }
  if (job.signal.aborted) throw aborted(url);
  deps.bus.emit(
    'asset',
    defined({ url: result.url ?? url, kind: job.kind, host, outcome: result.outcome, ms: Math.round(now() - start), bytes: result.bytes, reason: result.reason }),
  );
  return result;
}

/**
 * The origin's part, once the CDN copy failed or was skipped: one attempt, then retries from the
 * budget. The script tag loads it (dist/vitrine-recover.js) only when a view first needs it.
 */
export async function fromOrigin<T>(job: FallbackJob<T>, deps: FallbackDeps, skipped: boolean): Promise<FallbackResult<T>> {
  const sleep = deps.sleep ?? abortableSleep;
  const { budget } = deps;
  let origin = await attemptOn(job, deps, job.originUrl, 'origin', !skipped);
  for (let tries = skipped ? 1 : 2; origin.outcome !== 'ok' && tries < deps.attempts && retryable(origin); tries++) {
    if (!budget.tryAcquire()) break;
    const delay = Math.max(backoffDelay(tries - 1, deps.baseDelayMs, deps.maxDelayMs, deps.random), origin.retryAfterMs ?? 0);
    await sleep(delay, job.signal).catch(() => undefined);
    if (job.signal.aborted) throw aborted(job.originUrl);
    origin = await attemptOn(job, deps, job.originUrl, 'origin', true);
  }
  return origin.outcome === 'ok' ? done('origin', origin, job.originUrl) : { host: 'none', url: origin.url ?? job.originUrl, outcome: origin.outcome };
}

function done<T>(host: AssetHost, r: AttemptResult<T>, url: string): FallbackResult<T> {
  return defined({ host, url: r.url ?? url, outcome: 'ok' as const, value: r.value });
}

/** Worth asking the origin again: it timed out, was unreachable, overloaded or asked us to wait. An empty or 404 answer will not change. */
export function retryable(r: AttemptResult<unknown>): boolean {
  if (r.outcome === 'timeout') return true;
  if (r.outcome !== 'error') return false;
  return r.status === undefined || r.status === 0 || r.status === 429 || r.status >= 500;
}

function aborted(url: string): VitrineError {
  return new VitrineError('ABORTED', `Asset load of ${url} was aborted (storefront destroyed or signal aborted)`, { url });
}
