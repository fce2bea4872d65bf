import { getResponse, http, type RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';
import { createBackend, DEFAULT_BASES, type Backend } from '../backend/handlers.js';

/**
 * The simulated store inside the console page: the same msw handlers the loopback server and the
 * Node tests use, answered by msw's service worker. API calls, cross-origin <img> loads, the SDK's
 * own files and beacons to the fake hosts never leave the browser, so the console needs nothing but
 * a static file server.
 */
export interface WorkerBackend {
  backend: Backend;
  stop(): void;
}

/** Where the generated worker script is served (scripts/demo.mjs copies it from the installed msw). */
export const WORKER_SCRIPT = '/mockServiceWorker.js';

/**
 * The SDK's built files (`/sdk/*` on the fake CDN and origin) come from the page's own origin under
 * `/dist/`: the page's fetch passes through the worker untouched (no handler matches its origin).
 */
export function createDistReader(base: string, fetchImpl: typeof fetch = fetch.bind(globalThis)) {
  return async (path: string): Promise<Uint8Array | undefined> => {
    const res = await fetchImpl(new URL(`dist/${path}`, base).href, { cache: 'no-cache' });
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
  };
}

/**
 * The backend's handlers as the service worker should run them. A request a page makes carries no
 * User-Agent header (the network stack adds it, after the worker), so it is added here: the
 * "blanks only for this browser" faults match on it, as they do over loopback. Chromium drops
 * User-Agent from a Request's own headers (a forbidden header there), so the request is handed on
 * with a standalone Headers object, which has no such guard.
 */
export function withUserAgent(backend: Backend, userAgent: string): RequestHandler[] {
  return Object.values(backend.bases).map((base) =>
    http.all(`${base}/*`, ({ request }) => {
      if (request.headers.has('user-agent')) return getResponse(backend.handlers, request);
      const headers = new Headers(request.headers);
      headers.set('user-agent', userAgent);
      const forwarded = new Request(request);
      Object.defineProperty(forwarded, 'headers', { value: headers });
      return getResponse(backend.handlers, forwarded);
    }),
  );
}

/** Starts the worker; resolves once it controls the page, so the storefront's first request is answered by it. */
export async function startWorkerBackend(pageOrigin = location.origin): Promise<WorkerBackend> {
  if (!('serviceWorker' in navigator)) {
    // Service workers need a secure context: https, or http on localhost / 127.0.0.1.
    throw new Error(`Service workers are unavailable on ${pageOrigin}: open the console over https or on 127.0.0.1/localhost`);
  }
  const backend = createBackend({ bases: { ...DEFAULT_BASES }, files: createDistReader(`${pageOrigin}/`) });
  const worker = setupWorker(...withUserAgent(backend, navigator.userAgent));
  // The console's own files, /dist/* and any real store pass through; msw should not warn about them.
  await worker.start({ serviceWorker: { url: WORKER_SCRIPT }, onUnhandledRequest: 'bypass', quiet: true });
  return { backend, stop: () => worker.stop() };
}
