import type { ViewRecord } from '../ingest/record.js';
import type { FieldStore } from './store.js';

/**
 * Group commit: every report that arrives while a commit is under way waits for the next one, so
 * one transaction (one fsync) carries as many reports as arrived meanwhile. Each submitter's
 * promise settles only after the commit that holds its report: an answered 2xx is on disk.
 */
export interface Writer {
  /** Resolves after the commit: true when the view was new, false when it was already stored. */
  submit(record: ViewRecord): Promise<boolean>;
  /** Reports waiting for a commit, the one under way included. */
  readonly depth: number;
  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
}

export interface WriterOptions {
  maxBatch?: number;
  /**
   * Commits under way at once. One for SQLite (one writer at a time anyway); a few for PostgreSQL,
   * whose commits wait on the network and the server (measured store-only: 4.0k reports/s with one,
   * 6.1k with four).
   */
  concurrency?: number;
  /** Told of each commit: its size and how long it took (for /metrics). */
  onCommit?: (info: { records: number; fresh: number; ms: number }) => void;
  now?: () => number;
}

interface Pending {
  record: ViewRecord;
  resolve: (fresh: boolean) => void;
  reject: (error: unknown) => void;
}

export function createWriter(store: FieldStore, options: WriterOptions = {}): Writer {
  const maxBatch = options.maxBatch ?? 1_000;
  const now = options.now ?? (() => performance.now());
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let queue: Pending[] = [];
  let inFlight = 0;
  let loops = 0;
  let running: Promise<void> | undefined;

  async function loop() {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight += batch.length;
      const started = now();
      try {
        const fresh = await store.write(batch.map((p) => p.record));
        options.onCommit?.({ records: batch.length, fresh: fresh.filter(Boolean).length, ms: now() - started });
        batch.forEach((p, i) => p.resolve(fresh[i] === true));
      } catch (error) {
        // One bad row must not cost the others their commit: retry the batch one report at a time.
        if (batch.length === 1) batch[0]!.reject(error);
        else
          for (const p of batch) {
            try {
              p.resolve((await store.write([p.record]))[0] === true);
            } catch (single) {
              p.reject(single);
            }
          }
      } finally {
        inFlight -= batch.length;
      }
    }
  }

  function kick() {
    if (loops >= concurrency) return;
    loops++;
    // Wait one turn of the event loop so that requests parsed in the same turn share a commit.
    const run = new Promise<void>((r) => setImmediate(r)).then(loop).finally(() => {
      loops--;
      if (running === run) running = undefined;
      if (queue.length) kick();
    });
    running = run;
  }

  return {
    submit(record) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        kick();
      });
    },
    get depth() {
      return queue.length + inFlight;
    },
    async drain() {
      while (loops > 0 || queue.length) await (running ?? new Promise((r) => setImmediate(r)));
    },
  };
}
