/**
 * A page-wide allowance for retries, shared by the API transport and the asset fallback:
 * retries may be at most `ratio` of first attempts, plus a small `floor`, so a failing
 * backend sees at most ~(1 + ratio)× its normal traffic from Vitrine, never a multiple.
 * (The token-bucket idea of gRPC's retry throttling and Finagle's RetryBudget.)
 */
export interface RetryBudget {
  /** Count a first attempt (earns `ratio` of a retry). */
  recordRequest(): void;
  /** Take one retry from the budget; false when spent. */
  tryAcquire(): boolean;
  readonly stats: { requests: number; retries: number; denied: number };
}

export function createRetryBudget(ratio: number, floor: number): RetryBudget {
  const stats = { requests: 0, retries: 0, denied: 0 };
  return {
    stats,
    recordRequest() {
      stats.requests++;
    },
    tryAcquire() {
      const allowed = floor + Math.floor(stats.requests * ratio);
      if (stats.retries < allowed) {
        stats.retries++;
        return true;
      }
      stats.denied++;
      return false;
    },
  };
}
