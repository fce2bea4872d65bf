import { parseRetryAfter } from '../lib/backoff.js';
import type { AttemptContext, AttemptResult } from './fallback.js';
import { timeoutSignal } from '../lib/signals.js';

/**
 * One JSON attempt. A `200` is only a success when its body parses: zero bytes and an HTML error
 * page served as `200` are blanks. A retry bypasses the HTTP cache (`cache: 'reload'`) so a blank
 * the browser cached is not served to us again.
 */
export async function attemptJson(fetchImpl: typeof fetch, url: string, ctx: AttemptContext, timeoutMs: number): Promise<AttemptResult<unknown>> {
  const t = timeoutSignal(ctx.signal, timeoutMs);
  try {
    const res = await fetchImpl(url, { signal: t.signal, credentials: 'omit', ...(ctx.reload ? { cache: 'reload' as const } : {}) });
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      void res.body?.cancel().catch(() => undefined);
      return { outcome: 'error', status: res.status, reason: `status=${res.status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    const buffer = await res.arrayBuffer();
    const bytes = buffer.byteLength;
    if (bytes === 0) return { outcome: 'empty', status: res.status, bytes, reason: 'empty-body' };
    try {
      return { outcome: 'ok', status: res.status, bytes, value: JSON.parse(new TextDecoder().decode(buffer)) as unknown };
    } catch {
      return { outcome: 'empty', status: res.status, bytes, reason: 'invalid-json' };
    }
  } catch (err) {
    if (t.timedOut()) return { outcome: 'timeout', status: 0, reason: 'timeout' };
    if (ctx.signal.aborted) throw err;
    // A body cut short mid-stream lands here too: a network error as far as the shopper is concerned.
    return { outcome: 'error', status: 0, reason: err instanceof Error ? `network: ${err.message}` : 'network' };
  } finally {
    t.clear();
  }
}
