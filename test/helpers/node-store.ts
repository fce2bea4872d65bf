import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createBackend, type Backend } from '../../demo/backend/index.js';
import { createStorefront } from '../../src/index.js';
import type { StorefrontInit } from '../../src/storefront.js';
import type { VitrineEventName, VitrineEvents } from '../../src/events.js';

/** The shared simulated backend behind msw/node, reset between tests. */
export function useBackend(): Backend {
  const backend = createBackend();
  const server = setupServer(...backend.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    backend.faults.clear();
    backend.resetCounts();
  });
  afterAll(() => server.close());
  return backend;
}

export function storeFor(backend: Backend, options: Partial<StorefrontInit> = {}) {
  const store = createStorefront({
    storeId: '1003',
    api: backend.bases.api,
    cdn: backend.bases.cdn,
    origin: backend.bases.origin,
    cache: { persist: false },
    ...options,
  });
  const events: { [K in VitrineEventName]: VitrineEvents[K][] } = { request: [], cache: [], asset: [], vital: [], error: [], breaker: [], cart: [] };
  for (const name of Object.keys(events) as VitrineEventName[]) store.on(name, (e) => (events[name] as unknown[]).push(e));
  return { store, events };
}

/** Only the product API calls that went over the network (control calls are not counted). */
export const apiRequests = (backend: Backend) => backend.counts().log.filter((e) => e.host === 'api');
