/**
 * Per-client token buckets: `rate` reports a second on average, bursts of `burst`. The key (the
 * client address) lives only in this process's memory, so several instances each limit on their
 * own: behind a load balancer a client's effective limit is rate × instances.
 */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds to wait before the next one. */
  take(key: string): number;
  readonly size: number;
}

export interface RateLimitOptions {
  rate: number;
  burst: number;
  now?: () => number;
  /** Most clients tracked; past it, buckets that are full again are forgotten first. */
  maxClients?: number;
}

export function createRateLimiter({ rate, burst, now = Date.now, maxClients = 100_000 }: RateLimitOptions): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();

  function sweep(t: number) {
    for (const [key, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * rate >= burst) buckets.delete(key);
    // Still full of clients draining their buckets: forget the oldest, so memory stays bounded.
    if (buckets.size >= maxClients) {
      let excess = buckets.size - Math.floor(maxClients * 0.9);
      for (const key of buckets.keys()) {
        if (excess-- <= 0) break;
        buckets.delete(key);
      }
    }
  }

  return {
    take(key) {
      if (rate <= 0) return 0;
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxClients) sweep(t);
        b = { tokens: burst, at: t };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
        b.at = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate));
    },
    get size() {
      return buckets.size;
    },
  };
}
