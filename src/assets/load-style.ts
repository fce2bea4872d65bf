import type { AttemptContext, AttemptResult } from './fallback.js';
import { attemptElement } from './element-attempt.js';

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
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.crossOrigin = 'anonymous';
  if (opts.integrity) link.integrity = opts.integrity;
  return attemptElement(
    link,
    url,
    ctx,
    timeoutMs,
    !!opts.integrity,
    () => {
      let rules = -1;
      try {
        rules = link.sheet?.cssRules.length ?? 0;
      } catch {
        // SecurityError: the answer came without CORS headers; rules cannot be checked, trust the load.
      }
      return rules === 0 ? 'no-css-rules' : undefined;
    },
    () => {
      link.href = url;
      document.head.appendChild(link);
    },
  );
}
