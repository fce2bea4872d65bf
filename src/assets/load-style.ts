import type { AttemptContext, AttemptResult } from './fallback.js';
import { timingFacts } from './timing.js';

export interface StyleOptions {
  /** Subresource Integrity hash: an empty or corrupt body then fails instead of applying nothing. */
  integrity?: string;
}

/**
 * One `<link rel=stylesheet>` attempt. A blank stylesheet "loads" fine, so success also requires
 * rules: `crossorigin=anonymous` makes `cssRules` readable for a CDN that sends CORS headers.
 * (A stylesheet that is legitimately empty cannot be told from a blank one; ship at least one rule.)
 */
export function attemptStyle(url: string, ctx: AttemptContext, opts: StyleOptions, timeoutMs: number): Promise<AttemptResult<HTMLLinkElement>> {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.crossOrigin = 'anonymous';
    if (opts.integrity) link.integrity = opts.integrity;
    const finish = (result: AttemptResult<HTMLLinkElement> | Error) => {
      clearTimeout(timer);
      link.onload = link.onerror = null;
      ctx.signal.removeEventListener('abort', onAbort);
      // A failed sheet is taken out, so a blank or HTML answer never lingers in the page's cascade.
      if (result instanceof Error || result.outcome !== 'ok') link.remove();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
    const timer = setTimeout(() => finish({ outcome: 'timeout', reason: `no load within ${timeoutMs}ms` }), timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    link.onload = () => {
      const facts = timingFacts(url);
      const extra = facts?.bytes === undefined ? {} : { bytes: facts.bytes };
      let rules = -1;
      try {
        rules = link.sheet?.cssRules.length ?? 0;
      } catch {
        // SecurityError: the answer came without CORS headers; rules cannot be checked, trust the load.
      }
      finish(rules === 0 ? { outcome: 'empty', reason: 'no-css-rules', ...extra } : { outcome: 'ok', value: link, ...extra });
    };
    link.onerror = () => {
      const facts = timingFacts(url);
      const status = facts?.status;
      const extra = { ...(facts?.bytes === undefined ? {} : { bytes: facts.bytes }), ...(status === undefined ? {} : { status }) };
      if (status === 200) finish({ outcome: 'empty', reason: opts.integrity ? 'integrity-mismatch' : 'refused-body', ...extra });
      else finish({ outcome: 'error', reason: status ? `status=${status}` : 'load-error', ...extra });
    };
    link.href = url;
    document.head.appendChild(link);
  });
}
