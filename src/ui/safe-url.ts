/**
 * The one gate product URLs pass before reaching an `href` or `src`: only `http:`/`https:` URLs
 * and relative references survive. `javascript:`, `data:`, `vbscript:` and any other scheme are
 * dropped, and so is anything with control characters or whitespace inside, because the URL parser
 * strips those (`java\tscript:` runs as `javascript:`). Pure: no DOM, no network.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim();
  if (!url || url.length > 2048) return undefined;
  // C0 controls, DEL and any whitespace: the parser removes or trims them, so a scheme could hide behind them.
  if (/[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/.test(url)) return undefined;
  const scheme = /^[^:/?#]+:/.exec(url);
  return !scheme || /^https?:$/i.test(scheme[0]) ? url : undefined;
}
