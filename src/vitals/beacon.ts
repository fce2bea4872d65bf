/**
 * Getting one report out of a page that is going away. `sendBeacon` is made for this (the browser
 * owns the request after unload); `fetch` with `keepalive` is the fallback when the beacon is
 * refused or missing. Neither can tell an unloading page whether the collector took it, so
 * "failed" here means failed *as far as the page can see*: offline, refused, or an answer the
 * page was still alive to read.
 */
export interface BeaconDeps {
  sendBeacon?: ((url: string, data: BodyInit) => boolean) | undefined;
  fetch?: typeof fetch | undefined;
  /** false means the browser knows it is offline. */
  onLine?: () => boolean;
}

export type SendOutcome =
  /** Handed to the browser; delivery is its business now. */
  | { via: 'beacon'; delivered: Promise<boolean> }
  /** A keepalive fetch; `delivered` settles if the page lives long enough to see the answer. */
  | { via: 'fetch'; delivered: Promise<boolean> }
  /** Not sent: keep it for later. */
  | { via: 'none'; delivered: Promise<boolean> };

const failed = (): SendOutcome => ({ via: 'none', delivered: Promise.resolve(false) });

/**
 * `text/plain` keeps the beacon a CORS "simple" request: no preflight, which an unloading page
 * could not wait for. The collector reads the body as JSON text.
 */
const CONTENT_TYPE = 'text/plain;charset=UTF-8';

export function sendReport(url: string, body: string, deps: BeaconDeps = {}): SendOutcome {
  const onLine = deps.onLine ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  if (!onLine()) return failed();
  const beacon = deps.sendBeacon ?? defaultBeacon();
  try {
    if (beacon?.(url, body)) return { via: 'beacon', delivered: Promise.resolve(true) };
  } catch {
    // A throwing sendBeacon (bad URL, CSP connect-src) falls through to fetch, which reports it.
  }
  const fetchImpl = deps.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchImpl) return failed();
  try {
    const delivered = fetchImpl(url, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': CONTENT_TYPE } }).then(
      (res) => res.ok,
      () => false,
    );
    return { via: 'fetch', delivered };
  } catch {
    return failed();
  }
}

/**
 * What a collector's answer means for a queued report: `delivered`; `rejected`, a 4xx the
 * collector will answer every time (invalid, too large, too old), so the report is dropped; or
 * `down` (network error, 408, 429, 5xx, anything else): keep it and try on a later visit.
 */
export type PostOutcome = 'delivered' | 'rejected' | 'down';

export function postOutcome(status: number): PostOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  return status >= 400 && status < 500 && status !== 408 && status !== 429 ? 'rejected' : 'down';
}

/** An ordinary POST for a page that is alive (the next visit's flush): its answer is read. */
export async function postReport(url: string, body: string, fetchImpl: typeof fetch): Promise<PostOutcome> {
  try {
    const res = await fetchImpl(url, { method: 'POST', body, credentials: 'omit', headers: { 'Content-Type': CONTENT_TYPE } });
    return postOutcome(res.status);
  } catch {
    return 'down';
  }
}

function defaultBeacon(): BeaconDeps['sendBeacon'] {
  if (typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return undefined;
  return (url, data) => navigator.sendBeacon(url, data);
}

export interface PageLifecycle {
  /** Called once per page view when it ends: first `visibilitychange`→hidden or `pagehide`. */
  onLeave: () => void;
  /** A bfcache restore: a new page view begins. */
  onRestore: () => void;
}

/**
 * Watches the page's lifecycle. Listeners are on `window` in the bubbling phase so they run
 * after web-vitals' capture-phase ones, which finalise LCP, CLS and INP on the same event.
 * No `unload` listener: it would keep the page out of the back/forward cache.
 */
export function watchPageLifecycle(handlers: PageLifecycle, target: Window = window): () => void {
  let ended = false;
  const leave = () => {
    if (ended) return;
    ended = true;
    handlers.onLeave();
  };
  const onVisibility = () => {
    if (target.document.visibilityState === 'hidden') leave();
  };
  const onShow = (event: PageTransitionEvent) => {
    if (!event.persisted) return;
    ended = false;
    handlers.onRestore();
  };
  const onHide = () => {
    // Unloading fires pagehide *before* the document turns hidden, and web-vitals finalises LCP,
    // CLS and INP only on that visibilitychange, which the spec's unload steps fire right after.
    // So a still-visible page waits for it; the timer is a safety net should it never come.
    if (target.document.visibilityState === 'hidden') leave();
    else setTimeout(leave, 0);
  };
  target.addEventListener('visibilitychange', onVisibility);
  target.addEventListener('pagehide', onHide);
  target.addEventListener('pageshow', onShow);
  return () => {
    target.removeEventListener('visibilitychange', onVisibility);
    target.removeEventListener('pagehide', onHide);
    target.removeEventListener('pageshow', onShow);
  };
}
