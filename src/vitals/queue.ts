import { openStore, type UseStore } from '../lib/storage.js';

/**
 * Reports that could not be sent, kept in IndexedDB (a database of their own) for the next visit.
 *
 * Written for a page that is being unloaded: `push` is one blind write under a fresh key, because
 * a read-modify-write would need a callback the dying page never runs. The bound
 * is applied when reading: `take` drops the oldest beyond `max` (and counts them), then removes
 * and returns the oldest few, all in one `readwrite` transaction, so two tabs opening at once
 * cannot take the same report: each is flushed exactly once.
 *
 * A page that leaves has no later task, and IndexedDB cannot promise to write in the one it has:
 * a `put` waits for the database's open to finish (it starts with the reporter and can take a
 * while on a busy machine, or behind another tab's upgrade), or for a transaction ahead of it (this
 * page's own flush, another tab's), and Chromium drops what is still waiting when the page goes:
 * the report was lost. So `push` writes to `localStorage`, synchronous and so done before the page
 * goes, under the key it will have in IndexedDB (at most `max` of them; past that, or without
 * `localStorage`, it is a `put` as before); the next `take` moves them into the database in its
 * own transaction, where they are bounded and taken like any other.
 */
export interface QueuedReport {
  key: string;
  report: unknown;
}

export interface ReportQueue {
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
  const name = `${options.dbName ?? 'vitrine'}-vitals`;
  /** `localStorage` keys of pushed reports not yet moved into the database: this prefix, then the report's key. */
  const unsent = `${name}:`;
  let store = options.store;

  async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>, fallback: T): Promise<T> {
    try {
      if (!store) {
        if (typeof indexedDB === 'undefined') return fallback;
        store = openStore(name, 'reports');
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

  /** The `localStorage` keys `push` wrote reports under; none where it is missing or throws. */
  function unsentKeys(): string[] {
    const keys: string[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(unsent)) keys.push(key);
      }
    } catch {
      // No localStorage: nothing can have been left there.
    }
    return keys;
  }

  /** Removes and returns the reports `push` left in `localStorage`. */
  function claimUnsent(): QueuedReport[] {
    const found: QueuedReport[] = [];
    for (const key of unsentKeys()) {
      try {
        const text = localStorage.getItem(key);
        localStorage.removeItem(key);
        if (text !== null) found.push({ key: key.slice(unsent.length), report: JSON.parse(text) });
      } catch {
        // Gone meanwhile, or not JSON (written by something else): nothing to send.
      }
    }
    return found;
  }

  return {
    push(report) {
      // Keys sort by time (fixed-width base-36 milliseconds), so IndexedDB's key order is age order.
      const key = `${Math.round(now()).toString(36).padStart(10, '0')}-${Math.floor(random() * 1e9).toString(36)}`;
      // At most `max` there: a database that never opens must not fill the site's localStorage.
      if ((options.store || typeof indexedDB !== 'undefined') && unsentKeys().length < max) {
        try {
          localStorage.setItem(unsent + key, JSON.stringify(report));
          return Promise.resolve();
        } catch {
          // No localStorage (or full): the database may still take it if the page lives.
        }
      }
      return put([{ key, report }]);
    },
    restore: (reports) => put(reports),
    take: (limit = Infinity) =>
      run(
        'readwrite',
        (s) =>
          new Promise<{ reports: QueuedReport[]; dropped: number }>((resolve, reject) => {
            // Moved in by the same transaction, so they are bounded and taken like any other report.
            for (const { key, report } of claimUnsent()) s.put(report, key);
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
