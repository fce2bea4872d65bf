import { createStore, delMany, entries, getMany, setMany, type UseStore } from 'idb-keyval';

/**
 * IndexedDB through idb-keyval, made safe to lean on: missing (Node, some private modes),
 * blocked by another tab's upgrade, over quota or throwing synchronously — each turns the
 * store off for the rest of the page and the caller carries on from memory. Reads are raced
 * against a timeout because a blocked `open()` never settles.
 */
export interface KeyValueStore {
  getMany(keys: readonly string[]): Promise<unknown[]>;
  setMany(entries: readonly [string, unknown][]): Promise<void>;
  delMany(keys: readonly string[]): Promise<void>;
  /** Every entry (small stores only: the bad-URL memory). */
  entries(): Promise<[IDBValidKey, unknown][]>;
  readonly available: boolean;
}

export interface KeyValueStoreOptions {
  /** A blocked or hung IndexedDB stops being waited on after this long. */
  timeoutMs?: number;
  /** Injected for tests; defaults to the global indexedDB, looked up lazily. */
  store?: UseStore;
  onFailure?: (error: unknown) => void;
}

export function createKeyValueStore(dbName: string, storeName: string, options: KeyValueStoreOptions = {}): KeyValueStore {
  const timeoutMs = options.timeoutMs ?? 1000;
  let store: UseStore | undefined = options.store;
  let disabled = !store && typeof indexedDB === 'undefined';

  const fail = (error: unknown) => {
    if (!disabled) options.onFailure?.(error);
    disabled = true;
  };

  async function run<T>(op: (s: UseStore) => Promise<T>, fallback: T): Promise<T> {
    if (disabled) return fallback;
    try {
      store ??= createStore(dbName, storeName);
      return await withTimeout(op(store), timeoutMs, dbName);
    } catch (error) {
      fail(error);
      return fallback;
    }
  }

  return {
    get available() {
      return !disabled;
    },
    getMany: (keys) => (keys.length ? run((s) => getMany([...keys], s), keys.map(() => undefined)) : Promise.resolve([])),
    setMany: (entries) => (entries.length ? run((s) => setMany([...entries], s), undefined) : Promise.resolve()),
    delMany: (keys) => (keys.length ? run((s) => delMany([...keys], s), undefined) : Promise.resolve()),
    entries: () => run((s) => entries(s), []),
  };
}

/** A blocked IndexedDB `open()` never settles: give up on it after `ms`. */
async function withTimeout<T>(work: Promise<T>, ms: number, dbName: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`IndexedDB "${dbName}" did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
