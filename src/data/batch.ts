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
  schedule?: ((dispatch: () => void) => void) | undefined;
}

interface Pending<V> {
  resolve: (value: V) => void;
  reject: (error: Error) => void;
}

export function createBatcher<V>({ loadMany, missing, schedule = (fn) => void setTimeout(fn) }: BatcherOptions<V>): Batcher<V> {
  let queue = new Map<string, Pending<V>>();
  /** Every key queued or in flight: a later load of it joins. */
  const joinable = new Map<string, Promise<V>>();

  function dispatch() {
    const batch = queue;
    queue = new Map();
    /** Settles every key of the batch with its own outcome: an Error rejects that caller alone. */
    const settle = (outcome: (key: string) => V | Error) => {
      for (const [key, pending] of batch) {
        joinable.delete(key);
        const result = outcome(key);
        if (result instanceof Error) pending.reject(result);
        else pending.resolve(result);
      }
    };
    loadMany([...batch.keys()]).then(
      (results) => settle((key) => results.get(key) ?? missing(key)),
      (error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        settle(() => err);
      },
    );
  }

  return {
    load(key) {
      const joined = joinable.get(key);
      if (joined) return joined;
      if (queue.size === 0) schedule(dispatch);
      const promise = new Promise<V>((resolve, reject) => queue.set(key, { resolve, reject }));
      joinable.set(key, promise);
      return promise;
    },
  };
}
