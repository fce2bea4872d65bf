/**
 * Per-session sampling without cookies: a random id kept in sessionStorage (gone when the tab
 * closes, never sent anywhere) is hashed to a number in [0, 1) and compared with the rate. The
 * same session gets the same answer on every page, so a sampled-in session reports whole.
 */
export interface SamplingDeps {
  /** Defaults to window.sessionStorage, looked up lazily; missing or throwing → a per-page id. */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  random?: () => number;
}

const KEY = 'vitrine:session';

export function isSampledIn(rate: number, deps: SamplingDeps = {}): boolean {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  return sessionBucket(deps) < rate;
}

/** The session's position in [0, 1). */
export function sessionBucket(deps: SamplingDeps = {}): number {
  return hashToUnit(sessionId(deps));
}

export function sessionId(deps: SamplingDeps = {}): string {
  const random = deps.random ?? Math.random;
  let storage = deps.storage;
  try {
    storage ??= typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
    const existing = storage?.getItem(KEY);
    if (existing) return existing;
  } catch {
    // Storage can throw (sandboxed iframe, privacy mode): sample this page on its own.
    storage = undefined;
  }
  const id = randomId(random);
  try {
    storage?.setItem(KEY, id);
  } catch {
    // Quota or privacy mode: the id still serves this page.
  }
  return id;
}

export function randomId(random: () => number = Math.random, length = 16): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  return id;
}

/** FNV-1a, 32-bit: spreads short ids evenly enough for sampling, and is tiny. */
export function hashToUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}
