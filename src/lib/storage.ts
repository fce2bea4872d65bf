/**
 * A key-value store over IndexedDB (one object store per database, out-of-line keys: the layout
 * idb-keyval's createStore uses, so either reads the other's data), made safe to lean on: missing
 * (Node, some private modes), blocked by another tab's upgrade, over quota or throwing
 * synchronously — each turns the store off for the rest of the page and the caller carries on
 * from memory. Reads are raced against a timeout because a blocked `open()` never settles.
 */
export interface KeyValueStore {
  /** At least one key (every caller checks first): an empty call would open the database for nothing. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** An empty call is a no-op (the cache writes whatever an answer brought, sometimes nothing). */
  setMany(entries: readonly [string, unknown][]): Promise<void>;
  /** At least one key, as getMany. */
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
  /**
   * Names the localStorage key `vitrine-cached:<hint>` (never swept) that this store sets before its
   * first write on a profile. While it is absent, reads answer empty at once without opening the
   * database: a profile that never wrote here (a fresh one, or one that never met a bad CDN URL)
   * does not wait 30–55 ms for IndexedDB to be created and read.
   */
  hint?: string;
}

/**
 * Whether the store named by `hint` (`KeyValueStoreOptions.hint`) was ever written on this profile:
 * undefined when storage cannot say (throwing, missing). The store then reads the database as
 * before; the script tag's bad-URL stand-in (assets/load-recover.classic.ts) loads nothing for it,
 * since a profile whose localStorage throws cannot open IndexedDB either.
 */
export function everWritten(hint: string): boolean | undefined {
  try {
    return localStorage.getItem(`vitrine-cached:${hint}`) !== null;
  } catch {
    return undefined;
  }
}

/** Runs `callback` on the object store in a transaction of `mode` (idb-keyval's UseStore signature). */
export type UseStore = <T>(mode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>) => Promise<T>;

/** A request's result, or a transaction's completion. */
export const settled = <T>(request: IDBRequest<T> | IDBTransaction): Promise<T> =>
  new Promise((resolve, reject) => {
    const r = request as IDBRequest<T> & Partial<IDBTransaction>;
    r.oncomplete = r.onsuccess = () => resolve(r.result);
    r.onabort = r.onerror = () => reject(r.error);
  });

/** Opens `dbName` on first use (creating its one object store), and again after the browser closed it. */
export function openStore(dbName: string, storeName: string): UseStore {
  let db: Promise<IDBDatabase> | undefined;
  return (mode, callback) => {
    if (!db) {
      const request = indexedDB.open(dbName);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName);
      const opened = (db = settled(request));
      opened.then(
        (d) => (d.onclose = () => (db = undefined)),
        () => (db = undefined),
      );
    }
    return db.then((d) => callback(d.transaction(storeName, mode).objectStore(storeName)));
  };
}

export function createKeyValueStore(dbName: string, storeName: string, options: KeyValueStoreOptions = {}): KeyValueStore {
  const timeoutMs = options.timeoutMs ?? 1000;
  let store: UseStore | undefined = options.store;
  let disabled = !store && typeof indexedDB === 'undefined';

  const hint = options.hint && `vitrine-cached:${options.hint}`;
  const unwritten = () => !!options.hint && everWritten(options.hint) === false;

  // Reads answer `fallback` at once on a profile that never wrote here; writes settle when they commit.
  async function run<T>(mode: IDBTransactionMode, op: (o: IDBObjectStore) => T | PromiseLike<T>, fallback: T): Promise<T> {
    if (disabled || (mode === 'readonly' && unwritten())) return fallback;
    try {
      store ??= openStore(dbName, storeName);
      return await withTimeout(store(mode, op), timeoutMs, dbName);
    } catch (error) {
      // The first failure is reported and turns the store off; one still in flight then is not.
      if (!disabled) options.onFailure?.(error);
      disabled = true;
      return fallback;
    }
  }
  /** Writes in one transaction, settled when it commits. */
  const write = (put: (o: IDBObjectStore) => void) =>
    run(
      'readwrite',
      (o) => {
        put(o);
        return settled(o.transaction).then(() => undefined);
      },
      undefined,
    );

  return {
    get available() {
      return !disabled;
    },
    getMany: (keys) =>
      run(
        'readonly',
        (o) => Promise.all(keys.map((key) => settled(o.get(key)))),
        keys.map(() => undefined),
      ),
    setMany(entries) {
      if (!entries.length) return Promise.resolve();
      try {
        if (hint) localStorage.setItem(hint, '1');
      } catch {
        // No hint: the next view reads the database, as it always did.
      }
      return write((o) => entries.forEach(([key, value]) => o.put(value, key)));
    },
    delMany: (keys) => write((o) => keys.forEach((key) => o.delete(key))),
    entries: () =>
      run(
        'readonly',
        (o) => Promise.all([settled(o.getAllKeys()), settled(o.getAll())]).then(([keys, values]) => keys.map((key, i): [IDBValidKey, unknown] => [key, values[i]])),
        [],
      ),
  };
}

/** A blocked IndexedDB `open()` never settles: give up on it after `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, dbName: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`IndexedDB "${dbName}" did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
