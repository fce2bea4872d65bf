import type { AttemptContext, AttemptResult } from './fallback.js';
import { timingFacts, type TimingFacts } from './timing.js';
import { abortReason } from '../lib/signals.js';
import { messageOf } from '../errors.js';
import { defined } from '../events.js';

type Extra = { bytes?: number; status?: number };

/** The Resource Timing facts an `asset` event carries. */
export function factsExtra(facts: TimingFacts | undefined): Extra {
  return defined({ bytes: facts?.bytes, status: facts?.status });
}

/**
 * Why an element fired `error`: after a 200 the browser refused the body (integrity mismatch, an
 * unusable answer): a blank, not an outage; otherwise the status or a plain load error.
 */
export function errorOutcome<T>(url: string, integrity: boolean): AttemptResult<T> {
  const facts = timingFacts(url);
  const extra = factsExtra(facts);
  if (facts?.status === 200) return { outcome: 'empty', reason: integrity ? 'integrity-mismatch' : 'undecodable', ...extra };
  return { outcome: 'error', reason: facts?.status ? `status=${facts.status}` : 'load-error', ...extra };
}

/**
 * One attempt with a `<script>` or `<link>`: waits for `load` (judged by `judge`: why the loaded
 * element is a blank, undefined when it is good), `error`, the timeout or an abort, and takes a
 * failed element out of the page so a blank never lingers.
 */
export function attemptElement<E extends HTMLScriptElement | HTMLLinkElement>(
  element: E,
  url: string,
  ctx: AttemptContext,
  timeoutMs: number,
  integrity: boolean,
  judge: (facts: TimingFacts | undefined) => string | undefined,
  insert: () => void,
  cleanup: () => void = () => undefined,
): Promise<AttemptResult<E>> {
  return new Promise((resolve, reject) => {
    const finish = (result: AttemptResult<E> | Error) => {
      clearTimeout(timer);
      cleanup();
      element.onload = element.onerror = null;
      ctx.signal.removeEventListener('abort', onAbort);
      // A failed element leaves the page for a document of its own: a script still downloading (a hung
      // CDN copy) then never runs, even if it arrives after the origin copy ran, because a script only
      // executes in the document it was prepared in (HTML: "execute the script element", step 2).
      if (result instanceof Error || result.outcome !== 'ok') new Document().adoptNode(element);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(abortReason(ctx.signal));
    const timer = setTimeout(() => finish({ outcome: 'timeout', reason: `no load within ${timeoutMs}ms` }), timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    element.onload = () => {
      const facts = timingFacts(url);
      const reason = judge(facts);
      const extra = factsExtra(facts);
      finish(reason === undefined ? { outcome: 'ok', value: element, ...extra } : { outcome: 'empty', reason, ...extra });
    };
    element.onerror = () => finish(errorOutcome(url, integrity));
    try {
      insert();
    } catch (err) {
      finish({ outcome: 'error', reason: messageOf(err) });
    }
  });
}
