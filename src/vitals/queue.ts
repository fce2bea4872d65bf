import { createStore, update, type UseStore } from 'idb-keyval';

/**
 * Reports that could not be sent, kept in IndexedDB (a database of their own) for the next visit.
 * Bounded: the oldest is dropped first and the drop is counted, so an outage costs a shopper's
 * disk a few kilobytes at most and the dashboard still learns that reports were lost.
 *
 * Every read-modify-write is one `readwrite` transaction (idb-keyval's `update`), so two tabs
 * opening at once cannot both take the same reports: each is flushed exactly once.
 */
export interface ReportQueue {
  /** Keeps a report; resolves with how many older reports were dropped to make room. */
  push(report: unknown): Promise<number>;
  /**
   * Removes and returns up to `limit` of the oldest reports, plus the drops counted since the last
   * take. Taking one at a time means a page that leaves mid-flush loses at most the one in flight.
   */
  take(limit?: number): Promise<{ reports: unknown[]; dropped: number }>;
  /** Puts reports back after a failed flush (in front of newer ones, still bounded). */
  restore(reports: readonly unknown[]): Promise<number>;
}

export interface ReportQueueOptions {
  dbName?: string;
  /** Most reports kept. */
  max?: number;
  /** Injected for tests; defaults to an idb-keyval store created on first use. */
  store?: UseStore;
  onFailure?: (error: unknown) => void;
}

interface Stored {
  reports: unknown[];
  dropped: number;
}

const KEY = 'unsent';

export function createReportQueue(options: ReportQueueOptions = {}): ReportQueue {
  const max = options.max ?? 10;
  let store = options.store;

  async function change<T>(fn: (s: Stored) => [Stored, T], fallback: T): Promise<T> {
    try {
      if (!store) {
        if (typeof indexedDB === 'undefined') return fallback;
        store = createStore(`${options.dbName ?? 'vitrine'}-vitals`, 'reports');
      }
      let out = fallback;
      await update<Stored>(
        KEY,
        (old) => {
          const current: Stored = old && Array.isArray(old.reports) ? old : { reports: [], dropped: 0 };
          const [next, result] = fn(current);
          out = result;
          return next;
        },
        store,
      );
      return out;
    } catch (error) {
      // No IndexedDB (private mode, quota, blocked): reports are lost, the page is not.
      options.onFailure?.(error);
      return fallback;
    }
  }

  const bound = (reports: unknown[], dropped: number): [Stored, number] => {
    const over = Math.max(0, reports.length - max);
    return [{ reports: reports.slice(over), dropped: dropped + over }, over];
  };

  return {
    push: (report) => change((s) => bound([...s.reports, report], s.dropped), 0),
    restore: (reports) => change((s) => bound([...reports, ...s.reports], s.dropped), 0),
    take: (limit = Infinity) =>
      change((s) => [{ reports: s.reports.slice(limit), dropped: 0 }, { reports: s.reports.slice(0, limit), dropped: s.dropped }], { reports: [], dropped: 0 }),
  };
}
