import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { VitalEvent, VitrineEventName } from '../events.js';
import type { Storefront } from '../storefront.js';
import { createHealthCounters } from '../vitals/counters.js';
import { debugRequested, type BufferedEvent } from './debug-overlay-loader.js';
import { EN_DEBUG } from '../i18n/en-debug.js';
import { createMessages, type Messages } from '../i18n/messages.js';
import { extend, format, type MessageParams } from '../i18n/format.js';
import { unknownKeys } from '../i18n/keys.js';
import { liveStorefronts, setupProblems, type SetupProblem } from './debug-setup.js';

const NAMES: readonly VitrineEventName[] = ['request', 'cache', 'asset', 'vital', 'error', 'breaker'];
const MAX_LISTED = 8;

const CSS = `
:host { all: initial; position: fixed; z-index: 2147483647; inset-inline-end: 8px; inset-block-end: 8px; display: block; }
.box { font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; color: #e2e8f0; background: rgba(15, 23, 42, 0.94);
  border-radius: 8px; padding: 8px 10px; width: 340px; max-height: 60vh; overflow: auto; box-shadow: 0 4px 16px rgba(0,0,0,.3); }
.head { display: flex; justify-content: space-between; align-items: center; font-weight: 700; margin-block-end: 4px; }
button { font: inherit; color: inherit; background: transparent; border: 1px solid #475569; border-radius: 4px; cursor: pointer; }
h3 { font: inherit; font-weight: 700; color: #93c5fd; margin-block: 6px 2px; margin-inline: 0; }
p, ul { margin: 0; padding: 0; list-style: none; }
li { overflow-wrap: anywhere; }
.bad { color: #fca5a5; }
.good { color: #86efac; }
.needs-improvement { color: #fde68a; }
.poor { color: #fca5a5; }
`;

const THRESHOLDS: Record<VitalEvent['name'], readonly [number, number]> = { LCP: [2500, 4000], FCP: [1800, 3000], INP: [200, 500], TTFB: [800, 1800], CLS: [0.1, 0.25] };
const rate = (name: VitalEvent['name'], value: number): VitalEvent['rating'] =>
  value <= THRESHOLDS[name][0] ? 'good' : value <= THRESHOLDS[name][1] ? 'needs-improvement' : 'poor';

function el(tag: string, text?: string, cls?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

type T = (key: string, params?: MessageParams) => string;

/**
 * A line of facts (URLs, numbers, codes) takes its direction from its own first letter: in an Arabic
 * or Hebrew overlay, "200 ?limit=6 95 ms" would otherwise be reordered into nonsense.
 */
function line(tag: 'li' | 'p', text: string, cls?: string): HTMLElement {
  const node = el(tag, text, cls);
  node.dir = 'auto';
  return node;
}

function list(t: T, items: readonly string[], cls?: string): HTMLElement {
  const ul = el('ul');
  for (const item of items.slice(0, MAX_LISTED)) ul.append(line('li', item, cls));
  if (items.length > MAX_LISTED) ul.append(el('li', t('debug.more', { count: items.length - MAX_LISTED })));
  return ul;
}

/** The overlay's element (not yet in the page): a shadow root with the styles, and the box its sections go in. */
function frame(m: Messages, t: T): { host: HTMLElement; box: HTMLElement } {
  const host = document.createElement('vitrine-debug');
  host.setAttribute('role', 'complementary');
  host.setAttribute('aria-label', t('debug.label'));
  host.lang = m.locale;
  host.dir = m.dir;
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Without constructable stylesheets the overlay is unstyled but still readable.
  }
  const box = el('div', undefined, 'box');
  root.append(box);
  return { host, box };
}

/** The first row: the title and the close button. */
function header(t: T, title: string, close: () => void): HTMLElement {
  const head = el('div', undefined, 'head');
  const button = el('button', '×');
  button.setAttribute('aria-label', t('debug.close'));
  button.addEventListener('click', close);
  head.append(el('span', title), button);
  return head;
}

/** The Setup section: the tags' own mistakes (none: no section). */
const setupSection = (t: T, lines: readonly string[]): HTMLElement[] => (lines.length ? [el('h3', t('debug.setup')), list(t, lines, 'bad')] : []);

/**
 * The compact debug overlay a shopper opens with `?vitrine-debug`: what this page's storefront
 * requested, which assets fell back to the origin and why, the web-vitals and Vitrine's health
 * counters — the facts support reads back from the console. Shadow DOM, text only, never throws.
 * Its words are in the shopper's language (`messages`, English without); the technical tokens (LCP,
 * API, outcomes, error codes, URLs) stay as support reads them. Returns the function that removes it.
 */
export function showDebugOverlay(store: Storefront, past: readonly BufferedEvent[] = [], messages?: Messages): () => void {
  if (typeof document === 'undefined') return () => undefined;
  // A `debug.…` override naming no key of the overlay's is a mistake the merchant should see.
  for (const error of unknownKeys(store.options.messages, EN_DEBUG)) console.error(error.message);
  const m = extend(messages ?? createMessages('en', []), EN_DEBUG);
  const t: T = (key, params) => format(m, key, params);
  // Counts the whole page view: what the core recorded before this file loaded, then live events.
  const counters = createHealthCounters(store, { budget: store.retryBudget, past });
  const vitals = new Map<VitalEvent['name'], VitalEvent>();
  const fallbacks = new Map<string, string>();
  const apiCalls: string[] = [];
  const errors: string[] = [];
  let setup: readonly SetupProblem[] = [];
  let closed = false;

  const { host, box } = frame(m, t);

  let queued = false;
  const draw = () => {
    if (queued || closed) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      if (!closed) render();
    }, 100);
  };

  function record(type: VitrineEventName, data: unknown): void {
    try {
      if (type === 'request') {
        const r = data as BufferedEvent['data'] & { url: string; status: number; ids?: readonly string[]; attempt: number; source: string; ms: number };
        if (r.source === 'network') {
          const what = r.ids ? t('debug.ids', { count: r.ids.length }) : new URL(r.url, location.href).search;
          apiCalls.push(`${r.status || t('debug.failed')} ${what} ${Math.round(r.ms)} ms${r.attempt > 1 ? ` ${t('debug.try', { attempt: r.attempt })}` : ''}`);
        }
      } else if (type === 'asset') {
        const a = data as { url: string; host: string; outcome: string; reason?: string };
        const path = new URL(a.url, location.href).pathname;
        if (a.host === 'cdn' && a.outcome !== 'ok') fallbacks.set(path, `${a.outcome}${a.reason ? ` (${a.reason})` : ''}`);
        if (a.host === 'origin') fallbacks.set(path, `${fallbacks.get(path) ?? t('debug.cdnSkipped')} → origin ${a.outcome}`);
      } else if (type === 'vital') {
        const v = data as VitalEvent;
        vitals.set(v.name, v);
      } else if (type === 'error') {
        const e = data as { code: string; message: string };
        errors.push(`${e.code}: ${e.message}`);
      }
      draw();
    } catch {
      // A debugging aid must never be the thing that breaks the page.
    }
  }

  function render(): void {
    const c = counters.snapshot();
    const assets = (['image', 'script', 'style', 'json'] as const).map((k) => `${k} ${c.assets[k].ok}/${c.assets[k].empty}/${c.assets[k].failed}`).join(' ');
    const vitalList = el('ul');
    for (const n of ['LCP', 'FCP', 'CLS', 'INP', 'TTFB'] as const) {
      const v = vitals.get(n);
      vitalList.append(el('li', v ? `${n} ${n === 'CLS' ? v.value.toFixed(3) : `${Math.round(v.value)} ms`} ${t(`debug.${v.rating}`)}` : `${n} –`, v?.rating));
    }
    box.replaceChildren(
      header(t, t('debug.title', { store: store.options.storeId }), remove),
      el('h3', t('debug.requests', { api: c.apiRequests, retries: c.apiRetries })),
      list(t, apiCalls),
      el('h3', t('debug.assets')),
      line('p', assets),
      el('h3', t('debug.fallbacks', { count: c.originFallbacks })),
      list(
        t,
        [...fallbacks].map(([path, what]) => `${path}: ${what}`),
        'bad',
      ),
      el('h3', t('debug.vitals')),
      vitalList,
      el('h3', t('debug.counters')),
      line(
        'p',
        t('debug.countersLine', {
          batches: c.batches.count,
          max: c.batches.max,
          fresh: c.cache.fresh,
          stale: c.cache.stale,
          miss: c.cache.miss,
          breaker: c.breakerOpenings,
          budget: c.retryBudgetSpent,
          errors: c.errors,
        }),
      ),
      ...(c.blankUrls.length ? [el('h3', t('debug.blank')), list(t, c.blankUrls, 'bad')] : []),
      ...(errors.length ? [el('h3', t('debug.errors')), list(t, errors, 'bad')] : []),
      ...setupSection(
        t,
        setup.map((p) => t(p.key, p.params)),
      ),
    );
    host.dataset['apiRequests'] = String(c.apiRequests);
    host.dataset['originFallbacks'] = String(c.originFallbacks);
  }

  for (const e of past) record(e.type, e.data);
  const offs = NAMES.map((name) => store.on(name, (data) => record(name, data)));
  // The page's own vitals, measured here too so the overlay has them without a collector.
  const onMetric = (m: Metric) => record('vital', { name: m.name, value: m.value, rating: rate(m.name, m.value) });
  try {
    for (const on of [onLCP, onFCP, onCLS, onINP, onTTFB]) on(onMetric, { reportAllChanges: true });
  } catch {
    // Unsupported browser: vitals stay at "–".
  }

  function remove(): void {
    if (closed) return;
    closed = true;
    offs.forEach((off) => off());
    counters.stop();
    host.remove();
  }

  // The tags' own mistakes (a misspelt attribute, a second tag's ignored settings): checked here,
  // not by vitrine.js, whose every byte each shopper pays for.
  setupProblems().then(
    (problems) => {
      setup = problems;
      draw();
    },
    () => undefined,
  );
  render();
  (document.body ?? document.documentElement).append(host);
  return remove;
}

/**
 * The overlay of a script tag that made no storefront (a misspelt `data-stor`, a bad `data-api`):
 * with nothing to report on, only its Setup section, the page's tag mistakes and the tag's own
 * error (`tagError`, its console line), in English (no storefront, no locale). Shown once the page
 * is parsed, unless `?vitrine-debug` already gives the page's storefronts their own overlays (each
 * has the Setup section). Returns the function that removes it.
 */
export function showSetupOverlay(tagError: string): () => void {
  if (typeof document === 'undefined') return () => undefined;
  const m = createMessages('en', [EN_DEBUG]);
  const t: T = (key, params) => format(m, key, params);
  const { host, box } = frame(m, t);
  const remove = () => host.remove();
  setupProblems().then(
    (problems) => {
      if (debugRequested(null, location.search) && liveStorefronts().size) return;
      box.replaceChildren(header(t, t('debug.label'), remove), ...setupSection(t, [...problems.map((p) => t(p.key, p.params)), tagError]));
      (document.body ?? document.documentElement).append(host);
    },
    () => undefined,
  );
  return remove;
}
