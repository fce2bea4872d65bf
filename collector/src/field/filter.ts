import { CollectorError } from '../errors.js';
import type { FieldFilter } from './types.js';

/**
 * Query parameters → a validated filter. A parameter that is unknown, repeated or malformed is a
 * coded 400 naming it, so a typo (`?browsr=`) is not silently an unfiltered answer.
 */
const DAY = 86_400_000;
export const MAX_RANGE_MS = 400 * DAY;

const PATTERNS: Record<Exclude<keyof FieldFilter, 'from' | 'to'>, { re: RegExp; what: string }> = {
  store: { re: /^[A-Za-z0-9_-]{1,64}$/, what: '1–64 letters, digits, _ or -' },
  page: { re: /^[^\u0000-\u001f]{1,1024}$/, what: 'a path of at most 1024 characters' },
  browser: { re: /^[A-Za-z][A-Za-z0-9 ._-]{0,39}( \d{1,4})?$/, what: "a browser family, optionally with its major version ('Safari 17')" },
  country: { re: /^([A-Z]{2}|unknown)$/, what: "an ISO 3166-1 alpha-2 code ('DE') or 'unknown'" },
  device: { re: /^(desktop|mobile|tablet|other)$/, what: 'desktop, mobile, tablet or other' },
  sdk: { re: /^[0-9A-Za-z.+-]{1,32}$/, what: 'an SDK version' },
  release: { re: /^[A-Za-z0-9._+-]{1,64}$/, what: 'a release tag' },
};

function time(name: string, value: string): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CollectorError('INVALID_QUERY', 400, `Expected ${name} as ms since the epoch or an ISO date, got ${JSON.stringify(value.slice(0, 40))}`, name);
  return n;
}

/** `allowed` names the filter fields this answer takes; `extra` the route's own parameters (e.g. format). */
export function parseFilter(
  url: URL,
  now: number,
  allowed: readonly (keyof FieldFilter)[] = ['from', 'to', 'store', 'page', 'browser', 'country', 'device', 'sdk', 'release'],
  extra: readonly string[] = [],
): FieldFilter {
  const seen = new Set<string>();
  for (const [name] of url.searchParams) {
    if (seen.has(name)) throw new CollectorError('INVALID_QUERY', 400, `Expected ${name} at most once`, name);
    seen.add(name);
    if (!(allowed as readonly string[]).includes(name) && !extra.includes(name)) {
      throw new CollectorError(
        'INVALID_QUERY',
        400,
        `Unknown parameter ${JSON.stringify(name.slice(0, 40))}; expected one of ${[...allowed, ...extra].join(', ')}`,
        name.slice(0, 40),
      );
    }
  }
  const get = (n: string) => {
    const v = url.searchParams.get(n);
    return v === null || v === '' ? undefined : v;
  };
  const to = get('to') !== undefined ? time('to', get('to')!) : now;
  const from = get('from') !== undefined ? time('from', get('from')!) : to - DAY;
  if (from > to) throw new CollectorError('INVALID_QUERY', 400, 'Expected from to be before to', 'from');
  if (to - from > MAX_RANGE_MS) throw new CollectorError('INVALID_QUERY', 400, 'Expected a range of at most 400 days', 'from');
  const filter: FieldFilter = { from, to };
  for (const [name, { re, what }] of Object.entries(PATTERNS) as [keyof typeof PATTERNS, { re: RegExp; what: string }][]) {
    const v = get(name);
    if (v === undefined) continue;
    if (!re.test(v)) throw new CollectorError('INVALID_QUERY', 400, `Expected ${name} to be ${what}, got ${JSON.stringify(v.slice(0, 60))}`, name);
    filter[name] = v;
  }
  return filter;
}
