import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import { MAX_FIELD_CHARS } from './limits.js';
import type { VitalAttribution, VitalEntry } from './report-schema.js';

type Subscribe = (callback: (metric: MetricWithAttribution) => void) => void;

export interface CollectDeps {
  onVital: (entry: VitalEntry) => void;
  /** The storefront's CDN and origin bases, to tell Vitrine's images from the page's own. */
  cdn: string;
  origin: string;
  /** Injected for tests; defaults to web-vitals' attribution build. */
  metrics?: readonly Subscribe[];
}

const defaults = (): Subscribe[] => [onLCP, onCLS, onINP, onFCP, onTTFB].map((on) => (cb) => on(cb as never));

/** Subscribes to the five metrics; each report is reduced to what may leave the page. */
export function collectVitals(deps: CollectDeps): void {
  for (const subscribe of deps.metrics ?? defaults()) {
    try {
      subscribe((metric) => {
        try {
          deps.onVital(toEntry(metric, deps));
        } catch {
          // A metric that cannot be described is skipped, never thrown into the page.
        }
      });
    } catch {
      // An unsupported API (older browser) costs that metric only.
    }
  }
}

export function toEntry(metric: MetricWithAttribution, bases: { cdn: string; origin: string }): VitalEntry {
  const attribution = pickAttribution(metric, bases);
  return {
    name: metric.name,
    value: round(metric.value, metric.name === 'CLS' ? 4 : 1),
    delta: round(metric.delta, metric.name === 'CLS' ? 4 : 1),
    id: metric.id.slice(0, 100),
    rating: metric.rating,
    // web-vitals 6 reports 'soft-navigation' only when asked to (reportSoftNavs, never set here);
    // the report's schema keeps the hard-navigation types, so one would count as a navigation.
    navigationType: metric.navigationType === 'soft-navigation' ? 'navigate' : metric.navigationType,
    ...(attribution && { attribution }),
  };
}

/** The allowlist: a selector or a URL per metric, capped, queries stripped (they can hold tokens). */
function pickAttribution(metric: MetricWithAttribution, bases: { cdn: string; origin: string }): VitalAttribution | undefined {
  const out: VitalAttribution = {};
  switch (metric.name) {
    case 'LCP': {
      const a = metric.attribution;
      if (a.target) out.target = cap(a.target);
      const url = a.url ?? a.lcpEntry?.url;
      if (url) {
        out.url = cap(stripQuery(url));
        out.fromOrigin = startsWithBase(url, bases.origin);
      }
      out.inVitrine = insideVitrine(a.lcpEntry?.element ?? null) || (url !== undefined && (startsWithBase(url, bases.cdn) || startsWithBase(url, bases.origin)));
      break;
    }
    case 'INP': {
      const a = metric.attribution;
      if (a.interactionTarget) out.target = cap(a.interactionTarget);
      const script = a.longestScript?.entry.sourceURL;
      if (script) out.script = cap(stripQuery(script));
      break;
    }
    case 'CLS': {
      const target = metric.attribution.largestShiftTarget;
      if (target) out.target = cap(target);
      break;
    }
    default:
      return undefined;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Whether an element sits in a Vitrine widget, crossing shadow roots. (Paint timing hides
 * elements inside a shadow tree, so for those the image URL above is the tell.)
 */
export function insideVitrine(element: Element | null): boolean {
  let node: Node | null = element;
  while (node) {
    if (node.nodeType === 1) {
      const el = node as Element;
      if (el.tagName.startsWith('VITRINE-') || el.hasAttribute('data-vitrine')) return true;
    }
    const parent: Node | null = node.parentNode;
    node = parent ?? (node as { host?: Element }).host ?? null;
  }
  return false;
}

const cap = (s: string) => (s.length > MAX_FIELD_CHARS ? s.slice(0, MAX_FIELD_CHARS) : s);
export const stripQuery = (url: string) => url.split(/[?#]/, 1)[0] ?? '';
const startsWithBase = (url: string, base: string) => url === base || url.startsWith(`${base.replace(/\/+$/, '')}/`);
const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Number.isFinite(n) ? Math.round(n * f) / f : 0;
};
