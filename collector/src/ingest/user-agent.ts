import Bowser from 'bowser';

/**
 * What the collector keeps of a User-Agent: the browser family, its major version and the device
 * class. That is the granularity a CDN varies its cached copies by, and no finer: the full string
 * (OS build, device model) would help fingerprint a shopper and is dropped right here.
 *
 * Parser: bowser (MIT, no dependencies, maintained, ~1 µs a string). ua-parser-js is the other
 * well-known one, but its current major is AGPL-licensed, which a platform embedding this
 * collector may not accept.
 */
export type DeviceClass = 'desktop' | 'mobile' | 'tablet' | 'other';

export interface ClientKind {
  browser: string;
  browserMajor: string;
  device: DeviceClass;
}

const UNKNOWN: ClientKind = { browser: 'unknown', browserMajor: '', device: 'other' };
const cache = new Map<string, ClientKind>();
const CACHE_MAX = 2_000;

export function classifyUserAgent(userAgent: string | undefined): ClientKind {
  if (!userAgent) return UNKNOWN;
  const ua = userAgent.slice(0, 512);
  const hit = cache.get(ua);
  if (hit) return hit;
  let kind = UNKNOWN;
  try {
    const parsed = Bowser.parse(ua);
    const family = parsed.browser.name?.trim();
    const major = /^\d{1,4}/.exec(parsed.browser.version ?? '')?.[0] ?? '';
    const type = parsed.platform.type;
    const device: DeviceClass = type === 'desktop' || type === 'mobile' || type === 'tablet' ? type : 'other';
    if (family) kind = { browser: family.slice(0, 40), browserMajor: major, device };
    else kind = { ...UNKNOWN, device };
  } catch {
    // A string bowser cannot read is an unknown client, not a rejected report.
  }
  // Real traffic has few distinct strings; the cache keeps parsing off the hot path.
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(ua, kind);
  return kind;
}
