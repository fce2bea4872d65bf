import type { AttemptContext, AttemptResult } from './fallback.js';
import { attemptElement } from './element-attempt.js';
import { isBlank } from './timing.js';
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
  return attemptElement(
    script,
    url,
    ctx,
    timeoutMs,
    !!opts.integrity,
    (facts) => {
      if (thrown !== undefined) return `threw: ${thrown}`;
      if (opts.integrity) return undefined;
      if (opts.sentinel) return g[opts.sentinel] ? undefined : 'sentinel-missing';
      return isBlank(facts) ? 'empty-body' : undefined;
    },
    () => {
      (script as { src: unknown }).src = trustedScriptUrl(url);
      document.head.appendChild(script);
    },
    () => removeEventListener('error', onWindowError, true),
  );
}
