/**
 * The hand-off between the bootstrap snippet and the SDK. The snippet starts the page's product
 * request while vitrine.js is still downloading (`VitrinePrefetch[url]`); the transport adopts that
 * answer as its first attempt, so the page still makes one request, validated, retried and
 * budgeted like any other. The snippet decides synchronously whether to start it at all from a
 * freshness hint in localStorage that the SDK writes when it caches an answer: a warm view, whose
 * products IndexedDB still holds fresh, starts nothing.
 */
declare global {
  // Set by the bootstrap snippet (scripts/snippet.mjs): product API URL → its fetch in flight (r) and
  // the controller that aborts it (a).
  var VitrinePrefetch: Record<string, { r: Promise<Response>; a: AbortController }> | undefined;
}

/** localStorage key prefix of the freshness hints; the snippet spells the same prefix. */
export const HINT_PREFIX = 'vitrine-fresh:';

/** The request the snippet started for exactly `url`, handed out once. */
export function takePrefetched(url: string): { r: Promise<Response>; a: AbortController } | undefined {
  const pending = globalThis.VitrinePrefetch;
  const response = pending?.[url];
  if (response) delete pending![url];
  return response;
}

/** Whether the snippet started a request for `url` that nobody has taken yet. */
export const isPrefetched = (url: string): boolean => !!globalThis.VitrinePrefetch?.[url];

/** The id sets of the snippet's pending `?ids=` requests under `base`, so a batch can adopt them whole. */
export function prefetchedIdSets(base: string): string[][] {
  const prefix = `${base}?ids=`;
  return Object.keys(globalThis.VitrinePrefetch ?? {})
    .filter((url) => url.startsWith(prefix))
    .map((url) => url.slice(prefix.length).split(','));
}

/**
 * Notes that the answer for `url` is cached until `until` (ms since the epoch), and drops hints that
 * have expired, so the hints never outgrow the pages a shopper has seen lately. Storage that throws
 * (privacy mode, quota) only costs the snippet its shortcut.
 */
export function writeFreshHint(url: string, until: number, now = Date.now()): void {
  try {
    for (let i = localStorage.length; i--; ) {
      const key = localStorage.key(i);
      if (key?.startsWith(HINT_PREFIX) && !(Number(localStorage.getItem(key)) > now)) localStorage.removeItem(key);
    }
    localStorage.setItem(HINT_PREFIX + url, String(until));
  } catch {
    // No hint: the next view's snippet starts the request early, which is only ever one request.
  }
}
