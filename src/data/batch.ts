/**
 * DataLoader's batching semantics (graphql/dataloader), reduced to what Vitrine needs: every
 * key asked for in one task — by any number of callers — reaches `loadMany` once; a key
 * already queued or in flight joins that call; each key settles on its own (a per-key Error
 * rejects that caller alone). Nothing is cached here: settled keys are forgotten, so a failed
 * key is tried again on the next call.
 */
export interface Batcher<V> {
  load(key: string): Promise<V>;
}

export interface BatcherOptions<V> {
  loadMany: (keys: string[]) => Promise<Map<string, V | Error>>;
  /** The error for a key that `loadMany` did not answer. */
  missing: (key: string) => Error;
  /**
   * When to dispatch the queue. The default (a macrotask) collects every lookup made in the
   * current task and its microtasks — widgets that await something before asking still share
   * the batch, which a microtask would split.
   */
  schedule?: (dispatch: () => void) => void;
}

interface Pending<V> {
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (error: Error) => void;
}

export function createBatcher<V>({ loadMany, missing, schedule = (fn) => void setTimeout(fn, 0) }: BatcherOptions<V>): Batcher<V> {
  let queue = new Map<string, Pending<V>>();
  const inFlight = new Map<string, Promise<V>>();

  function dispatch() {
    const batch = queue;
    queue = new Map();
    const keys = [...batch.keys()];
    for (const [key, pending] of batch) inFlight.set(key, pending.promise);
    const settle = () => {
      for (const key of keys) inFlight.delete(key);
    };
    loadMany(keys).then(
      (results) => {
        settle();
        for (const [key, pending] of batch) {
          const result = results.get(key);
          if (result === undefined) pending.reject(missing(key));
          else if (result instanceof Error) pending.reject(result);
          else pending.resolve(result);
        }
      },
      (error: unknown) => {
        settle();
        const err = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch.values()) pending.reject(err);
      },
    );
  }

  return {
    load(key) {
      const joined = queue.get(key)?.promise ?? inFlight.get(key);
      if (joined) return joined;
      let resolve!: (value: V) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<V>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      if (queue.size === 0) schedule(dispatch);
      queue.set(key, { promise, resolve, reject });
      return promise;
    },
  };
}
