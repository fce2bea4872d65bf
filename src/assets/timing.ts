/**
 * What Resource Timing tells about a finished fetch, where the browser exposes it (same origin, or
 * the host sends `Timing-Allow-Origin`). It is the only way to see that an element-loaded asset came
 * back as a `200` with an empty body: a blank script or stylesheet fires `load` like a good one.
 */
export interface TimingFacts {
  /** Body bytes on the wire (0 for an empty body). */
  bytes: number | undefined;
  /** HTTP status (Chromium ≥ 109), undefined when not exposed. */
  status: number | undefined;
}

export function timingFacts(url: string): TimingFacts | undefined {
  const entries = (globalThis.performance?.getEntriesByName?.(url, 'resource') ?? []) as Array<PerformanceResourceTiming & { responseStatus?: number }>;
  const entry = entries[entries.length - 1];
  if (!entry) return undefined;
  // Without Timing-Allow-Origin every size reads 0: nothing can be concluded. The status is only
  // exposed for CORS requests (an <img> without crossorigin reads 0 even with the header).
  const status = entry.responseStatus || undefined;
  if (status === undefined && entry.transferSize === 0 && entry.encodedBodySize === 0) return undefined;
  return { bytes: entry.encodedBodySize, status };
}

/** A 200 whose body was empty, as far as the browser lets us see. */
export function isBlank(facts: TimingFacts | undefined): boolean {
  return facts !== undefined && facts.bytes === 0 && (facts.status === undefined || facts.status === 200);
}
