import { randomUUID } from 'node:crypto';
import type { BlankAnswer } from './types.js';
import { parseHttpUrl } from '../http-url.js';

/**
 * The blank URLs as the body of each CDN's own purge request, so support can paste them into the
 * CDN's API (or its console) without retyping a URL. Pure: no credentials, no request is sent.
 *
 * - Cloudflare (`POST /client/v4/zones/{zone_id}/purge_cache`): `files` entries may carry the
 *   headers of the cached variant to purge — `CF-IPCountry` and `CF-Device-Type` — so the purge
 *   hits exactly the bad copy; at most 100 files per request, so the list is chunked.
 * - Fastly: one purge per URL (`POST /purge/{host}/{path}` on api.fastly.com), which purges every
 *   variant Fastly keeps for that URL.
 * - CloudFront (`CreateInvalidation`): `Paths.Items` with a unique `CallerReference`; an
 *   invalidation is by path, so it drops every variant (all countries, all browsers) of each path.
 */
export type PurgeFormat = 'cloudflare' | 'fastly' | 'cloudfront';
export const PURGE_FORMATS: readonly PurgeFormat[] = ['cloudflare', 'fastly', 'cloudfront'];

const CLOUDFLARE_FILES_PER_REQUEST = 100;
const CLOUDFRONT_PATHS_PER_BATCH = 1_000;

const chunk = <T>(list: readonly T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

export function purgeRequests(format: PurgeFormat, answer: BlankAnswer, now: number): unknown {
  const urls = answer.urls.filter((u) => parseHttpUrl(u.url));
  switch (format) {
    case 'cloudflare': {
      const files = urls.flatMap((u) => {
        // One entry per country × device the bad copy was seen in; browsers are not a Cloudflare cache key by default.
        const cells = new Map<string, Record<string, string>>();
        for (const v of u.variants) {
          const headers: Record<string, string> = {};
          if (/^[A-Z]{2}$/.test(v.country)) headers['CF-IPCountry'] = v.country;
          if (v.device === 'mobile' || v.device === 'tablet' || v.device === 'desktop') headers['CF-Device-Type'] = v.device;
          cells.set(JSON.stringify(headers), headers);
        }
        return [...cells.values()].map((headers) => (Object.keys(headers).length ? { url: u.url, headers } : { url: u.url }));
      });
      return {
        cdn: 'cloudflare',
        note: 'POST each body to https://api.cloudflare.com/client/v4/zones/{zone_id}/purge_cache with your API token; each entry purges the cached copy for that country and device type.',
        requests: chunk(files, CLOUDFLARE_FILES_PER_REQUEST).map((part) => ({ method: 'POST', path: '/client/v4/zones/{zone_id}/purge_cache', body: { files: part } })),
      };
    }
    case 'fastly':
      return {
        cdn: 'fastly',
        note: 'Send each request to the Fastly API with your Fastly-Key; a URL purge drops every variant Fastly holds for that URL.',
        requests: urls.map((u) => {
          const p = parseHttpUrl(u.url)!;
          return { method: 'POST', url: `https://api.fastly.com/purge/${p.host}${p.pathname}${p.search}`, headers: { 'Fastly-Key': '{api_token}' } };
        }),
      };
    case 'cloudfront': {
      const paths = [...new Set(urls.map((u) => parseHttpUrl(u.url)!.pathname))];
      return {
        cdn: 'cloudfront',
        warning:
          'CloudFront invalidates by path: every cached variant of these paths (all countries, all browsers) is dropped, not just the blank ones. The origin will see the refill.',
        requests: chunk(paths, CLOUDFRONT_PATHS_PER_BATCH).map((part, i) => ({
          DistributionId: '{distribution_id}',
          InvalidationBatch: {
            // Unique per export: CloudFront takes a repeated reference for the same invalidation.
            CallerReference: `vitrine-${now}-${i}-${randomUUID()}`,
            Paths: { Quantity: part.length, Items: part },
          },
        })),
      };
    }
  }
}
