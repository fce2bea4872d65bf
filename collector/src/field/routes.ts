import { CollectorError } from '../errors.js';
import { sendError, sendJson } from '../http-util.js';
import type { Handler, RouteContext, RouteTable } from '../server.js';
import { DEFAULTS } from '../config.js';
import { alarmAnswer, blankAnswer, fieldAnswer, parseFilter, purgeRequests, PURGE_FORMATS, type PurgeFormat } from './answers.js';

/**
 * `/v1/field`, `/v1/blank-variants`, `/v1/alarms`: JSON, token-protected (Bearer), each query
 * parameter checked (a coded 400 names the bad one).
 *
 * The support console (`consoleUrl`) reads them from its own origin, so they answer CORS for that
 * one origin (preflight included: the token is an Authorization header) and for no other. No
 * credentials are allowed, so the dashboard's cookie never authorises a cross-origin read.
 */
export function fieldRoutes(ctx: RouteContext): RouteTable {
  const consoleOrigin = originOf(ctx.options.consoleUrl);
  const cors = (req: Parameters<Handler>[0]): Record<string, string> =>
    consoleOrigin !== undefined && req.headers.origin === consoleOrigin ? { 'Access-Control-Allow-Origin': consoleOrigin, Vary: 'Origin' } : { Vary: 'Origin' };
  // server.ts dispatches on the method's name, so a browser's preflight reaches this handler.
  const preflight: Handler = (req, res) => {
    res.writeHead(204, { ...cors(req), 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Authorization', 'Access-Control-Max-Age': '600' }).end();
    return 204;
  };
  const withPreflight = (get: Handler) => Object.assign({ GET: get }, { OPTIONS: preflight });
  const options = () => ({
    minSample: ctx.options.minSample ?? DEFAULTS.minSample,
    now: ctx.now,
    onStoreError: ctx.alarmFailed,
    ...(ctx.options.alarms && { alarms: ctx.options.alarms }),
  });
  const guard =
    (answer: (url: URL) => Promise<unknown>) =>
    async (req: Parameters<NonNullable<RouteTable[string]['GET']>>[0], res: Parameters<NonNullable<RouteTable[string]['GET']>>[1], url: URL) => {
      for (const [name, value] of Object.entries(cors(req))) res.setHeader(name, value);
      if (!ctx.authorized(req)) {
        sendError(res, new CollectorError('UNAUTHORIZED', 401, 'Expected Authorization: Bearer <token>'), { 'WWW-Authenticate': 'Bearer' });
        return 401;
      }
      try {
        sendJson(res, 200, await answer(url));
        return 200;
      } catch (error) {
        if (!(error instanceof CollectorError)) throw error;
        sendError(res, error);
        return error.status;
      }
    };
  return {
    '/v1/field': withPreflight(guard((url) => fieldAnswer(ctx.store, parseFilter(url, ctx.now()), options()))),
    '/v1/blank-variants': withPreflight(
      guard(async (url) => {
        const filter = parseFilter(url, ctx.now(), ['from', 'to', 'store'], ['format']);
        const format = url.searchParams.get('format');
        if (format !== null && !(PURGE_FORMATS as readonly string[]).includes(format)) {
          throw new CollectorError('INVALID_QUERY', 400, `Expected format to be one of ${PURGE_FORMATS.join(', ')}, got ${JSON.stringify(format.slice(0, 40))}`, 'format');
        }
        const answer = await blankAnswer(ctx.store, filter, options());
        return format ? purgeRequests(format as PurgeFormat, answer, ctx.now()) : answer;
      }),
    ),
    '/v1/alarms': withPreflight(guard((url) => alarmAnswer(ctx.store, parseFilter(url, ctx.now(), ['from', 'to', 'store']), options()))),
  };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
