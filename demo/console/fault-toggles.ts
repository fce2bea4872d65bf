import type { FaultRule } from '../backend/faults.js';
import { h } from './dom.js';

export interface FaultPreset {
  id: string;
  label: string;
  rule: FaultRule;
}

/** A short User-Agent token of this browser, so "one browser only" blanks hit the one in use. */
export function userAgentToken(ua: string): string {
  for (const token of ['HeadlessChrome', 'Firefox', 'Edg/', 'Chrome', 'Safari']) if (ua.includes(token)) return token;
  return ua.slice(0, 20) || 'Mozilla';
}

/** Every fault the console can switch; each is one rule on the simulated backend. */
export function faultPresets(ua = typeof navigator === 'undefined' ? '' : navigator.userAgent): FaultPreset[] {
  const token = userAgentToken(ua);
  return [
    { id: 'cdn-blank-10', label: 'CDN blanks for 10% of images', rule: { host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1 } },
    { id: 'cdn-blank-all', label: 'CDN blanks for every image', rule: { host: 'cdn', fault: 'empty', path: '/images/*' } },
    { id: 'cdn-blank-ua', label: `CDN blanks only for this browser (UA contains "${token}")`, rule: { host: 'cdn', fault: 'empty', path: '/images/*', userAgent: token } },
    { id: 'cdn-html', label: 'CDN answers images with an HTML page (200)', rule: { host: 'cdn', fault: 'html', path: '/images/*', share: 0.25 } },
    { id: 'cdn-truncate', label: 'CDN truncates 25% of images', rule: { host: 'cdn', fault: 'truncate', path: '/images/*', share: 0.25 } },
    { id: 'cdn-down', label: 'CDN down (network error)', rule: { host: 'cdn', fault: 'network' } },
    { id: 'origin-down', label: 'Origin down (network error)', rule: { host: 'origin', fault: 'network' } },
    { id: 'api-slow', label: 'Slow API (+2 s)', rule: { host: 'api', fault: 'slow', delayMs: 2000 } },
    { id: 'api-malformed', label: 'Malformed products from the API', rule: { host: 'api', fault: 'malformed', path: '/stores/*' } },
    { id: 'api-html', label: 'API answers an HTML page (200)', rule: { host: 'api', fault: 'html', path: '/stores/*' } },
    { id: 'api-retry-after', label: 'API 503 + Retry-After once', rule: { host: 'api', fault: 'retry-after', path: '/stores/*', retryAfter: '1', times: 1 } },
    { id: 'api-down', label: 'API 500', rule: { host: 'api', fault: 'status', status: 500, path: '/stores/*' } },
  ];
}

type Active = FaultRule & { id: string };

/** A rule as the backend lists it equals a preset when every field the preset sets matches. */
export function matchesPreset(active: Active, preset: FaultPreset): boolean {
  const keys = new Set([...Object.keys(preset.rule), ...Object.keys(active).filter((k) => k !== 'id' && k !== 'hits')]);
  return [...keys].every((k) => (preset.rule as unknown as Record<string, unknown>)[k] === (active as unknown as Record<string, unknown>)[k]);
}

export interface FaultControl {
  list(): Promise<Active[]>;
  add(rule: FaultRule): Promise<string>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
}

/** The simulated backend's fault switch API on the api host (`/__control/faults`). */
export function createFaultControl(api: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): FaultControl {
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetchImpl(`${api}/__control${path}`, { cache: 'no-store', ...init });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw new Error(`Fault switch ${init.method ?? 'GET'} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    list: async () => (await call('/faults')) as Active[],
    add: async (rule) => ((await call('/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rule) })) as { id: string }).id,
    remove: async (id) => void (await call(`/faults/${encodeURIComponent(id)}`, { method: 'DELETE' })),
    clear: async () => void (await call('/faults', { method: 'DELETE' })),
  };
}

/**
 * One checkbox per fault preset, in sync with the rules the backend holds (a reload keeps them).
 * `onChange` runs after a switch took effect, to reproduce a fresh page view under the new faults.
 */
export async function renderFaultToggles(container: HTMLElement, control: FaultControl, onChange: () => void, presets = faultPresets()): Promise<void> {
  let active = await control.list();
  const list = h('ul', { class: 'toggles' });
  const status = h('p', { class: 'status', role: 'status' });
  for (const preset of presets) {
    const box = h('input', { type: 'checkbox', name: preset.id, 'data-fault': preset.id });
    box.checked = active.some((a) => matchesPreset(a, preset));
    box.addEventListener('change', () => {
      box.disabled = true;
      void (async () => {
        try {
          if (box.checked) await control.add(preset.rule);
          else for (const a of active.filter((r) => matchesPreset(r, preset))) await control.remove(a.id);
          active = await control.list();
          status.textContent = `${preset.label}: ${box.checked ? 'on' : 'off'}`;
          onChange();
        } catch (e) {
          box.checked = !box.checked;
          status.textContent = e instanceof Error ? e.message : String(e);
        } finally {
          box.disabled = false;
        }
      })();
    });
    list.append(h('li', {}, h('label', {}, box, ` ${preset.label}`)));
  }
  const clear = h('button', { type: 'button' }, 'All faults off');
  clear.addEventListener('click', () => {
    void control.clear().then(async () => {
      active = await control.list();
      for (const box of list.querySelectorAll('input')) box.checked = false;
      status.textContent = 'All faults off';
      onChange();
    });
  });
  container.replaceChildren(list, clear, status);
}
