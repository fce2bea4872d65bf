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
  /** The API's own origin behind its CDN (the SDK's `apiOrigin`); the simulated store has one at {api}/_origin. */
  apiOrigin?: string;
  /** Where the storefront sends its vitals reports (the SDK's `collector` option). */
  collector?: string;
  /**
   * The vitrine-collector whose field answers the Field view reads (`?collectorApi=`; by default
   * the collector's base when `collector` is its ingest URL, …/v1/reports). Its token is not kept
   * in the URL: see field-view.ts (`?collectorToken=` is taken once and stored in this browser).
   */
  collectorApi?: string;
  /** Products in the grid. */
  limit: number;
  category?: string;
  /** True when the store is the simulated one (fault toggles work). */
  simulated: boolean;
}

export const SETTINGS_FIELDS = ['store', 'api', 'cdn', 'origin', 'apiOrigin', 'collector', 'collectorApi', 'limit', 'category'] as const;
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
  const category = q.get('category');
  const apiOrigin = q.get('apiOrigin');
  if (apiOrigin) out.apiOrigin = apiOrigin;
  Object.assign(out, collectorFromQuery(q));
  if (category) out.category = category;
  return out;
}

/** A vitrine-collector's ingest URL ends in /v1/reports; its answers live under the same base. */
export function collectorApiOf(ingest: string | undefined): string | undefined {
  const m = ingest ? /^(https?:\/\/[^?#]+?)\/v1\/reports\/?$/i.exec(ingest) : null;
  return m?.[1];
}

function collectorFromQuery(q: URLSearchParams): Pick<ConsoleSettings, 'collector' | 'collectorApi'> {
  const out: Pick<ConsoleSettings, 'collector' | 'collectorApi'> = {};
  const collector = q.get('collector');
  const api = q.get('collectorApi') || collectorApiOf(collector ?? undefined);
  if (collector) out.collector = collector;
  if (api) out.collectorApi = api.replace(/\/+$/, '');
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
  if (settings.apiOrigin) q.set('apiOrigin', settings.apiOrigin);
  if (settings.collector) q.set('collector', settings.collector);
  if (settings.collectorApi && settings.collectorApi !== collectorApiOf(settings.collector)) q.set('collectorApi', settings.collectorApi);
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
  // The simulated store with a real collector (`npm run demo`): `?collector=` wins over the simulated one.
  return {
    storeId: DEFAULT_STORE_ID,
    api: simulated.api,
    cdn: simulated.cdn,
    origin: simulated.origin,
    apiOrigin: `${simulated.api.replace(/\/+$/, '')}/_origin`,
    collector: simulated.collector,
    ...collectorFromQuery(new URLSearchParams(search)),
    limit: DEFAULT_LIMIT,
    simulated: true,
  };
}

/** The settings form: applying it rewrites the URL (shareable) and reloads the console. */
export function renderSettingsForm(form: HTMLFormElement, settings: ConsoleSettings, navigate: (search: string) => void): void {
  const fields: Array<[keyof ConsoleSettings, string, string]> = [
    ['storeId', 'store', 'Store id'],
    ['api', 'api', 'API'],
    ['cdn', 'cdn', 'CDN'],
    ['origin', 'origin', 'Origin'],
    ['apiOrigin', 'apiOrigin', 'API origin'],
    ['collector', 'collector', 'Collector (reports go to)'],
    ['collectorApi', 'collectorApi', 'Collector API (Field view)'],
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
  // The token is kept in this browser for that collector, never in the (shareable) URL.
  const token = document.createElement('input');
  token.name = 'collectorToken';
  token.type = 'password';
  token.autocomplete = 'off';
  token.placeholder = settings.collectorApi && collectorToken(settings.collectorApi) ? '(saved in this browser)' : '';
  const tokenLabel = document.createElement('label');
  tokenLabel.append('Collector token', token);
  form.append(tokenLabel);
  const apply = document.createElement('button');
  apply.type = 'submit';
  apply.textContent = 'Apply';
  form.append(apply);
  form.onsubmit = (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const get = (n: string) => String(data.get(n) ?? '').trim();
    const next: Omit<ConsoleSettings, 'simulated'> = {
      storeId: get('store') || DEFAULT_STORE_ID,
      api: get('api'),
      cdn: get('cdn'),
      origin: get('origin'),
      limit: Number(get('limit')) || DEFAULT_LIMIT,
    };
    if (get('apiOrigin')) next.apiOrigin = get('apiOrigin');
    if (get('collector')) next.collector = get('collector');
    const collectorApi = get('collectorApi').replace(/\/+$/, '');
    if (collectorApi) next.collectorApi = collectorApi;
    if (collectorApi && get('collectorToken')) saveCollectorToken(collectorApi, get('collectorToken'));
    if (settings.category) next.category = settings.category;
    navigate(settingsToQuery(next, location.search));
  };
}

const TOKEN_KEY = 'vitrine-console-collector-token:';

type TokenStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function localStorageOrNone(): TokenStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The token saved in this browser for a collector API, if any. */
export function collectorToken(api: string, storage: TokenStore | undefined = localStorageOrNone()): string | undefined {
  try {
    return storage?.getItem(TOKEN_KEY + api) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveCollectorToken(api: string, token: string, storage: TokenStore | undefined = localStorageOrNone()): void {
  try {
    if (token) storage?.setItem(TOKEN_KEY + api, token);
    else storage?.removeItem(TOKEN_KEY + api);
  } catch {
    // Storage refused (privacy mode): the Field view asks again.
  }
}

/**
 * `?collectorToken=` (what `npm run demo` prints): saved for the collector API, then taken out of
 * the address bar so a copied link never carries it. Returns the query string without it.
 */
export function takeCollectorToken(search: string, api: string | undefined): string {
  const q = new URLSearchParams(search);
  const token = q.get('collectorToken');
  if (token === null) return search;
  if (api && token) saveCollectorToken(api, token);
  q.delete('collectorToken');
  const rest = q.toString();
  return rest ? `?${rest}` : '';
}
