import { everWritten } from '../lib/storage.js';
import { cdnFirst, type FallbackDeps, type FallbackJob, type FallbackResult, type fromOrigin } from './fallback.js';
import type { AssetHealth, AssetHealthOptions } from './health.js';
import type { RecoverHealthOptions } from './load-recover.js';
import { loadClassicFile } from './classic-file.js';
import { attemptScript, type ScriptOptions } from './load-script.js';
import { allowScriptBases } from './trusted-types.js';

/** What dist/vitrine-recover.js (recover.classic.ts) hands over as `VitrineRecover`. */
export interface RecoverModule {
  createAssetHealth(opts: AssetHealthOptions): AssetHealth;
  fromOrigin: typeof fromOrigin;
}

/** This twin's health: the real one once the recovery code is here, and how to get it. */
interface LazyHealth extends AssetHealth {
  recover(): Promise<RecoverModule | undefined>;
}

let loading: Promise<RecoverModule | undefined> | undefined;

/**
 * The recovery code's file, once a page: `/sdk/vitrine-recover.js` from the origin, by loadClassicFile
 * like every lazy file. Not from the CDN, whose copy is needed exactly when it is failing (and a hung
 * CDN would hold the first image's origin retry for a whole timeout); not through loadWithFallback,
 * which needs this very file. No `asset` event: it is no fallback, and must not count as one in the
 * health counters; a console line and an `error` event when it did not load (then undefined).
 */
function loadRecover(opts: RecoverHealthOptions): Promise<RecoverModule | undefined> {
  const script = (path: string, sentinel?: ScriptOptions) => {
    allowScriptBases(opts.origin);
    return attemptScript(opts.origin + path, { reload: false, signal: new AbortController().signal }, sentinel ?? {}, opts.timeoutMs);
  };
  // A URL that Trusted Types refuses throws, a file that failed leaves no global: no recovery code either way.
  return (loading ??= loadClassicFile<RecoverModule>(script, 'recover', true).catch(() => {
    // Said on the console too: an origin that lacks the file is the merchant's deployment to fix.
    const url = `${opts.origin}/sdk/vitrine-recover.js`;
    const message = `[vitrine] the recovery code (${url}) did not load: what failed on the CDN is not retried on the origin`;
    console.error(message);
    opts.bus.emit('error', { code: 'NETWORK', message, url });
    return undefined;
  }));
}

/**
 * Script tag: the bad-URL memory without its code. A profile that never remembered a bad URL (the
 * storage hint says so) starts with an empty memory and loads nothing; the first failed CDN copy
 * loads the real health, which then hears every failure this page had. One that did remember loads
 * it at once, in parallel with the product request, and its assets wait for it (`ready`).
 */
export function createAssetHealth(opts: RecoverHealthOptions): AssetHealth {
  let real: AssetHealth | undefined;
  // The failures seen before the real memory arrived, by URL: handed to it, and already its verdict.
  const failed = new Map<string, string>();
  const recover = async () => {
    const mod = await loadRecover(opts);
    if (mod && !real) {
      real = mod.createAssetHealth(opts);
      for (const [url, reason] of failed) real.markBad(url, reason);
    }
    return mod;
  };
  const health: LazyHealth = {
    ready: opts.persist && everWritten(`${opts.dbName}-assets`) ? recover().then(() => real?.ready) : Promise.resolve(),
    verdict: (url) => (real ? real.verdict(url) : failed.has(url) ? 'remembered-bad' : undefined),
    markBad(url, reason) {
      if (real) real.markBad(url, reason);
      else failed.set(url, reason), void recover();
    },
    recover,
  };
  return health;
}

/** loadWithFallback with the origin's part loaded on the first asset that needs it. */
export function loadWithFallback<T>(job: FallbackJob<T>, deps: FallbackDeps): Promise<FallbackResult<T>> {
  return cdnFirst(job, deps, async (job, deps, skipped) => {
    const mod = await (deps.health as LazyHealth).recover();
    return mod ? mod.fromOrigin(job, deps, skipped) : { host: 'none', url: job.originUrl, outcome: 'error' };
  });
}
