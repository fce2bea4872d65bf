import { createKeyValueStore, settled, withTimeout, type UseStore } from '../lib/storage.js';
import type { CartState } from './lines.js';

/**
 * The cart's IndexedDB record (browser I/O): database `<dbName>-cart`, object store `carts`, one
 * record per store id. Reads go through lib/storage's key-value store (its timeout for a blocked
 * open, its switch to "off" on the first failure); the write is a compare-and-swap in one readwrite
 * transaction, which IndexedDB runs one at a time across every tab of the origin, so "write only if
 * the revision is still the one I read" cannot race.
 *
 * The connection can be closed (pagehide, so the page stays bfcache-eligible) and reopens on the
 * next use.
 */
export interface CartPersistence {
  /** The stored value as it is (validate it with parseStoredCart); undefined when none, or when storage failed (then `available` is false). */
  read(): Promise<unknown>;
  /**
   * Writes `next` if the stored record's revision is still `expected` (per `revisionOf`), in one
   * transaction. Resolves false when another tab wrote first; rejects when storage failed.
   */
  swap(expected: number, next: CartState, revisionOf: (raw: unknown) => number): Promise<boolean>;
  /** Closes the database connection (reopened on the next read or write). */
  close(): void;
  /** False once storage failed (missing, blocked, over quota): the cart is then memory-only for this page. */
  readonly available: boolean;
}

export interface CartPersistenceOptions {
  dbName: string;
  storeId: string;
  /** Called once, with the first failure. */
  onFailure: (error: unknown) => void;
  timeoutMs?: number;
}

const STORE = 'carts';

/** idb-keyval's UseStore over one connection that can be closed and is opened again on demand. */
function closableStore(name: string): UseStore & { close(): void } {
  let db: Promise<IDBDatabase> | undefined;
  const forget = (which: Promise<IDBDatabase>) => {
    if (db === which) db = undefined;
  };
  const use: UseStore = (mode, callback) => {
    if (!db) {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      const opened = (db = settled(request));
      opened.then(
        (d) => {
          d.onclose = () => forget(opened);
          // Another tab (a newer SDK) wants to upgrade: step aside rather than block it.
          d.onversionchange = () => {
            d.close();
            forget(opened);
          };
        },
        () => forget(opened),
      );
    }
    return db.then((d) => callback(d.transaction(STORE, mode).objectStore(STORE)));
  };
  return Object.assign(use, {
    close() {
      const open = db;
      db = undefined;
      void open?.then(
        (d) => d.close(),
        () => undefined,
      );
    },
  });
}

export function createCartPersistence({ dbName, storeId, onFailure, timeoutMs = 1000 }: CartPersistenceOptions): CartPersistence {
  const name = `${dbName}-cart`;
  let failed = typeof indexedDB === 'undefined';
  const fail = (error: unknown) => {
    if (!failed) onFailure(error);
    failed = true;
  };
  if (failed) onFailure(new Error('IndexedDB is not available'));
  const use = closableStore(name);
  const kv = createKeyValueStore(name, STORE, { store: use, timeoutMs, onFailure: fail });

  return {
    get available() {
      return !failed && kv.available;
    },
    async read() {
      if (failed) return undefined;
      return (await kv.getMany([storeId]))[0];
    },
    async swap(expected, next, revisionOf) {
      if (failed) throw new Error('IndexedDB is not available');
      try {
        return await withTimeout(
          use('readwrite', (store) => {
            const tx = store.transaction;
            return new Promise<boolean>((resolve, reject) => {
              const get = store.get(storeId);
              get.onsuccess = () => {
                if (revisionOf(get.result) !== expected) return resolve(false);
                try {
                  store.put(next, storeId);
                } catch (error) {
                  // QuotaExceededError and friends can throw synchronously: abort, and say why.
                  tx.abort();
                  return reject(error);
                }
                settled(tx).then(() => resolve(true), reject);
              };
              get.onerror = () => reject(get.error);
            });
          }),
          timeoutMs,
          name,
        );
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    close: () => use.close(),
  };
}
