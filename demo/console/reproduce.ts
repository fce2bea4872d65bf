import { validateRule, type FaultRule } from '../backend/faults.js';
import { h } from './dom.js';
import type { FaultControl } from './fault-toggles.js';
import type { ConsoleSettings } from './settings.js';

/**
 * An alarm's "Reproduce" link (from the Field view or the collector's dashboard) opens the console
 * with the alarm's query: `faults=<JSON FaultRule[]>` puts exactly those faults on the simulated
 * backend (through the same switch API as the fault toggles; each rule checked by validateRule
 * first) before the page view starts; `pattern=incident` runs the incident's request pattern
 * (bench/incident-client.ts, loaded on demand) against the simulated store beside the Vitrine view,
 * so the two request counts can be compared. `alarm=` only labels the banner.
 */
export const REPRODUCE_PARAMS = ['faults', 'pattern', 'alarm'] as const;

export interface ReproduceRequest {
  label?: string;
  faults?: FaultRule[];
  pattern?: 'incident';
  /** What could not be understood in the link. */
  problems: string[];
}

export function reproduceFromQuery(search: string): ReproduceRequest | undefined {
  const q = new URLSearchParams(search);
  const faults = q.get('faults');
  const pattern = q.get('pattern');
  if (faults === null && pattern === null) return undefined;
  const out: ReproduceRequest = { problems: [] };
  const label = q.get('alarm');
  if (label) out.label = label.slice(0, 200);
  if (faults !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(faults);
    } catch {
      out.problems.push('faults= is not JSON');
    }
    if (parsed !== undefined && !Array.isArray(parsed)) out.problems.push('faults= is not a JSON array of fault rules');
    else if (Array.isArray(parsed)) {
      out.faults = [];
      parsed.slice(0, 20).forEach((rule, i) => {
        try {
          out.faults!.push(validateRule(rule));
        } catch (e) {
          out.problems.push(`fault rule ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
    }
  }
  if (pattern === 'incident') out.pattern = 'incident';
  else if (pattern !== null) out.problems.push(`pattern=${pattern.slice(0, 40)} is not a pattern this console knows (it knows "incident")`);
  return out;
}

/** The query string without the reproduce parameters (applied once, not on every reload). */
export function withoutReproduce(search: string): string {
  const q = new URLSearchParams(search);
  for (const p of REPRODUCE_PARAMS) q.delete(p);
  const rest = q.toString();
  return rest ? `?${rest}` : '';
}

const FAULT_TEXT: Record<FaultRule['fault'], (r: FaultRule) => string> = {
  empty: () => 'answers 200 with an empty body',
  truncate: () => 'truncates its answer',
  html: () => 'answers an HTML page (200)',
  status: (r) => `answers ${r.status}`,
  'retry-after': (r) => `answers ${r.status ?? 503} with Retry-After ${r.retryAfter ?? '1'}`,
  slow: (r) => `answers ${r.delayMs} ms late`,
  hang: () => 'never answers',
  network: () => 'fails (network error)',
  malformed: () => 'answers malformed data',
};

/** One rule in words: "CDN answers 200 with an empty body for /images/… (User-Agent containing "Safari")". */
export function describeRule(rule: FaultRule): string {
  const who = [
    rule.userAgent !== undefined && `User-Agent containing "${rule.userAgent}"`,
    rule.accept !== undefined && `Accept containing "${rule.accept}"`,
    rule.share !== undefined && `${Math.round(rule.share * 100)}% of paths`,
    rule.times !== undefined && `${rule.times} times`,
  ].filter(Boolean);
  return `${rule.host.toUpperCase()} ${FAULT_TEXT[rule.fault](rule)} for ${rule.path ?? 'every path'}${who.length ? ` (${who.join(', ')})` : ''}`;
}

/**
 * Applies the link's faults: all others off, then these on, so the page view that follows sees
 * exactly the alarm's conditions (a pattern alone: every fault off). Draws the banner saying what is on, with a button to take it off.
 */
export async function applyReproduce(container: HTMLElement, request: ReproduceRequest, control: FaultControl | undefined, onChange: () => void): Promise<void> {
  const panel = container.closest('section');
  panel?.removeAttribute('hidden');
  const title = h('p', { class: 'reproduce-title' }, h('strong', {}, 'Reproducing'), request.label ? ` ${request.label}` : ' an alarm');
  const parts: (HTMLElement | string)[] = [title];
  for (const p of request.problems) parts.push(h('p', { class: 'field-error', role: 'alert' }, `Not applied: ${p}.`));
  if (request.faults?.length || (request.pattern && control)) {
    if (!control) {
      parts.push(
        h('p', { class: 'field-error', role: 'alert' }, "This console is not on the simulated store, so it cannot switch faults: open the link on `npm run demo`'s console."),
      );
    } else if (!request.faults?.length) {
      // A pattern alone (the incident's requests) runs against a healthy store: a fault left on by an
      // earlier Reproduce would put its blanks and fallbacks into this comparison.
      try {
        await control.clear();
        parts.push(h('p', { class: 'reproduce-healthy' }, 'Every fault is off: this page view runs against a healthy store.'));
      } catch (e) {
        parts.push(h('p', { class: 'field-error', role: 'alert' }, `The fault switches refused: ${e instanceof Error ? e.message : String(e)}`));
      }
    } else {
      const ids: string[] = [];
      try {
        await control.clear();
        for (const rule of request.faults) ids.push(await control.add(rule));
        const list = h('ul', { class: 'reproduce-faults' }, ...request.faults.map((r, i) => h('li', { 'data-fault-id': ids[i] }, describeRule(r))));
        const off = h('button', { type: 'button', id: 'reproduce-off' }, 'Take these faults off');
        off.addEventListener('click', () => {
          void (async () => {
            for (const id of ids) await control.remove(id).catch(() => undefined);
            list.replaceChildren(h('li', {}, 'Faults off: the next view is healthy.'));
            off.remove();
            onChange();
          })();
        });
        parts.push(
          h('p', {}, `${ids.length} fault rule${ids.length === 1 ? '' : 's'} on (every other fault off); this page view runs under ${ids.length === 1 ? 'it' : 'them'}:`),
          list,
          off,
        );
      } catch (e) {
        parts.push(h('p', { class: 'field-error', role: 'alert' }, `The fault switches refused: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
  }
  if (request.pattern === 'incident') parts.push(h('div', { id: 'incident' }, h('p', { class: 'status' }, 'Incident pattern: waiting for the page view…')));
  container.replaceChildren(...parts);
}

/**
 * The incident's request pattern for the grid this console shows: one request per product plus one
 * per image variant (bench/incident-client.ts, the client the load benchmark measures), against the
 * simulated store only — on a real store API it would be the very overload the alarm is about.
 */
export async function runIncidentPattern(container: HTMLElement, settings: ConsoleSettings, fetchImpl: typeof fetch = fetch.bind(globalThis)): Promise<number | undefined> {
  const explain = h(
    'p',
    {},
    'The alarm: an SDK version (or release) makes several times the API requests per page view of the one before. That is the incident Vitrine is built against: every product fetched on its own, and three more requests per product (image, thumbnail, small thumbnail) to learn its image URLs — instead of one batched request and image URLs computed without a request. The client that reproduces it is bench/incident-client.ts in the repository (the load benchmark uses it too). Remedy: roll the SDK back to the previous version named in the alarm.',
  );
  if (!settings.simulated) {
    container.replaceChildren(explain, h('p', { class: 'status' }, 'Not run here: this console shows a real store, and the pattern would load its API the way the incident did.'));
    return undefined;
  }
  container.replaceChildren(explain, h('p', { class: 'status' }, 'Running the incident pattern…'));
  try {
    const { incidentPageView, INCIDENT_VARIANTS } = await import('../../bench/incident-client.js');
    const q = new URLSearchParams({ limit: String(settings.limit), offset: '0' });
    if (settings.category) q.set('category', settings.category);
    // The grid's ids, once (the incident took them as known, so this one is not counted).
    const listed = (await (await fetchImpl(`${settings.api}/stores/${encodeURIComponent(settings.storeId)}/products?${q}`, { cache: 'no-store' })).json()) as {
      items?: { id: string }[];
    };
    const ids = (listed.items ?? []).map((p) => p.id);
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetchImpl(input, init);
    };
    const started = performance.now();
    const results = await incidentPageView({ api: settings.api, cdn: settings.cdn, storeId: settings.storeId, ids, fetch: counting });
    const ms = Math.round(performance.now() - started);
    const withImages = results.filter((r) => Object.keys(r.images).length > 0).length;
    container.replaceChildren(
      explain,
      h(
        'p',
        { class: 'incident-result', 'data-incident-requests': String(requests), 'data-products': String(ids.length) },
        h('strong', {}, `${requests} API requests`),
        ` for one page view of ${ids.length} products the incident's way (${ms} ms): ${ids.length} product lookups + ${requests - ids.length} image-URL lookups (${INCIDENT_VARIANTS.join(', ')}; ${withImages} products have images). `,
        'Vitrine, in the live view below, asks for the same grid in one batched request: see "API requests" under Health counters.',
      ),
    );
    return requests;
  } catch (e) {
    container.replaceChildren(explain, h('p', { class: 'field-error', role: 'alert' }, `The incident pattern failed: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
}
