import type { FaultController, FaultRule, HostName } from '../backend/faults.js';
import { createFaultControl, type FaultControl } from './fault-toggles.js';

/**
 * Where the console's simulated store runs, behind one shape so the rest of the console is the same
 * in both: `loopback` (the HTTP servers `npm run demo` starts, published at /__vitrine/backend.json)
 * or `worker` (msw's service worker in this page, on the fake https://*.vitrine.test hosts).
 *
 * Selected by `?backend=worker|loopback`; without it, the loopback store when the page's server
 * publishes one, else the worker (so any static file server hosts the whole demo).
 */
export type BackendMode = 'loopback' | 'worker';

export interface SimulatedStore {
  mode: BackendMode;
  bases: Record<HostName, string>;
  /** The fault switches. */
  control: FaultControl;
}

export interface ConnectDeps {
  fetch?: typeof fetch;
  /** Starts the in-page backend; loaded on demand so loopback pages never download msw. */
  startWorker?: () => Promise<{ bases: Record<HostName, string>; faults: FaultController }>;
}

export function requestedMode(search: string): BackendMode | undefined {
  const mode = new URLSearchParams(search).get('backend');
  return mode === 'worker' || mode === 'loopback' ? mode : undefined;
}

export const FAULTS_STORAGE_KEY = 'vitrine-console-faults';

type RuleStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The switches of a backend living in this page: no HTTP round trip, the same interface. The page
 * is the backend, so a reload would forget the rules; they are kept in sessionStorage and restored,
 * as the loopback servers keep theirs across reloads.
 */
export function createInPageFaultControl(faults: FaultController, storage: RuleStore | undefined = sessionStorageOrNone()): FaultControl {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(FAULTS_STORAGE_KEY) ?? '[]');
    // A stale or tampered entry is dropped rule by rule: add() validates.
    if (Array.isArray(saved) && faults.list().length === 0) for (const rule of saved) tryAdd(faults, rule as FaultRule);
  } catch {
    // Unreadable: start without faults.
  }
  const save = () => {
    try {
      storage?.setItem(FAULTS_STORAGE_KEY, JSON.stringify(faults.list().map(({ id: _id, hits: _hits, ...rule }) => rule)));
    } catch {
      // Storage refused (quota, privacy mode): the switches still work for this page.
    }
  };
  return {
    list: () => Promise.resolve(faults.list()),
    add: (rule) =>
      Promise.resolve().then(() => {
        const id = faults.add(rule);
        save();
        return id;
      }),
    remove: (id) => Promise.resolve().then(() => (faults.remove(id), save())),
    clear: () => Promise.resolve().then(() => (faults.clear(), save())),
  };
}

function tryAdd(faults: FaultController, rule: FaultRule): void {
  try {
    faults.add(rule);
  } catch {
    // Not a valid rule (any more): skip it.
  }
}

function sessionStorageOrNone(): RuleStore | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The simulated store for this page, or undefined when there is none to use (a real store named in
 * the query on a server without one, or `?backend=loopback` where none is published).
 */
export async function connectSimulatedStore(search: string, deps: ConnectDeps = {}): Promise<SimulatedStore | undefined> {
  const fetchImpl = deps.fetch ?? fetch.bind(globalThis);
  const mode = requestedMode(search);
  if (mode !== 'worker') {
    const bases = await fetchPublishedBackend(fetchImpl);
    if (bases) return { mode: 'loopback', bases, control: createFaultControl(bases.api, fetchImpl) };
    if (mode === 'loopback') return undefined;
    const api = new URLSearchParams(search).get('api');
    const { DEFAULT_BASES } = await import('../backend/handlers.js');
    // A link to a real store on a static server: nothing simulated to start.
    if (api !== null && api !== DEFAULT_BASES.api) return undefined;
  }
  const start = deps.startWorker ?? (async () => (await import('./worker-backend.js')).startWorkerBackend().then(({ backend }) => backend));
  const backend = await start();
  return { mode: 'worker', bases: { ...backend.bases }, control: createInPageFaultControl(backend.faults) };
}

async function fetchPublishedBackend(fetchImpl: typeof fetch): Promise<Record<HostName, string> | undefined> {
  try {
    const res = await fetchImpl('/__vitrine/backend.json', { cache: 'no-store' });
    if (!res.ok) return undefined;
    const body = (await res.json()) as Partial<Record<HostName, unknown>>;
    return typeof body.api === 'string' && typeof body.cdn === 'string' && typeof body.origin === 'string' && typeof body.collector === 'string'
      ? { api: body.api, cdn: body.cdn, origin: body.origin, collector: body.collector }
      : undefined;
  } catch {
    return undefined;
  }
}
