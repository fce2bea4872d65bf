import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULTS } from '../config.js';
import { CollectorError } from '../errors.js';
import { PURGE_FORMATS, alarmAnswer, blankAnswer, fieldAnswer, parseFilter, purgeRequests, type PurgeFormat } from '../field/answers.js';
import type { FieldFilter } from '../field/types.js';
import type { RouteContext, RouteTable } from '../server.js';
import { DASHBOARD_JS } from './client-script.js';
import { dashboardPage, type DashboardModel } from './dashboard-page.js';
import { loginPage } from './login-page.js';
import { filterUrl, readQuery, type DashboardQuery } from './query.js';
import { sendCoded, sendHtml, sendText } from './respond.js';
import { createSession } from './session.js';
import { DASHBOARD_CSS } from './style.js';

/**
 * The dashboard's routes: `GET /` (the page, or the sign-in form without the token cookie),
 * `POST /login`, `POST /logout`, its stylesheet and script, and `GET /purge.json`, the purge
 * export behind the cookie (the `/v1/` API wants a Bearer header, which a link cannot send).
 * One page view makes one set of queries: the three answers, in parallel.
 */
const FILTER_OF_BLANKS_AND_ALARMS = ['from', 'to', 'store'] as const;

/** Blank variants and alarms are per store and range (as `/v1/` answers them); the rest narrows the field answer only. */
const storeAndRange = (f: FieldFilter): FieldFilter => ({ from: f.from, to: f.to, ...(f.store !== undefined && { store: f.store }) });

const SECTIONS = ['field data', 'blank variants', 'alarms'] as const;

const queryOfError = (error: unknown): DashboardQuery | undefined => (error as { query?: DashboardQuery }).query;

export function dashboardRoutes(ctx: RouteContext): RouteTable {
  const session = createSession(ctx.token);
  const options = () => ({
    minSample: ctx.options.minSample ?? DEFAULTS.minSample,
    now: ctx.now,
    onStoreError: ctx.alarmFailed,
    ...(ctx.options.alarms && { alarms: ctx.options.alarms }),
  });
  const tokenless = ctx.token === undefined;
  const consoleUrl = ctx.options.consoleUrl;

  async function page(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    if (!ctx.authorized(req)) return sendHtml(res, 401, loginPage({ next: url.search }));
    const now = ctx.now();
    const base = { now, tokenless, ...(consoleUrl !== undefined && { consoleUrl }) };
    let query: DashboardQuery;
    let filter: FieldFilter;
    try {
      query = readQuery(url.searchParams);
      filter = parseFilter(filterUrl(query, now), now);
    } catch (error) {
      if (!(error instanceof CollectorError)) throw error;
      const model: DashboardModel = {
        ...base,
        query: queryOfError(error) ?? readQueryLoosely(url.searchParams),
        error: { message: error.message, ...(error.field !== undefined && { field: error.field }) },
      };
      return sendHtml(res, 400, dashboardPage(model));
    }
    const o = options();
    // Each section stands alone: one whose query fails says so, logged, and the rest still render.
    const settled = await Promise.allSettled([
      fieldAnswer(ctx.store, filter, o),
      blankAnswer(ctx.store, storeAndRange(filter), o),
      alarmAnswer(ctx.store, storeAndRange(filter), o),
    ]);
    const failed = settled.flatMap((r, i) => (r.status === 'rejected' ? [[SECTIONS[i]!, r.reason] as const] : []));
    if (failed.length === settled.length) throw failed[0]![1];
    for (const [section, reason] of failed) ctx.log(`dashboard: ${section} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    const [field, blank, alarms] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as [
      Awaited<ReturnType<typeof fieldAnswer>> | undefined,
      Awaited<ReturnType<typeof blankAnswer>> | undefined,
      Awaited<ReturnType<typeof alarmAnswer>> | undefined,
    ];
    return sendHtml(res, 200, dashboardPage({ ...base, query, data: { range: { from: filter.from, to: filter.to }, field, blank, alarms } }));
  }

  async function purge(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    if (!ctx.authorized(req)) return sendCoded(res, new CollectorError('UNAUTHORIZED', 401, 'Expected the dashboard cookie (sign in at /) or Authorization: Bearer <token>'));
    const now = ctx.now();
    try {
      const format = url.searchParams.get('format') ?? '';
      if (!(PURGE_FORMATS as readonly string[]).includes(format)) {
        throw new CollectorError('INVALID_QUERY', 400, `Expected format to be one of ${PURGE_FORMATS.join(', ')}, got ${JSON.stringify(format.slice(0, 40))}`, 'format');
      }
      const query = readQuery(url.searchParams);
      const filter = parseFilter(filterUrl({ ...query, fields: query.fields.store !== undefined ? { store: query.fields.store } : {} }, now), now, FILTER_OF_BLANKS_AND_ALARMS);
      const body = purgeRequests(format as PurgeFormat, await blankAnswer(ctx.store, filter, options()), now);
      const name = `vitrine-purge-${format}-${new Date(now).toISOString().slice(0, 19).replace(/:/g, '')}Z.json`;
      return sendText(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`, { 'Content-Disposition': `attachment; filename="${name}"` });
    } catch (error) {
      if (!(error instanceof CollectorError)) throw error;
      return sendCoded(res, error);
    }
  }

  return {
    '/': { GET: page },
    '/login': { POST: (req, res) => session.login(req, res) },
    '/logout': { POST: (req, res) => session.logout(req, res) },
    '/purge.json': { GET: purge },
    '/dashboard.css': { GET: (_req, res) => sendText(res, 200, 'text/css; charset=utf-8', DASHBOARD_CSS) },
    '/dashboard.js': { GET: (_req, res) => sendText(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_JS) },
  };
}

/** The form's values when the query was refused, so the page shows what to fix. */
function readQueryLoosely(params: URLSearchParams): DashboardQuery {
  try {
    return readQuery(params);
  } catch (error) {
    return queryOfError(error) ?? { range: '24h', fields: {}, metric: 'LCP' };
  }
}
