import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import type { FieldStore } from '../store/store.js';
import { BIN_BELIEVABLE, REPORT_API_BELIEVABLE } from './believable.js';
import { hourOf } from '../store/rows.js';
import { compareVersions, type AnswerOptions } from './field-answer.js';
import { quantile, type Bin } from './histogram.js';
import { THRESHOLDS, type Metric } from './thresholds.js';
import type { Alarm, AlarmAnswer, AlarmKind, FieldFilter } from './types.js';

/**
 * Alarms for the two faults of the incident and their kin, judged over a sliding window of raw
 * page views (so they open within minutes of the first affected shoppers and resolve once the
 * window is healthy again), each with the numbers behind it. State lives in the `alarms` table:
 * the evaluator opens what is new, updates what persists and resolves what is gone; a partial
 * unique index keeps one open alarm per (store, kind, subject) however many instances evaluate.
 */
export interface AlarmOptions {
  /** Sliding window the conditions are judged over. Default 30 min. */
  windowMs: number;
  /** Page views a version, cell or store needs in the window before it can raise an alarm. Default 30. */
  minSample: number;
  /** A version making this many times the API requests per view of the previous one. Default 2. */
  requestsRatio: number;
  /** Blank reports of a URL in one browser or country before it is a cluster. Default 5. */
  blankMinViews: number;
  /** Share of a cell's views reporting the URL blank. Default 0.05. */
  blankRate: number;
  /** How many times more often the cell sees it blank than everywhere else. Default 10. */
  blankConcentration: number;
  /** Share of page views that needed an origin fallback. Default 0.05. */
  fallbackRate: number;
  /** Share of page views with an error. Default 0.05. */
  errorRate: number;
  /** p75 of LCP, INP or CLS this many times the previous version's (over `vitalsWindowMs`). Default 1.2. */
  vitalRatio: number;
  /** Window for vitals regressions, from the hourly histograms. Default 24 h. */
  vitalsWindowMs: number;
}

export const ALARM_DEFAULTS: AlarmOptions = {
  windowMs: 30 * 60_000,
  minSample: 30,
  requestsRatio: 2,
  blankMinViews: 5,
  blankRate: 0.05,
  blankConcentration: 10,
  fallbackRate: 0.05,
  errorRate: 0.05,
  vitalRatio: 1.2,
  vitalsWindowMs: 24 * 3_600_000,
};

type Candidate = Omit<Alarm, 'id' | 'openedAt' | 'resolvedAt'>;
type ClusterRow = { url: string; blank: number; viewsIn: number; blankElsewhere: number; viewsElsewhere: number };
type ClusterEntry = { subject: string; dimension: string; browser?: string; country?: string; urls: ClusterRow[] };
const round = (n: number, d = 2) => Number(n.toFixed(d));
const faults = (rules: unknown[]) => `faults=${encodeURIComponent(JSON.stringify(rules))}`;

/** Versions (or releases) ordered, each against the nearest older one with a sample. */
function regressions<T extends { key: string; views: number }>(rows: T[], minSample: number, compare: (a: string, b: string) => number) {
  const sampled = rows.filter((r) => r.views >= minSample && r.key !== '' && r.key !== 'unknown').sort((a, b) => compare(a.key, b.key));
  return sampled.slice(1).map((cur, i) => ({ cur, prev: sampled[i]! }));
}

async function requestsPerView(q: Queryable, store: string, since: number, o: AlarmOptions): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const [column, label] of [
    ['sdk', 'SDK version'],
    ['release', 'release'],
  ] as const) {
    const rows = (
      await q.all<{ key: string; views: number; api: number }>(
        `SELECT ${column} AS key, COUNT(*) AS views, SUM(api_requests) AS api FROM reports WHERE store_id = ? AND view_time >= ? AND ${REPORT_API_BELIEVABLE} GROUP BY ${column}`,
        [store, since],
      )
    ).map((r) => ({
      key: r.key,
      views: Number(r.views),
      perView: Number(r.api) / Number(r.views),
    }));
    // Releases are the merchant's tags, ordered by when they first appeared; SDK versions by semver.
    const compare = column === 'sdk' ? compareVersions : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (const { cur, prev } of regressions(rows, o.minSample, compare)) {
      const ratio = prev.perView > 0 ? cur.perView / prev.perView : Infinity;
      if (ratio < o.requestsRatio) continue;
      out.push({
        kind: 'requests-per-view',
        store,
        subject: `${column} ${cur.key}`,
        summary: `${label} ${cur.key} makes ${round(cur.perView)} API requests per page view, ${round(ratio, 1)}× the ${round(prev.perView)} of ${prev.key}: roll it back before it overloads the API.`,
        evidence: {
          dimension: column,
          version: cur.key,
          previous: prev.key,
          requestsPerView: round(cur.perView, 3),
          previousRequestsPerView: round(prev.perView, 3),
          ratio: round(ratio, 2),
          views: cur.views,
          previousViews: prev.views,
        },
        reproduce: 'pattern=incident',
      });
    }
  }
  return out;
}

async function blankClusters(q: Queryable, store: string, since: number, o: AlarmOptions): Promise<Candidate[]> {
  const cellKey = (b: string, m: string, c: string) => `${b}${m ? ` ${m}` : ''}\u0000${c}`;
  const views = new Map<string, number>();
  let totalViews = 0;
  for (const r of await q.all<{ browser: string; browser_major: string; country: string; n: number }>(
    'SELECT browser, browser_major, country, COUNT(*) AS n FROM reports WHERE store_id = ? AND view_time >= ? GROUP BY browser, browser_major, country',
    [store, since],
  )) {
    views.set(cellKey(r.browser, r.browser_major, r.country), Number(r.n));
    totalViews += Number(r.n);
  }
  const blanks = await q.all<{ url: string; browser: string; browser_major: string; country: string; n: number }>(
    'SELECT url, browser, browser_major, country, COUNT(*) AS n FROM view_blank_urls WHERE store_id = ? AND view_time >= ? GROUP BY url, browser, browser_major, country',
    [store, since],
  );
  const byUrl = new Map<string, { browser: string; country: string; n: number }[]>();
  for (const b of blanks) {
    const list = byUrl.get(b.url) ?? [];
    list.push({ browser: b.browser_major ? `${b.browser} ${b.browser_major}` : b.browser, country: b.country, n: Number(b.n) });
    byUrl.set(b.url, list);
  }

  // For each URL: is its blankness concentrated in one browser, one country, or one browser × country?
  const clusters = new Map<string, ClusterEntry>();
  for (const [url, cells] of byUrl) {
    const total = cells.reduce((s, c) => s + c.n, 0);
    const candidates: { dimension: 'browser' | 'country' | 'variant'; browser?: string; country?: string }[] = [];
    for (const c of cells) candidates.push({ dimension: 'variant', browser: c.browser, country: c.country });
    for (const b of new Set(cells.map((c) => c.browser))) candidates.push({ dimension: 'browser', browser: b });
    for (const c of new Set(cells.map((c) => c.country))) if (c !== 'unknown') candidates.push({ dimension: 'country', country: c });
    let best: { blank: number; rateIn: number; entry: ClusterEntry; row: ClusterRow } | undefined;
    for (const cand of candidates) {
      const inCell = (c: { browser: string; country: string }) =>
        (cand.browser === undefined || c.browser === cand.browser) && (cand.country === undefined || c.country === cand.country);
      const blank = cells.filter(inCell).reduce((s, c) => s + c.n, 0);
      let viewsIn = 0;
      for (const [k, n] of views) {
        const [b, c] = k.split('\u0000') as [string, string];
        if (inCell({ browser: b, country: c })) viewsIn += n;
      }
      const viewsElsewhere = totalViews - viewsIn;
      const blankElsewhere = total - blank;
      if (blank < o.blankMinViews || viewsIn < o.minSample) continue;
      const rateIn = blank / viewsIn;
      const rateOut = viewsElsewhere > 0 ? blankElsewhere / viewsElsewhere : 0;
      // Concentrated: common here, and rare where there are enough views to tell.
      if (rateIn < o.blankRate) continue;
      if (viewsElsewhere < o.minSample || rateOut * o.blankConcentration > rateIn) continue;
      // The cell that explains the most blank reports; among equals the most specific (highest rate):
      // blank for Safari in DE only is "Safari 17 in DE", blank for Safari everywhere is "Safari 17".
      if (best && (blank < best.blank || (blank === best.blank && rateIn <= best.rateIn))) continue;
      const subject = cand.dimension === 'variant' ? `${cand.browser} in ${cand.country}` : cand.dimension === 'browser' ? `${cand.browser}` : `country ${cand.country}`;
      best = {
        blank,
        rateIn,
        entry: {
          subject,
          dimension: cand.dimension,
          ...(cand.browser !== undefined && { browser: cand.browser }),
          ...(cand.country !== undefined && { country: cand.country }),
          urls: [],
        },
        row: { url, blank, viewsIn, blankElsewhere, viewsElsewhere },
      };
    }
    if (!best) continue;
    const entry = clusters.get(best.entry.subject) ?? best.entry;
    entry.urls.push(best.row);
    clusters.set(best.entry.subject, entry);
  }

  return [...clusters.values()].map((c) => {
    const urls = c.urls.sort((a, b) => b.blank - a.blank);
    const cellsSeen = [...new Set(urls.flatMap((u) => (byUrl.get(u.url) ?? []).map((x) => `${x.browser} × ${x.country}`)))];
    const first = urls[0]!;
    const family = c.browser?.replace(/ \d+$/, '');
    const path = (() => {
      try {
        return new URL(first.url).pathname;
      } catch {
        return undefined;
      }
    })();
    return {
      kind: 'blank-variant' as const,
      store,
      subject: c.subject,
      summary: `${urls.length} CDN URL${urls.length === 1 ? ' is' : 's are'} blank for ${c.subject} (${first.blank} of ${first.viewsIn} page views there) and fine elsewhere (${first.blankElsewhere} of ${first.viewsElsewhere}): purge ${urls.length === 1 ? 'it' : 'them'} for that variant.`,
      evidence: {
        dimension: c.dimension,
        ...(c.browser !== undefined && { browser: c.browser }),
        ...(c.country !== undefined && { country: c.country }),
        urls: urls.slice(0, 20).map((u) => ({ ...u, rateIn: round(u.blank / u.viewsIn, 3), rateElsewhere: u.viewsElsewhere ? round(u.blankElsewhere / u.viewsElsewhere, 4) : 0 })),
        urlCount: urls.length,
        seenIn: cellsSeen.slice(0, 20),
      },
      ...(path && { reproduce: faults([{ host: 'cdn', fault: 'empty', path, ...(family && { userAgent: family }) }]) }),
    };
  });
}

async function rates(q: Queryable, store: string, since: number, o: AlarmOptions): Promise<Candidate[]> {
  const row = (
    await q.all<{ views: number; fallback: number; errors: number }>(
      'SELECT COUNT(*) AS views, SUM(CASE WHEN origin_fallbacks > 0 THEN 1 ELSE 0 END) AS fallback, SUM(CASE WHEN errors > 0 THEN 1 ELSE 0 END) AS errors FROM reports WHERE store_id = ? AND view_time >= ?',
      [store, since],
    )
  )[0];
  const views = Number(row?.views ?? 0);
  if (views < o.minSample) return [];
  const out: Candidate[] = [];
  const fallback = Number(row?.fallback ?? 0) / views;
  if (fallback >= o.fallbackRate) {
    out.push({
      kind: 'origin-fallback-rate',
      store,
      subject: 'store',
      summary: `${round(fallback * 100, 1)}% of page views needed the origin because CDN assets failed (threshold ${round(o.fallbackRate * 100, 1)}%): check the CDN; see the blank variants.`,
      evidence: { views, fallbackViews: Number(row?.fallback ?? 0), rate: round(fallback, 4), threshold: o.fallbackRate },
      reproduce: faults([{ host: 'cdn', fault: 'status', status: 503, path: '/images/*' }]),
    });
  }
  const errors = Number(row?.errors ?? 0) / views;
  if (errors >= o.errorRate) {
    out.push({
      kind: 'error-rate',
      store,
      subject: 'store',
      summary: `${round(errors * 100, 1)}% of page views reported a Vitrine error (threshold ${round(o.errorRate * 100, 1)}%).`,
      evidence: { views, errorViews: Number(row?.errors ?? 0), rate: round(errors, 4), threshold: o.errorRate },
      reproduce: faults([{ host: 'api', fault: 'status', status: 500 }]),
    });
  }
  return out;
}

async function vitalRegressions(q: Queryable, store: string, now: number, o: AlarmOptions): Promise<Candidate[]> {
  const rows = await q.all<{ sdk: string; metric: string; bin: number; n: number }>(
    `SELECT value AS sdk, metric, bin, SUM(n) AS n FROM vital_rollup WHERE store_id = ? AND hour >= ? AND dim = 'sdk' AND metric IN ('LCP', 'INP', 'CLS') AND ${BIN_BELIEVABLE} GROUP BY value, metric, bin`,
    [store, hourOf(now - o.vitalsWindowMs)],
  );
  const out: Candidate[] = [];
  for (const metric of ['LCP', 'INP', 'CLS'] as const) {
    const bySdk = new Map<string, Bin[]>();
    for (const r of rows) if (r.metric === metric) bySdk.set(r.sdk, [...(bySdk.get(r.sdk) ?? []), { hi: Number(r.bin), n: Number(r.n) }]);
    const versions = [...bySdk.entries()].map(([key, bins]) => ({ key, bins, views: bins.reduce((s, b) => s + b.n, 0) }));
    for (const { cur, prev } of regressions(versions, o.minSample, compareVersions)) {
      const a = quantile(metric as Metric, cur.bins, 0.75)!;
      const b = quantile(metric as Metric, prev.bins, 0.75)!;
      // Worse by the ratio and by a meaningful amount (a tenth of the good threshold), not bin noise.
      if (a < b * o.vitalRatio || a - b < THRESHOLDS[metric].good / 10) continue;
      out.push({
        kind: 'vital-regression',
        store,
        subject: `${metric} sdk ${cur.key}`,
        summary: `p75 ${metric} is ${a}${metric === 'CLS' ? '' : ' ms'} on SDK ${cur.key}, ${round(a / Math.max(b, 1e-9), 2)}× the ${b}${metric === 'CLS' ? '' : ' ms'} of ${prev.key}.`,
        evidence: { metric, version: cur.key, previous: prev.key, p75: a, previousP75: b, views: cur.views, previousViews: prev.views },
        ...(metric === 'LCP' && { reproduce: faults([{ host: 'cdn', fault: 'slow', delayMs: 3000, path: '/images/*' }]) }),
      });
    }
  }
  return out;
}

/** What is wrong for one store right now. Pure reads. */
export async function currentAlarms(q: Queryable, store: string, now: number, o: AlarmOptions = ALARM_DEFAULTS): Promise<Candidate[]> {
  const since = now - o.windowMs;
  const found = await Promise.all([requestsPerView(q, store, since, o), blankClusters(q, store, since, o), rates(q, store, since, o), vitalRegressions(q, store, now, o)]);
  return found.flat();
}

const toAlarm = (r: Record<string, unknown>): Alarm => ({
  id: String(r['id']),
  kind: r['kind'] as AlarmKind,
  store: String(r['store_id']),
  subject: String(r['subject']),
  summary: String(r['summary']),
  openedAt: Number(r['opened_at']),
  ...(r['resolved_at'] !== null && r['resolved_at'] !== undefined && { resolvedAt: Number(r['resolved_at']) }),
  evidence: JSON.parse(String(r['evidence'])) as Record<string, unknown>,
  ...(typeof r['reproduce'] === 'string' && { reproduce: r['reproduce'] }),
});

/**
 * Opens, updates and resolves the alarms of every store with traffic in the window (or one store).
 * Safe to run from several instances at once: the open-alarm index makes a second open a no-op.
 *
 * Each store is evaluated on its own: one whose queries fail (its data, its rows locked) leaves its
 * alarms as they were and the others are still evaluated. With `onStoreError` each failure is
 * handed to it; without, the first is thrown once every store has had its turn. Resolves to the ids
 * of the stores that failed.
 */
export async function evaluateAlarms(
  store: FieldStore,
  now: number,
  o: AlarmOptions = ALARM_DEFAULTS,
  only?: string,
  onStoreError?: (storeId: string, error: unknown) => void,
): Promise<string[]> {
  const since = now - Math.max(o.windowMs, o.vitalsWindowMs);
  const stores = only
    ? [only]
    : (
        await store.db.all<{ store_id: string }>(
          "SELECT DISTINCT store_id FROM alarms WHERE resolved_at IS NULL UNION SELECT DISTINCT store_id FROM count_rollup WHERE hour >= ? AND dim = ''",
          [hourOf(since)],
        )
      ).map((r) => r.store_id);
  const failed: string[] = [];
  let first: unknown;
  for (const id of stores) {
    try {
      await evaluateStore(store, id, now, o);
    } catch (error) {
      failed.push(id);
      if (onStoreError) onStoreError(id, error);
      else if (failed.length === 1) first = error;
    }
  }
  if (failed.length && !onStoreError) {
    const message = first instanceof Error ? first.message : String(first);
    throw new Error(`store ${failed[0]}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}: ${message}`, { cause: first });
  }
  return failed;
}

async function evaluateStore(store: FieldStore, id: string, now: number, o: AlarmOptions): Promise<void> {
  const found = await currentAlarms(store.db, id, now, o);
  await store.db.tx(async (q) => {
    const open = (await q.all<Record<string, unknown>>('SELECT * FROM alarms WHERE store_id = ? AND resolved_at IS NULL', [id])).map(toAlarm);
    const key = (a: { kind: string; subject: string }) => `${a.kind}\u0000${a.subject}`;
    const foundKeys = new Set(found.map(key));
    for (const a of open) if (!foundKeys.has(key(a))) await q.run('UPDATE alarms SET resolved_at = ?, updated_at = ? WHERE id = ? AND resolved_at IS NULL', [now, now, a.id]);
    const openKeys = new Map(open.map((a) => [key(a), a]));
    for (const f of found) {
      const existing = openKeys.get(key(f));
      if (existing) {
        await q.run('UPDATE alarms SET summary = ?, evidence = ?, reproduce = ?, updated_at = ? WHERE id = ?', [
          f.summary,
          JSON.stringify(f.evidence),
          f.reproduce ?? null,
          now,
          existing.id,
        ]);
      } else {
        await q.run(
          'INSERT INTO alarms (id, store_id, kind, subject, opened_at, resolved_at, updated_at, summary, evidence, reproduce) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) ON CONFLICT (store_id, kind, subject) WHERE resolved_at IS NULL DO NOTHING',
          [randomUUID(), id, f.kind, f.subject, now, now, f.summary, JSON.stringify(f.evidence), f.reproduce ?? null],
        );
      }
    }
  });
}

/** `/v1/alarms`: evaluated now, then what is open and what was resolved within the range. */
export async function alarmAnswer(
  store: FieldStore,
  filter: FieldFilter,
  o: AnswerOptions & { alarms?: Partial<AlarmOptions>; onStoreError?: (storeId: string, error: unknown) => void },
): Promise<AlarmAnswer> {
  const options = { ...ALARM_DEFAULTS, minSample: o.minSample, ...o.alarms };
  // With a handler, a store that cannot be evaluated answers with its alarms as last stored.
  await evaluateAlarms(store, o.now(), options, filter.store, o.onStoreError);
  const storeClause = filter.store ? ' AND store_id = ?' : '';
  const storeParams = filter.store ? [filter.store] : [];
  const [open, resolved] = await Promise.all([
    store.db.all<Record<string, unknown>>(`SELECT * FROM alarms WHERE resolved_at IS NULL${storeClause} ORDER BY opened_at DESC`, storeParams),
    store.db.all<Record<string, unknown>>(
      `SELECT * FROM alarms WHERE resolved_at IS NOT NULL AND resolved_at >= ? AND opened_at <= ?${storeClause} ORDER BY resolved_at DESC LIMIT 200`,
      [filter.from, filter.to, ...storeParams],
    ),
  ]);
  return { filter, open: open.map(toAlarm), resolved: resolved.map(toAlarm) };
}
