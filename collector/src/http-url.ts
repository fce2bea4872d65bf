/**
 * An absolute `http(s)://host…` URL, parsed; undefined for anything else (another scheme, a path,
 * `https:host` without its slashes, text that does not parse). The one test the collector applies
 * to a URL it keeps (a blank URL at ingest), links (the dashboard) or purges (purge.ts).
 */
export function parseHttpUrl(value: string): URL | undefined {
  if (!/^https?:\/\/[^/?#\s]/i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
