import { ATTRIBUTES, attributeOf, readOptions, storefrontKey } from '../embed-attributes.js';
import { EN_DEBUG } from '../i18n/en-debug.js';
import { format } from '../i18n/format.js';
import { createMessages } from '../i18n/messages.js';
import type { Storefront } from '../storefront.js';

/**
 * A mistake in the page's Vitrine script tags, with its message key: the console says it in
 * English, the overlay's Setup section in the shopper's language.
 */
export interface SetupProblem {
  readonly key: 'debug.setupTypo' | 'debug.setupIgnored';
  readonly params: Readonly<Record<string, string>>;
}

/** embed.ts's page-wide storefronts, read here so the core hands nothing over for this check. */
const REGISTRY = Symbol.for('vitrine.storefronts');
const ONCE = Symbol.for('vitrine.setup');

/** The storefronts the page's tags made (embed.ts's registry), by key, the destroyed left out. */
export function liveStorefronts(): Map<string, Storefront> {
  const registry = (globalThis as { [REGISTRY]?: Map<string, Storefront> })[REGISTRY] ?? new Map<string, Storefront>();
  return new Map([...registry].filter(([, store]) => !store.destroyed));
}

/** Levenshtein distance: how many letters to add, drop or change to turn `a` into `b`. */
function distance(a: string, b: string): number {
  let row = [...Array(b.length + 1).keys()];
  for (const c of a) {
    const next = [row[0]! + 1];
    for (let j = 0; j < b.length; ) next.push(Math.min(row[j + 1]! + 1, next[j]! + 1, row[j]! + (c === b[j++] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/**
 * The attribute a misspelt one meant (data-limt, data-stor, data-storeid). Only names near a known
 * one (a prefix of it, or at most 2 edits and fewer than half the name's letters): the data-* other
 * tools put on script tags (data-cfasync, data-nscript, data-cookieconsent, data-id…) are theirs.
 */
function meant(name: string): string | undefined {
  if (ATTRIBUTES.includes(name)) return undefined;
  const lower = name.toLowerCase();
  let near: string | undefined;
  let best = Math.min(3, lower.length / 2);
  for (const known of ATTRIBUTES) {
    const k = known.toLowerCase();
    const d = k.startsWith(lower) ? 1 : distance(lower, k);
    if (d < best) [best, near] = [d, known];
  }
  return near;
}

/** The tag's storefront options as embed.ts reads them; undefined without a required attribute (its own console error said which). */
const optionsOf = (tag: HTMLScriptElement) => {
  try {
    return readOptions(tag.dataset);
  } catch {
    return undefined;
  }
};

/**
 * The page's Vitrine tags in document order (the order classic tags run): those loaded from the URL
 * of a tag that made a storefront (the embed knows its tag as `document.currentScript`, gone by now),
 * and any file named vitrine.js, so a tag whose typo kept it from making one is found too.
 */
function vitrineTags(live: ReadonlyMap<string, Storefront>): HTMLScriptElement[] {
  const scripts = [...document.querySelectorAll<HTMLScriptElement>('script[src]')];
  const sources = new Set(
    scripts
      .filter((tag) => {
        const options = optionsOf(tag);
        return options && live.has(storefrontKey(options));
      })
      .map((tag) => tag.src),
  );
  return scripts.filter((tag) => sources.has(tag.src) || /\/vitrine\.js([?#]|$)/.test(tag.src));
}

/**
 * The setup mistakes the tags themselves never report (that would be bytes in vitrine.js on every
 * page view, for the merchant's benefit only): a misspelt attribute, and a tag whose storefront
 * settings are not the ones in use, read again from the DOM and embed.ts's registry. A later tag for
 * a store whose settings differ from the tag that made its storefront (its view still renders), and
 * a tag that made another store's storefront with no view of its own (the page's elements keep the
 * first storefront), exactly as embed.ts decides.
 */
export function findSetupProblems(): SetupProblem[] {
  const live = liveStorefronts();
  const first = [...live.values()][0];
  const made = new Map<string, string>();
  const problems: SetupProblem[] = [];
  for (const tag of vitrineTags(live)) {
    const data = tag.dataset;
    for (const name in data) {
      const near = meant(name);
      if (near) problems.push({ key: 'debug.setupTypo', params: { attribute: attributeOf(name), meant: attributeOf(near) } });
    }
    const options = optionsOf(tag);
    const key = options && storefrontKey(options);
    const store = key === undefined ? undefined : live.get(key);
    // No storefront of its own: it failed (its console error says why) or has been destroyed.
    if (!options || !key || !store || !first) continue;
    // The API as the key spells it: a trailing / is no difference.
    const settings = JSON.stringify({ ...options, api: key });
    const earlier = made.get(key);
    let used: Storefront | undefined;
    if (earlier === undefined) {
      made.set(key, settings);
      if (!data['target'] && store !== first) used = first;
    } else if (earlier !== settings) used = store;
    if (used) problems.push({ key: 'debug.setupIgnored', params: { store: options.storeId, earlier: used.options.storeId } });
  }
  return problems;
}

/**
 * The page's setup problems, found once the page is parsed (every classic tag has run) and written
 * to the console once a page in English, however many storefronts open an overlay.
 */
export function setupProblems(): Promise<SetupProblem[]> {
  const g = globalThis as { [ONCE]?: Promise<SetupProblem[]> };
  return (g[ONCE] ??= new Promise<void>((resolve) => {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
    else resolve();
  }).then(() => {
    const problems = findSetupProblems();
    const en = createMessages('en', [EN_DEBUG]);
    for (const p of problems) console.warn(`[vitrine] ${format(en, p.key, p.params)}`);
    return problems;
  }));
}
