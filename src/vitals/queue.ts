import { openStore, type UseStore } from '../lib/storage.js';

/**
 * Reports that could not be sent, kept in IndexedDB (a database of their own) for the next visit.
 *
 * Written for a page that is being unloaded: `push` is one blind `put` under a fresh key, committed
 * at once, because a read-modify-write would need a callback the dying page never runs. The bound
 * is applied when reading: `take` drops the oldest beyond `max` (and counts them), then removes
 * and returns the oldest few, all in one `readwrite` transaction, so two tabs opening at once
 * cannot take the same report: each is flushed exactly once.
 */
export interface QueuedReport {
  key: string;
  report: unknown;
}

export interface ReportQueue {
  /** Opens the database ahead of time, so a later `push` during unload has nothing to wait for. */
  open(): Promise<void>;
  push(report: unknown): Promise<void>;
  /** Removes and returns up to `limit` of the oldest reports, and how many were dropped as over the bound. */
  take(limit?: number): Promise<{ reports: QueuedReport[]; dropped: number }>;
  /** Puts taken reports back (same keys, so still oldest first) after a failed flush. */
  restore(reports: readonly QueuedReport[]): Promise<void>;
}

export interface ReportQueueOptions {
  dbName?: string;
  /** Most reports kept. */
  max?: number;
  /** Injected for tests; defaults to a store of its own database, opened on first use. */
  store?: UseStore;
  now?: () => number;
  random?: () => number;
  onFailure?: (error: unknown) => void;
}

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

/** Asks the database to commit now rather than when this (possibly dying) page next idles. */
const commit = (tx: IDBTransaction) => (tx as IDBTransaction & { commit?: () => void }).commit?.();

export function createReportQueue(options: ReportQueueOptions = {}): ReportQueue {
  const max = options.max ?? 10;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let store = options.store;

  async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>, fallback: T): Promise<T> {
    try {
      if (!store) {
        if (typeof indexedDB === 'undefined') return fallback;
        store = openStore(`${options.dbName ?? 'vitrine'}-vitals`, 'reports');
      }
      return await store(mode, fn);
    } catch (error) {
      // No IndexedDB (private mode, quota, blocked): reports are lost, the page is not.
      options.onFailure?.(error);
      return fallback;
    }
  }

  const put = (entries: readonly QueuedReport[]) =>
    run(
      'readwrite',
      (s) => {
        for (const { key, report } of entries) s.put(report, key);
        const finished = done(s.transaction);
        commit(s.transaction);
        return finished;
      },
      undefined,
    );

  return {
    open: () => run('readonly', (s) => done(s.transaction), undefined),
    // Keys sort by time (fixed-width base-36 milliseconds), so IndexedDB's key order is age order.
    push: (report) => put([{ key: `${Math.round(now()).toString(36).padStart(10, '0')}-${Math.floor(random() * 1e9).toString(36)}`, report }]),
    restore: (reports) => put(reports),
    take: (limit = Infinity) =>
      run(
        'readwrite',
        (s) =>
          new Promise<{ reports: QueuedReport[]; dropped: number }>((resolve, reject) => {
            const keysReq = s.getAllKeys();
            const valuesReq = s.getAll();
            valuesReq.onsuccess = () => {
              const keys = keysReq.result.map(String);
              const values = valuesReq.result;
              const dropped = Math.max(0, keys.length - max);
              const chosen = Math.min(keys.length - dropped, limit);
              for (let i = 0; i < dropped + chosen; i++) s.delete(keys[i]!);
              const reports = keys.slice(dropped, dropped + chosen).map((key, i) => ({ key, report: values[dropped + i] }));
              done(s.transaction).then(() => resolve({ reports, dropped }), reject);
            };
            valuesReq.onerror = () => reject(valuesReq.error);
          }),
        { reports: [], dropped: 0 },
      ),
  };
}
