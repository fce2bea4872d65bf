/**
 * Which store the console shows. Kept in the page's query string (`?store=&api=&cdn=&origin=`), so
 * a support link reproduces the same view; without those fields the console uses the simulated
 * store (backend-adapter.ts: the loopback servers or the in-page service worker).
 */
export interface ConsoleSettings {
  storeId: string;
  api: string;
  cdn: string;
  origin: string;
  collector?: string;
  /** Products in the grid. */
  limit: number;
  category?: string;
  /** True when the store is the simulated one (fault toggles work). */
  simulated: boolean;
}

export const SETTINGS_FIELDS = ['store', 'api', 'cdn', 'origin', 'collector', 'limit', 'category'] as const;
export const DEFAULT_STORE_ID = '1003';
export const DEFAULT_LIMIT = 24;

type Backend = Record<'api' | 'cdn' | 'origin' | 'collector', string>;

/** Settings from a query string; undefined when it does not name a store API (use the simulated store). */
export function settingsFromQuery(search: string): Omit<ConsoleSettings, 'simulated'> | undefined {
  const q = new URLSearchParams(search);
  const api = q.get('api');
  if (!api) return undefined;
  const limit = Number(q.get('limit'));
  const out: Omit<ConsoleSettings, 'simulated'> = {
    storeId: q.get('store') || DEFAULT_STORE_ID,
    api,
    cdn: q.get('cdn') || api,
    origin: q.get('origin') || q.get('cdn') || api,
    limit: Number.isInteger(limit) && limit > 0 && limit <= 100 ? limit : DEFAULT_LIMIT,
  };
  const collector = q.get('collector');
  const category = q.get('category');
  if (collector) out.collector = collector;
  if (category) out.category = category;
  return out;
}

/** The query string that reproduces these settings (other parameters, e.g. vitrine-debug, are kept). */
export function settingsToQuery(settings: Omit<ConsoleSettings, 'simulated'>, keep = ''): string {
  const q = new URLSearchParams(keep);
  for (const field of SETTINGS_FIELDS) q.delete(field);
  q.set('store', settings.storeId);
  q.set('api', settings.api);
  q.set('cdn', settings.cdn);
  q.set('origin', settings.origin);
  if (settings.collector) q.set('collector', settings.collector);
  if (settings.limit !== DEFAULT_LIMIT) q.set('limit', String(settings.limit));
  if (settings.category) q.set('category', settings.category);
  return `?${q.toString()}`;
}

/**
 * Settings for this page: the query string's, or the simulated store's (`simulated`: its URLs, from
 * backend-adapter.ts, wherever it runs).
 */
export async function resolveSettings(search: string, simulated?: Backend): Promise<ConsoleSettings> {
  const fromQuery = settingsFromQuery(search);
  if (fromQuery) return { ...fromQuery, simulated: simulated !== undefined && simulated.api === fromQuery.api };
  if (!simulated) throw new Error('No store to show: add ?store=…&api=…&cdn=…&origin=… to the URL, or run `npm run demo` for the simulated store');
  return { storeId: DEFAULT_STORE_ID, api: simulated.api, cdn: simulated.cdn, origin: simulated.origin, collector: simulated.collector, limit: DEFAULT_LIMIT, simulated: true };
}

/** The settings form: applying it rewrites the URL (shareable) and reloads the console. */
export function renderSettingsForm(form: HTMLFormElement, settings: ConsoleSettings, navigate: (search: string) => void): void {
  const fields: Array<[keyof ConsoleSettings, string, string]> = [
    ['storeId', 'store', 'Store id'],
    ['api', 'api', 'API'],
    ['cdn', 'cdn', 'CDN'],
    ['origin', 'origin', 'Origin'],
    ['collector', 'collector', 'Collector'],
    ['limit', 'limit', 'Products'],
  ];
  form.replaceChildren();
  for (const [key, name, label] of fields) {
    const input = document.createElement('input');
    input.name = name;
    input.value = String(settings[key] ?? '');
    input.spellcheck = false;
    if (key === 'limit') input.type = 'number';
    const wrap = document.createElement('label');
    wrap.append(label, input);
    form.append(wrap);
  }
  const apply = document.createElement('button');
  apply.type = 'submit';
  apply.textContent = 'Apply';
  form.append(apply);
  form.onsubmit = (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const get = (n: string) => String(data.get(n) ?? '').trim();
    const next: Omit<ConsoleSettings, 'simulated'> = { storeId: get('store') || DEFAULT_STORE_ID, api: get('api'), cdn: get('cdn'), origin: get('origin'), limit: Number(get('limit')) || DEFAULT_LIMIT };
    if (get('collector')) next.collector = get('collector');
    if (settings.category) next.category = settings.category;
    navigate(settingsToQuery(next, location.search));
  };
}
