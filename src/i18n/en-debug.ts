/**
 * The support debug overlay's English text, in the lazy overlay file only. Technical tokens (LCP,
 * API, ms, outcomes, error codes, URLs) stay as they are: support reads them back.
 */
export const EN_DEBUG = {
  'debug.label': 'Vitrine debug overlay',
  'debug.close': 'Close the Vitrine debug overlay',
  'debug.title': 'Vitrine debug · store {store}',
  'debug.requests': 'Requests ({api} API, {retries} retries)',
  'debug.ids': '×{count} ids',
  'debug.try': 'try {attempt}',
  'debug.failed': 'failed',
  'debug.assets': 'Assets ok/empty/failed',
  'debug.fallbacks': 'Origin fallbacks ({count})',
  'debug.cdnSkipped': 'cdn skipped',
  'debug.vitals': 'Web vitals',
  'debug.good': 'good',
  'debug.needs-improvement': 'needs-improvement',
  'debug.poor': 'poor',
  'debug.counters': 'Counters',
  'debug.countersLine': 'batches {batches} (max {max} ids) · cache {fresh}/{stale}/{miss} · breaker {breaker} · budget {budget} · errors {errors}',
  'debug.blank': 'Blank CDN URLs',
  'debug.errors': 'Errors',
  'debug.more': '… and {count} more',
  'debug.setup': 'Setup',
  'debug.setupTypo': '<script {attribute}>: not a Vitrine attribute, ignored; did you mean {meant}?',
  'debug.setupIgnored': '<script data-store-id="{store}">: settings ignored, the page uses an earlier tag\'s (store {earlier})',
};
