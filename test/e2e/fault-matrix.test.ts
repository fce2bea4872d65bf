/**
 * The fault matrix: every fault of DESIGN.md's fault model × every asset kind and the product API,
 * in real headless Chromium against the simulated backend over loopback HTTP. Each cell asserts what
 * the shopper sees, how many requests it cost, what was reported, and that nothing was thrown into
 * the page; the run writes docs/fault-matrix.md so the README's claims point at evidence.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import type { FaultRule, LogEntry } from '../../demo/backend/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';
import type { CellInput, Kind, Seen } from './fixtures/matrix/harness.js';
import type { HealthCounters } from '../../src/vitals/report-schema.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/matrix/', import.meta.url));
const REPORT = fileURLToPath(new URL('../../docs/fault-matrix.md', import.meta.url));
const KINDS: readonly Kind[] = ['image', 'script', 'style', 'json', 'api'];
/** Total tries per asset or API request (retry.attempts default): CDN + origin + one budgeted retry. */
const ATTEMPTS = 3;
const VARIANT_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome VariantB';

interface Fault {
  id: string;
  label: string;
  /** Rules for the asset rows; `path` is filled per kind unless the whole host is down. */
  cdn?: Omit<FaultRule, 'host'>;
  originDown?: boolean;
  wholeHost?: boolean;
  /** The same fault on the product API, once (a transient failure: the API answers again after). */
  api?: Omit<FaultRule, 'host'>;
  userAgent?: string;
}

const FAULTS: readonly Fault[] = [
  { id: 'empty', label: 'zero-byte `200`', cdn: { fault: 'empty' }, api: { fault: 'empty' } },
  { id: 'truncate', label: 'truncated body', cdn: { fault: 'truncate' }, api: { fault: 'truncate' } },
  { id: 'html', label: 'HTML error page with `200`', cdn: { fault: 'html' }, api: { fault: 'html' } },
  { id: '404', label: '`404`', cdn: { fault: 'status', status: 404 }, api: { fault: 'status', status: 404 } },
  { id: '503', label: '`503`', cdn: { fault: 'status', status: 503 }, api: { fault: 'status', status: 503 } },
  { id: 'retry-after', label: '`503` + `Retry-After: 1`', cdn: { fault: 'retry-after', retryAfter: '1' }, api: { fault: 'retry-after', retryAfter: '1' } },
  { id: 'hang', label: 'hang past the timeout', cdn: { fault: 'hang' }, api: { fault: 'hang' } },
  { id: 'network', label: 'network error', cdn: { fault: 'network' }, api: { fault: 'network' } },
  { id: 'variant', label: 'blank for one browser variant only (UA)', cdn: { fault: 'empty', userAgent: 'VariantB' }, api: { fault: 'empty', userAgent: 'VariantB' }, userAgent: VARIANT_UA },
  { id: 'cdn-down', label: 'CDN down for everything', cdn: { fault: 'network' }, wholeHost: true },
  { id: 'origin-down', label: 'CDN and origin down', cdn: { fault: 'network' }, wholeHost: true, originDown: true },
];

/** What the shopper must see in each cell: the promise of DESIGN.md, not what the code happens to do. */
function expected(fault: Fault, kind: Kind): { shown: string; maxPerAsset: number; gap?: string } {
  if (kind === 'image' && fault.id === 'truncate') {
    // Asserted as it is, so the table shows it and the test notices the day it changes.
    return {
      shown: 'ok',
      maxPerAsset: 1,
      gap: 'known gap: a PNG cut short under a matching Content-Length still decodes and paints its top part; `<img>` has no integrity check, so Chromium reports a good load and the CDN copy stays',
    };
  }
  if (kind === 'api') {
    // A 4xx is the API's answer, not a failure to answer: not retried, the lookup fails with a code.
    if (fault.id === '404') return { shown: 'missing', maxPerAsset: 1 };
    return { shown: 'ok', maxPerAsset: fault.api ? 2 : 1 };
  }
  if (fault.originDown) return { shown: kind === 'image' ? 'placeholder' : 'missing', maxPerAsset: ATTEMPTS };
  return { shown: 'ok', maxPerAsset: 2 };
}

interface CellResult {
  fault: Fault;
  kind: Kind;
  pass: boolean;
  outcome: string;
  requests: number;
  maxPerAsset: number;
  gap: string | undefined;
  /** Health counters as the beacon would report them (ok/empty/failed, fallbacks, blank URLs, retries). */
  health?: string;
}

let server: RunningServer;
let browser: Browser;
let siteDir: string;
let input: Omit<CellInput, 'kind'>;
const results: CellResult[] = [];

beforeAll(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'vitrine-matrix-'));
  await build({ entryPoints: [join(FIXTURES, 'harness.ts')], bundle: true, format: 'iife', target: 'es2020', outfile: join(siteDir, 'harness.js'), logLevel: 'error' });
  await copyFile(join(FIXTURES, 'index.html'), join(siteDir, 'index.html'));
  server = await startServer({ site: { root: siteDir } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const names = ['m1', 'm2', 'm3', 'm4'];
  const integrity: Record<string, string> = {};
  for (const name of names) {
    const body = Buffer.from(await (await fetch(`${server.urls.origin}/assets/${name}.js`)).arrayBuffer());
    integrity[name] = `sha384-${createHash('sha384').update(body).digest('base64')}`;
  }
  // Products 1..6 with an image (checked below), so the image row has something to show.
  input = { urls: { api: server.urls.api, cdn: server.urls.cdn, origin: server.urls.origin }, ids: ['1', '2', '3', '4'], names, integrity };
  server.backend.resetCounts();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
  if (results.length === FAULTS.length * KINDS.length) await writeFile(REPORT, renderReport(results));
});

async function visit(kind: Kind, userAgent?: string): Promise<{ seen: Seen; pageErrors: string[] }> {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.urls.site}/index.html`);
    const seen = await page.evaluate((arg) => (window as unknown as { runCell(i: CellInput): Promise<Seen> }).runCell(arg), { ...input, kind });
    return { seen, pageErrors };
  } finally {
    await context.close();
  }
}

const isKind = (kind: Kind) => (e: LogEntry) =>
  kind === 'api' ? e.host === 'api' : (e.host === 'cdn' || e.host === 'origin') && (kind === 'image' ? e.path.startsWith('/images/') : e.path.startsWith('/assets/')) && e.method !== 'OPTIONS';

/** Requests per asset: an image is its product's key on either host (whatever srcset candidate was picked), a file its name. */
function perAsset(kind: Kind, log: LogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log.filter(isKind(kind))) {
    const key = kind === 'api' ? 'batch' : kind === 'image' ? (e.path.split('/')[3] ?? e.path) : e.path;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function rulesFor(fault: Fault, kind: Kind): FaultRule[] {
  if (kind === 'api') return fault.api ? [{ ...fault.api, host: 'api', path: '/stores/*', times: 1 }] : [];
  const path = kind === 'image' ? '/images/*' : '/assets/*';
  const rules: FaultRule[] = [];
  if (fault.cdn) rules.push({ ...fault.cdn, host: 'cdn', ...(fault.wholeHost ? {} : { path }) });
  if (fault.originDown) rules.push({ fault: 'network', host: 'origin' });
  return rules;
}

describe('fault matrix (real Chromium, loopback backend)', () => {
  for (const fault of FAULTS) {
    for (const kind of KINDS) {
      const want = expected(fault, kind);
      const name =
        kind === 'api'
          ? `${fault.label} from the product API: ${want.shown === 'ok' ? 'every product still shown' : 'a coded error, no retry loop'}`
          : `${fault.label} on the ${kind} CDN: ${want.shown === 'ok' ? 'the shopper still gets every ' + kind + ' from the origin' : kind === 'image' ? 'placeholders, never a broken image' : 'a coded ASSET_FAILED, no loop'}`;
      it(want.gap ? `${fault.label} on the ${kind} CDN: ${want.gap.split(':')[0]} (asserted as is)` : name, async () => {
        const record: CellResult = { fault, kind, pass: false, outcome: '(not run)', requests: 0, maxPerAsset: want.maxPerAsset, gap: want.gap };
        results.push(record);
        server.backend.faults.clear();
        server.backend.resetCounts();

        // A variant fault must leave every other browser alone: a control visit sees the CDN, once per asset.
        if (fault.userAgent) {
          for (const rule of rulesFor(fault, kind)) server.backend.faults.add(rule);
          const control = await visit(kind);
          expect(control.seen.shown.every((s) => s === 'ok')).toBe(true);
          expect(Math.max(...perAsset(kind, server.backend.counts().log).values())).toBe(1);
          server.backend.faults.clear();
          server.backend.resetCounts();
        }

        for (const rule of rulesFor(fault, kind)) server.backend.faults.add(rule);
        const { seen, pageErrors } = await visit(kind, fault.userAgent);
        const log = server.backend.counts().log;
        const counts = perAsset(kind, log);
        const max = Math.max(0, ...counts.values());
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        const assetEvents = seen.events.filter((e) => e.type === 'asset');
        const hosts = new Set(assetEvents.filter((e) => e.outcome === 'ok').map((e) => e.host as string));
        const codes = [...new Set(seen.rejections.map((r) => r.code))];
        record.outcome = describeOutcome(seen.shown, kind, hosts, codes);
        record.requests = total;

        // What the shopper sees.
        expect(seen.shown, record.outcome).toEqual(seen.shown.map(() => want.shown));
        expect(seen.shown).toHaveLength(kind === 'api' || kind === 'image' ? input.ids.length : input.names.length);
        // What it cost: never more than the cell allows per asset, never a loop.
        expect(max, `requests per asset: ${JSON.stringify([...counts])}`).toBeLessThanOrEqual(want.maxPerAsset);
        // Nothing thrown into the merchant's page.
        expect(pageErrors).toEqual([]);
        // What was reported.
        if (kind === 'api') {
          const network = seen.events.filter((e) => e.type === 'request' && e.source === 'network');
          expect(network).toHaveLength(total);
          if (want.shown !== 'ok') expect(seen.events.some((e) => e.type === 'error' && e.code === 'HTTP')).toBe(true);
        } else {
          // Every asset attempt the backend saw is an `asset` event the page saw (skips are events without a request).
          expect(assetEvents.filter((e) => e.outcome !== 'skipped').length).toBe(total);
          if (want.gap) {
            expect(hosts).toEqual(new Set(['cdn']));
          } else if (want.shown === 'ok') {
            expect(hosts).toEqual(new Set(['origin']));
            expect(assetEvents.some((e) => e.host === 'cdn' && e.outcome !== 'ok')).toBe(true);
          } else {
            if (kind !== 'image') expect(codes).toEqual(['ASSET_FAILED']);
            expect(seen.events.some((e) => e.type === 'error')).toBe(kind !== 'image');
          }
          if (fault.wholeHost && !fault.originDown) {
            // The breaker opened: the CDN stops being asked once it is known dead.
            expect(seen.events.some((e) => e.type === 'breaker' && e.state === 'open') || counts.size < 3).toBe(true);
          }
        }
        // The health counters the vitals beacon would carry, checked against the backend's own log.
        expectHealth(seen, kind, log, want);
        record.health = describeHealth(seen.health, kind);
        record.pass = true;
      });
    }
  }
});

/**
 * Faults that answer `200` with a body that is not the asset, as the page can tell: what an operator
 * must purge from the CDN. A script, style or JSON file is read (integrity, rules, parse); an `<img>`
 * without CORS exposes neither its status nor its body, only its size, so only a zero-byte image is
 * known to be a blank — an HTML page served as an image looks like a 404 and counts as failed.
 */
const badBodies = (kind: Kind) => new Set(kind === 'image' ? ['empty'] : ['empty', 'html', 'truncate']);
const RETRY_FLOOR = 3;
const RETRY_RATIO = 0.1;

/**
 * Health counters from the backend's log, not from the page's events: every request the CDN and origin
 * received is one counted attempt (ok, empty or failed), every origin request one fallback, every CDN
 * request answered with a bad `200` one blank URL, and every request past the CDN and origin tries of an
 * asset (past the first try of an API request) one retry taken from the budget.
 */
function expectHealth(seen: Seen, kind: Kind, log: LogEntry[], want: { shown: string; gap?: string }): void {
  const h = seen.health;
  const entries = log.filter(isKind(kind));
  const apiLog = log.filter((e) => e.host === 'api');
  expect(h.apiRequests, 'API requests counted').toBe(apiLog.length);
  if (kind === 'api') {
    expect(h.apiRetries, 'API retries counted').toBe(apiLog.length - 1);
    expect(h.retryBudgetSpent).toBe(apiLog.length - 1);
    expect(h.assets).toEqual({ image: zero(), script: zero(), style: zero(), json: zero() });
    expect(h.originFallbacks).toBe(0);
    expect(h.blankUrls).toEqual([]);
  } else {
    const ok = want.shown === 'ok' ? seen.shown.length : 0;
    const bad = badBodies(kind);
    const empty = want.gap ? 0 : entries.filter((e) => bad.has(e.fault ?? '')).length;
    expect(h.assets[kind], `${kind} attempts counted`).toEqual({ ok, empty, failed: entries.length - ok - empty });
    for (const other of ['image', 'script', 'style', 'json'] as const) if (other !== kind) expect(h.assets[other]).toEqual(zero());
    expect(h.originFallbacks, 'origin fallbacks counted').toBe(entries.filter((e) => e.host === 'origin').length);
    const blank = want.gap ? [] : [...new Set(entries.filter((e) => e.host === 'cdn' && bad.has(e.fault ?? '')).map((e) => `${server.urls.cdn}${e.path}`))];
    expect([...h.blankUrls].sort(), 'blank CDN URLs reported for purging').toEqual(blank.sort());
    expect(h.apiRetries).toBe(0);
    const perAssetCounts = [...perAsset(kind, log).values()];
    expect(h.retryBudgetSpent, 'retries taken from the budget').toBe(perAssetCounts.reduce((sum, n) => sum + Math.max(0, n - 2), 0));
  }
  // Never more retries than the page-wide budget allows.
  expect(h.retryBudgetSpent).toBeLessThanOrEqual(RETRY_FLOOR + Math.floor(seen.budget.requests * RETRY_RATIO));
  expect(seen.budget.retries).toBe(h.retryBudgetSpent);
  expect(h.errors).toBe(seen.events.filter((e) => e.type === 'error').length);
  expect(h.beaconsDropped).toBe(0);
}

const zero = () => ({ ok: 0, empty: 0, failed: 0 });

function describeHealth(h: HealthCounters, kind: Kind): string {
  const a = kind === 'api' ? undefined : h.assets[kind];
  const parts = [a ? `${kind} ${a.ok}/${a.empty}/${a.failed}` : `api ${h.apiRequests} req, ${h.apiRetries} retry`];
  if (h.originFallbacks) parts.push(`${h.originFallbacks} fallback`);
  if (h.blankUrls.length) parts.push(`${h.blankUrls.length} blank URL`);
  if (a && h.retryBudgetSpent) parts.push(`${h.retryBudgetSpent} retry`);
  return parts.join(', ');
}

function describeOutcome(shown: string[], kind: Kind, hosts: Set<string>, codes: string[]): string {
  const tally = new Map<string, number>();
  for (const s of shown) tally.set(s, (tally.get(s) ?? 0) + 1);
  const what = [...tally].map(([s, n]) => `${n}× ${s}`).join(', ');
  const from = kind === 'api' || hosts.size === 0 ? '' : ` from ${[...hosts].sort().join('+')}`;
  return `${what}${from}${codes.length ? ` (${codes.join(', ')})` : ''}`;
}

function renderReport(rows: CellResult[]): string {
  const passed = rows.filter((r) => r.pass && !r.gap).length;
  const gaps = rows.filter((r) => r.gap);
  const cell = (fault: Fault, kind: Kind) => {
    const r = rows.find((x) => x.fault === fault && x.kind === kind);
    if (!r) return '—';
    const mark = !r.pass ? '❌' : r.gap ? '⚠️' : '✅';
    return `${mark} ${r.outcome}; ${r.requests} req (limit ${r.maxPerAsset}/asset)${r.gap ? ' ¹' : ''}`;
  };
  const lines = [
    '# Fault matrix',
    '',
    'Generated by `test/e2e/fault-matrix.test.ts` (`npx vitest run --project e2e test/e2e/fault-matrix.test.ts`): real headless',
    'Chromium, the simulated backend over loopback HTTP, a fresh browser profile per cell. Do not edit by hand.',
    '',
    `**${passed} / ${rows.length} cells keep DESIGN.md's promise; ${gaps.length} known gap(s) (⚠️, asserted as they are); ${rows.filter((r) => !r.pass).length} failing.**`,
    '',
    'Each asset row loads 4 assets of its kind in parallel (images: 4 products\' thumbnails; scripts with SRI `integrity`;',
    'styles checked by a computed colour; JSON checked by content). The API row asks for 4 products in one tick (one',
    'batched request) while the API fails **once**, as a transient fault. A cell passes when the shopper sees what',
    'DESIGN.md promises (every asset from the origin while it lives; a placeholder, never a broken image, when it does not;',
    'every product while the API answers), requests stay ≤ 2 per asset (≤ 3 with the budgeted origin retry when the',
    'origin is down too; no loop), every request shows up as an event, and no error reaches the page (`pageerror`).',
    'The variant row also loads the page in an unaffected browser first and asserts it was served by the CDN, once per asset.',
    '',
    `| fault | ${KINDS.join(' | ')} |`,
    `| --- | ${KINDS.map(() => '---').join(' | ')} |`,
    ...FAULTS.map((f) => `| ${f.label} | ${KINDS.map((k) => cell(f, k)).join(' | ')} |`),
    '',
    'Outcome: what the shopper saw per asset (`ok` = real pixels / script ran / style applied / right JSON / product',
    'shown), the host that delivered, and the coded errors the calls rejected with. `req` = requests the backend',
    'received for that row\'s assets, CDN and origin together.',
    '',
    ...gaps.map((g, i) => `${'¹²³⁴'[i] ?? '*'} ${g.fault.label} × ${g.kind}: ${g.gap}.`),
    '',
  ];
  return lines.join('\n');
}
