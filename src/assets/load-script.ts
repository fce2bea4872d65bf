import type { AttemptContext, AttemptResult } from './fallback.js';
import { isBlank, timingFacts } from './timing.js';
import { trustedScriptUrl } from './trusted-types.js';

export interface ScriptOptions {
  /** Subresource Integrity hash: an empty or corrupt body then fails to load instead of "running" as nothing. */
  integrity?: string;
  /** A global the script sets when it has run (e.g. `__vitrineAsset_cart`); how a script without a hash proves it ran. */
  sentinel?: string;
}

/**
 * One `<script>` attempt. A zero-byte script fires `load` like a good one (the incident), so `load`
 * alone proves nothing: with `integrity` the browser checks the bytes; without it the script must
 * have set its sentinel; with neither, only an empty body seen through Resource Timing is caught.
 */
export function attemptScript(url: string, ctx: AttemptContext, opts: ScriptOptions, timeoutMs: number): Promise<AttemptResult<HTMLScriptElement>> {
  return new Promise((resolve, reject) => {
    const g = globalThis as Record<string, unknown>;
    // The sentinel belongs to the asset contract: cleared so a previous run cannot vouch for this one.
    if (opts.sentinel) delete g[opts.sentinel];
    const script = document.createElement('script');
    script.crossOrigin = 'anonymous';
    if (opts.integrity) script.integrity = opts.integrity;
    script.async = true;
    // An HTML error page served as a script runs as one and throws a SyntaxError at the page. That
    // error belongs to this attempt: it is caught here (before the page's own handlers, so merchants'
    // error monitoring does not page them for a CDN blank), turned into an `empty` outcome, and
    // reported on the event bus instead.
    let thrown: string | undefined;
    const onWindowError = (event: ErrorEvent) => {
      if (event.filename !== url) return;
      thrown = event.message || 'script error';
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    addEventListener('error', onWindowError, true);
    const finish = (result: AttemptResult<HTMLScriptElement> | Error) => {
      clearTimeout(timer);
      removeEventListener('error', onWindowError, true);
      script.onload = script.onerror = null;
      ctx.signal.removeEventListener('abort', onAbort);
      if (result instanceof Error || result.outcome !== 'ok') script.remove();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
    const timer = setTimeout(() => finish({ outcome: 'timeout', reason: `no load within ${timeoutMs}ms` }), timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    script.onload = () => {
      const facts = timingFacts(url);
      const bytes = facts?.bytes;
      const extra = bytes === undefined ? {} : { bytes };
      if (thrown !== undefined) return finish({ outcome: 'empty', reason: `threw: ${thrown}`, ...extra });
      if (opts.integrity) return finish({ outcome: 'ok', value: script, ...extra });
      if (opts.sentinel) {
        return finish(g[opts.sentinel] ? { outcome: 'ok', value: script, ...extra } : { outcome: 'empty', reason: 'sentinel-missing', ...extra });
      }
      finish(isBlank(facts) ? { outcome: 'empty', reason: 'empty-body', ...extra } : { outcome: 'ok', value: script, ...extra });
    };
    script.onerror = () => {
      const facts = timingFacts(url);
      const status = facts?.status;
      const extra = { ...(facts?.bytes === undefined ? {} : { bytes: facts.bytes }), ...(status === undefined ? {} : { status }) };
      // An error after a 200 is the browser refusing the body: integrity mismatch or an unusable answer.
      if (status === 200) finish({ outcome: 'empty', reason: opts.integrity ? 'integrity-mismatch' : 'refused-body', ...extra });
      else finish({ outcome: 'error', reason: status ? `status=${status}` : 'load-error', ...extra });
    };
    try {
      (script as { src: unknown }).src = trustedScriptUrl(url);
      document.head.appendChild(script);
    } catch (err) {
      finish({ outcome: 'error', reason: err instanceof Error ? err.message : 'blocked' });
    }
  });
}
