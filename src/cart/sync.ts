import { EMPTY_CART, parseStoredCart, type CartState, type DroppedLine } from './lines.js';
import type { CartLimits } from './types.js';
import { createCartPersistence, type CartPersistence } from './persist.js';
import { cartHintKey, formatCartHint } from './hint.js';

/**
 * One cart per store across the tabs of a browser profile (browser I/O):
 * - every write is a compare-and-swap on the IndexedDB record (persist.ts), re-applying the
 *   operation on the fresh state when another tab wrote first, and runs under the Web Lock
 *   `vitrine-cart:<storeId>` where there is one, so writes (and their broadcasts) are in order;
 * - after each committed write `{revision, state}` goes out on BroadcastChannel
 *   `vitrine-cart:<storeId>`; a tab takes a received state only when its revision is newer than its
 *   own (where BroadcastChannel is missing, the localStorage hint's `storage` event says "re-read");
 * - the synchronous hint (hint.ts) follows every committed or received state;
 * - the channel and the database are closed on `pagehide` and reopened on `pageshow`, which reads
 *   the record again (another tab may have written while this page sat in the bfcache).
 * Storage missing, blocked or full makes the cart memory-only for the page (`persistent: false`).
 */
export interface CartSync {
  /** The stored cart (validated; what was dropped goes to `onDropped`). */
  load(): Promise<CartState>;
  /**
   * Applies `apply` to the freshest state and commits it. `apply` may throw (a limit): the commit
   * then rejects with that error and nothing is written. Resolves with the committed state (or the
   * current one when `apply` changed nothing).
   */
  commit(apply: (state: CartState) => CartState): Promise<CartState>;
  readonly state: CartState;
  readonly persistent: boolean;
  /** Stops listening and closes everything (the storefront was destroyed). */
  close(): void;
}

export interface CartSyncOptions {
  storeId: string;
  dbName: string;
  /** False: memory only by the merchant's choice (nothing stored, nothing reported). */
  persist: boolean;
  limits: CartLimits;
  /** A newer state arrived from another tab (or was read again on pageshow). */
  onRemote: (state: CartState) => void;
  /** Storage failed; called once. */
  onFailure: (error: unknown) => void;
  onDropped: (dropped: DroppedLine[]) => void;
  /** For tests. */
  timeoutMs?: number;
}

/** What one tab tells the others. */
interface Message {
  revision: number;
  state: unknown;
}

const MAX_ATTEMPTS = 20;

export function createCartSync(options: CartSyncOptions): CartSync {
  const { storeId, limits } = options;
  const name = `vitrine-cart:${storeId}`;
  const hintKey = cartHintKey(storeId);
  let state: CartState = EMPTY_CART;
  let channel: BroadcastChannel | undefined;
  let closed = false;
  const storage: CartPersistence | undefined = options.persist
    ? createCartPersistence({ dbName: options.dbName, storeId, onFailure: options.onFailure, ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) })
    : undefined;
  const persistent = () => !!storage?.available;
  const revisionOf = (raw: unknown) => parseStoredCart(raw, limits).state.revision;

  function writeHint(next: CartState) {
    try {
      const hint = formatCartHint(next.lines);
      if (hint === undefined) localStorage.removeItem(hintKey);
      else if (localStorage.getItem(hintKey) !== hint) localStorage.setItem(hintKey, hint);
    } catch {
      // localStorage blocked or full: the badge waits for the cart's code instead. Nothing else depends on it.
    }
  }

  /** Takes `next` if it is newer than what this tab holds; true if it did. */
  function adopt(next: CartState): boolean {
    if (next.revision <= state.revision) return false;
    state = next;
    if (persistent()) writeHint(next);
    return true;
  }

  function openChannel() {
    if (channel || closed || !persistent() || typeof BroadcastChannel === 'undefined') return;
    channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<Message>) => {
      const message = event.data;
      if (message === null || typeof message !== 'object' || typeof message.revision !== 'number') return;
      // Validated like storage: another tab may run another version of the SDK.
      const received = parseStoredCart(message.state, limits).state;
      if (received.revision === message.revision && adopt(received)) options.onRemote(received);
    };
  }

  /** Re-reads the record: after pageshow, or when the hint changed in a browser without BroadcastChannel. */
  async function catchUp() {
    if (!storage || !persistent()) return;
    const stored = parseStoredCart(await storage.read(), limits).state;
    if (adopt(stored)) options.onRemote(stored);
  }

  const onPageHide = () => {
    channel?.close();
    channel = undefined;
    storage?.close();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    openChannel();
    if (event.persisted) void catchUp();
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === hintKey) void catchUp();
  };
  if (typeof addEventListener === 'function') {
    addEventListener('pagehide', onPageHide);
    addEventListener('pageshow', onPageShow);
    if (typeof BroadcastChannel === 'undefined') addEventListener('storage', onStorage);
  }

  function withLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? (locks.request(name, work) as Promise<T>) : work();
  }

  async function commitStored(apply: (state: CartState) => CartState): Promise<CartState> {
    for (let attempt = 1; ; attempt++) {
      const raw = await storage!.read();
      if (!storage!.available) break;
      const stored = parseStoredCart(raw, limits).state;
      // Revisions only grow, even if the record went missing (site data cleared in another tab).
      const base = stored.revision < state.revision ? { ...stored, revision: state.revision } : stored;
      const next = apply(base);
      if (next === base) {
        adopt(stored);
        return state;
      }
      let swapped: boolean;
      try {
        swapped = await storage!.swap(stored.revision, next, revisionOf);
      } catch {
        break; // reported by persist.ts; the cart goes on in memory
      }
      if (swapped) {
        state = next;
        writeHint(next);
        channel?.postMessage({ revision: next.revision, state: next } satisfies Message);
        return next;
      }
      // Another tab wrote between our read and our write: read again and re-apply the op on its state.
      if (attempt >= MAX_ATTEMPTS) break;
    }
    return commitMemory(apply);
  }

  function commitMemory(apply: (state: CartState) => CartState): CartState {
    channel?.close();
    channel = undefined;
    const next = apply(state);
    state = next;
    return next;
  }

  openChannel();

  return {
    get state() {
      return state;
    },
    get persistent() {
      return persistent();
    },
    async load() {
      if (!storage) return state;
      const raw = await storage.read();
      // Closed meanwhile (the storefront destroyed): neither the hint nor a cleaned record is written.
      if (!storage.available || closed) return state;
      const { state: stored, dropped } = parseStoredCart(raw, limits);
      adopt(stored);
      writeHint(state);
      if (dropped.length) {
        options.onDropped(dropped);
        // Write the cleaned cart back, so the corrupt record is gone for every tab (and reported once).
        await commitStored((fresh) => ({ revision: fresh.revision + 1, lines: fresh.lines })).catch(() => undefined);
      }
      return state;
    },
    commit(apply) {
      // Closed: the database is not opened again (the cart's own `apply` refuses the change).
      if (closed || !persistent()) return Promise.resolve(commitMemory(apply));
      return withLock(() => (persistent() ? commitStored(apply) : Promise.resolve(commitMemory(apply))));
    },
    close() {
      closed = true;
      onPageHide();
      if (typeof removeEventListener === 'function') {
        removeEventListener('pagehide', onPageHide);
        removeEventListener('pageshow', onPageShow);
        removeEventListener('storage', onStorage);
      }
    },
  };
}
