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
  return rate >= 1 || (rate > 0 && hashToUnit(sessionId(deps)) < rate);
}

export function sessionId({ storage, random }: SamplingDeps = {}): string {
  let id: string | null | undefined;
  try {
    // Storage can be missing or throw (Node, a sandboxed iframe, privacy mode): then this page is sampled on its own.
    storage ??= sessionStorage;
    id = storage.getItem(KEY);
    if (!id) storage.setItem(KEY, (id = randomId(random)));
  } catch {
    // A quota or privacy-mode setItem: the id still serves this page.
  }
  return id || randomId(random);
}

/** 16 letters and digits (base 36: over 80 random bits). */
export function randomId(random: () => number = Math.random): string {
  let id = '';
  while (id.length < 16) id += (Math.floor(random() * 36) % 36).toString(36);
  return id;
}

/** FNV-1a, 32-bit: spreads short ids evenly enough for sampling, and is tiny. */
export function hashToUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0x1_0000_0000;
}
