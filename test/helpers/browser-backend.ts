import { inject } from 'vitest';
import type { FaultRule, RequestCounts } from '../../demo/backend/index.js';
import { createStorefront, type Storefront, type StorefrontOptions } from '../../src/index.js';

/** The loopback backend started by test/setup/backend-server.ts, driven over HTTP. */
export function backendUrls() {
  return inject('backend');
}

async function control(path: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(`${backendUrls().api}/__control/${path}`, init);
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

export const backend = {
  reset: () => control('reset', { method: 'POST' }),
  addFault: async (rule: FaultRule) =>
    ((await control('faults', { method: 'POST', body: JSON.stringify(rule), headers: { 'content-type': 'application/json' } })) as { id: string }).id,
  clearFaults: () => control('faults', { method: 'DELETE' }),
  counts: () => control('counts') as Promise<RequestCounts>,
  beacons: () => control('beacons') as Promise<unknown[]>,
};

/** A unique IndexedDB name per test, so one test's cache never serves another's. */
export const freshDbName = (label: string) => `vitrine-test-${label}-${Math.random().toString(36).slice(2)}`;

/** A storefront for store 1003 on the loopback backend, its cache in a fresh database of its own, not persisted; `options` on top. */
export function backendStore(label: string, options: Partial<StorefrontOptions> = {}): Storefront {
  const urls = backendUrls();
  return createStorefront({
    storeId: '1003',
    api: urls.api,
    cdn: urls.cdn,
    origin: urls.origin,
    ...options,
    cache: { dbName: freshDbName(label), persist: false, ...options.cache },
  });
}
