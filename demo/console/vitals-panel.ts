import type { VitalEvent } from '../../src/index.js';
import { h } from './dom.js';

type Name = VitalEvent['name'];
/** web.dev thresholds: [good up to, needs improvement up to]. */
export const THRESHOLDS: Record<Name, readonly [number, number]> = {
  LCP: [2500, 4000],
  FCP: [1800, 3000],
  INP: [200, 500],
  TTFB: [800, 1800],
  CLS: [0.1, 0.25],
};

export function rate(name: Name, value: number): VitalEvent['rating'] {
  const [good, poor] = THRESHOLDS[name];
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
}

export const VITAL_NAMES: readonly Name[] = ['LCP', 'FCP', 'CLS', 'INP', 'TTFB'];

/** Each vital's latest value with its rating; a metric not measured yet says so. */
export function renderVitals(container: Element, vitals: ReadonlyMap<Name, VitalEvent>): void {
  const list = h('dl', { class: 'vitals' });
  for (const name of VITAL_NAMES) {
    const v = vitals.get(name);
    const value = v ? (name === 'CLS' ? v.value.toFixed(3) : `${Math.round(v.value)} ms`) : 'not yet';
    list.append(
      h(
        'div',
        { class: `vital ${v?.rating ?? 'pending'}`, 'data-vital': name, 'data-rating': v?.rating },
        h('dt', {}, name),
        h('dd', {}, value, v ? h('small', {}, ` ${v.rating}`) : null),
      ),
    );
  }
  container.replaceChildren(list);
}
