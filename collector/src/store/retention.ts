import type { FieldStore } from './store.js';

/**
 * The retention job: raw reports live `retentionDays`, the hourly aggregates (what the answers
 * read) `aggregateRetentionDays`. Runs shortly after start and then hourly; a failure is logged
 * and tried again next hour, never fatal.
 */
const DAY = 86_400_000;

export interface RetentionOptions {
  retentionDays: number;
  aggregateRetentionDays: number;
  now: () => number;
  intervalMs?: number;
  onPrune?: (result: { reports: number; aggregates: number }) => void;
  onError?: (error: unknown) => void;
}

export function pruneOnce(store: FieldStore, o: Pick<RetentionOptions, 'retentionDays' | 'aggregateRetentionDays' | 'now'>) {
  const t = o.now();
  return store.prune({ reportsBefore: t - o.retentionDays * DAY, aggregatesBefore: t - o.aggregateRetentionDays * DAY });
}

export function startRetention(store: FieldStore, o: RetentionOptions): { stop(): void; runNow(): Promise<void> } {
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    try {
      o.onPrune?.(await pruneOnce(store, o));
    } catch (error) {
      o.onError?.(error);
    }
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, o.intervalMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
    runNow: run,
  };
}
